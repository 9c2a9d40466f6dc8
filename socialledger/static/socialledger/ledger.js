// Small progressive enhancements; every page works without them (no inline scripts: CSP).
// A table's scroll area that a page forgot to mark is made reachable by keyboard, so a keyboard
// user can scroll it too (templates mark theirs: tabindex, role and name).
document.addEventListener("DOMContentLoaded", () => {
  for (const area of document.querySelectorAll(".scroll:not([tabindex])")) {
    area.tabIndex = 0;
    area.setAttribute("role", "region");
    area.setAttribute("aria-label", "Table, scrolls sideways");
  }
});

// A return page warns before it is left with figures typed but not saved. A block saved on its
// own is clean again once its fresh copy arrives without errors; saving the page saves them all.
const unsaved = new Set();
let saving = null;
document.addEventListener("input", (event) => {
  const form = event.target.closest("form[data-warn-unsaved]");
  if (!form || event.target.closest("[data-not-a-figure]")) {
    return;
  }
  const block = event.target.closest("[data-block]");
  unsaved.add(block ? block.id : form.id);
});
document.addEventListener("htmx:beforeRequest", (event) => {
  const block = event.detail.elt.closest("[data-block]");
  saving = block ? block.id : null;
});
document.addEventListener("htmx:afterSettle", () => {
  const block = saving && document.getElementById(saving);
  if (block && !block.classList.contains("has-errors")) {
    unsaved.delete(saving);
  }
  saving = null;
});
document.addEventListener("submit", (event) => {
  if (event.target.matches("form[data-warn-unsaved]")) {
    unsaved.clear();
  }
});
window.addEventListener("beforeunload", (event) => {
  if (unsaved.size) {
    event.preventDefault();
    event.returnValue = "";
  }
});
