/* dashboard.static_tree.StaticTree: a block of static markup (a register's rows, a list of
   practices) drawn by one component instead of one Dash component per element. A node is a text
   (drawn as text, never parsed as HTML) or [tag, attributes, children]. Only the tags and
   attributes listed here are drawn (dashboard/static_tree.py keeps the same lists); a link only
   to a path of this site or to http(s), an internal one moving within the app as dcc.Link does,
   one with a target opening a new tab without access to this page. A <details> draws its summary
   (its first child) at once and the rest when first opened (as dashboard.disclosure does).
   No external code. */
(function () {
  var TAGS = ["tr", "td", "th", "span", "a", "p", "ul", "ol", "li", "dl", "dt", "dd", "strong",
    "em", "small", "div", "code", "abbr", "time", "br", "article", "h2", "h3", "h4", "section",
    "table", "thead", "tbody", "caption", "details", "summary"];
  var ATTRIBUTES = ["className", "title", "lang", "colSpan", "rowSpan", "scope", "role", "href",
    "dateTime", "id", "target", "rel"];
  var tags = {}, attributes = {};
  TAGS.forEach(function (tag) { tags[tag] = true; });
  ATTRIBUTES.forEach(function (name) { attributes[name] = true; });
  var internal = /^\/(?!\/)/, external = /^https?:\/\//i;

  function follow(event) {  // dcc.Link's own handling of a click on an internal link
    if (event.metaKey || event.shiftKey || event.altKey || event.ctrlKey || event.button !== 0 ||
        event.currentTarget.target) {
      return;
    }
    event.preventDefault();
    window.history.pushState({}, "", event.currentTarget.getAttribute("href"));
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  }

  function build(node, key) {
    if (typeof node === "string" || typeof node === "number") { return String(node); }
    if (!Array.isArray(node) || !tags[node[0]]) { return null; }
    var tag = node[0], given = node[1] || {}, kids = node[2] || [];
    var props = {key: key};
    Object.keys(given).forEach(function (name) {
      if (attributes[name] || /^aria-[a-z]+$/.test(name)) { props[name] = given[name]; }
    });
    if ("target" in props) {  // a new tab, never with access to this page
      props.target = "_blank";
      props.rel = "noopener noreferrer";
    }
    if ("href" in props) {
      var href = String(props.href);
      if (internal.test(href)) {
        props.onClick = follow;
      } else if (!external.test(href)) {
        delete props.href;
      }
    }
    if (tag === "details") {
      return React.createElement(LazyDetails, {key: key, props: props, kids: kids});
    }
    var args = [tag, props];
    for (var i = 0; i < kids.length; i++) { args.push(build(kids[i], i)); }
    return React.createElement.apply(React, args);
  }

  function LazyDetails(given) {  // the content after the summary: drawn once first opened
    var state = React.useState(false), drawn = state[0], setDrawn = state[1];
    var props = Object.assign({}, given.props, {
      onToggle: function (event) { if (event.currentTarget.open) { setDrawn(true); } }
    });
    delete props.key;
    var args = ["details", props, build(given.kids[0], 0)];
    for (var i = 1; drawn && i < given.kids.length; i++) { args.push(build(given.kids[i], i)); }
    return React.createElement.apply(React, args);
  }

  function StaticTree(props) {
    var tag = tags[props.tag] ? props.tag : "div";
    var nodes = Array.isArray(props.nodes) ? props.nodes : [];
    return React.createElement(tag, {id: props.id, className: props.className}, nodes.map(build));
  }

  window["dashboard.static_tree"] = {StaticTree: StaticTree};
})();
