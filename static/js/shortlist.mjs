// The shortlist's "Print this list" button: without JavaScript, the browser's own print works.
document.querySelectorAll("[data-cc-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
