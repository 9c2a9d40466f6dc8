// Small progressive enhancements; every page works without them.
// Choosing from a select marked data-autosubmit submits its form (no inline scripts: CSP).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) {
    select.form.requestSubmit();
  }
});
