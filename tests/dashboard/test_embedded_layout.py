"""The index response carries the page's layout and the callback list (dashboard.embedded_layout),
only the component scripts the pages use (dashboard.script_bundles), and gzip-kept assets."""

from __future__ import annotations

import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from dashboard import data, embedded_layout, initial_page, script_bundles, static_assets
from dashboard.app import app

HOSTILE = "</script><script>alert(1)</script><!-- </SCRIPT > & \" ' <b>x</b>"


class _Scripts(HTMLParser):
    """Collect each <script> element's attributes and text, as a browser's parser splits them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[dict[str, str | None], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.found.append((dict(attrs), ""))

    def handle_data(self, text: str) -> None:
        if self.found and self.lasttag == "script":
            attrs, before = self.found[-1]
            self.found[-1] = (attrs, before + text)


def _scripts(page: str) -> list[tuple[dict[str, str | None], str]]:
    parser = _Scripts()
    parser.feed(page)
    return parser.found


def test_embedded_json_cannot_end_its_script_element() -> None:
    value = {"title": HOSTILE + "\u2028", HOSTILE: [HOSTILE]}
    block = embedded_layout.data_block('/x"><script>', json.dumps(value))
    assert block.lower().count("</script") == 1 and block.endswith("</script>")
    assert "<!--" not in block and "<b>" not in block
    [(attrs, text)] = _scripts(f"<body>{block}<p>after</p></body>")
    assert attrs["type"] == "application/json" and attrs["data-path"] == '/x"><script>'
    assert json.loads(text) == value  # what the renderer parses is the value unchanged


def test_only_the_component_scripts_pages_use_are_linked() -> None:
    tag = '<script src="/_dash-component-suites/{}"></script>\n'
    names = {
        "dash/dcc/async-graph.v4_4_1m1.js": True,
        "dash/dcc/async-dropdown.v4_4_1m1.js": True,
        "dash/dcc/dash_core_components.v4_4_1m1.js": True,
        "dash/dash-renderer/build/dash_renderer.v4_4_1m1.min.js": True,
        "dash/dcc/async-mathjax.v4_4_1m1.js": False,
        "dash/dcc/async-markdown.v4_4_1m1.js": False,
        "dash/dash_table/bundle.v7_4_1m1.js": False,
        "plotly/package_data/plotly.v7_1_0m1.min.js": False,
        "dash/deps/polyfill@7.v4_4_1m1.12.1.min.js": False,
        "dash/deps/react@18.v4_4_1m1.3.1.min.js": True,
    }
    page = "".join(tag.format(name) for name in names)
    kept = script_bundles.drop_unused(page)
    assert kept == "".join(tag.format(name) for name, used in names.items() if used)


@pytest.fixture(scope="module")
def client(demo_db: Path):
    data.configure(demo_db)
    yield app.server.test_client()
    data.configure()


def test_index_streams_the_page_with_its_layout_and_callbacks(client) -> None:
    response = client.get(
        "/activities",
        query_string="lang=fr&page=2&q=" + HOSTILE,
        headers={"Accept-Encoding": "gzip"},
    )
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Encoding"] == "gzip"
    assert "private" in response.headers["Cache-Control"]
    assert "no-cache" in response.headers["Cache-Control"]
    assert embedded_layout.script_hash() in response.headers["Content-Security-Policy"]
    page = gzip.decompress(response.data).decode()
    assert HOSTILE not in page and "alert(1)</script>" not in page
    blocks = {
        attrs.get("data-path"): text
        for attrs, text in _scripts(page)
        if attrs.get("class") == embedded_layout.BLOCK_CLASS
    }
    assert set(blocks) == {"/_dash-layout", "/_dash-dependencies"}
    location, content = json.loads(blocks["/_dash-layout"])["props"]["children"]["props"][
        "children"
    ][:2]
    assert location["props"]["pathname"] == "/activities"
    assert location["props"]["search"] == "?lang=fr&page=2&q=" + HOSTILE  # the raw query
    assert "Activités" in str(content) and "Lignes 26 à 50" in str(content)
    assert json.loads(blocks["/_dash-dependencies"]) == client.get("/_dash-dependencies").json
    # the bootstrap follows the blocks and precedes the renderer; no unused bundle is linked
    assert f"<script>{embedded_layout.BOOTSTRAP}</script>" + embedded_layout.RENDERER_TAG in page
    sources = re.findall(r'<script src="([^"]+)"', page)
    assert any("/async-graph." in s for s in sources)
    assert not [s for s in sources if "mathjax" in s or "dash_table" in s or "plotly/" in s]
    # a client without gzip gets the same page as it is
    plain = client.get("/activities", query_string="lang=fr&page=2&q=" + HOSTILE)
    assert "Content-Encoding" not in plain.headers
    assert plain.data.decode().count(embedded_layout.BLOCK_CLASS) == 2 + 1  # + the bootstrap


def test_unknown_path_embeds_the_not_found_page_as_a_404_and_assets_keep_their_gzip(
    client,
) -> None:
    """An address no page serves answers 404 with the app's own not-found page (header,
    navigation, a note in the address's language), embedded like any page: not Dash's bare
    '404 - Page not found' drawn after a round trip."""
    response = client.get("/no-such-page", query_string="lang=fr&country=FI")
    assert response.status_code == 404
    page = response.data.decode()
    [block] = [t for a, t in _scripts(page) if a.get("data-path") == "/_dash-layout"]
    layout = json.dumps(json.loads(block), ensure_ascii=False)
    assert '"pathname": "/no-such-page"' in layout
    assert "Page introuvable" in layout and "Cette adresse n" in layout
    assert "404 - Page not found" not in layout and "Vue d'ensemble" in layout
    assert "country=FI" in layout  # the navigation keeps the reader's filters
    assert client.get("/city/turin-it").status_code == 200
    assert client.get("/city").status_code == 404  # a profile needs its city
    name = static_assets.PLOTLY_PARTS[0]  # the Plotly bundle, in the on-demand loader's list
    link = re.search(rf"/assets/{re.escape(name)}\?v=[0-9a-f]+", page)
    assert link is not None
    first = client.get(link.group(0), headers={"Accept-Encoding": "gzip, deflate"})
    again = client.get(link.group(0), headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip" and first.data == again.data
    assert (
        gzip.decompress(first.data)[:200]
        == (Path(embedded_layout.__file__).parent / "assets" / name).read_bytes()[:200]
    )
    assert len(first.data) < 600_000  # 1.4 MB raw


def _plotly_sources(page: str) -> list[str]:
    parts = set(static_assets.PLOTLY_PARTS)
    return [
        src
        for attrs, _ in _scripts(page)
        if (src := attrs.get("src")) and src.split("?")[0].removeprefix("/assets/") in parts
    ]


def _known_city(demo_db: Path) -> str:
    with duckdb.connect(str(demo_db), read_only=True) as con:
        row = con.execute("select min(city_id) from core.city").fetchone()
    assert row is not None
    return str(row[0])


@pytest.mark.parametrize(
    ("path", "charts"),
    [
        ("/", True),
        ("/sdg?lang=es", True),
        ("/city/KNOWN", True),  # its charts come from a callback
        ("/practices", False),
        ("/city/no-such-city", False),  # the not-found page
        ("/no-such-page", False),
    ],
)
def test_plotly_is_linked_only_in_pages_that_draw_charts(
    client, demo_db: Path, path: str, charts: bool
) -> None:
    path = path.replace("KNOWN", _known_city(demo_db))
    page = client.get(path).data.decode()
    sources = _plotly_sources(page)
    meta = re.search(r'<meta name="iurc-plotly" content="([^"]+)"', page)
    assert meta is not None  # the on-demand loader's addresses, on every page
    assert meta.group(1).split(" ") == static_assets.plotly_urls()
    assert "/assets/04-plotly-on-demand.js?v=" in page
    if not charts:
        assert sources == []
        return
    assert sources == static_assets.plotly_urls()  # each once, in the order they run
    # in the page's first part, run while the server builds the layout (before its data block)
    assert page.index(f'<script src="{sources[-1]}"') < page.index(embedded_layout.BLOCK_CLASS)


def test_a_chart_in_a_page_said_to_draw_none_still_gets_plotly(client, monkeypatch) -> None:
    monkeypatch.setattr(initial_page, "draws_charts", lambda path: False)
    page = client.get("/participation").data.decode()
    sources = _plotly_sources(page)
    assert sources == static_assets.plotly_urls()
    # after the layout's block, before the renderer starts
    layout_at = page.index('data-path="/_dash-layout"')
    first = page.index(f'<script src="{sources[0]}"')
    assert layout_at < first < page.index(embedded_layout.RENDERER_TAG)


def _geo_preloads(page: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(embedded_layout.geo_preloads()), page)]


@pytest.mark.parametrize(
    ("path", "early"),
    [("/", True), ("/?lang=fr&network=innovation", True), ("/cooperation", False)],
)
def test_a_page_that_always_draws_a_map_preloads_its_map_part_in_the_shell(
    client, path: str, early: bool
) -> None:
    page = client.get(path).data.decode()
    at = _geo_preloads(page)
    assert len(at) == 1, at  # once: in the shell, or after the layout that draws a map
    geo_script = page.index('<script src="/assets/07-plotly-geo.js')
    if early:  # before assets/07-plotly-geo.js runs (it then loads the map part at once)
        assert at[0] < geo_script < page.index(embedded_layout.BLOCK_CLASS)
    else:  # the cooperation network's map is only known from its layout
        assert page.index('data-path="/_dash-layout"') < at[0]
    assert initial_page.draws_map("/") is True
    assert initial_page.draws_map("/cooperation") is False
    assert initial_page.draws_map("/no-such-page") is False


def test_a_page_without_a_map_preloads_no_map_part(client) -> None:
    assert _geo_preloads(client.get("/participation").data.decode()) == []
