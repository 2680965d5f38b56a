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
 * Markup hooks (no JS needed on the page):
 *   [data-live-feed="<community slug>"]  a "N new posts" banner: hidden until feed.new frames arrive;
 *                                         clicking it reloads the page (or fires "live-feed:load" if the
 *                                         element has data-live-feed-event, for pages that load via htmx)
 *   [data-realtime-status]               shows "Reconnecting…" while the socket is down
 *   [data-unread-badge]                  counts chat messages that arrive while on other pages
 * Urgent `alert` frames are shown in a live region added to the page.
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
  function liveFeedBanners() {
    document.querySelectorAll("[data-live-feed]").forEach(function (el) {
      var slug = el.getAttribute("data-live-feed");
      var count = 0;
      el.hidden = true;
      api.subscribe("community:" + slug);
      api.on("feed.new", function (frame) {
        if (frame.community && frame.community !== slug) return;
        count += 1;
        el.hidden = false;
        el.textContent = count === 1 ? "1 new post" : count + " new posts";
        el.setAttribute("data-count", String(count));
      });
      el.addEventListener("click", function (event) {
        event.preventDefault();
        if (el.hasAttribute("data-live-feed-event")) {
          count = 0; el.hidden = true;
          el.dispatchEvent(new CustomEvent("live-feed:load", { bubbles: true }));
        } else {
          location.reload();
        }
      });
    });
  }

  function alertRegion() {
    var region = document.createElement("div");
    region.className = "realtime-alerts";
    region.setAttribute("role", "alert");
    region.setAttribute("aria-live", "assertive");
    document.body.appendChild(region);
    api.on("alert", function (frame) {
      var item = document.createElement("div");
      item.className = "realtime-alert";
      var text = document.createElement("p");
      text.textContent = frame.title || frame.body || "Safety alert in your neighbourhood";
      item.appendChild(text);
      if (frame.url) {
        var link = document.createElement("a");
        link.href = frame.url; link.textContent = "Read it";
        item.appendChild(link);
      }
      var close = document.createElement("button");
      close.type = "button"; close.className = "link-button"; close.textContent = "Dismiss";
      close.addEventListener("click", function () { item.remove(); });
      item.appendChild(close);
      region.appendChild(item);
    });
  }

  function unreadBadges() {
    api.on("chat.message", function (frame) {
      if (frame.author && frame.author.id === api.userId) return;
      if (document.querySelector('[data-conversation-room="' + frame.conversation + '"]')) return;
      document.querySelectorAll("[data-unread-badge]").forEach(function (el) {
        var n = Number(el.getAttribute("data-count") || 0) + 1;
        el.setAttribute("data-count", String(n));
        el.textContent = String(n);
        el.hidden = false;
      });
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
    connect();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
