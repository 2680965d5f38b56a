/* @mention autocomplete for the post and comment composers.
 *
 * Markup: any <textarea> inside an element with data-mention-url="/communities/<slug>/mentions/".
 * Typing "@" and a few letters lists the community's verified neighbours (JSON from that URL);
 * ArrowUp/ArrowDown move, Enter or Tab picks, Escape closes, a click picks. The pick is stored as
 * "@[Display Name](user:ID)", which pages show as a link to the neighbour's profile.
 * ARIA: the textarea is a combobox (aria-expanded, aria-controls, aria-activedescendant) that owns
 * a role=listbox of role=option items; a polite live region says how many neighbours were found.
 * Listeners are delegated from document, so composers swapped in by htmx work too.
 */
(function () {
  "use strict";
  var TRIGGER = /(^|\s)@([^\s@\[\]()][^@\[\]()\n]{0,39})$/;
  var counter = 0;
  var state = null; // {input, list, status, items, active, start, query, timer, request}

  function setup(input) {
    if (input.hasAttribute("data-mention-ready")) return;
    input.setAttribute("data-mention-ready", "");
    var id = "mention-list-" + (++counter);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Neighbours to mention");
    list.hidden = true;
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
  }

  function find(input) {
    return { list: document.getElementById(input.getAttribute("aria-controls")),
             status: document.getElementById(input.getAttribute("aria-controls")).nextElementSibling };
  }

  function close() {
    if (!state) return;
    state.list.hidden = true;
    state.list.textContent = "";
    state.input.setAttribute("aria-expanded", "false");
    state.input.removeAttribute("aria-activedescendant");
    clearTimeout(state.timer);
    state = null;
  }

  function highlight(index) {
    if (!state || !state.items.length) return;
    state.active = (index + state.items.length) % state.items.length;
    Array.prototype.forEach.call(state.list.children, function (li, i) {
      li.setAttribute("aria-selected", i === state.active ? "true" : "false");
      if (i === state.active) {
        state.input.setAttribute("aria-activedescendant", li.id);
        li.scrollIntoView({ block: "nearest" });
      }
    });
  }

  function render(items) {
    state.items = items;
    state.list.textContent = "";
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = state.list.id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("data-user-id", String(item.id));
      li.textContent = item.name;
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      state.list.appendChild(li);
    });
    var open = items.length > 0;
    state.list.hidden = !open;
    state.input.setAttribute("aria-expanded", open ? "true" : "false");
    state.status.textContent = open
      ? items.length + (items.length === 1 ? " neighbour" : " neighbours") + " found: use the arrow keys and Enter"
      : "No neighbour by that name";
    if (open) highlight(0);
    else state.input.removeAttribute("aria-activedescendant");
  }

  function choose(index) {
    if (!state || !state.items[index]) return;
    var input = state.input, item = state.items[index];
    var name = item.name.replace(/[\[\]\n]/g, "");
    var token = "@[" + name + "](user:" + item.id + ") ";
    var end = input.selectionStart;
    input.value = input.value.slice(0, state.start) + token + input.value.slice(end);
    var caret = state.start + token.length;
    input.setSelectionRange(caret, caret);
    state.status.textContent = name + " will be mentioned";
    close();
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function lookup(input) {
    var before = input.value.slice(0, input.selectionStart);
    var match = TRIGGER.exec(before);
    if (!match) { if (state && state.input === input) close(); return; }
    var url = input.closest("[data-mention-url]").getAttribute("data-mention-url");
    var query = match[2];
    if (!state || state.input !== input) {
      close();
      var parts = find(input);
      state = { input: input, list: parts.list, status: parts.status, items: [], active: 0, timer: null };
    }
    state.start = before.length - query.length - 1;
    state.query = query;
    clearTimeout(state.timer);
    var current = state;
    current.timer = setTimeout(function () {
      fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin",
                                                        headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) { if (state === current && current.query === query) render(data.items || []); })
        .catch(function () { /* offline: no suggestions, typing goes on */ });
    }, 150);
  }

  function isMentionInput(el) {
    return el && el.tagName === "TEXTAREA" && el.closest && el.closest("[data-mention-url]");
  }

  document.addEventListener("focusin", function (event) {
    if (isMentionInput(event.target)) setup(event.target);
  });
  document.addEventListener("input", function (event) {
    if (isMentionInput(event.target) && event.isTrusted !== false) { setup(event.target); lookup(event.target); }
  });
  document.addEventListener("keydown", function (event) {
    if (!state || event.target !== state.input || state.list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(state.active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(state.active - 1); }
    else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); event.stopPropagation(); choose(state.active); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
  }, true);
  document.addEventListener("focusout", function (event) {
    if (state && event.target === state.input) setTimeout(close, 150);
  });
})();
