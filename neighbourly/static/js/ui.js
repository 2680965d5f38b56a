// Small progressive enhancements for every page; without JavaScript everything stays open and usable.
// Loaded in <head> without `defer` so the `js` class is set before the first paint (no flash of an
// open menu); everything else waits for the document or uses event delegation.
(function () {
  document.documentElement.classList.add("js");

  // Compact header: the menu button shows and hides the main navigation on narrow screens.
  function setMenu(button, open) {
    button.setAttribute("aria-expanded", String(open));
    var header = button.closest(".site-header");
    if (header) header.classList.toggle("nav-open", open);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-nav-toggle]");
    if (button) setMenu(button, button.getAttribute("aria-expanded") !== "true");
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var button = document.querySelector("[data-nav-toggle][aria-expanded=true]");
    if (button) {
      setMenu(button, false);
      button.focus();
    }
  });

  // A collapsed form ([data-expand-on-focus], e.g. the post composer) opens for good once focused.
  document.addEventListener("focusin", function (event) {
    var box = event.target.closest("[data-expand-on-focus]");
    if (box) box.classList.add("is-open");
  });
})();
