"""Benchmarking, cooperation, activities and data-quality pages: figures, data wrappers and the
pure helpers of the page modules, without a server (a real demo warehouse, no mocks)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard import data, figures, i18n
from pipelines import queries
from pipelines.metrics.filters import Filters
from pipelines.warehouse import db


@pytest.fixture(scope="module", autouse=True)
def app():
    """The Dash app, created before any page module is imported (register_page needs it)."""
    from dashboard import app as module

    return module.app


@pytest.fixture(scope="module")
def warehouse(demo_db):
    data.configure(demo_db)
    yield demo_db
    data.clear_cache()


@pytest.fixture(scope="module")
def con(demo_db):
    connection = db.connect_readonly(demo_db)
    yield connection
    connection.close()


def _bench_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "input_id": ["a", "b", "K31"],
            "label": ["A", "B", "Engagement"],
            "score": [80.0, None, 55.0],
            "peer_min_score": [10.0, 0.0, 20.0],
            "peer_median_score": [50.0, 40.0, 45.0],
            "peer_max_score": [90.0, 100.0, 70.0],
            "n_missing": [None, None, 1],
            "n_inputs": [None, None, 6],
            "rank_band": [None, None, 1],
            "n_scored_cities": [None, None, 12],
        }
    )


# ------------------------------------------------------------------ figures
def test_benchmark_scores_draws_range_median_city_and_missing():
    fig = figures.benchmark_scores(
        _bench_frame(),
        "en",
        city_label="Turin",
        median_label="Median",
        range_label="Range",
        missing_label="missing",
    )
    names = [tr.name for tr in fig.data]
    assert names == ["Range", "Median", "Turin", "missing"]
    rng = fig.data[0]
    assert list(rng.base) == [10.0, 0.0, 20.0] and list(rng.x) == [80.0, 100.0, 50.0]
    assert list(fig.data[2].y) == ["A", "Engagement"]  # the missing input has no dot
    assert list(fig.data[3].y) == ["B"]


def test_benchmark_scores_labels_sit_beside_the_dot_towards_the_middle():
    # a label centred above the dot sat on the median tick when both were 0
    fig = figures.benchmark_scores(
        _bench_frame().assign(score=[0.0, None, 80.0]),
        "en",
        city_label="Turin",
        median_label="Median",
        range_label="Range",
        missing_label="missing",
    )
    city = fig.data[2]
    assert list(city.text) == ["0", "80"]
    assert list(city.textposition) == ["top right", "top left"]


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_benchmark_scores_rows_leave_room_for_their_labels(warehouse, lang):
    """The scores chart's rows are tall enough for their labels, written on two lines where
    long ("Participaciones por cada<br>100 000 habitantes"): the plot area over the rows gives
    each at least 15 px per label line (at 400 px in Spanish, two-line labels overlapped)."""
    from dashboard import components
    from dashboard.pages import benchmarking

    state = components.make_state(Filters(), lang, "/benchmarking")
    fig = benchmarking.update_scores({"city": "almada-pt", "peer": "region"}, state)[0]
    rows = fig.layout.yaxis.ticktext  # the labels as drawn (chart_margins wraps them)
    lines = max(str(label).count("<br>") + 1 for label in rows)
    margin = fig.layout.margin
    plot = fig.layout.height - margin.t - margin.b
    assert len(rows) >= 6 and lines == 2
    assert plot / len(rows) >= 15 * lines, (plot, len(rows))


def test_benchmark_scores_empty_says_why():
    fig = figures.benchmark_scores(
        pd.DataFrame(), "fr", city_label="c", median_label="m", range_label="r", missing_label="x"
    )
    assert fig.layout.annotations[0].text.replace("<br>", " ") == i18n.t("card.empty_hint", "fr")


def test_benchmark_ranking_marks_selected_city_by_more_than_colour():
    df = pd.DataFrame(
        {
            "name": ["Lyon", "Turin", "Porto"],
            "score": [70.0, 50.0, None],
            "is_selected": [False, True, False],
        }
    )
    fig = figures.benchmark_ranking(
        df, "en", selected_label="selected", others_label="others", missing_label="missing"
    )
    chosen = next(tr for tr in fig.data if tr.name == "selected")
    assert list(chosen.y) == ["▶ Turin"] and chosen.marker.pattern.shape == "/"
    others = next(tr for tr in fig.data if tr.name == "others")
    assert list(others.text) == ["70", "missing"]
    assert list(fig.layout.yaxis.categoryarray) == ["Lyon", "▶ Turin", "Porto"]


def test_network_layout_links_small_groups_directly_and_large_ones_through_a_hub():
    nodes = pd.DataFrame(
        {"city_id": list("abcdef"), "lat": [0.0, 0, 10, 10, 20, 20], "lon": [0.0, 10, 0, 10, 0, 10]}
    )
    pair = [("p", "Pair", "pairing", "Pairing", "a", "b")]
    cluster = [
        ("c", "Cluster", "cluster", "Cluster", x, y)
        for x, y in [("c", "d"), ("c", "e"), ("c", "f"), ("d", "e"), ("d", "f"), ("e", "f")]
    ]
    edges = pd.DataFrame(
        pair + cluster,
        columns=["cooperation_id", "cooperation_name", "mode", "mode_label", "city_a", "city_b"],
    )
    segments, handles = figures.network_layout(nodes, edges)
    assert (segments["cooperation_id"] == "p").sum() == 1
    assert (segments["cooperation_id"] == "c").sum() == 4  # one spoke per member, not 6 links
    hub = handles.set_index("cooperation_id").loc["c"]
    assert bool(hub["is_hub"]) and (hub["lat"], hub["lon"]) == (15.0, 5.0)
    mid = handles.set_index("cooperation_id").loc["p"]
    assert not mid["is_hub"] and abs(mid["lon"] - 5.0) < 1e-9


def test_bundled_links_join_cities_to_their_region_and_cross_once_per_mode():
    nodes = pd.DataFrame(
        {
            "city_id": list("abcd"),
            "region": ["EU", "EU", "NA", "NA"],
            "lat": [50.0, 40.0, 40.0, 30.0],
            "lon": [0.0, 10.0, -80.0, -70.0],
        }
    )
    cols = ["cooperation_id", "mode", "city_a", "city_b"]
    edges = pd.DataFrame(
        [("p1", "pairing", "a", "c"), ("p2", "pairing", "b", "c"), ("t", "trio", "a", "b")],
        columns=cols,
    )
    fans, trunks = figures.bundled_links(nodes, edges)
    # one line per city and mode, to its region's mean position: a, b, c (pairing); a, b (trio)
    assert sorted(zip(fans["mode"], fans["lat0"], strict=True)) == [
        ("pairing", 40.0),
        ("pairing", 40.0),
        ("pairing", 50.0),
        ("trio", 40.0),
        ("trio", 50.0),
    ]
    assert set(zip(fans["lat1"], fans["lon1"], strict=True)) == {(45.0, 5.0), (35.0, -75.0)}
    # only the pairings span both regions: one trunk carrying two cooperations
    assert trunks[["mode", "lat0", "lon0", "lat1", "lon1", "cooperations"]].values.tolist() == [
        ["pairing", 45.0, 5.0, 35.0, -75.0, 2]
    ]


def test_network_layout_is_deterministic(warehouse):
    nodes, edges = data.cooperation_nodes(Filters()), data.cooperation_edges(Filters())
    first = figures.network_layout(nodes, edges)
    second = figures.network_layout(
        nodes.sample(frac=1, random_state=1), edges.sample(frac=1, random_state=2)
    )
    pd.testing.assert_frame_equal(first[1].reset_index(drop=True), second[1].reset_index(drop=True))


def test_cooperation_network_highlights_selection_and_uses_region_shapes(warehouse):
    nodes, edges = data.cooperation_nodes(Filters()), data.cooperation_edges(Filters())
    selected = edges["cooperation_id"].iloc[0]
    fig = figures.cooperation_network(
        nodes, edges, "es", selected=selected, selected_label="Elegida"
    )
    names = [tr.name for tr in fig.data]
    assert "Europa" in names and "América del Norte" in names
    thick = [tr for tr in fig.data if tr.line and tr.line.width == 4]
    assert len(thick) == 1 and thick[0].name.startswith("Elegida: ")
    french = figures.cooperation_network(
        nodes, edges, "fr", selected=selected, selected_label="Choisie"
    )
    chosen = next(tr for tr in french.data if tr.line and tr.line.width == 4)
    assert chosen.name.startswith("Choisie : ")  # French puts a space before the colon
    europe = next(tr for tr in fig.data if tr.name == "Europa")
    assert europe.marker.symbol == figures.REGION_SYMBOLS["EU"]
    dashes = {tr.line.dash for tr in fig.data if tr.mode == "lines" and tr.line.width != 4}
    assert len(dashes) == len(set(edges["mode"]))  # each mode its own line style


def test_cooperation_network_empty_says_why():
    fig = figures.cooperation_network(pd.DataFrame(), pd.DataFrame(), "es")
    assert fig.layout.annotations[0].text.replace("<br>", " ") == i18n.t("card.empty_hint", "es")


def test_output_funnel_one_band_per_output_type(warehouse):
    df = data.output_funnel(Filters())
    fig = figures.output_funnel(df, "en")
    assert [tr.name for tr in fig.data] == list(dict.fromkeys(df["output_type_label"]))
    assert sum(sum(tr.x) for tr in fig.data) == df["reached"].sum()


def test_quality_scatter_splits_regions():
    df = pd.DataFrame(
        {"name": ["A", "B"], "region": ["EU", "NA"], "lag": [3, 5], "pct": [90.0, 80.0]}
    )
    fig = figures.quality_scatter(df, "en", x="lag", y="pct", x_title="Lag", y_title="Filled")
    assert [tr.name for tr in fig.data] == ["Europe", "North America"]


# ------------------------------------------------------------------ data
def test_data_benchmark_matches_query_api(warehouse, con):
    got = data.city_benchmark("turin-it", "region", "EU", lang="fr")
    expected = queries.city_benchmark(con, "turin-it", "region", "EU", lang="fr")
    pd.testing.assert_frame_equal(got, expected)


def test_data_cached_frames_are_copies(warehouse):
    first = data.cooperation_edges(Filters())
    first["activities"] = -1
    assert (data.cooperation_edges(Filters())["activities"] >= 0).all()


def test_activities_page_pairs_rows_and_total(warehouse, con):
    rows, total = data.activities_page(
        Filters(region=("NA",)),
        search="webinar",
        sort="title",
        descending=False,
        offset=5,
        limit=10,
    )
    exp_rows, exp_total = queries.activities_page(
        con,
        Filters(region=("NA",)),
        search="webinar",
        sort="title",
        descending=False,
        offset=5,
        limit=10,
    )
    assert total == exp_total and list(rows["activity_id"]) == list(exp_rows["activity_id"])


def test_activities_export_csv_has_codes_labels_and_every_filtered_row(warehouse, con):
    content, n = data.activities_export(
        Filters(network=("innovation",)), "fr", search="webinar", sort="title", descending=False
    )
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    _, total = queries.activities_page(con, Filters(network=("innovation",)), search="webinar")
    assert n == len(rows) == total
    assert rows[0]["network_id"] == "innovation" and rows[0]["network_id_label"] == "Innovation"
    assert [r["title"] for r in rows] == sorted((r["title"] for r in rows), key=lambda s: s)


def test_activities_export_is_bounded(warehouse):
    content, n = data.activities_export(Filters(), "en", limit=7, fmt="xlsx")
    book = load_workbook(io.BytesIO(content), read_only=True)
    assert n == 7 and sum(1 for _ in book["activities"].iter_rows()) == 8


def test_activities_export_xlsx_has_its_own_lower_bound(warehouse):
    _, n = data.activities_export(Filters(), "en", limit=10**9, fmt="xlsx")
    assert n <= data.XLSX_MAX_ROWS


def test_activities_export_neutralises_formulas(warehouse):
    # the SQL rule applied to a value that starts like a formula
    sql, _ = data.activities_export_sql(Filters(), "en")
    assert "regexp_matches" in sql and "'''' ||" in sql
    from pipelines.warehouse.db import connect_memory

    mem = connect_memory()
    for raw, expected in [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("@SUM", "'@SUM"),
        ("-2+3", "'-2+3"),
        ("Lyon", "Lyon"),
    ]:
        literal = "'" + raw.replace("'", "''") + "'"
        assert mem.execute(f"select {data._neutral(literal)}").fetchone()[0] == expected


def test_activities_export_rejects_unknown_sort(warehouse):
    with pytest.raises(ValueError):
        data.activities_export_sql(Filters(), "en", sort="title; drop table x")


def test_quarantine_page_and_templates(warehouse, con):
    rows, total = data.quarantine_page(file_name=None, offset=0, limit=3)
    assert total == queries.quarantine_page(con)[1] and len(rows) == min(3, total)
    assert data.template_bytes("activity", "csv").decode().startswith("activity_id,")
    book = load_workbook(io.BytesIO(data.template_bytes("activity", "xlsx")), read_only=True)
    assert book.sheetnames[0] == "activity"
    assert data.template_file_name("participation", "xlsx") == "participations_template.xlsx"


# ------------------------------------------------------------------ page helpers
def test_register_params_are_validated():
    from dashboard.pages import activities

    got = activities.clean_params({"sort": "title; drop", "dir": "up", "page": "-3", "size": "7"})
    assert got == {**activities.DEFAULTS, "page": 1}
    assert activities.url_params(activities.DEFAULTS) == dict.fromkeys(activities.DEFAULTS)


def test_register_next_params_sort_toggles_and_resets_page():
    from dashboard import ids
    from dashboard.pages import activities

    params = {**activities.DEFAULTS, "page": 4}
    by_title = activities.next_params(
        params, {"type": ids.ACT_SORT, "col": "title"}, search=None, size=None
    )
    assert (by_title["sort"], by_title["dir"], by_title["page"]) == ("title", "asc", 1)
    again = activities.next_params(
        by_title, {"type": ids.ACT_SORT, "col": "title"}, search=None, size=None
    )
    assert again["dir"] == "desc"
    assert activities.next_params(params, ids.ACT_PREV, search=None, size=None)["page"] == 3
    assert activities.next_params(params, ids.STATE, search=None, size=None)["page"] == 1


def test_benchmark_peer_labels_are_translated(warehouse):
    from dashboard.pages import benchmarking

    options = benchmarking.peer_options("turin-it", "es")
    labels = {o["value"].split(":")[0]: o["label"] for o in options}
    assert labels["region"].startswith("Su región: Europa")
    assert "habitantes" in labels["population_band"]
    assert benchmarking.parse_peer("bogus:x") == ("region", None)


def test_benchmark_default_peer_group_is_the_city_region(warehouse):
    from dashboard.pages import benchmarking

    options = benchmarking.peer_options("turin-it", "en")
    assert options[0]["value"].startswith("partners:")  # the default is not simply the first
    assert benchmarking.default_peer(options) == "region:EU"
    page = benchmarking.layout(city="turin-it")
    stores = [c for c in page._traverse() if getattr(c, "id", None) == benchmarking.PARAMS]
    assert stores[0].data == {"city": "turin-it", "peer": "region:EU"}
    picker = [c for c in page._traverse() if getattr(c, "id", None) == "bench-peer"]
    assert picker[0].value == "region:EU"
    assert benchmarking.default_peer([{"label": "x", "value": "network:a"}]) == "network:a"
    assert benchmarking.default_peer([]) is None


def test_benchmark_verdict_states_the_missing_rule():
    from dashboard.pages import benchmarking

    df = _bench_frame()
    df.loc[df["input_id"] == "K31", ["score", "n_missing"]] = [None, 2]
    text = benchmarking.verdict(df, "Turin", "en")
    assert "2 of 6 inputs are missing, more than 20 %" in text and "no engagement score" in text


def test_cooperation_default_has_most_activities(warehouse):
    from dashboard.pages import cooperation

    edges = data.cooperation_edges(Filters())
    chosen = cooperation.default_cooperation(Filters(), "en")
    assert edges.groupby("cooperation_id")["activities"].max()[chosen] == edges["activities"].max()


def test_page_params_links_keep_selection():
    from dashboard import page_params

    assert page_params.query_suffix({"coop": "a b", "x": None}) == "&coop=a+b"
    assert page_params.link("/cooperation", Filters(mode=("trio",)), "fr", {"coop": "c1"}).endswith(
        "/cooperation?mode=trio&lang=fr&coop=c1"
    )
    assert page_params.link("/cooperation", Filters(), "en", {"coop": "c1"}).endswith(
        "/cooperation?coop=c1"
    )


def test_pages_more_strings_exist_in_three_languages():
    keys = [
        k
        for k in i18n.STRINGS
        if k.split(".")[0] in {"bench", "coop", "act", "dq", "entity", "ctx", "band", "status"}
    ]
    assert len(keys) > 80
    for key in keys:
        assert all(i18n.STRINGS[key].get(lang) for lang in i18n.LANGS), key


def test_quarantine_table_shows_the_iati_element_path():
    from dashboard.pages.data_quality import quarantine_table

    rows = pd.DataFrame(
        {
            "file_name": ["partner.xml", "cities.csv"],
            "line": [1, 3],
            "entity": ["activity", "city"],
            "reasons": ["activity_type: is required (empty)", "name: is required (empty)"],
            "location": ["/iati-activities/iati-activity[1]", None],
        }
    )
    shown = str(quarantine_table(rows, "fr"))
    assert "Élément (IATI)" in shown and "/iati-activities/iati-activity[1]" in shown
    assert "Élément (IATI)" not in str(quarantine_table(rows.iloc[1:], "fr"))


# ------------------------------------------------------------------ city profile
def test_in_background_returns_what_the_call_returns_and_raises_its_error(warehouse):
    pending = data.in_background(data.city_figures, "turin-it", Filters())
    pd.testing.assert_frame_equal(pending.result(), data.city_figures("turin-it", Filters()))
    failing = data.in_background(
        data.city_breakdown, "turin-it", Filters(), "no-such-metric", "year"
    )
    with pytest.raises(ValueError, match="unknown metric"):
        failing.result()


@pytest.fixture()
def pool_calls(monkeypatch) -> list[tuple[object, tuple[object, ...]]]:
    """Return the list of (function, args) submitted to the query pool (`data.in_background`)
    from now on in the test, each still run."""
    submitted: list[tuple[object, tuple[object, ...]]] = []
    real = data.in_background

    def recording(fn, /, *args, **kwargs):
        submitted.append((fn, args))
        return real(fn, *args, **kwargs)

    monkeypatch.setattr(data, "in_background", recording)
    return submitted


@pytest.mark.parametrize("lang", ["en", "es"])
def test_balance_and_sdg_totals_are_read_on_the_query_pool(warehouse, con, lang, pool_calls):
    """The participation balance's two reads of metric frames and the SDG profile's and
    heatmap's activities total are read on the query pool (side by side), and the frames are
    the query layer's, read one after the other on one cursor."""
    submitted = pool_calls
    for filters in (Filters(), Filters(region=("EU",)), Filters(network=("innovation",))):
        data.clear_cache()
        submitted.clear()
        got = data.participation_by_region(filters, lang=lang)
        assert [args[1:] for _, args in submitted] == list(queries.participation.BALANCE_FRAMES)
        want = queries.participation_by_region(con, filters, lang=lang)
        pd.testing.assert_frame_equal(got, want)
        assert got.attrs == want.attrs
        for method in ("primary", "fractional"):
            for wrapper, query in (
                (data.sdg_profile, queries.sdg_profile),
                (data.sdg_network_heatmap, queries.sdg_network_heatmap),
            ):
                data.clear_cache()
                submitted.clear()
                frame = wrapper(filters, method=method, lang=lang)
                assert submitted == [(data.metric_total, (f"sdg.activities_{method}", filters))]
                direct = query(con, filters, method=method, lang=lang)
                pd.testing.assert_frame_equal(frame, direct)
                assert frame.attrs == direct.attrs
                submitted.clear()
                wrapper(filters, method=method, entity_type="output")
                assert submitted == []  # no activities total for outputs


