"""components.py: URL state, CSV/XLSX neutralisation, accessible tables, chart cards."""

from __future__ import annotations

import datetime as dt
import io
import json

import numpy as np
import openpyxl
import pandas as pd
import pytest
from plotly.io.json import to_json_plotly

from dashboard import app as _app  # noqa: F401  (registers pages, so get_relative_path works)
from dashboard import components, data, ids
from pipelines.metrics.filters import Filters


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(start=dt.date(2024, 1, 1), end=dt.date(2025, 12, 31)),
        Filters(
            network=("innovation", "urban_renewal"),
            region=("NA",),
            country=("CA", "US"),
            mode=("pairing",),
            subtheme=("circular_economy",),
        ),
    ],
)
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_components_url_state_round_trip(filters, lang):
    search = components.search_string(filters, lang)
    query = dict(p.split("=", 1) for p in search.lstrip("?").split("&") if p)
    query = {k: v.replace("%2C", ",") for k, v in query.items()}
    assert components.state_from_query(query) == (filters, lang)
    assert components.parse_state(components.make_state(filters, lang)) == (filters, lang)


def test_components_english_is_not_written_in_url():
    assert components.search_string(Filters(), "en") == ""
    assert components.search_string(Filters(region=("EU",)), "fr") == "?region=EU&lang=fr"


def test_components_bad_url_values_are_ignored():
    filters, lang = components.state_from_query(
        {"start": "2024-13-45", "lang": "xx", "region": "EU"}
    )
    assert filters == Filters(region=("EU",)) and lang == "en"


def test_components_known_filters_keeps_only_offered_codes():
    options = {
        "network": [{"label": "Innovation", "value": "innovation"}],
        "country": [{"label": "Finland", "value": "FI"}, {"label": "Canada", "value": "CA"}],
        "mode": [],  # a filter whose data offers nothing: every code left out
    }
    asked = Filters(
        start=dt.date(2024, 7, 1),
        network=("ET", "innovation"),
        country=("FI", "XX"),
        mode=("pairing",),
        region=("EU",),  # no options given (no warehouse): kept as it is
    )
    kept = components.known_filters(asked, options)
    assert kept == Filters(
        start=dt.date(2024, 7, 1), network=("innovation",), country=("FI",), region=("EU",)
    )
    assert components.known_filters(kept, options) == kept
    assert components.known_filters(asked, {}) == asked
    note = components._left_out(asked, kept, "en")
    assert note is not None and note.role == "note"
    assert note.children == (
        "Left out of the filters, as the data has no such code: "
        "Thematic network: ET; Country: XX; Cooperation mode: pairing."
    )
    assert components._left_out(kept, kept, "en") is None


def test_components_url_codes_the_data_lacks_are_left_out_of_the_page_state(demo_db):
    data.configure(demo_db)
    filters, lang = components.state_from_query({"network": "ET,innovation", "lang": "es"})
    assert filters == Filters(network=("innovation",)) and lang == "es"


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_components_csv_neutralises_formula_cells(value):
    df = pd.DataFrame({"name": [value], "n": [-5]})
    text = components.to_csv_bytes(df).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("'") or text.splitlines()[1].startswith("\"'")
    assert text.strip().endswith(",-5")  # numbers stay numbers


def test_components_csv_keeps_plain_text_and_accents():
    df = pd.DataFrame({"city_id": ["montreal-ca"], "name": ["Montréal"]})
    assert components.to_csv_bytes(df) == "\ufeffcity_id,name\nmontreal-ca,Montréal\n".encode()


def test_components_xlsx_never_stores_a_formula():
    df = pd.DataFrame({"name": ['=HYPERLINK("http://x")', "ok"]})
    book = openpyxl.load_workbook(io.BytesIO(components.to_xlsx_bytes(df)))
    cells = [c.value for c in book.active["A"]]
    assert cells == ["name", '\'=HYPERLINK("http://x")', "ok"]
    assert all(c.data_type != "f" for c in book.active["A"])


