/* A graph is resized only when its box has changed size. dcc.Graph calls Plotly.Plots.resize
   once after a graph's first draw and once more for its ResizeObserver's first notice; Plotly
   then waits 100 ms and relays the whole layout out (and dcc.Graph sends the resulting
   relayoutData to Dash's renderer), although the graph was drawn at its box's size. Here a call
   whose graph already fills its box (Plotly's own test in plotAutoSize: within 1 px) resolves at
   once; any other (a window or card that did change size, a graph not drawn yet) goes to Plotly
   as before. No external code. */
(function () {
  var resize = window.Plotly.Plots.resize;
  function drawnAtSize(gd) {
    var full = gd && gd._fullLayout;
    if (!full || !full.autosize || !gd.layout || gd.offsetParent === null) { return false; }
    var style = window.getComputedStyle(gd);
    var width = parseFloat(style.width), height = parseFloat(style.height);
    return Math.abs(full.width - width) <= 1 && Math.abs(full.height - height) <= 1;
  }
  window.Plotly.Plots.resize = function (gd) {
    var div = typeof gd === "string" ? document.getElementById(gd) : gd;
    return drawnAtSize(div) ? Promise.resolve(div) : resize.apply(this, arguments);
  };
})();
