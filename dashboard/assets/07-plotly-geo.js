/* The map part of Plotly (scattergeo), fetched only for a figure that draws a map.
   Every page loads the core bundle (04-plotly-…-iurc.min.js: scatter, bar, heatmap, funnel); the
   geo part (assets/lazy/plotly-…-geo.min.js, served by the app, linked by content hash in the
   page's <meta name="iurc-plotly-geo">) registers scattergeo into that same Plotly. A draw whose
   figure has a scattergeo trace waits for it; the other draws go straight through. Its base map
   (assets/topojson/world_110m.json, linked by content hash in <meta name="iurc-plotly-topojson">,
   cached for a year) is fetched at the same time and handed to Plotly in PlotlyGeoAssets, where
   Plotly looks before fetching it itself from config.topojsonURL (unhashed: fetched again on
   every visit, and only once the map part had loaded). If that fetch fails, Plotly's own does.
   A page that always draws a map preloads the map part in its shell (dashboard.embedded_layout):
   then both are loaded at once, while the server builds the page, and the map's draw waits for
   them only if they are still on their way. */
(function () {
  var loading = null;
  function hasGeo(data) {
    var traces = data && !Array.isArray(data) && typeof data === "object" ? data.data : data;
    return Array.isArray(traces) && traces.some(function (t) { return t && t.type === "scattergeo"; });
  }
  function loadBaseMap() {
    var meta = document.querySelector('meta[name="iurc-plotly-topojson"]');
    if (!meta || !window.fetch) { return Promise.resolve(); }
    var name = meta.content.split("?")[0].split("/").pop().replace(/\.json$/, "");
    return fetch(meta.content).then(function (response) {
      if (!response.ok) { throw new Error("base map not loaded"); }
      return response.json();
    }).then(function (topojson) {
      window.PlotlyGeoAssets = window.PlotlyGeoAssets || {};
      window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};
      window.PlotlyGeoAssets.topojson[name] = topojson;
    }).catch(function () { /* Plotly fetches it itself, as before */ });
  }
  function loadGeo() {
    if (!loading) {
      var baseMap = loadBaseMap();
      loading = new Promise(function (resolve, reject) {
        var meta = document.querySelector('meta[name="iurc-plotly-geo"]');
        var script = document.createElement("script");
        script.src = meta ? meta.content : "/assets/lazy/plotly-4.1.1-geo.min.js";
        script.onload = function () { baseMap.then(resolve); };
        script.onerror = function () { loading = null; reject(new Error("map code not loaded")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }
  window.iurcPlotlyGeo = loadGeo;
  var geoMeta = document.querySelector('meta[name="iurc-plotly-geo"]');
  if (geoMeta && document.querySelector('link[rel="preload"][as="script"][href="' + geoMeta.content + '"]')) {
    loadGeo().catch(function () { /* the map's draw asks again */ });
  }
  ["react", "newPlot"].forEach(function (name) {
    var draw = window.Plotly[name];
    window.Plotly[name] = function () {
      var self = this, args = arguments;
      if (!hasGeo(args[1]) || (window.Plotly.__iurcGeo && !loading)) { return draw.apply(self, args); }
      return loadGeo().then(function () { return draw.apply(self, args); });
    };
  });
})();
