"""The query API on the fixture warehouse: filters, pages, labels, parameterised SQL."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipelines import queries as q
from pipelines.metrics.filters import Filters
from pipelines.queries.metrics import groups, metric_frames
from pipelines.queries.participation import TOP_CITY_METRICS, balance_frames

INJECTIONS = [
    "x' or '1'='1",
    "innovation'; drop table mart.participation_cube; --",
    "') or true --",
    '" or 1=1 --',
]


def test_participation_filters_narrow_results(cur):
    total = q.participation_over_time(cur, Filters())["value"].sum()
    canada = q.participation_over_time(cur, Filters(country=("CA",)))["value"].sum()
    innovation_2024 = q.participation_over_time(
        cur, Filters(network=("innovation",), start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    )["value"].sum()
    trio = q.participation_over_time(cur, Filters(mode=("trio",)))["value"].sum()
    assert (total, canada, innovation_2024, trio) == (48, 5 + 3, 20 + 10, 10)


def test_participation_distinct_cities_toggle(cur):
    df = q.participation_over_time(cur, Filters(), by="region", measure="cities")
    march = df[df["month"] == pd.Timestamp("2024-03-01")].set_index("group_id")["value"]
    assert march.to_dict() == {"EU": 1, "NA": 1}


def test_participation_by_region_splits_eu_ca_us_mx(cur):
    df = q.participation_by_region(cur, Filters()).set_index("country_group")
    assert df["participants"].to_dict() == {"EU": 10 + 2 + 5 + 4, "US": 18, "CA": 8, "MX": 1}
    assert df["cities"].to_dict() == {"EU": 2, "US": 1, "CA": 1, "MX": 1}


def test_gender_balance_reports_undeclared(cur):
    row = q.gender_balance(cur, Filters()).iloc[0]
    assert row["pct_women"] == pytest.approx(100 * 18 / 39)
    assert row["participants_undeclared"] == 9


def test_stakeholder_mix_shares_sum_to_100(cur):
    df = q.stakeholder_mix(cur, Filters())
    assert df["share"].sum() == pytest.approx(100)
    assert df.set_index("stakeholder_type").loc["local_government", "participants"] == 27


def test_top_cities_order_and_limit(cur):
    df = q.top_cities(cur, Filters(), limit=2)
    assert list(df["city_id"]) == ["austin-us", "turin-it"]  # 18, 16


def test_participation_summary_headlines(cur):
    s = q.participation_summary(cur, Filters()).iloc[0]
    assert (s["participants"], s["cities"], s["capacity_participants"]) == (48, 5, 10)
    assert s["person_days"] == 20 * 3 + 10 * 1 + 10 * 2 + 4 * 2 + 4 * 1


def test_sdg_profile_primary_and_fractional(cur):
    primary = q.sdg_profile(cur, Filters(), method="primary").set_index("goal")
    assert primary.loc[11, "value"] == 2 and primary.loc[11, "share"] == pytest.approx(100)
    frac = q.sdg_profile(cur, Filters(), method="fractional").set_index("goal")
    # a1: 11 and 9 -> 1/2 each; a2: 11 (goal 4 only suggested); a3: 11
    assert frac.loc[11, "value"] == pytest.approx(2.5)
    assert frac.loc[9, "share"] == pytest.approx(100 * 0.5 / 3)
    assert frac.loc[4, "value"] == 0 and frac.loc[4, "suggested"] == 1
    assert len(frac) == 17


def test_sdg_targets_coverage_and_review(cur):
    targets = q.sdg_targets(cur, Filters(), 11).set_index("target_id")
    assert targets.loc["11.2", "validated_entities"] == 1
    assert targets.loc["11.3", "validated_entities"] == 1
    cov = q.sdg_coverage(cur, Filters())
    assert cov["targets_covered"].sum() == 4
    tags = q.sdg_tags_by_method_status(cur, Filters())
    assert tags["tags"].sum() == 7
    heat = q.sdg_network_heatmap(cur, Filters())
    assert set(heat["network_id"]) == {"innovation", "urban_renewal"}


def test_sdg_goal_options_are_the_goals_with_targets_in_order(cur):
    # the goal drill-down's options: the rows of the coverage (goals with targets), from the
    # reference tables alone, in each language
    for lang in ("en", "fr", "es"):
        goals = q.sdg_goal_options(cur, lang=lang)
        cov = q.sdg_coverage(cur, Filters(), lang=lang)
        assert goals["goal"].tolist() == cov["goal"].tolist()
        assert goals["label"].tolist() == cov["label"].tolist()
    with_targets = {
        g for (g,) in cur.execute("select distinct goal from ref.sdg_target").fetchall()
    }
    goals = q.sdg_goal_options(cur)
    assert set(goals["goal"]) == with_targets and goals["goal"].is_monotonic_increasing


def test_sdg_profile_and_heatmap_without_total_leave_attrs_empty(cur):
    # total=False: the same rows, no attrs (the dashboard reads the metric's total once for both)
    for fn in (q.sdg_profile, q.sdg_network_heatmap):
        full = fn(cur, Filters(), method="fractional")
        bare = fn(cur, Filters(), method="fractional", total=False)
        assert bare.equals(full) and bare.attrs == {}
        assert full.attrs == {"metric": "sdg.activities_fractional", "total": 3.0}


def test_cooperation_graph_and_detail(cur):
    edges = q.cooperation_edges(cur, Filters())
    assert len(edges) == 1 + 3  # pairing 1 edge, trio 3
    assert edges.set_index("cooperation_id").loc["coop-a", "activities"] == 3
    nodes = q.cooperation_nodes(cur, Filters(mode=("pairing",)))
    assert set(nodes["city_id"]) == {"turin-it", "austin-us"}
    detail = q.cooperation_detail(cur, "coop-a").iloc[0]
    assert detail["activities_completed"] == 3
    assert detail["funding_eur"] == 146000
    assert detail["outputs_abandoned"] == 1
    assert detail["member_names"] == "Austin, Torino"


def test_cooperation_edges_of_one_city_are_its_cooperations_links(cur):
    """Lyon is in coop-b only (a trio: 3 links, its completed activity a3); Austin in coop-a
    (1 link, a1, a2, a7); a filter that leaves none of the city's cooperations: no link."""
    lyon = q.cooperation_edges(cur, Filters(), city_id="lyon-fr")
    assert list(zip(lyon["city_a"], lyon["city_b"], strict=True)) == [
        ("lyon-fr", "merida-mx"),
        ("lyon-fr", "toronto-ca"),
        ("merida-mx", "toronto-ca"),
    ]
    assert set(lyon["cooperation_id"]) == {"coop-b"} and set(lyon["activities"]) == {1}
    austin = q.cooperation_edges(cur, Filters(), city_id="austin-us")
    assert austin[["cooperation_id", "activities", "members"]].values.tolist() == [["coop-a", 3, 2]]
    assert q.cooperation_edges(cur, Filters(mode=("trio",)), city_id="austin-us").empty


