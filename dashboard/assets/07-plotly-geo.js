/* The map part of Plotly (scattergeo), fetched only for a figure that draws a map.
   Every page loads the core bundle (04-plotly-…-iurc.min.js: scatter, bar, heatmap, funnel); the
   geo part (assets/lazy/plotly-…-geo.min.js, served by the app, linked by content hash in the
   page's <meta name="iurc-plotly-geo">) registers scattergeo into that same Plotly. A draw whose
   figure has a scattergeo trace waits for it; the other draws go straight through. */
(function () {
  var loading = null;
  function hasGeo(data) {
    var traces = data && !Array.isArray(data) && typeof data === "object" ? data.data : data;
    return Array.isArray(traces) && traces.some(function (t) { return t && t.type === "scattergeo"; });
  }
  function loadGeo() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var meta = document.querySelector('meta[name="iurc-plotly-geo"]');
        var script = document.createElement("script");
        script.src = meta ? meta.content : "/assets/lazy/plotly-4.1.1-geo.min.js";
        script.onload = function () { resolve(); };
        script.onerror = function () { loading = null; reject(new Error("map code not loaded")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }
  window.iurcPlotlyGeo = loadGeo;
  ["react", "newPlot"].forEach(function (name) {
    var draw = window.Plotly[name];
    window.Plotly[name] = function () {
      var self = this, args = arguments;
      if (!hasGeo(args[1]) || window.Plotly.__iurcGeo) { return draw.apply(self, args); }
      return loadGeo().then(function () { return draw.apply(self, args); });
    };
  });
})();
