/* conditions-api widget loader.
 *   <div data-condition="lumbar-muscle-spasm"></div>
 *   <script src="https://your-server/embed.js" async></script>
 * Optional: data-sections="symptoms,faqs", data-theme="dark", data-lang="es" and data-editor-notes="true"
 * (an editorial preview with the editors' notes) on the div. The card's language is data-lang, else the
 * nearest lang attribute (the page's <html lang>), else the visitor's browser languages (Accept-Language);
 * a language the server does not offer, or an entry not yet translated, falls back to English. Each card is fetched from
 * /embed/conditions/{slug} and shown inside a Shadow DOM, so the page's CSS and the card's never collide;
 * the card's JSON-LD is copied next to it for search engines. Nothing in the card can run a script: it is
 * parsed with DOMParser, which never executes, and the server escapes all content. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(script && script.src ? script.src : "/embed.js", document.baseURI);

  // The language a card is asked for in: data-lang, else that of the page around it; "" lets the browser's
  // Accept-Language decide.
  function language(host) {
    if (host.dataset.lang) return host.dataset.lang;
    // A page's own lang attribute is often sloppy ("es_ES", "x-default"): one that is not a language tag is
    // ignored (the browser's languages decide) rather than turned into a card that fails.
    var around = host.closest("[lang]");
    var tag = around ? around.getAttribute("lang").replace(/_/g, "-") : "";
    return /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) ? tag : "";
  }

  function cardUrl(host) {
    var url = new URL("/embed/conditions/" + encodeURIComponent(host.dataset.condition), base);
    if (language(host)) url.searchParams.set("lang", language(host));
    if (host.dataset.sections) url.searchParams.set("sections", host.dataset.sections);
    if (host.dataset.theme) url.searchParams.set("theme", host.dataset.theme);
    if (host.dataset.editorNotes) url.searchParams.set("editor_notes", host.dataset.editorNotes);
    return url.href;
  }

  function adoptStyle(root, css) {
    // A constructed stylesheet is not an inline <style>, so a host page's strict CSP does not block it.
    if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function") {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } else {
      var style = document.createElement("style");
      style.textContent = css;
      root.appendChild(style);
    }
  }

  // What a visitor reads when a card cannot be shown, by language: the catalogs' card_unavailable (what the
  // server's error page says), filled in when the server sends this script; the first is the default language's.
  // Why it failed is for the site's developer: the element's data-error-detail attribute and a console warning.
  var UNAVAILABLE = /*UNAVAILABLE*/{};

  // RFC 4647 lookup, as the server does: "es-MX", then "es"; else the default language.
  function unavailable(tag) {
    var subtags = (tag || "").toLowerCase().split("-");
    for (; subtags.length; subtags.pop()) {
      var key = subtags.join("-");
      if (Object.prototype.hasOwnProperty.call(UNAVAILABLE, key)) return { lang: key, text: UNAVAILABLE[key] };
    }
    var first = Object.keys(UNAVAILABLE)[0] || "";
    return { lang: first, text: first ? UNAVAILABLE[first] : "" };
  }

  function showError(host, root, detail) {
    var box = document.createElement("p");
    var message = unavailable(language(host) || navigator.language);
    box.lang = message.lang;
    box.textContent = message.text;
    root.replaceChildren(box);
    host.dataset.errorDetail = detail;
    host.dataset.conditionState = "error";
    console.warn("conditions-api widget: the card '" + host.dataset.condition + "' could not be shown: " + detail);
  }

  // "404 Not Found: No condition has the slug or alias 'x'. …" from the problem details, if the body is one.
  function problemDetail(response) {
    var status = response.status + " " + response.statusText;
    return response.json().then(
      function (problem) {
        var title = response.status + " " + (problem.title || response.statusText);
        return problem.detail ? title + ": " + problem.detail : title;
      },
      function () { return status; }
    );
  }

  function render(host) {
    if (host.dataset.conditionState) return;
    host.dataset.conditionState = "loading";
    var root = host.shadowRoot || host.attachShadow({ mode: "open" });
    // Naming problem+json as highly as HTML asks for the problem details, not the error page, on failure.
    fetch(cardUrl(host), { headers: { Accept: "text/html, application/problem+json" }, credentials: "omit" })
      .then(function (response) {
        if (response.ok) return response.text();
        return problemDetail(response).then(function (detail) { throw new Error(detail); });
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var card = page.querySelector("article");
        if (!card) throw new Error("the server sent no card");
        var style = page.querySelector("style");
        adoptStyle(root, style ? style.textContent : "");
        root.replaceChildren(document.importNode(card, true));
        var data = page.querySelector('script[type="application/ld+json"]');
        if (data && !host.querySelector('script[type="application/ld+json"]')) {
          var copy = document.createElement("script");
          copy.type = "application/ld+json";
          copy.textContent = data.textContent;
          host.appendChild(copy);
        }
        host.dataset.conditionState = "ready";
      })
      .catch(function (error) { showError(host, root, error.message); });
  }

  function renderAll() {
    document.querySelectorAll("[data-condition]").forEach(render);
  }

  window.ConditionsWidget = { render: render, renderAll: renderAll };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", renderAll);
  else renderAll();
})();