def test_output_funnel_attrition(cur):
    funnel = q.output_funnel(cur, Filters())
    pilots = funnel[funnel["output_type"] == "pilot"].set_index("stage")
    assert pilots["reached"].to_dict() == {
        "planned": 2,
        "developed": 2,
        "implemented": 1,
        "adopted": 0,
    }
    assert pilots.loc["implemented", "attrition_pct"] == pytest.approx(50)


def test_funding_leveraged_by_source(cur):
    df = q.funding_leveraged(cur, Filters(), by="source_type").set_index("group_id")
    assert df["amount_eur"].to_dict() == {"public": 100000, "private": 46000}


def test_activities_page_search_sort_and_total(cur):
    rows, total = q.activities_page(cur, Filters(), sort="start_date", descending=False, limit=2)
    assert total == 7 and list(rows["activity_id"]) == ["a1", "a2"]
    rows, total = q.activities_page(cur, Filters(), search="WEBINAR")
    assert total == 2 and set(rows["activity_id"]) == {"a4", "a7"}
    rows, total = q.activities_page(cur, Filters(), offset=6, limit=5)
    assert total == 7 and len(rows) == 1


def test_activities_page_total_past_the_end_and_sorted_ties(cur):
    # a page past the end has no row but still the total; equal sort keys fall back to the id
    rows, total = q.activities_page(cur, Filters(), offset=50, limit=5)
    assert total == 7 and rows.empty and "total" not in rows.columns
    rows, total = q.activities_page(cur, Filters(), sort="network_id", descending=False, limit=7)
    keys = list(zip(rows["network_id"].fillna("~"), rows["activity_id"], strict=True))
    assert total == 7 and keys == sorted(keys)


