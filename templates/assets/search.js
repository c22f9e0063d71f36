// The search page: Pagefind's UI over the index the build wrote to pagefind/ (no CDN).
// Result URLs are stored from the site root ("/reports/2026-01-07/"); the site may be served
// under a sub-path, so they are prefixed with the site's own root, found from this page's
// address and the page's relative link to Pagefind's script (data-ui), which sits in
// pagefind/ at the site root in every edition, so /ko/search/ searches the one index too. ?q=word starts a search.
// The placeholder and the label come translated from the page (data-placeholder, data-label);
// Pagefind words the rest of its interface in the page's language.
// The index is one bundle per year: the newest year's in pagefind/, each earlier year's in
// pagefind/years/YYYY/, listed (from the site root) in the search element's data-merge.
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("search");
    if (typeof window.PagefindUI !== "function" || !box) return;
    var ui = new URL(box.getAttribute("data-ui") || "../pagefind/pagefind-ui.js", window.location.href);
    var root = new URL("../", ui).pathname;
    var merge = (box.getAttribute("data-merge") || "").split(" ").filter(Boolean);
    var search = new window.PagefindUI({
      mergeIndex: merge.map(function (path) { return { bundlePath: root + path, baseUrl: root }; }),
      element: "#search",
      baseUrl: root,
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      autofocus: true,
      translations: { placeholder: box.getAttribute("data-placeholder") || "Search reports and editor's notes" }
    });
    // Pagefind's input has no visible label of its own: give it one.
    var label = function () {
      var input = document.querySelector("#search input");
      if (!input) return window.requestAnimationFrame(label);
      input.id = "search-input";
      var text = document.createElement("label");
      text.className = "search-label";
      text.htmlFor = "search-input";
      text.textContent = box.getAttribute("data-label") || "Search the reports";
      box.before(text);
    };
    label();
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) search.triggerSearch(q);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
