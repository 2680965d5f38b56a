/* Keeps the nb_tz cookie equal to the member's chosen time zone (data-time-zone on <html>, set
 * on the account page) or, without a choice, the browser's own; the server shows dates in it.
 * When it changes, the page reloads once so the times on it are right at once (not on a first
 * visit whose zone is the server's: nothing on the page would change). */
(function () {
  "use strict";
  var root = document.documentElement;
  var chosen = root.getAttribute("data-time-zone") || "";
  var server = root.getAttribute("data-server-time-zone") || "";
  var detected = "";
  try { detected = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* old browser */ }
  var zone = chosen || detected;
  if (!zone) return;
  var current = (document.cookie.match(/(?:^|; )nb_tz=([^;]*)/) || [])[1];
  if (current && decodeURIComponent(current) === zone) return;
  document.cookie = "nb_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax" +
    (location.protocol === "https:" ? "; Secure" : "");
  // Times on this page were drawn in another zone: draw them again (once per zone per tab).
  if (current !== undefined || zone !== server) {
    var key = "nb_tz_reloaded";
    if (sessionStorage.getItem(key) !== zone) { sessionStorage.setItem(key, zone); location.reload(); }
  }
})();
