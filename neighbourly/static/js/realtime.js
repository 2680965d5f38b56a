/* Neighbourly realtime client: one WebSocket per tab at /ws/ (protocol in DESIGN.md, Realtime).
 *
 * Loaded by base.html for logged-in members. Public API, on window.NeighbourlyRealtime:
 *   subscribe(stream)            "conversation:ID" | "community:SLUG"; re-sent after every reconnect
 *   unsubscribe(stream)
 *   on(type, fn) / off(type, fn) frame listeners ("chat.message", "feed.new", "alert", "presence",
 *                                "typing", "notification", "error", "status", ...)
 *   send(frame)                  returns false when the socket is not open (caller may fall back to HTTP)
 *   trackConversation(id, seq)   remember the last seq seen; gaps and reconnects trigger `resync`
 *   status                       "connecting" | "open" | "reconnecting"
 * Also dispatches DOM events "realtime:<type>" on document, so plain pages can listen without JS imports.
 *
 * Every page subscribes stream "me": the server follows the member's communities and recent
 * conversations (see consumers.py, _subscribe_me), so no page needs to name them.
 *
 * Markup hooks (no JS needed on the page):
 *   [data-live-feed="<community slug>"]  a "N new posts" button, hidden until feed.new frames of others
 *     data-live-feed-id, -url, -kind     arrive for this feed (id); a click fetches the posts since
 *                                         #feed-since[data-since] from -url (htmx) and puts them on top
 *                                         of #post-list; after a reconnect it recounts from -url?ids=1
 *   [data-realtime-status]               shows "Reconnecting…" while the socket is down
 *   [data-unread-badge]                  the number of unread conversations, live
 * Urgent `alert` frames are shown on any page in a role="alert" region, with a link, until dismissed.
 */
