// Feed page behaviour: show only the chosen kind's fields in the composer.
(function () {
  function setup(root) {
    root.querySelectorAll("[data-composer]").forEach(function (form) {
      var select = form.querySelector("select[name=kind]");
      if (!select) return;
      function sync() {
        form.querySelectorAll(".kind-fields").forEach(function (fieldset) {
          var on = fieldset.dataset.kind === select.value;
          fieldset.hidden = !on;
          fieldset.disabled = !on;
        });
      }
      select.addEventListener("change", sync);
      sync();
    });
  }
  document.addEventListener("DOMContentLoaded", function () { setup(document); });
  document.addEventListener("htmx:load", function (event) { setup(event.target); });
})();
