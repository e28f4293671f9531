/* Plotly only for a page that draws a chart. Plotly's code (about 350 ms of script evaluation on
   these machines) and the app's additions to it (assets 04-09 named in dashboard.static_assets
   PLOTLY_PARTS) are not linked in every page: the index response links them, before Dash's
   renderer, when the page's layout holds a chart (dashboard.embedded_layout). Elsewhere this
   stands in for window.Plotly until a chart first appears (a callback's output, or another page
   reached by a link): dcc.Graph waits on window.Plotly as on a promise (Promise.resolve), so
   its `then` loads the parts from the addresses in <meta name="iurc-plotly"> (fetched at once,
   run in order), and the real Plotly, which replaces this stand-in, draws the chart.
   No external code. */
(function () {
  if (window.Plotly) { return; }
  var loading = null;
  function load() {
    if (!loading) {
      var meta = document.querySelector('meta[name="iurc-plotly"]');
      var urls = meta ? meta.content.split(" ").filter(Boolean) : [];
      loading = new Promise(function (resolve, reject) {
        var left = urls.length;
        if (!left) { reject(new Error("no address for the chart code")); }
        urls.forEach(function (url) {
          var script = document.createElement("script");
          script.src = url;
          script.async = false;  // fetched together, run in the order given
          script.onload = function () {
            if (--left === 0) { resolve(window.Plotly); }
          };
          script.onerror = function () {
            loading = null;
            reject(new Error("chart code not loaded: " + url));
          };
          document.head.appendChild(script);
        });
      });
    }
    return loading;
  }
  window.Plotly = { then: function (ready, failed) { return load().then(ready, failed); } };
})();