def test_activities_page_geographic_filter_with_several_values(cur):
    # each value is tested on the list of cities an activity counts for (D12): two countries
    # select the union of the activities each selects alone
    one = {
        c: set(q.activities_page(cur, Filters(country=(c,)))[0]["activity_id"])
        for c in ("CA", "US")
    }
    rows, total = q.activities_page(cur, Filters(country=("CA", "US")))
    assert set(rows["activity_id"]) == one["CA"] | one["US"] and total == len(rows)
    assert one["CA"] and one["US"]


def test_list_geography_predicate_passes_each_value_as_a_parameter():
    from pipelines.metrics.filters import predicate

    sql, params = predicate(Filters(region=("EU", "NA"), network=("innovation",)), geo="list")
    assert params == [["innovation"], "EU", "NA"]
    assert sql.count("list_contains(regions, ?)") == 2 and "EU" not in sql


def test_activities_page_rejects_unlisted_sort_column(cur):
    with pytest.raises(ValueError):
        q.activities_page(cur, Filters(), sort="title; drop table core.activity")


def test_data_quality_queries(cur):
    # D4: the latest reported date of any activity (a6, reported 2025-03-12), not the load time
    assert q.data_as_of(cur) == dt.date(2025, 3, 12)
    assert q.quarantine_summary(cur, by="file").set_index("group_id")["rows"].to_dict() == {
        "activities.csv": 2,
        "participations.csv": 1,
    }
    page, total = q.quarantine_page(cur, file_name="activities.csv")
    assert total == 2 and list(page["line"]) == [3, 5]
    assert len(q.ingest_runs(cur)) == 2
    comp = q.completeness_by_table(cur).set_index("table_name")
    assert comp.loc["activity", "pct_filled"] == pytest.approx(100 * 81 / 98)
    city = q.quality_by_city(cur, Filters(country=("IT",))).iloc[0]
    assert (city["city_id"], city["median_lag_days"], city["mean_lag_days"]) == ("turin-it", 5, 7.5)
    t = q.timeliness(cur, Filters()).iloc[0]
    assert (t["activities"], t["median_lag_days"]) == (5, 10)


def _city_frame(rows: list[tuple[str, float | None, float]]) -> pd.DataFrame:
    """A metric frame by city (as `metric_frame` gives it): the rows, then a total row."""
    frame = pd.DataFrame(
        [
            {"city_id": c, "value": v, "denominator": d, "level": "city", "is_total": False}
            for c, v, d in rows
        ]
        + [{"city_id": None, "value": 1.0, "denominator": 9.0, "level": "", "is_total": True}]
    )
    frame["value"] = frame["value"].astype("float64")
    return frame