def test_quality_by_city_frames_are_read_on_the_query_pool(warehouse, con, pool_calls):
    """The per-city quality table's three metric frames (K29, K30, K30's mean by city) are read
    on the query pool (side by side), and the table and its totals are the query layer's, read
    one after the other on one cursor."""
    submitted = pool_calls
    for filters in (Filters(), Filters(country=("IT", "US")), Filters(network=("innovation",))):
        data.clear_cache()
        submitted.clear()
        got = data.quality_by_city(filters)
        assert [args for _, args in submitted] == [
            (filters, m) for m in queries.quality.QUALITY_FRAMES
        ]
        want = queries.quality_by_city(con, filters)
        assert len(want) > 1
        pd.testing.assert_frame_equal(got, want)
        assert got.attrs == want.attrs
        # asked again: the table comes from the cache as a whole, nothing is read
        submitted.clear()
        again = data.quality_by_city(filters)
        assert submitted == []
        pd.testing.assert_frame_equal(again, want)
        assert again.attrs == want.attrs


def test_practices_take_up_totals_are_read_on_the_query_pool(warehouse, pool_calls):
    """The showcase's take-up totals are read on the query pool beside its list, and its status
    line states them as before (the metric layer's totals)."""
    from dashboard.pages import practices

    filters = Filters(region=("EU",))
    data.clear_cache()
    submitted = pool_calls
    status = practices.practices_view(filters, "en", {})[1]
    assert submitted == [(data.take_up_totals, (filters,))]
    totals = data.take_up_totals(filters)
    assert i18n.fmt_number(totals["practices_taken_up"], "en") in status


