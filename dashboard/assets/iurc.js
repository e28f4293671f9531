/* Clientside callbacks of the IURC dashboard (no external code; served from /assets). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  iurc: {
    /* Write the filter/language state into the address bar without re-rendering the page,
       and keep <html lang> and the document title in step with the chosen language. */
    syncUrl: function (state) {
      if (!state) { return window.dash_clientside.no_update; }
      var search = state.search || "";
      if (window.location.search !== search) {
        window.history.replaceState(window.history.state, "",
          window.location.pathname + search + window.location.hash);
      }
      if (state.lang) { document.documentElement.lang = state.lang; }
      if (state.title) {
        document.title = state.title;
        // the pages router sets its own (English) title after rendering: have the last word
        setTimeout(function () { document.title = state.title; }, 50);
      }
      return search;
    },
    /* The filter toggle on a phone: flip aria-expanded (the stylesheet shows the controls when
       it is "true"); the browser's button gives Enter and Space. */
    toggleFilters: function (_clicks, expanded) {
      return expanded === "true" ? "false" : "true";
    }
  }
});

/* Dash 4's debounced dcc.Input puts the caret back, in a setTimeout, where it was after each key.
   On a busy page (the register redrawn after a search) keys come faster than those timers run,
   so the caret is moved back and the next key lands mid-word: "cycling" typed became "ccingly".
   The renderer never rewrites a text box while it is typed in, so the browser's own caret is
   right: the component's restore is turned off on the app's text boxes. */
document.addEventListener("focusin", function (event) {
  var box = event.target;
  if (box && box.matches && box.matches("input.dash-input-element:not([type=number])")
      && !Object.prototype.hasOwnProperty.call(box, "setSelectionRange")) {
    box.setSelectionRange = function () {};
  }
});
