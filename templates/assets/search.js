// The search page: Pagefind's UI over the index the build wrote to pagefind/ (no CDN).
// Result URLs are stored from the site root ("/reports/2026-01-07/"); the site may be served
// under a sub-path, so they are prefixed with the site's own root, found from this page's
// address (the search page sits one folder below the root). ?q=word starts a search.
// The index is one bundle per year: the newest year's in pagefind/, each earlier year's in
// pagefind/years/YYYY/, listed (from the site root) in the search element's data-merge.
(function () {
  "use strict";
  function start() {
    if (typeof window.PagefindUI !== "function" || !document.getElementById("search")) return;
    var root = new URL("../", window.location.href).pathname;
    var merge = (document.getElementById("search").getAttribute("data-merge") || "").split(" ").filter(Boolean);
    var ui = new window.PagefindUI({
      mergeIndex: merge.map(function (path) { return { bundlePath: root + path, baseUrl: root }; }),
      element: "#search",
      baseUrl: root,
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      autofocus: true,
      translations: { placeholder: "Search reports and editor's notes" }
    });
    // Pagefind's input has no visible label of its own: give it one.
    var label = function () {
      var input = document.querySelector("#search input");
      if (!input) return window.requestAnimationFrame(label);
      input.id = "search-input";
      var text = document.createElement("label");
      text.className = "search-label";
      text.htmlFor = "search-input";
      text.textContent = "Search the reports";
      document.getElementById("search").before(text);
    };
    label();
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) ui.triggerSearch(q);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