def test_components_data_table_renders_text_not_html_and_limits_rows():
    df = pd.DataFrame({"name": ["<img src=x onerror=alert(1)>"] * 60, "n": range(60)})
    table = components.data_table(df, "fr", columns={"name": "Nom", "n": "Nombre"}, max_rows=50)
    rendered = table.to_plotly_json()
    head, body = rendered["props"]["children"][0].nodes  # one StaticTree: [tag, attrs, nodes]
    assert [th[2] for th in head[2][0][2]] == [["Nom"], ["Nombre"]]
    rows = body[2]
    assert len(rows) == 50
    assert rows[0][2][0] == ["td", {}, ["<img src=x onerror=alert(1)>"]]  # a text node
    assert "60" in rendered["props"]["children"][1].children


def test_components_data_table_writes_a_column_under_another_on_a_phone():
    df = pd.DataFrame({"metric": ["GDP"], "value": [3], "source": ["<b>Eurostat</b>"]})
    columns = {"metric": "Indicator", "value": "Value", "source": "Source"}
    table = components.data_table(df, "en", columns=columns, under={"source": "metric"})
    head, body = table.children[0].nodes
    assert [th[1].get("className") for th in head[2][0][2]] == [
        None,
        None,
        "narrow-hidden",  # its own column: hidden on a phone (CSS), shown elsewhere
    ]
    first, value, source = body[2][0][2]
    text, copy = first[2]  # the indicator, then the copy shown on a phone only
    assert text == "GDP" and copy[1] == {"className": "cell-under"}
    assert copy[2] == [["span", {"className": "cell-under-label"}, ["Source"]], "<b>Eurostat</b>"]
    assert source == ["td", {"className": "narrow-hidden"}, ["<b>Eurostat</b>"]]
    assert value == ["td", {}, ["3"]]
    plain = components.data_table(df, "en", columns=columns)  # without `under`: as before
    assert plain.children[0].nodes[1][2][0][2][0] == ["td", {}, ["GDP"]]


def test_components_empty_card_says_why():
    _, summary, table = components.card_values(pd.DataFrame({"a": []}), {}, "", "es")
    assert summary == "No hay datos para este filtro. Amplíe el periodo o quite un filtro."
    assert table[1].children == "No hay datos para este filtro."


def test_components_chart_card_has_summary_live_region_table_and_export():
    card = components.chart_card("x-card", "Title", "en", xlsx=True)
    found = {}

    def walk(node):
        if isinstance(getattr(node, "id", None), dict):
            found[node.id["type"]] = node
        for child in getattr(node, "children", None) or []:
            if hasattr(child, "to_plotly_json"):
                walk(child)
        children = getattr(node, "children", None)
        if hasattr(children, "to_plotly_json"):
            walk(children)

    walk(card)
    assert {
        ids.CARD_GRAPH,
        ids.CARD_SUMMARY,
        ids.CARD_TABLE,
        ids.CARD_CSV,
        ids.CARD_XLSX,
        ids.CARD_DOWNLOAD,
        ids.CARD_DOWNLOAD_XLSX,
    } <= set(found)
    summary = found[ids.CARD_SUMMARY].to_plotly_json()["props"]
    assert summary["aria-live"] == "polite"
    graph = found[ids.CARD_GRAPH]
    assert graph.config["topojsonURL"].endswith("/assets/topojson/")


def test_components_describe_filters_uses_labels_and_french_typography():
    options = {"network": [{"value": "innovation", "label": "Innovation"}]}
    text = components.describe_filters(Filters(network=("innovation",)), "fr", options)
    assert text == "Filtres appliqués : Réseau thématique : Innovation."