(function () {
  "use strict";
  if (window.NeighbourlyRealtime) return;

  var script = document.currentScript;
  var PING_MS = parseInt(document.documentElement.getAttribute("data-realtime-ping-ms") || "20000", 10);
  var BASE_DELAY_MS = 500, MAX_DELAY_MS = 15000;

  var socket = null, attempts = 0, pingTimer = null, reconnectTimer = null;
  var streams = new Set();
  var lastSeq = {};           // conversation id -> last seq delivered to listeners
  var resyncing = {};         // conversation id -> true while a resync is in flight
  var listeners = {};
  var api = { status: "connecting", userId: Number((script && script.getAttribute("data-user-id")) || 0) };

  function emit(type, frame) {
    (listeners[type] || []).slice().forEach(function (fn) {
      try { fn(frame); } catch (e) { console.error(e); }
    });
    document.dispatchEvent(new CustomEvent("realtime:" + type, { detail: frame }));
  }

  function setStatus(status) {
    api.status = status;
    document.querySelectorAll("[data-realtime-status]").forEach(function (el) {
      el.hidden = status === "open";
      el.textContent = status === "open" ? "" : (status === "reconnecting" ? "Reconnecting…" : "Connecting…");
      el.setAttribute("data-state", status);
    });
    emit("status", { type: "status", status: status });
  }

  function rawSend(frame) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  function resync(conversation) {
    if (resyncing[conversation]) return;
    resyncing[conversation] = true;
    rawSend({ type: "resync", conversation: Number(conversation), after_seq: lastSeq[conversation] || 0 });
  }

  function onChatMessage(frame) {
    var id = String(frame.conversation);
    var seen = lastSeq[id];
    if (seen !== undefined && frame.seq <= seen) return;            // duplicate (echo + resync)
    if (seen !== undefined && frame.seq > seen + 1) {  // a gap: fetch what is missing, in order
      resync(id);
      return;
    }
    lastSeq[id] = frame.seq;
    emit("chat.message", frame);
  }

  function checkSeqs(seqs) {
    Object.keys(seqs || {}).forEach(function (id) {
      if (lastSeq[id] !== undefined && seqs[id] > lastSeq[id]) resync(id);
    });
  }

  function onFrame(frame) {
    switch (frame.type) {
      case "chat.message": onChatMessage(frame); return;
      case "resynced":
        resyncing[frame.conversation] = false;
        if (!frame.complete || frame.last_seq > (lastSeq[frame.conversation] || 0)) resync(String(frame.conversation));
        emit("resynced", frame);
        return;
      case "subscribed":
        if (frame.last_seq !== undefined) {
          var id = frame.stream.split(":")[1];
          if (lastSeq[id] !== undefined && frame.last_seq > lastSeq[id]) resync(id);
        }
        emit("subscribed", frame);
        return;
      case "pong": case "sync": checkSeqs(frame.seqs); emit(frame.type, frame); return;
      case "notification":
        emit("notification", frame);
        // The notifications badge (htmx, hx-trigger "neighbourly:notification from:body") refreshes itself.
        document.body.dispatchEvent(new CustomEvent("neighbourly:notification", { bubbles: true, detail: frame }));
        return;
      default: emit(frame.type, frame);
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/");
    socket.onopen = function () {
      attempts = 0;
      resyncing = {};
      setStatus("open");
      streams.forEach(function (stream) { rawSend({ type: "subscribe", stream: stream }); });
      Object.keys(lastSeq).forEach(resync);   // whatever was sent while we were away
      clearInterval(pingTimer);
      pingTimer = setInterval(function () { rawSend({ type: "ping" }); }, PING_MS);
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      onFrame(frame);
    };
    socket.onclose = function (event) {
      clearInterval(pingTimer);
      socket = null;
      if (event.code === 4401) { setStatus("closed"); return; }     // logged out: do not hammer
      setStatus("reconnecting");
      // Exponential back-off with full jitter: 0.5 s, 1 s, 2 s … capped at 15 s.
      var ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * Math.pow(2, attempts++));
      clearTimeout(reconnectTimer);
      reconnectTimer = setTimeout(connect, Math.random() * ceiling + 100);
    };
  }

  api.on = function (type, fn) { (listeners[type] = listeners[type] || []).push(fn); };
  api.off = function (type, fn) {
    listeners[type] = (listeners[type] || []).filter(function (f) { return f !== fn; });
  };
  api.send = rawSend;
  api.subscribe = function (stream) {
    if (streams.has(stream)) return;
    streams.add(stream);
    rawSend({ type: "subscribe", stream: stream });
  };
  api.unsubscribe = function (stream) {
    streams.delete(stream);
    rawSend({ type: "unsubscribe", stream: stream });
  };
  api.trackConversation = function (id, seq) {
    id = String(id);
    if (lastSeq[id] === undefined || seq > lastSeq[id]) lastSeq[id] = seq;
  };
  api.lastSeq = function (id) { return lastSeq[String(id)]; };
  api.reconnectNow = function () { if (socket) socket.close(); };
  window.NeighbourlyRealtime = api;

  // -- generic page hooks ------------------------------------------------------------------
  // Every page subscribes stream "me" (start()): the server follows the resident's communities
  // (feed.new, alert) and recent conversations (chat.message), and answers with the unread state.

  function onReconnect(fn) {   // after the socket was lost and is back (not the first connect)
    var down = false;
    api.on("status", function (frame) {
      if (frame.status === "reconnecting") down = true;
      else if (frame.status === "open" && down) { down = false; fn(); }
    });
  }

  function liveFeedBanners() {
    document.querySelectorAll("[data-live-feed]").forEach(function (el) {
      var feedId = Number(el.getAttribute("data-live-feed-id"));
      var kind = el.getAttribute("data-live-feed-kind") || "";
      var url = el.getAttribute("data-live-feed-url");
      var target = el.getAttribute("data-live-feed-target") || "#post-list";
      var ids = new Set(), loading = false;

      function shown(id) { return !!document.getElementById("post-" + id); }
      function query(extra) {
        var marker = document.getElementById("feed-since");
        var q = "?since=" + encodeURIComponent(marker ? marker.getAttribute("data-since") : "");
        return url + q + (kind ? "&kind=" + encodeURIComponent(kind) : "") + (extra || "");
      }
      function show() {
        ids.forEach(function (id) { if (shown(id)) ids.delete(id); });
        var n = ids.size;
        el.hidden = n === 0;
        el.textContent = n === 1 ? "1 new post" : n + " new posts";
        el.setAttribute("data-count", String(n));
      }
      function recount() {   // what was published while the socket was away
        fetch(query("&ids=1"), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) { if (data) { data.ids.forEach(function (id) { ids.add(id); }); show(); } })
          .catch(function () {});
      }

      api.on("feed.new", function (frame) {
        if (frame.feed !== undefined && frame.feed !== feedId) return;   // another of my communities
        if (frame.author === api.userId) return;                         // mine: already on my page
        if (kind && frame.kind !== kind) return;
        ids.add(frame.post_id);
        show();
      });
      onReconnect(recount);
      api.on("sync", recount);   // the server's layer was away: it may have dropped some frames

      el.addEventListener("click", function (event) {
        event.preventDefault();
        if (loading || !window.htmx) { if (!window.htmx) location.reload(); return; }
        loading = true;
        var before = ids.size;
        htmx.ajax("GET", query(), { target: target, swap: "afterbegin" }).then(function () {
          loading = false;
          var list = document.querySelector(target);
          list.querySelectorAll(".empty").forEach(function (p) { p.remove(); });
          show();
          var first = list.querySelector("article");
          if (first) { first.setAttribute("tabindex", "-1"); first.focus({ preventScroll: false }); }
          var status = document.getElementById("feed-status");
          if (status) status.textContent = before === 1 ? "1 new post shown." : before + " new posts shown.";
        }, function () { loading = false; });
      });
    });
  }

  function alertRegion() {
    var region = document.createElement("div");
    region.className = "realtime-alerts";
    region.setAttribute("role", "alert");
    region.setAttribute("data-realtime-alerts", "");
    document.body.appendChild(region);
    api.on("alert", function (frame) {
      if (frame.author === api.userId) return;   // the author knows
      if (region.querySelector('[data-alert-post="' + Number(frame.post_id) + '"]')) return;   // nearby + own
      var item = document.createElement("div");
      item.className = "realtime-alert";
      item.setAttribute("data-alert-post", String(Number(frame.post_id)));
      var text = document.createElement("p");
      var label = document.createElement("strong");
      label.textContent = "Urgent alert: ";
      text.appendChild(label);
      var link = document.createElement(frame.url ? "a" : "span");
      if (frame.url && frame.url.charAt(0) === "/") link.href = frame.url;
      link.textContent = frame.title || "Safety alert in your neighbourhood";
      text.appendChild(link);
      if (frame.where) text.appendChild(document.createTextNode(" — " + frame.where));
      item.appendChild(text);
      var close = document.createElement("button");
      close.type = "button"; close.className = "button button-small button-secondary"; close.textContent = "Dismiss";
      close.addEventListener("click", function () { item.remove(); });
      item.appendChild(close);
      region.appendChild(item);
    });
  }

  // Messages badge: the number of unread conversations. The `subscribed` answer to "me" (and an
  // `inbox` frame when someone starts a conversation with me) says which are unread; chat.message
  // frames from others add one; `read` frames (any of my tabs) clear one; heartbeat seqs heal gaps.
  function unreadBadges() {
    var unread = new Set(), live = {}, seen = {};
    function roomOpen(id) { return !!document.querySelector('[data-conversation-room="' + id + '"]'); }
    function render() {
      var n = 0;
      unread.forEach(function (id) { if (!roomOpen(id)) n += 1; });
      document.querySelectorAll("[data-unread-badge]").forEach(function (el) {
        el.setAttribute("data-count", String(n));
        el.hidden = n === 0;
        el.textContent = String(n);
        var hint = document.createElement("span");
        hint.className = "visually-hidden";
        hint.textContent = n === 1 ? " unread conversation" : " unread conversations";
        el.appendChild(hint);
      });
    }
    function bump(id, seq) { seen[id] = Math.max(seen[id] || 0, seq || 0); }
    function inbox(frame) {
      var seqs = frame.seqs || {}, listed = new Set((frame.unread || []).map(String));
      if (frame.complete) unread.forEach(function (id) { if (!(id in seqs)) unread.delete(id); });
      Object.keys(seqs).forEach(function (id) {
        if (listed.has(id) || (live[id] || 0) > seqs[id]) unread.add(id); else unread.delete(id);
        bump(id, seqs[id]);
      });
      render();
    }
    api.on("subscribed", function (frame) { if (frame.stream === "me") inbox(frame); });
    api.on("inbox", inbox);
    api.on("chat.message", function (frame) {
      var id = String(frame.conversation);
      bump(id, frame.seq);
      if (frame.author && frame.author.id === api.userId) unread.delete(id);   // sending reads it
      else { live[id] = Math.max(live[id] || 0, frame.seq); unread.add(id); }
      render();
    });
    api.on("read", function (frame) {
      var id = String(frame.conversation);
      bump(id, frame.seq);
      if (frame.seq >= (live[id] || 0)) { unread.delete(id); render(); }
    });
    function heal(frame) {   // pong/sync: the latest seq of each followed conversation
      var changed = false;
      Object.keys(frame.seqs || {}).forEach(function (id) {
        if (seen[id] !== undefined && frame.seqs[id] > seen[id] && !roomOpen(id)) {
          live[id] = frame.seqs[id]; unread.add(id); changed = true;
        }
        bump(id, frame.seqs[id]);
      });
      if (changed) render();
    }
    api.on("pong", heal);
    api.on("sync", heal);
  }

  function notificationBadge() {
    // Refresh the notifications badge (htmx, hx-trigger "neighbourly:notification from:body") after
    // a reconnect: notifications sent while away (alerts included) came as no frame.
    onReconnect(function () {
      document.body.dispatchEvent(new CustomEvent("neighbourly:notification", { bubbles: true }));
    });
  }

  function start() {
    var status = document.createElement("div");
    status.className = "realtime-status";
    status.setAttribute("data-realtime-status", "");
    status.setAttribute("role", "status");
    status.hidden = true;
    document.body.appendChild(status);
    liveFeedBanners();
    alertRegion();
    unreadBadges();
    notificationBadge();
    api.subscribe("me");
    connect();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
