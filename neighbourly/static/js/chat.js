/* The room view: live messages, typing, presence, history backwards, send with client_id.
 * Markup: <section data-conversation-room="ID" data-last-seq="N" data-first-seq="N" data-user-id="ME">
 * with [data-messages], [data-load-earlier], form[data-composer], [data-typing], [data-online].
 */
(function () {
  "use strict";
  var room = document.querySelector("[data-conversation-room]");
  if (!room || !window.NeighbourlyRealtime) return;
  var rt = window.NeighbourlyRealtime;
  var id = Number(room.getAttribute("data-conversation-room"));
  var me = Number(room.getAttribute("data-user-id"));
  var list = room.querySelector("[data-messages]");
  var form = room.querySelector("form[data-composer]");
  var input = form.querySelector("textarea, input[name=body]");
  var typingEl = room.querySelector("[data-typing]");
  var onlineEl = room.querySelector("[data-online]");
  var earlier = room.querySelector("[data-load-earlier]");
  var firstSeq = Number(room.getAttribute("data-first-seq") || 0);
  var csrf = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";
  var typingTimer = null, readTimer = null;

  function time(iso) {
    var d = new Date(iso);
    var zone = document.documentElement.getAttribute("data-time-zone") || undefined;
    return d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone });
  }

  function render(m) {
    var li = document.createElement("li");
    li.className = "chat-message" + (m.author.id === me ? " chat-message-mine" : "");
    li.setAttribute("data-seq", String(m.seq));
    var meta = document.createElement("p");
    meta.className = "chat-meta";
    if (m.author.id && m.author.id !== me) {  // the name links to their profile card, as on the server
      var who = document.createElement("a");
      who.className = "neighbour-link";
      who.href = "/neighbours/" + m.author.id + "/";
      who.textContent = m.author.name;
      meta.appendChild(who);
      meta.appendChild(document.createTextNode(" · " + time(m.sent_at)));
    } else {
      meta.textContent = m.author.name + " · " + time(m.sent_at);
    }
    var body = document.createElement("p");
    body.className = "chat-body";
    body.textContent = m.body;
    li.appendChild(meta); li.appendChild(body);
    return li;
  }

  function append(m) {
    var pending = list.querySelector('[data-client-id="' + CSS.escape(m.client_id) + '"]');
    if (pending) pending.remove();
    if (list.querySelector('[data-seq="' + m.seq + '"]')) return;
    var atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
    list.appendChild(render(m));
    if (atBottom || m.author.id === me) list.scrollTop = list.scrollHeight;
    markRead(m.seq);
  }

  function markRead(seq) {
    clearTimeout(readTimer);
    readTimer = setTimeout(function () {
      if (!rt.send({ type: "read", conversation: id, seq: seq })) {
        fetch("/api/v1/conversations/" + id + "/read", {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
          body: JSON.stringify({ seq: seq })
        });
      }
    }, 300);
  }

  rt.trackConversation(id, Number(room.getAttribute("data-last-seq") || 0));
  rt.subscribe("conversation:" + id);
  rt.on("chat.message", function (m) { if (m.conversation === id) append(m); });
  rt.on("typing", function (f) {
    if (f.conversation !== id || f.user.id === me) return;
    typingEl.textContent = f.user.name + " is typing…";
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingEl.textContent = ""; }, 3000);
  });
  rt.on("presence", function (f) {
    if (f.stream !== "conversation:" + id) return;
    var others = f.online.filter(function (u) { return u !== me; }).length;
    onlineEl.textContent = others ? "online now" : "";
  });
  rt.on("error", function (f) {
    if (f.client_id) {
      var pending = list.querySelector('[data-client-id="' + CSS.escape(f.client_id) + '"]');
      if (pending) {
        pending.classList.add("chat-message-failed");
        var why = document.createElement("p");
        why.className = "field-error";
        why.setAttribute("role", "alert");
        why.textContent = "Not sent: " + f.detail;
        pending.appendChild(why);
      }
    }
    if (f.code === "access_revoked" && f.stream === "conversation:" + id) {
      form.hidden = true;
      typingEl.textContent = "You are no longer in this conversation.";
    }
  });

  function newClientId() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = input.value.trim();
    if (!body) return;
    var clientId = newClientId();
    var pending = render({ seq: 0, author: { id: me, name: "You" }, sent_at: new Date().toISOString(), body: body });
    pending.classList.add("chat-message-pending");
    pending.removeAttribute("data-seq");
    pending.setAttribute("data-client-id", clientId);
    list.appendChild(pending);
    list.scrollTop = list.scrollHeight;
    input.value = "";
    var frame = { type: "chat.send", conversation: id, body: body, client_id: clientId };
    if (!rt.send(frame)) {
      // No socket: the HTTP fallback, same service, same idempotency key.
      fetch("/api/v1/conversations/" + id + "/messages", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ body: body, client_id: clientId })
      }).then(function (r) { return r.ok ? r.json() : Promise.reject(r); })
        .then(function () { /* the live copy or the next resync renders it */ })
        .catch(function () { pending.classList.add("chat-message-failed"); });
    }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); return; }
    rt.send({ type: "typing", conversation: id });
  });

  if (earlier) {
    earlier.hidden = firstSeq <= 1;
    earlier.addEventListener("click", function () {
      earlier.disabled = true;
      fetch("/api/v1/conversations/" + id + "/messages?before_seq=" + firstSeq, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (page) {
          var anchor = list.firstChild, before = list.scrollHeight;
          page.items.forEach(function (m) { list.insertBefore(render(m), anchor); });
          if (page.items.length) firstSeq = page.items[0].seq;
          list.scrollTop += list.scrollHeight - before;
          earlier.hidden = !page.next_cursor;
          earlier.disabled = false;
        });
    });
  }
  list.scrollTop = list.scrollHeight;
  markRead(Number(room.getAttribute("data-last-seq") || 0));
})();
