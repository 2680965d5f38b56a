/* The Messages list, live: each listed conversation is followed on the socket, so a new message
 * bumps its unread badge and preview; a conversation started by a neighbour (a
 * `conversation.new` frame on the user's own stream) reloads the list to show it.
 * Markup: [data-conversation="ID"][data-last-seq="N"] items, with .conversation-title inside.
 */
(function () {
  "use strict";
  var rt = window.NeighbourlyRealtime;
  if (!rt || !document.querySelector("[data-conversation-list]")) return;

  document.querySelectorAll("[data-conversation]").forEach(function (item) {
    var id = item.getAttribute("data-conversation");
    rt.trackConversation(id, Number(item.getAttribute("data-last-seq") || 0));
    rt.subscribe("conversation:" + id);
  });

  rt.on("conversation.new", function () { location.reload(); });

  rt.on("chat.message", function (m) {
    var item = document.querySelector('[data-conversation="' + m.conversation + '"]');
    if (!item) { location.reload(); return; }
    var preview = item.querySelector("[data-preview]");
    if (!preview) {
      preview = document.createElement("span");
      preview.className = "conversation-preview";
      preview.setAttribute("data-preview", "");
      item.querySelector("a").appendChild(preview);
    }
    preview.textContent = m.body.length > 90 ? m.body.slice(0, 89) + "…" : m.body;
    if (m.author.id === rt.userId) return;
    var badge = item.querySelector("[data-unread]");
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "badge conversation-badge";
      badge.setAttribute("data-unread", "0");
      item.querySelector(".conversation-title").after(badge);
    }
    var n = Number(badge.getAttribute("data-unread")) + 1;
    badge.setAttribute("data-unread", String(n));
    badge.textContent = n + " unread";
    item.classList.add("conversation-unread");
  });
})();
