// Draws every chart on the page. Specs sit in <script type="application/json"> blocks,
// so pages carry no inline script; the Vega bundle (assets/vega.js) is served by the site.
(function () {
  "use strict";
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  var DARK = {
    axis: { labelColor: "#a0a0a0", titleColor: "#a0a0a0", gridColor: "#3a3a3a", domainColor: "#3a3a3a", tickColor: "#3a3a3a" },
    legend: { labelColor: "#e6e6e6", titleColor: "#a0a0a0" },
    title: { color: "#e6e6e6" },
    text: { color: "#e6e6e6" }
  };
  function merge(a, b) {
    var out = {};
    Object.keys(a || {}).forEach(function (k) { out[k] = a[k]; });
    Object.keys(b || {}).forEach(function (k) {
      out[k] = (out[k] && typeof out[k] === "object" && typeof b[k] === "object") ? merge(out[k], b[k]) : b[k];
    });
    return out;
  }
  function draw(el) {
    var block = document.getElementById(el.getAttribute("data-spec"));
    if (!block || typeof window.vegaEmbed !== "function") return;
    var spec = JSON.parse(block.textContent);
    if (dark) spec.config = merge(spec.config, DARK);
    var options = { actions: false, renderer: "svg", tooltip: { theme: dark ? "dark" : "light" } };
    if (window.vega && window.vega.expressionInterpreter) { options.ast = true; options.expr = window.vega.expressionInterpreter; }
    window.vegaEmbed(el, spec, options).then(function () {
      el.classList.add("drawn");
      var fallback = el.querySelector(".fallback");
      if (fallback) fallback.remove();
    }).catch(function (err) {
      el.classList.add("failed");
      if (window.console) console.error("chart " + el.getAttribute("data-spec") + ": " + err);
    });
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".vega[data-spec]"), draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
