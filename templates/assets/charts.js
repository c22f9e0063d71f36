// Draws every chart on the page with the site's own Vega bundle (assets/vega.js, no CDN).
//
// A page carries each chart's rows in a <script type="application/json"> block, with the key of
// its template: the spec without data, the same on every page that shows the chart, registered
// in window.kospiCharts by its own script in assets/specs/ (fetched once, then cached). A chart
// made for one page only carries its whole spec instead. So pages carry no inline script, and
// charts are drawn with Vega's expression interpreter (ast: true), so a Content-Security-Policy
// without 'unsafe-eval' works. Dark mode: each spec lists its light colours' dark twins in
// usermeta.darkColors; they are swapped in when the reader's system prefers dark, and charts
// are redrawn when that preference changes. Once a chart has drawn, its static fallback (an SVG
// rendered at build time, or a text note) is removed.
(function () {
  "use strict";
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var drawn = [];

  function recolor(value, colors) {
    if (typeof value === "string") {
      var swap = colors[value.toLowerCase()];
      return swap === undefined ? value : swap;
    }
    if (Array.isArray(value)) return value.map(function (v) { return recolor(v, colors); });
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (k) {
        // data rows are never colours; leave them (and their size) alone
        out[k] = k === "datasets" ? value[k] : recolor(value[k], colors);
      });
      return out;
    }
    return value;
  }

  // The rows as the page packed them (generator/charts/__init__.py: packed_rows): field names
  // once and each row's values in their order, or the row objects themselves.
  function unpack(packed) {
    if (packed.objects) return packed.objects;
    var names = packed.columns;
    return packed.rows.map(function (values) {
      var row = {};
      for (var i = 0; i < names.length; i++) row[names[i]] = values[i];
      return row;
    });
  }

  function pageSpec(data) {
    if (!data.template) return data; // a whole spec
    var shared = window.kospiCharts && window.kospiCharts[data.template];
    if (!shared) return null;
    var spec = {};
    Object.keys(shared).forEach(function (k) { spec[k] = shared[k]; });
    spec.datasets = { table: unpack(data) };
    return spec;
  }

  function specFor(el) {
    var block = document.getElementById(el.getAttribute("data-spec"));
    if (!block) return null;
    var spec = pageSpec(JSON.parse(block.textContent));
    if (!spec) return null;
    var colors = spec.usermeta && spec.usermeta.darkColors;
    if (media && media.matches && colors) {
      var lower = {};
      Object.keys(colors).forEach(function (k) { lower[k.toLowerCase()] = colors[k]; });
      spec = recolor(spec, lower);
    }
    return spec;
  }

  // Vega-Lite (6.4) gives the hit areas of a "nearest" selection (Voronoi cells, whose datum is
  // the point they stand for) a tooltip that reads text fields from the cell itself rather than
  // from the point, so those fields showed "undefined". Reading every field through datum.datum
  // in those cells' tooltips gives the point's values.
  function fixNearestTooltips(vgSpec) {
    (function walk(marks) {
      (marks || []).forEach(function (mark) {
        var tip = mark.encode && mark.encode.update && mark.encode.update.tooltip;
        if (/_voronoi$/.test(mark.name || "") && tip && typeof tip.signal === "string") {
          tip.signal = tip.signal.replace(/(^|[^.\w])datum\[/g, "$1datum.datum[");
        }
        walk(mark.marks);
      });
    })(vgSpec.marks);
    return vgSpec;
  }

  function draw(el) {
    var spec = specFor(el);
    if (!spec || typeof window.vegaEmbed !== "function") return;
    var dark = media && media.matches;
    // Draw into a child so the fallback stays in place (and in view) until the chart is ready.
    var view = document.createElement("div");
    view.className = "vega-view";
    el.appendChild(view);
    var options = {
      actions: false,
      patch: fixNearestTooltips,
      renderer: "svg",
      ast: true, // Vega's expression interpreter: no eval, CSP-safe
      tooltip: { theme: dark ? "dark" : "light" }
    };
    window.vegaEmbed(view, spec, options).then(function (result) {
      Array.prototype.forEach.call(el.querySelectorAll(":scope > .fallback"), function (node) { node.remove(); });
      el.classList.add("drawn");
      el.classList.remove("failed");
      // The container (role="img") carries the text alternative; Vega's ARIA roles inside it would
      // be announced as unlabelled images, so the drawing itself is hidden from assistive technology.
      var svg = view.querySelector("svg");
      if (svg) svg.setAttribute("aria-hidden", "true");
      drawn.push({ el: el, view: view, result: result });
    }).catch(function (err) {
      view.remove();
      el.classList.add("failed");
      if (window.console) console.error("chart " + el.getAttribute("data-spec") + ": " + err);
    });
  }

  function redraw() {
    var old = drawn;
    drawn = [];
    old.forEach(function (d) {
      d.result.finalize();
      d.view.remove();
      d.el.classList.remove("drawn");
      draw(d.el);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".vega[data-spec]"), draw);
    if (media) {
      if (media.addEventListener) media.addEventListener("change", redraw);
      else if (media.addListener) media.addListener(redraw);
    }
  }

  // Start once the page is parsed and every deferred script (the templates in assets/specs/ come
  // after this one) has run: DOMContentLoaded fires after them.
  var started = false;
  function once() {
    if (started) return;
    started = true;
    start();
  }
  if (document.readyState === "complete") once();
  else {
    document.addEventListener("DOMContentLoaded", once);
    window.addEventListener("load", once);
  }
})();
