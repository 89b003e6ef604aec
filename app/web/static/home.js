/* Type-ahead for the home page's search box: an ARIA combobox over GET /v1/search/suggest, in the page's
 * language (the form's data-lang; its words come from its data attributes, which the server fills from the
 * page's catalog). Without JavaScript the form still submits to /?q=. Suggestions are built with textContent,
 * never HTML. */
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-suggestions");
  var status = document.getElementById("search-status");
  if (!input || !list) return;
  var form = input.form;
  var words = form.dataset;
  // A language chosen with the language switch is carried to the pages suggestions lead to.
  var chosen = form.elements.namedItem("lang");
  var active = -1;
  var pending = null;
  var timer = 0;

  // An entry's page for people is its API record's path without /v1 (presenters.page_href, the same rule).
  function hrefFor(item) {
    var href = item.href.replace(/^\/v1\//, "/");
    return chosen ? href + "?lang=" + encodeURIComponent(chosen.value) : href;
  }

  // The kind's name in the page's language (data-kind-symptom…), else as the API gives it.
  function kindName(type) {
    return words["kind" + type.charAt(0).toUpperCase() + type.slice(1)] || type;
  }

  function options() { return list.querySelectorAll('[role="option"]'); }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var all = options();
    if (!all.length) return;
    active = (index + all.length) % all.length;
    all.forEach(function (option, i) { option.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }

  function show(items) {
    list.replaceChildren();
    items.forEach(function (item, i) {
      var option = document.createElement("li");
      option.id = "suggestion-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.href = hrefFor(item);
      option.textContent = item.label;
      if (item.language && item.language !== words.lang) option.lang = item.language;
      if (item.label !== item.name) option.textContent += " (" + item.name + ")";
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = kindName(item.type);
      option.appendChild(kind);
      option.addEventListener("mousedown", function (event) { event.preventDefault(); location.assign(option.dataset.href); });
      list.appendChild(option);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
    status.textContent = items.length ? words.suggestionCount.replace("{count}", items.length) : words.noSuggestions;
    active = -1;
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (pending) pending.abort();
    if (!q) { close(); return; }
    pending = new AbortController();
    var url = "/v1/search/suggest?limit=8&q=" + encodeURIComponent(q) + "&lang=" + encodeURIComponent(words.lang);
    fetch(url, { signal: pending.signal })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (body) { show(body.items || []); })
      .catch(function (error) { if (error.name !== "AbortError") close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) fetchSuggestions(); else highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      location.assign(options()[active].dataset.href);
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
