/* The Messages list, live. Every page follows the member's conversations on the `me` stream
 * (realtime.js), so here a chat.message only updates its item: preview, and unread count when it
 * is from someone else. A conversation that is not listed yet (someone just started it: an
 * `inbox` frame, or its first message) reloads the list; so does a listed one that moved on
 * between rendering the page and the socket's `subscribed` answer.
 * Markup: [data-conversation="ID"][data-last-seq="N"] items, with .conversation-title inside.
 */
(function () {
  "use strict";
  var rt = window.NeighbourlyRealtime;
  if (!rt || !document.querySelector("[data-conversation-list]")) return;

  function item(id) { return document.querySelector('[data-conversation="' + id + '"]'); }

  function stale(frame) {
    var seqs = frame.seqs || {};
    return Object.keys(seqs).some(function (id) {
      var el = item(id);
      if (!el) return (frame.unread || []).map(String).indexOf(String(id)) !== -1;
      return seqs[id] > Number(el.getAttribute("data-last-seq") || 0);
    });
  }

  rt.on("subscribed", function (frame) { if (frame.stream === "me" && stale(frame)) location.reload(); });
  rt.on("inbox", function (frame) { if (stale(frame)) location.reload(); });

  rt.on("chat.message", function (m) {
    var el = item(m.conversation);
    if (!el) { location.reload(); return; }
    if (m.seq <= Number(el.getAttribute("data-last-seq") || 0)) return;   // already on the page
    el.setAttribute("data-last-seq", String(m.seq));
    var preview = el.querySelector("[data-preview]");
    if (!preview) {
      preview = document.createElement("span");
      preview.className = "conversation-preview";
      preview.setAttribute("data-preview", "");
      el.querySelector("a").appendChild(preview);
    }
    preview.textContent = m.body.length > 90 ? m.body.slice(0, 89) + "…" : m.body;
    if (m.author.id === rt.userId) return;
    var badge = el.querySelector("[data-unread]");
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "badge conversation-badge";
      badge.setAttribute("data-unread", "0");
      el.querySelector(".conversation-title").after(badge);
    }
    var n = Number(badge.getAttribute("data-unread")) + 1;
    badge.setAttribute("data-unread", String(n));
    badge.textContent = n + " unread";
    el.classList.add("conversation-unread");
  });
})();