def test_quality_by_city_joins_the_frames_to_each_citys_record(cur):
    """The cities of K29 or K30 (not those of K30's mean alone), each with its own record;
    an undefined completeness first, then by completeness and name; no K30 row: 0 completed."""
    frames = [
        # K29: Toronto's completeness undefined (no cells), Austin's not asked
        _city_frame([("turin-it", 80.0, 10.0), ("lyon-fr", 90.0, 10.0), ("toronto-ca", None, 0)]),
        # K30: median lag and completed activities; Lyon has none, Austin only here
        _city_frame([("turin-it", 5.0, 2.0), ("austin-us", 20.0, 1.0)]),
        # K30's mean: Mérida is in no other frame, so it is not a row
        _city_frame([("turin-it", 7.5, 2.0), ("merida-mx", 3.0, 1.0)]),
    ]
    got = q.quality_by_city(cur, Filters(), frames=frames)
    assert list(got["city_id"]) == ["austin-us", "toronto-ca", "turin-it", "lyon-fr"]
    assert list(got["name"]) == ["Austin", "Toronto", "Torino", "Lyon"]
    assert got["pct_filled"].tolist()[2:] == [80.0, 90.0] and got["pct_filled"][:2].isna().all()
    assert list(got["completed_activities"]) == [1, 0, 2, 0]
    assert got["completed_activities"].dtype == "int64"
    assert got["median_lag_days"].fillna(-1).tolist() == [20.0, -1, 5.0, -1]
    assert got["mean_lag_days"].fillna(-1).tolist() == [-1, -1, 7.5, -1]
    assert got.attrs["totals"] == {"K30": (1.0, 9.0), "K30.mean": (1.0, 9.0)}


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(country=("IT",)),
        Filters(network=("innovation",)),
        Filters(region=("NA",)),
    ],
)
def test_timeliness_takes_the_city_tables_totals_unchanged(cur, filters):
    """quality_by_city's K30 totals are the overall figures: timeliness gives the same frame
    from them as when it asks the metric layer itself."""
    totals = q.quality_by_city(cur, filters).attrs["totals"]
    assert set(totals) == {"K30", "K30.mean"}
    pd.testing.assert_frame_equal(
        q.timeliness(cur, filters, totals=totals), q.timeliness(cur, filters)
    )
    # they are the totals, not one city's: a wrong figure given is what comes out
    assert (
        q.timeliness(cur, filters, totals={**totals, "K30": (99.0, 1.0)}).iloc[0]["median_lag_days"]
        == 99.0
    )


def test_last_report_is_the_latest_completed_activitys_report(cur):
    """Completed a1, a2, a3, a6, a7 were reported on 2024-03-16, 2024-05-30, 2024-06-02,
    2025-03-12 (a6: 2025-02-11 + 29 d) and 2025-01-25: the latest is a6's, the as-of date
    itself (0 days); timeliness takes a given answer as it is, else reads the same one."""
    assert q.last_report(cur) == (dt.date(2025, 3, 12), 0)
    pd.testing.assert_frame_equal(
        q.timeliness(cur, Filters(), last=q.last_report(cur)), q.timeliness(cur, Filters())
    )
    given = q.timeliness(cur, Filters(), last=(dt.date(2024, 1, 1), 436)).iloc[0]
    assert (given["last_reported_date"], given["days_since_last_report"]) == (
        dt.date(2024, 1, 1),
        436,
    )


def test_filter_options(cur):
    assert list(q.subtheme_options(cur, ("innovation",))["network_id"].unique()) == ["innovation"]
    assert set(q.country_options(cur, ("NA",))["value"]) == {"US", "CA", "MX"}
    assert list(q.period_options(cur)["value"]) == ["2024", "2025"]
    assert len(q.mode_options(cur)) == 4


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_strings_in_filters_return_empty(cur, payload):
    for field in ("network", "subtheme", "region", "country", "mode", "challenge"):
        f = Filters(**{field: (payload,)})
        assert q.participation_over_time(cur, f).empty
        assert q.map_points(cur, f).empty
        rows, total = q.activities_page(cur, f, search=payload)
        assert total == 0 and rows.empty
        assert q.kpi_scorecard(cur, f).set_index("indicator_id").loc["K04", "value"] == 0
    assert q.city_benchmark(cur, payload, "region").empty
    assert q.cooperation_detail(cur, payload).empty
    # nothing was dropped
    assert cur.execute("select sum(participants) from mart.participation_cube").fetchone()[0] == 48


