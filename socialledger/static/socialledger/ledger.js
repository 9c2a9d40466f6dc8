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
