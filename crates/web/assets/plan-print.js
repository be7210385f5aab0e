// The development plan's print button: the browser's print dialog, which
// the page's print stylesheet lays out on A4 (the forms are left out).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
