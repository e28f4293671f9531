/* Page selections (city, cooperation, search, sort, page) kept in the URL next to the filters.
   Runs after the shell's iurc.syncUrl (its output is this callback's input), then adds or
   replaces the page's own parameters without re-rendering. No external code. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  iurcPages: {
    syncParams: function (sink, stores) {
      var params = stores && stores.length ? stores[0] : null;
      if (!params) { return window.dash_clientside.no_update; }
      var query = new URLSearchParams(window.location.search);
      Object.keys(params).forEach(function (key) {
        var value = params[key];
        if (value === null || value === undefined || value === "") { query.delete(key); }
        else { query.set(key, String(value)); }
      });
      var search = query.toString();
      search = search ? "?" + search : "";
      if (window.location.search !== search) {
        window.history.replaceState(window.history.state, "",
          window.location.pathname + search + window.location.hash);
      }
      return search;
    }
  }
});
