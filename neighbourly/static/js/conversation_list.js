// The conversation list: a message in a conversation bumps its unread count live.
(function () {
  "use strict";
  document.addEventListener("realtime:chat.message", function (event) {
    var m = event.detail;
    var me = window.NeighbourlyRealtime ? window.NeighbourlyRealtime.userId : 0;
    var item = document.querySelector('[data-conversation="' + m.conversation + '"]');
    if (!item) { location.reload(); return; }
    if (m.author.id === me) return;
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