def test_practices_take_up_under_a_place_filter_says_it_counts_the_adopting_cities(warehouse):
    """Take-up counts by the adopting city's place: under "Country: Canada" the sentence names
    the cities of the selected places that took practices up (from anywhere), so that it is not
    read as take-up of the practices listed; without a place filter, the programme's wording."""
    from dashboard.pages import practices

    data.clear_cache()
    canada = Filters(country=("CA",))
    totals = data.take_up_totals(canada)
    status = practices.practices_view(canada, "en", {})[1]
    cities = i18n.fmt_number(totals["adopting_cities"], "en")
    taken = i18n.fmt_number(totals["practices_taken_up"], "en")
    assert f"{cities} cit" in status and "of the selected places took up" in status
    assert f"took up {taken} practice" in status and "other cities to date" in status
    network = practices.practices_view(Filters(network=("innovation",)), "en", {})[1]
    assert "taken up by" in network and "selected places" not in network
    assert "lieux choisis" in practices.practices_view(canada, "fr", {})[1]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_city_profile_queries_are_the_data_wrappers_answers(warehouse, con, lang):
    from dashboard.pages import city

    filters = Filters(region=("EU",))
    pending = city.profile_queries("turin-it", filters, lang)
    for metric_id, by in city.BREAKDOWNS:
        got = pending[metric_id, by].result()
        expected = data.city_breakdown("turin-it", filters, metric_id, by, lang=lang)
        pd.testing.assert_frame_equal(got, expected)
        assert got.attrs == expected.attrs
    pd.testing.assert_frame_equal(
        pending["outputs"].result(),
        data.city_outputs("turin-it", filters, lang=lang, limit=city.OUTPUTS_SHOWN),
    )
    assert pending["network_figures"].result() == data.network_figures(filters, city_id="turin-it")
    # the headline figures that are no breakdown's total: K05, K17, take-up and K20, asked apart
    assert city.OTHER_FIGURES == ("K05", "K17", "practices_taken_up", "K20")
    assert pending["figures"].result() == {
        m: queries.metric_total(con, m, filters, city=("turin-it",)) for m in city.OTHER_FIGURES
    }
    for key, call in {
        "partners": lambda: data.city_partners("turin-it", lang=lang),
        "benchmark": lambda: data.city_benchmark("turin-it", "partners", None, lang=lang),
    }.items():
        pd.testing.assert_frame_equal(pending[key].result(), call())
    for got, expected in zip(
        pending["network"].result(), data.city_network("turin-it", filters, lang=lang), strict=True
    ):
        pd.testing.assert_frame_equal(got, expected)


