"""What Dash and Plotly alone cost in this browser on this machine: the floor under every page.

`python -m benchmarks.stack_floor [--rounds N]` serves bare Dash apps (gunicorn, like the
dashboard) whose page is a heading and K small bar charts (two traces of 8 bars each, as the
pages' cards draw), the figures in the layout, no callback, nothing of the app's: no data, no
filter bar, no cards, no text. Each is timed with `make bench`'s own page timer
(`serving.page_loads`: headless Chromium, a new browser profile per round; cold, second and warm
visits, until every graph is drawn), for K = 0, 1 and 5, in two builds:

- `stock`: Dash as shipped: Plotly is dcc's full bundle, fetched when the first graph appears,
  with Dash's polyfill and dash_table linked.
- `lean`: Dash with the dashboard's own script trimming (dashboard.script_bundles: no polyfill,
  no dash_table, dcc's chunks linked at once) and its partial Plotly bundle linked in the page
  (dashboard.static_assets.PLOTLY_PARTS[0], with the regenerator runtime dcc's loader needs).

No page of the dashboard can be drawn faster than the `lean` app with as many charts: what a page
takes beyond it is the app's own content. Figures only; `benchmarks.run` records them.
"""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

import flask
from dash import Dash, dcc, html

CHARTS = (0, 1, 5)
BUILDS = ("stock", "lean")
# the assets the lean build links: dcc's loader needs regeneratorRuntime (Dash's polyfill, dropped,
# defined it), then the partial Plotly bundle; every other asset of the dashboard is left out
LEAN_ASSETS = ("03-regenerator-runtime-0.14.1.js", "04-plotly-4.1.1-iurc.min.js")


def figure(i: int) -> dict[str, Any]:
    """Return chart `i`: two bar traces over 8 categories, a title and both axis titles."""
    categories = [f"Category {j}" for j in range(8)]
    return {
        "data": [
            {
                "type": "bar",
                "name": f"Series {s}",
                "x": categories,
                "y": [(j * 7 + s * 3 + i) % 23 + 1 for j in range(8)],
            }
            for s in range(2)
        ],
        "layout": {
            "title": {"text": f"Chart {i}"},
            "height": 360,
            "barmode": "group",
            "xaxis": {"title": {"text": "Group"}},
            "yaxis": {"title": {"text": "Value"}},
        },
    }


def _page(charts: int) -> html.Main:
    return html.Main(
        [html.H1(f"{charts} charts")]
        + [dcc.Graph(figure=figure(i), style={"height": "360px"}) for i in range(charts)]
    )


def make_server() -> flask.Flask:
    """Return one Flask server holding a Dash app per build and chart count, each at
    `/<build><charts>/` (e.g. `/lean5/`)."""
    from dashboard import script_bundles, static_assets

    server = flask.Flask(__name__)
    keep = "|".join(re.escape(name) for name in LEAN_ASSETS)
    assert LEAN_ASSETS[1] == static_assets.PLOTLY_PARTS[0], "the partial bundle was renamed"
    for charts in CHARTS:
        stock = Dash(__name__, server=server, url_base_pathname=f"/stock{charts}/")
        stock.layout = _page(charts)
        lean = Dash(
            __name__,
            server=server,
            url_base_pathname=f"/lean{charts}/",
            eager_loading=True,
            assets_folder=str(static_assets.ASSETS),
            assets_ignore=f"^(?!(?:{keep})$)",
        )
        lean.layout = _page(charts)
        index = lean.interpolate_index
        lean.interpolate_index = lambda index=index, **parts: script_bundles.drop_unused(  # type: ignore[method-assign]
            index(**parts)
        )
    return server


def paths() -> list[str]:
    """Return every floor page's path, lean builds first."""
    return [f"/{build}{charts}/" for build in reversed(BUILDS) for charts in CHARTS]


def measure(rounds: int = 5) -> dict[str, Any]:
    """Serve the floor apps and time each page `rounds` times (a new profile each round);
    return {path: {visit kind: summary in ms}} and the page errors seen."""
    from benchmarks import serving
    from pipelines.metrics.filters import Filters

    with serving.gunicorn(
        None, app="benchmarks.stack_floor:make_server()", ready=paths()[0] + "_dash-layout"
    ) as (url, _):
        return serving.page_loads(url, paths(), [(Filters(), "en")] * rounds)


def main(argv: list[str] | None = None) -> None:
    """Command line: print the floor pages' figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.rounds), indent=1))


if __name__ == "__main__":
    main()
