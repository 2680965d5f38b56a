// Behaviour every page may use, configured by data-* attributes (the CSP allows no inline handlers).
(function () {
  "use strict";
  // <button data-print>: print the page.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