def test_lang_switches_labels_and_unknown_lang_falls_back(cur):
    en = q.network_options(cur, lang="en").set_index("value")["label"]
    fr = q.network_options(cur, lang="fr").set_index("value")["label"]
    es = q.network_options(cur, lang="es").set_index("value")["label"]
    assert (en != fr).any() and (en != es).any()
    assert q.network_options(cur, lang="de").equals(q.network_options(cur, lang="en"))
    assert q.network_options(cur, lang="label_en from ref.network; --").equals(
        q.network_options(cur)
    )
    sc_fr = q.kpi_scorecard(cur, Filters(), lang="fr").set_index("indicator_id")
    assert sc_fr.loc["K01", "label"] == "Coopérations actives"
    sdg_es = q.sdg_profile(cur, Filters(), lang="es").set_index("goal")
    expected = cur.execute("select label_es from ref.sdg_goal where goal = 11").fetchone()[0]
    assert sdg_es.loc[11, "label"] == expected


def test_queries_work_on_a_read_only_published_warehouse(tmp_path):
    """Build the fixture into a file, then query it read-only as the dashboard does."""
    import duckdb

    from pipelines.warehouse import db
    from tests.pipelines.conftest import build_fixture_warehouse

    path = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(path))
    build_fixture_warehouse(con)
    con.close()
    ro = db.Warehouse(path).cursor()
    assert q.kpi_scorecard(ro, Filters()).set_index("indicator_id").loc["K04", "value"] == 48
    _rows, total = q.activities_page(ro, Filters())
    assert total == 7


def test_participation_by_activity_type_reads_type_cube(cur):
    df = q.participation_over_time(cur, Filters(), by="activity_type")
    assert df.groupby("group_id")["value"].sum().to_dict() == {
        "study_visit": 20,
        "training": 10,
        "technical_session": 10,
        "networking_event": 4,
        "webinar": 4,
    }
    with pytest.raises(ValueError):
        q.participation_over_time(cur, Filters(), by="modality", measure="cities")
    tm = q.participation_by_type_modality(cur, Filters(region=("NA",)))
    assert tm["participants"].sum() == 18 + 8 + 1  # austin, toronto, merida


def test_network_breakdown_joins_the_four_metrics_per_network(cur, monkeypatch) -> None:
    """A network missing from a metric counts 0 there, a network with nothing is left out, and
    networks come in their reference order, one without an order after them."""
    from pipelines.queries import overview

    def frame(rows: list[tuple[str, str, float | None]], total: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "network_id": [r[0] for r in rows] + [None],
                "value": [r[2] for r in rows] + [total],
                "level": ["network"] * len(rows) + [""],
                "is_total": [False] * len(rows) + [True],
                "network_id_label": [r[1] for r in rows] + [None],
            }
        )

    frames = [
        frame([("zz_new", "New", 5.0), ("innovation", "Innovation", 2.0)], 7.0),  # K03
        frame([("urban_renewal", "Urban", 4.0), ("innovation", "Innovation", 9.0)], 13.0),
        frame([("innovation", "Innovation", None), ("empty", "Empty", 0.0)], 3.0),  # K02
        frame([], 0.0),  # K01: no rows but the total
    ]
    monkeypatch.setattr(overview, "metric_frames", lambda *a, **k: frames)
    out = overview.network_breakdown(cur, Filters())
    order = dict(cur.execute("select network_id, sort_order from ref.network").fetchall())
    assert order["innovation"] != order["urban_renewal"] and "zz_new" not in order
    known = sorted(["innovation", "urban_renewal"], key=order.__getitem__)
    assert out["network_id"].tolist() == [*known, "zz_new"]
    by_id = out.set_index("network_id")
    assert by_id.loc["innovation"].tolist() == ["Innovation", 2, 9, 0, 0]
    assert by_id.loc["urban_renewal"].tolist() == ["Urban", 0, 4, 0, 0]
    assert by_id.loc["zz_new"].tolist() == ["New", 5, 0, 0, 0]
    assert str(out["activities"].dtype) == "int64"
    assert out.attrs["totals"] == {
        "activities": 7.0,
        "participations": 13.0,
        "cities": 3.0,
        "cooperations": 0.0,
    }


