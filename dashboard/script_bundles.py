"""Which of Dash's component scripts a page loads: the chunks it draws with, in the page itself.

Dash loads dcc's heavier components (Graph, Dropdown, …) lazily: their chunk (`async-graph.js`, …)
is fetched only once the layout shows one, a further round trip after the layout arrives. The app
is created with `eager_loading=True`, so the index links every chunk, and this module removes the
links of those the app never uses (Markdown, the 2 MB MathJax, date pickers, sliders, uploads) and
of dash_table (not used: the register is an HTML table), of the full 4.8 MB Plotly that eager
loading links for dcc.Graph (the app serves its own partial bundle from assets/) and of Dash's
polyfill for old browsers (see UNUSED_PACKAGES). A chunk dropped here that a future layout
uses is still fetched lazily by dcc, as before.
"""

from __future__ import annotations

import re

# dcc chunks the pages draw with (dcc.Graph, dcc.Dropdown); the other components used (Link,
# Location, Store, Input, RadioItems, Loading, Download) are in dcc's main bundle
USED_CHUNKS = frozenset({"graph", "dropdown"})

_SCRIPT = re.compile(r'<script src="[^"]*/_dash-component-suites/([^"]+)"></script>\n?')
_CHUNK = re.compile(r"dash/dcc/async-([a-z]+)\.")
# Dash's @babel/polyfill (core-js 2) is for browsers without ES2015+; in current ones it only
# replaces natives with slower copies (its String.prototype.trim, a regular expression, was
# 80-90 ms of a page's CPU, the whole file 0.3-0.8 s on these machines). What the dcc chunks
# loader does need of it, the global `regeneratorRuntime`, comes from
# assets/03-regenerator-runtime-0.14.1.js.
UNUSED_PACKAGES = ("dash/dash_table/", "plotly/", "dash/deps/polyfill@")


def needed(path: str) -> bool:
    """Return whether the component script at `path` (under `_dash-component-suites/`, e.g.
    'dash/dcc/async-graph.v4_4_1m1.js') is one a page of this app needs."""
    if path.startswith(UNUSED_PACKAGES):
        return False
    chunk = _CHUNK.match(path)
    return chunk is None or chunk.group(1) in USED_CHUNKS


def drop_unused(page: str) -> str:
    """Return the index HTML `page` without the script tags of component code no page uses."""
    return _SCRIPT.sub(lambda m: m.group(0) if needed(m.group(1)) else "", page)