def test_city_profile_states_each_headline_figure_of_the_metric_layer(warehouse, con):
    from dashboard import components
    from dashboard.i18n import fmt_number
    from dashboard.pages import city
    from pipelines.queries.city import CITY_FIGURES

    filters = Filters(start=pd.Timestamp("2024-01-01").date())
    body = city.update_profile(components.make_state(filters, "en", "/city/turin-it"), "turin-it")
    cards = body[0].children  # the headline figures: value, label, basis
    shown = {card.children[0].id: card.children[0].children for card in cards}
    for key, metric_id in CITY_FIGURES.items():
        value = queries.metric_total(con, metric_id, filters, city=("turin-it",))
        text = "–" if value is None else fmt_number(value, "en")
        assert shown[f"city-fig-{key}"] in (text, f"{text} €")
    assert shown["city-fig-activities_hosted"] != "–"


@pytest.mark.parametrize("city_id,lang", [("no-such-city", "fr"), ("turin-it", "es")])
def test_city_profile_asks_whether_the_city_exists_beside_its_queries(
    warehouse, monkeypatch, city_id, lang
):
    """The profile reads the city's identity on the query pool first, beside its other queries
    (not before them): an unknown id still gets the not-found text alone, a known city its
    headline figures, benchmark line and sections."""
    from dash import html

    from dashboard import components
    from dashboard.i18n import t
    from dashboard.pages import city

    submitted: list[tuple[object, tuple[object, ...], dict[str, object]]] = []
    real = data.in_background

    def recording(fn, /, *args, **kwargs):
        submitted.append((fn, args, kwargs))
        return real(fn, *args, **kwargs)

    monkeypatch.setattr(data, "in_background", recording)
    data.clear_cache()
    body = city.update_profile(components.make_state(Filters(), lang, f"/city/{city_id}"), city_id)
    assert submitted[0] == (data.city_info, (city_id,), {"lang": lang})
    assert [fn for fn, _, _ in submitted].count(data.city_info) == 1
    assert len(submitted) > 1  # the profile's queries were asked beside it
    if city_id == "no-such-city":
        assert str(body) == str([html.P(t("city.not_found_text", lang))])
    else:
        assert len(body) == 3 and body[1].id == "city-benchmark"


def test_quality_city_card_reads_the_last_report_beside_the_city_table(warehouse, con, pool_calls):
    """The data-quality city card reads the latest report (no filter changes it) on the query
    pool beside the city table's frames, and states the timeliness sentence of the query layer's
    `timeliness` for the filters."""
    from dashboard import components
    from dashboard.pages import data_quality

    submitted = pool_calls
    for filters, lang in ((Filters(), "en"), (Filters(region=("EU",)), "fr")):
        data.clear_cache()
        submitted.clear()
        _, summary, _ = data_quality.update_city(
            components.make_state(filters, lang, "/data-quality")
        )
        assert submitted[0] == (data.last_report, ())
        assert [fn for fn, _ in submitted].count(data.last_report) == 1
        sentence = data_quality.timeliness_sentence(queries.timeliness(con, filters), lang=lang)
        assert summary.startswith(sentence + " ")