def test_bar_change_keeps_the_sdg_tag_filters() -> None:
    from dashboard.components import filters_from_controls, keep_page_filters

    current = Filters(network=("innovation",), review=("suggested", "validated"), method=("model",))
    changed = filters_from_controls(None, None, {"network": [], "mode": ["pairing"]})
    kept = keep_page_filters(changed, current)
    assert kept == Filters(mode=("pairing",), review=("suggested", "validated"), method=("model",))
    assert "review=suggested%2Cvalidated" in kept.to_query()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "accepted SDG tags and unreviewed suggestions"),
        ("fr", "étiquettes ODD acceptées et suggestions non examinées"),
        ("es", "etiquetas ODS aceptadas y sugerencias sin revisar"),
    ],
)
def test_status_line_words_the_sdg_switch(lang: str, words: str) -> None:
    """The status line says which SDG tags count in words, not the review filter's codes."""
    text = components.describe_filters(Filters(review=("suggested", "validated")), lang, {})
    assert words in text and "Suggested" not in text and "Validated" not in text


@pytest.mark.parametrize(
    ("lang", "from_start", "up_to_end"),
    [
        ("en", "period 1 January 2099 to today", "period up to 31 December 2024"),
        ("fr", "période du 1er janvier 2099 à aujourd'hui", "période jusqu'au 31 décembre 2024"),
        (
            "es",
            "periodo del 1 de enero de 2099 hasta hoy",
            "periodo hasta el 31 de diciembre de 2024",
        ),
    ],
)
def test_open_ended_period_reads_naturally(lang: str, from_start: str, up_to_end: str) -> None:
    """An open end reads "to today" ("hasta hoy", not "al hoy"); an open start "up to"."""
    start_only = components.describe_filters(Filters(start=dt.date(2099, 1, 1)), lang, {})
    end_only = components.describe_filters(Filters(end=dt.date(2024, 12, 31)), lang, {})
    assert from_start in start_only and up_to_end in end_only, (start_only, end_only)


def _table_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Turin", None, "Lyon", "Nantes"],
            "city_id": ["turin-it", "x-fr", None, ""],
            "n": [1, 2, 3, 4],
            "share": [1.0, float("nan"), 2.5, 3.25],
            "nullable": pd.array([1, None, 3, 4], dtype="Int64"),
            "day": pd.to_datetime(["2020-01-01", None, "2021-05-03", "2022-02-02"]),
            "flag": [True, False, True, False],
            "mixed": [np.int64(3), dt.date(2020, 1, 2), np.float64(2.5), None],
            "source": ["a", "b", None, "d"],
        }
    )


def test_components_table_column_values_are_those_of_to_dict_records():
    df = _table_frame()
    records = df.to_dict("records")
    for column in df.columns:
        got = components.column_values(df[column])
        want = [r[column] for r in records]
        assert [type(v) for v in got] == [type(v) for v in want], column
        assert [str(v) for v in got] == [str(v) for v in want], column


def test_components_table_is_one_static_tree_with_links_to_city_profiles():
    # the rows are nodes of one StaticTree (dashboard.static_tree), sent as plain JSON
    df = _table_frame()
    for lang in ("en", "fr", "es"):
        table = components.data_table(
            df,
            lang,
            columns={c: c.upper() for c in df.columns},
            links={"name": "city_id"},
            under={"source": "n"},
        )
        sent = json.loads(to_json_plotly(table))
        block = sent["props"]["children"][0]
        assert block["type"] == "StaticTree" and block["props"]["tag"] == "table"
        body = block["props"]["nodes"][1][2]
        assert len(body) == len(df) and all(row[0] == "tr" for row in body)
        first = body[0][2][0][2][0]
        assert first == ["a", {"href": components.city_href("turin-it", lang)}, ["Turin"]]


def test_evidence_link_opens_a_new_tab_without_access_to_the_page() -> None:
    link = components.evidence_link("https://example.org/report.pdf", "fr").to_plotly_json()
    assert link["type"] == "A"
    assert link["props"] == {
        "children": "Preuve (nouvel onglet)",
        "href": "https://example.org/report.pdf",
        "target": "_blank",
        "rel": "noopener noreferrer",
    }
