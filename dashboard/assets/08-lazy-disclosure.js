/* A disclosure's content (a card's data table, "About this figure"), drawn when first opened.
   The content (summary first, as Dash component data, never HTML) waits in a store beside the
   <details> (dashboard.disclosure); this copies it in on the first click of the summary (mouse,
   Enter or Space) and whenever the store changes once opened. No external code. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  iurcDisclosure: {
    fill: function (clicks, content, children) {
      if (!clicks || content === null || content === undefined) {
        return window.dash_clientside.no_update;
      }
      var context = window.dash_clientside.callback_context;
      var byClick = context && context.triggered && context.triggered.every(function (t) {
        return /\.n_clicks$/.test(t.prop_id);
      });
      var drawn = Array.isArray(children) && children.length > 1;
      if (byClick && drawn) {
        return window.dash_clientside.no_update;  // drawn already: a click opens or closes it
      }
      return content;
    }
  }
});
