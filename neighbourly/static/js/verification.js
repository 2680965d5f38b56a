// Verification pages: copy the vouch link; share the browser's location once.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-button]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.querySelector("[data-copy-source]");
      if (!source) return;
      source.select();
      var done = function () { button.textContent = "Copied"; };
      if (navigator.clipboard) { navigator.clipboard.writeText(source.value).then(done, done); }
      else { document.execCommand("copy"); done(); }
    });
  });
  document.querySelectorAll("[data-geolocation-form]").forEach(function (form) {
    var button = form.querySelector("[data-geolocation-button]");
    var status = form.querySelector("[data-geolocation-status]");
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = "Your browser cannot share its location."; return; }
      status.textContent = "Asking your browser for your location…";
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        form.elements.lat.value = position.coords.latitude;
        form.elements.lon.value = position.coords.longitude;
        form.elements.accuracy_m.value = position.coords.accuracy;
        form.submit();
      }, function (error) {
        button.disabled = false;
        status.textContent = error.code === 1 ? "Location permission was refused." : "Your location is not available right now.";
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
    });
  });
})();