def test_joined_groups_sets_each_metric_beside_the_others_by_key() -> None:
    from pipelines.queries.metrics import joined_groups

    def frame(rows: list[tuple[str | None, float | None]]) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "g": [r[0] for r in rows] + [None],
                "value": [r[1] for r in rows] + [99.0],
                "level": ["g"] * len(rows) + [""],
                "is_total": [False] * len(rows) + [True],
            }
        )

    out = joined_groups(
        [frame([("US", 3.0), ("EU", 7.0), (None, 1.0)]), frame([("CA", 2.0), ("EU", None)])],
        ("a", "b"),
        ("g",),
    )
    # keys ordered, the missing one last; no row or no value: 0; the totals are not rows
    assert out["a"].tolist() == [0, 7, 3, 1]
    assert out["b"].tolist() == [2, 0, 0, 0]
    assert out["g"].tolist()[:3] == ["CA", "EU", "US"] and pd.isna(out["g"].iloc[3])
    assert [str(t) for t in out.dtypes] == ["str", "int64", "int64"]
    empty = joined_groups([frame([]), frame([])], ("a", "b"), ("g",))
    assert empty.empty and list(empty.columns) == ["g", "a", "b"]


def test_groups_and_total_row_pick_their_rows_wherever_they_stand() -> None:
    from pipelines.queries.metrics import groups, total_row

    frame = pd.DataFrame(
        {
            "a": ["x", "y", None, "x", None],
            "b": ["p", "q", "p", None, None],
            "value": [1.0, 2.0, 3.0, 4.0, 10.0],
            "level": ["a,b", "a,b", "b", "a,b", ""],
            "is_total": [False, False, False, False, True],
        }
    )
    # the finest level's rows are not one run here (rows 0, 1, 3): each is picked, in order
    finest = groups(frame)
    assert finest["value"].tolist() == [1.0, 2.0, 4.0]
    assert finest.index.tolist() == [0, 1, 2]
    assert groups(frame, ("b",))["value"].tolist() == [3.0]
    assert groups(frame, ("a",)).empty
    assert total_row(frame)["value"] == 10.0
    # one run: the same rows as a mask gives, with a fresh index
    run = frame.iloc[[2, 0, 1, 4]].reset_index(drop=True)
    assert groups(run)["value"].tolist() == [1.0, 2.0]
    assert groups(run).index.tolist() == [0, 1]
    no_total = frame[~frame["is_total"]]
    with pytest.raises(IndexError):
        total_row(no_total)


def test_top_cities_figures_of_each_listed_city(cur):
    df = q.top_cities(cur, Filters(), limit=2).set_index("city_id")
    turin = df.loc["turin-it"]
    assert (turin["name"], turin["country_iso2"], turin["region"]) == ("Torino", "IT", "EU")
    assert turin["participants"] == 10 + 2 + 4
    assert turin["women"] == 4 + 1 + 2  # of its declared participations
    assert turin["share"] == pytest.approx(100 * 16 / 48)
    assert q.top_cities(cur, Filters(country=("ZZ",))).empty


def test_city_places_and_top_cities_from_frames_read_elsewhere(cur):
    places = q.city_places(cur).set_index("city_id")
    assert places.loc["turin-it"].tolist() == ["Torino", "IT", "EU"]  # by hand, the fixture
    assert places.index.is_unique
    frames = metric_frames(cur, TOP_CITY_METRICS, Filters(), by=("city",))
    given = q.top_cities(None, Filters(), limit=2, frames=frames, places=q.city_places(cur))
    pd.testing.assert_frame_equal(given, q.top_cities(cur, Filters(), limit=2))
    assert given.attrs == q.top_cities(cur, Filters(), limit=2).attrs
    assert given.set_index("city_id").loc["turin-it", "participants"] == 10 + 2 + 4


def test_balance_frames_are_each_metrics_frame_by_hand(cur):
    k04, k02 = (
        groups(f).set_index("country_group")["value"].to_dict()
        for f in balance_frames(cur, Filters(), ("K04", "K02"), ("country_group",), True)
    )
    assert k04 == {"EU": 10 + 2 + 5 + 4, "US": 18, "CA": 8, "MX": 1}
    assert k02 == {"EU": 2, "US": 1, "CA": 1, "MX": 1}
    (by_region,) = balance_frames(cur, Filters(), ("K04",), ("region",), False)
    assert groups(by_region).set_index("region")["value"].to_dict() == {"EU": 21, "NA": 27}
