"""Issue #12, "Done when": an independent recount from the raw demo files agrees with every
figure of the Python API and the pages, to the last digit.

Each test compares one figure of `pipelines.queries` on the demo warehouse with the pandas
recount of `recount.py` (the catalogue's definitions). Known discrepancies are strict xfails
that record the API's and the definition's value: when a fix lands the xfail turns into a
failure, and whoever merges the fix removes the entry from KNOWN.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Callable

import duckdb
import pandas as pd
import pytest

from dashboard import figures
from dashboard.i18n import fmt_percent
from pipelines import queries
from pipelines.metrics.filters import Filters
from pipelines.queries.cooperation import STAGES
from tests.recount import recount

SCOPES: dict[str, dict] = {
    "all": {},
    "2024": {"start": dt.date(2024, 1, 1), "end": dt.date(2024, 12, 31)},
    "innovation": {"network": ("innovation",)},
    "EU": {"region": ("EU",)},
    "NA": {"region": ("NA",)},
    "IT": {"country": ("IT",)},
    "pairing": {"mode": ("pairing",)},
}

HOSTLESS = "activity geography (D12): host-less activities count where their participants come from"

PERSON_DAYS = "D12 puts K11 on the activity basis (host city); the API counts participants' cities"
TAGGED = "the outputs/cooperations whose tags are in scope also differ (output city, members)"

# (figure, scope) -> "API gives X, definition gives Y" and why; measured on the default demo
KNOWN: dict[tuple[str, str], str] = {}


def _known(figure: str, scope: str) -> list:
    """Return the strict-xfail mark of a known discrepancy, or no mark."""
    reason = KNOWN.get((figure, scope))
    if reason is None:
        return []
    return [
        pytest.mark.xfail(
            strict=True, raises=AssertionError, reason=f"{figure} ({scope}): {reason} — issue #12"
        )
    ]


def _params(figures_: list[str], scopes: list[str] | None = None) -> list:
    """Return pytest params figure x scope with the known discrepancies marked."""
    return [
        pytest.param(fig, name, id=f"{fig}-{name}", marks=_known(fig, name))
        for fig in figures_
        for name in scopes or list(SCOPES)
    ]


def _filters(name: str) -> Filters:
    return Filters(**SCOPES[name])


def _scope(name: str) -> recount.Scope:
    return recount.Scope(**SCOPES[name])


def _same(api: float | None, definition: float, *, exact: bool) -> bool:
    """Return True when two figures agree: exactly for counts, to 1e-9 for ratios."""
    if api is None or pd.isna(api):
        return definition is None or (isinstance(definition, float) and math.isnan(definition))
    if exact:
        return float(api) == float(definition)
    return math.isclose(float(api), float(definition), rel_tol=1e-9, abs_tol=1e-9)


# ---------------------------------------------------------------- the KPI measures

RecountFn = Callable[[recount.Raw, recount.Scope], float]

# figure id ("K03" = measure main, "K03.pct_of_plan" = a secondary measure) -> (exact, recount)
DEFINITIONS: dict[str, tuple[bool, RecountFn]] = {
    "K01": (True, lambda r, s: recount.k01(r, s)["total"]),
    "K02": (True, lambda r, s: recount.k02(r, s)["total"]),
    "K03": (True, lambda r, s: recount.k03(r, s)["completed"]),
    "K03.pct_of_plan": (False, lambda r, s: recount.k03(r, s)["pct_of_plan"]),
    "K04": (True, lambda r, s: recount.participation_kpis(r, s)["K04"]),
    "K05": (True, lambda r, s: recount.participation_kpis(r, s)["K05"]),
    "K05.lower_bound": (True, lambda r, s: recount.participation_kpis(r, s)["K05_lower_bound"]),
    "K06": (False, lambda r, s: recount.participation_kpis(r, s)["K06"]),
    "K07": (False, lambda r, s: recount.participation_kpis(r, s)["K07"]),
    "K08": (False, lambda r, s: recount.participation_kpis(r, s)["K08"]),
    "K08.pct_undeclared": (
        False,
        lambda r, s: recount.participation_kpis(r, s)["K08_pct_undeclared"],
    ),
    "K09": (True, lambda r, s: recount.participation_kpis(r, s)["K09"]),
    "K09.lower_bound": (True, lambda r, s: recount.participation_kpis(r, s)["K09_lower_bound"]),
    "K10": (True, lambda r, s: recount.participation_kpis(r, s)["K10"]),
    "K10.pct_completed": (
        False,
        lambda r, s: recount.participation_kpis(r, s)["K10_pct_completed"],
    ),
    "K11": (False, lambda r, s: recount.k11(r, s)["value"]),
    "K11.study_visit_person_days": (
        True,
        lambda r, s: recount.k11(r, s)["study_visit_person_days"],
    ),
    **{
        k: (True, lambda r, s, k=k: recount.output_kpis(r, s)[k])
        for k in ("K12", "K13", "K14", "K15", "K16", "K17", "K18", "K19", "K21")
    },
    "K17.pct_of_k12": (False, lambda r, s: recount.output_kpis(r, s)["K17_pct_of_k12"]),
    "K18.pct_of_k13": (False, lambda r, s: recount.output_kpis(r, s)["K18_pct_of_k13"]),
    "K20": (False, lambda r, s: recount.output_kpis(r, s)["K20"]),  # euros, to the cent
    "K22": (False, lambda r, s: recount.k22(r, s)["value"]),
    "K24": (True, lambda r, s: recount.sdg_kpis(r, s)["K24"]),
    "K25": (False, lambda r, s: recount.sdg_kpis(r, s)["K25"]),
    "K26": (False, lambda r, s: recount.sdg_kpis(r, s)["K26"]),
    "K26.agreement_rate": (False, lambda r, s: recount.sdg_kpis(r, s)["K26_agreement"]),
    "K29": (False, lambda r, s: recount.k29(r, s)["value"]),
    "K30": (True, lambda r, s: recount.k30(r, s)["median"]),  # D5: headline = lower median
    "K30.mean": (False, lambda r, s: recount.k30(r, s)["mean"]),
}


@pytest.fixture(scope="session")
def api_measures(demo_con: duckdb.DuckDBPyConnection) -> Callable[[str], pd.Series]:
    """Return a cached lookup: scope name -> actual KPI values indexed by 'Kxx[.measure]'."""
    cache: dict[str, pd.Series] = {}

    def get(name: str) -> pd.Series:
        if name not in cache:
            m = queries.kpi_measures(demo_con, _filters(name))
            m = m[m["value_kind"] == "actual"]
            keys = m["indicator_id"] + m["measure"].map(lambda x: "" if x == "main" else f".{x}")
            cache[name] = pd.Series(m["value"].to_numpy(), index=keys)
        return cache[name]

    return get


@pytest.fixture(scope="session")
def definition(raw: recount.Raw) -> Callable[[str, str], float]:
    """Return a cached lookup: (figure, scope name) -> the recounted value."""
    cache: dict[tuple[str, str], float] = {}

    def get(fig: str, name: str) -> float:
        if (fig, name) not in cache:
            cache[(fig, name)] = DEFINITIONS[fig][1](raw, _scope(name))
        return cache[(fig, name)]

    return get


def test_recount_reads_every_accepted_row(raw: recount.Raw, demo_con) -> None:
    """The recount starts from the same rows the warehouse accepted (counts per entity)."""
    tables = {
        "cities": "core.city",
        "cooperations": "core.cooperation",
        "members": "core.cooperation_member",
        "activities": "core.activity",
        "participations": "core.participation",
        "outputs": "core.output",
        "funding": "core.funding",
        "sdg": "core.sdg_alignment",
    }
    for key, table in tables.items():
        loaded = demo_con.execute(f"select count(*) from {table}").fetchone()[0]
        assert len(getattr(raw, key)) == loaded > 0, key


@pytest.mark.parametrize(("fig", "scope"), _params(list(DEFINITIONS)))
def test_kpi_measure_matches_definition(fig: str, scope: str, api_measures, definition) -> None:
    """queries.kpi_measures gives every KPI measure the definition gives."""
    api = api_measures(scope).get(fig)
    want = definition(fig, scope)
    assert _same(api, want, exact=DEFINITIONS[fig][0]), f"{fig} {scope}: API {api}, def {want}"


SCORECARD = [f for f in DEFINITIONS if "." not in f]


@pytest.mark.parametrize(("fig", "scope"), _params(SCORECARD))
def test_scorecard_value_matches_definition(fig: str, scope: str, scorecards, definition) -> None:
    """The overview page's scorecard (kpi_scorecard, stored or computed) shows the definition."""
    api = scorecards(scope).get(fig)
    want = definition(fig, scope)
    assert _same(api, want, exact=DEFINITIONS[fig][0]), f"{fig} {scope}: API {api}, def {want}"


@pytest.fixture(scope="session")
def scorecards(demo_con: duckdb.DuckDBPyConnection) -> Callable[[str], pd.Series]:
    """Return a cached lookup: scope name -> scorecard values by indicator."""
    cache: dict[str, pd.Series] = {}

    def get(name: str) -> pd.Series:
        if name not in cache:
            df = queries.kpi_scorecard(demo_con, _filters(name))
            cache[name] = df.set_index("indicator_id")["value"]
        return cache[name]

    return get


def test_data_as_of_is_latest_reported_date(demo_con, raw: recount.Raw) -> None:
    """queries.data_as_of is D4's date: the latest reported_date, not the load time."""
    got = queries.data_as_of(demo_con)
    got = got.date() if isinstance(got, dt.datetime) else got
    assert got == recount.data_as_of(raw)


def test_k22_programme_on_the_default_demo(raw: recount.Raw) -> None:
    """D3's worked figure (9 of 18) was counted on the earlier demo, which had Mexican cities;
    the current demo (EU, Canada, US only) gives 5 of the 16 eligible cooperations."""
    assert recount.k22(raw, recount.Scope()) == {"numerator": 5, "denominator": 16, "value": 31.25}


# ---------------------------------------------------------------- participation page


def _frame_diff(api: pd.DataFrame, want: pd.DataFrame, exact: list[str], ratio: list[str]) -> list:
    """Return the cells where two indexed frames disagree (rows missing on either side too)."""
    problems = []
    for key in api.index.union(want.index):
        if key not in api.index or key not in want.index:
            problems.append((key, "missing in " + ("API" if key not in api.index else "recount")))
            continue
        for col in exact + ratio:
            a, w = api.at[key, col], want.at[key, col]
            if not _same(a, w, exact=col in exact):
                problems.append((key, col, a, w))
    return problems


@pytest.mark.parametrize("scope", list(SCOPES))
def test_participation_summary_matches_definition(scope: str, demo_con, definition, raw) -> None:
    """The participation page's headline row equals the definitions (K02, K04-K08, K10)."""
    row = queries.participation_summary(demo_con, _filters(scope)).iloc[0]
    pk = recount.participation_kpis(raw, _scope(scope))
    pairs = {
        "participants": (pk["K04"], True),
        "cities": (definition("K02", scope), True),
        "organisations": (pk["K05"], True),
        "organisations_lower_bound": (pk["K05_lower_bound"], True),
        "pct_non_government": (pk["K06"], False),
        "diversity_index": (pk["K07"], False),
        "pct_women": (pk["K08"], False),
        "pct_undeclared": (pk["K08_pct_undeclared"], False),
        "capacity_participants": (pk["K10"], True),
        "pct_completed": (pk["K10_pct_completed"], False),
    }
    bad = {k: (row[k], v) for k, (v, exact) in pairs.items() if not _same(row[k], v, exact=exact)}
    assert not bad, f"(API, definition): {bad}"


@pytest.mark.parametrize("scope", list(SCOPES))
def test_participation_by_region_matches_definition(scope: str, demo_con, raw) -> None:
    """K02 split EU/CA/US/MX with participants, organisations and shares per country group."""
    api = queries.participation_by_region(demo_con, _filters(scope)).set_index("country_group")
    want = recount.region_table(raw, _scope(scope))
    assert not _frame_diff(
        api, want, ["participants", "cities", "organisations"], ["share_participants"]
    )


@pytest.mark.parametrize("scope", list(SCOPES))
def test_stakeholder_breakdown_matches_definition(scope: str, demo_con, raw) -> None:
    """Participations by stakeholder type over the period (K06 breakdown, K08 by type)."""
    want = recount.stakeholder_table(raw, _scope(scope))
    mix = queries.stakeholder_mix(demo_con, _filters(scope)).set_index("stakeholder_type")
    mix = mix[mix["participants"] > 0]
    assert not _frame_diff(mix, want, ["participants"], ["share"])
    gb = queries.gender_balance(demo_con, _filters(scope), by="stakeholder_type")
    gb = gb.set_index("group_id")
    gb = gb[gb["participants"] > 0]
    exact = ["participants", "participants_declared", "women", "participants_undeclared"]
    assert not _frame_diff(gb, want, exact, ["pct_women", "pct_undeclared"])


@pytest.mark.parametrize("scope", list(SCOPES))
def test_cities_table_matches_definition(scope: str, demo_con, raw) -> None:
    """top_cities (and the map's participations) per city equal the recount for every city."""
    want = recount.city_table(raw, _scope(scope))
    api = queries.top_cities(demo_con, _filters(scope), limit=1000).set_index("city_id")
    assert not _frame_diff(api, want, ["participants", "organisations", "women"], ["share"])
    points = queries.map_points(demo_con, _filters(scope)).set_index("city_id")
    assert points["participations"].to_dict() == want.loc[points.index, "participants"].to_dict()


@pytest.mark.parametrize("scope", list(SCOPES))
def test_participation_over_time_cells_match_definition(scope: str, demo_con, raw) -> None:
    """Each month x stakeholder cell: participants, and distinct cities of that month."""
    want = recount.monthly_by_stakeholder(raw, _scope(scope))
    for measure in ("participants", "cities"):
        api = queries.participation_over_time(demo_con, _filters(scope), measure=measure)
        api = api[api["value"] > 0]
        api = api.set_index([pd.to_datetime(api["month"]), "group_id"])["value"]
        mine = want[measure]
        mine.index = mine.index.set_names(api.index.names)
        assert api.sort_index().to_dict() == mine[mine > 0].sort_index().to_dict(), measure


def _summary_total(text: str) -> float:
    """Return the first number of a page summary sentence ('...: 1,234 in total ...')."""
    number = re.search(r"(\d[\d,\u202f\u00a0 .]*)", text.split(":", 1)[-1])
    assert number, text
    return float(re.sub(r"[^\d]", "", number.group(1)))


@pytest.mark.parametrize("scope", ["all", "2024"])
def test_participation_page_cities_total_is_a_recount(scope: str, demo_con, raw) -> None:
    """The page's 'Cities' summary over the period is a distinct recount, never a sum."""
    df = queries.participation_over_time(demo_con, _filters(scope), measure="cities")
    text = figures.summary_total_and_top(df, "label", "value", "Cities", "en")
    assert _summary_total(text) == recount.distinct_cities(raw, _scope(scope))


@pytest.mark.parametrize("scope", ["all", "2024"])
def test_participation_page_participants_total_matches(scope: str, demo_con, raw) -> None:
    """The page's participations total over the period equals K04."""
    df = queries.participation_over_time(demo_con, _filters(scope), measure="participants")
    df["period"] = df["month"].astype(str).str[:7]
    text = figures.summary_series(df, "period", "value", "Participations", "en")
    assert _summary_total(text) == recount.participation_kpis(raw, _scope(scope))["K04"]


# ---------------------------------------------------------------- overview network table


NETWORK_KNOWN = {}


@pytest.mark.parametrize(
    "scope",
    [
        pytest.param(
            s,
            marks=pytest.mark.xfail(
                strict=True,
                raises=AssertionError,
                reason=f"network_breakdown ({s}): {NETWORK_KNOWN[s]} — issue #12",
            ),
        )
        if s in NETWORK_KNOWN
        else s
        for s in SCOPES
    ],
)
def test_network_breakdown_matches_definition(scope: str, demo_con, raw) -> None:
    """Per network: completed activities, participations, distinct cities, active cooperations."""
    api = queries.network_breakdown(demo_con, _filters(scope)).set_index("network_id")
    want = recount.network_table(raw, _scope(scope))
    cols = ["activities", "participations", "cities", "cooperations"]
    assert not _frame_diff(api, want, cols, [])


# ---------------------------------------------------------------- SDG page


@pytest.mark.parametrize(
    ("fig", "scope"), _params(["sdg_profile"], ["all", "2024", "innovation", "EU"])
)
def test_sdg_profile_matches_definition(fig: str, scope: str, demo_con, raw) -> None:
    """K25 per goal: not-cancelled activities in scope with the goal as accepted primary."""
    api = queries.sdg_profile(demo_con, _filters(scope)).set_index("goal")["value"]
    want = recount.sdg_primary_profile(raw, _scope(scope))
    assert api[api > 0].astype(int).to_dict() == want.to_dict()


@pytest.mark.parametrize("scope", ["all", "2024", "EU"])
def test_sdg_profile_summary_states_the_metric_total(scope: str, demo_con, raw) -> None:
    """The profile's summary sentence states the activities with a primary goal, recounted."""
    df = queries.sdg_profile(demo_con, _filters(scope))
    df = df[df["value"] > 0]  # as the page draws it
    want = recount.sdg_primary_profile(raw, _scope(scope))
    assert df.attrs["total"] == want.sum()  # one primary goal per activity: the goals add up
    text = figures.summary_total_and_top(df, "label", "value", "Activities", "en")
    assert _summary_total(text) == want.sum()


@pytest.mark.parametrize(
    ("fig", "scope"), _params(["sdg_coverage"], ["all", "2024", "innovation", "EU"])
)
def test_sdg_coverage_matches_definition(fig: str, scope: str, demo_con, raw) -> None:
    """K24 per goal: distinct SDG targets of accepted tags of the entities in scope."""
    api = queries.sdg_coverage(demo_con, _filters(scope)).set_index("goal")["targets_covered"]
    want = recount.sdg_targets_by_goal(raw, _scope(scope))
    assert api[api > 0].astype(int).to_dict() == want.to_dict()


# ---------------------------------------------------------------- data quality page


@pytest.mark.parametrize(("fig", "scope"), _params(["timeliness"]))
def test_timeliness_matches_definition(fig: str, scope: str, demo_con, raw) -> None:
    """K30 on the data-quality page: count, lower median (D5) and mean beside it."""
    row = queries.timeliness(demo_con, _filters(scope)).iloc[0]
    want = recount.k30(raw, _scope(scope))
    got = (int(row["activities"]), float(row["median_lag_days"]), float(row["mean_lag_days"]))
    assert got[:2] == (want["n"], want["median"])
    assert math.isclose(got[2], want["mean"], rel_tol=1e-9)


@pytest.mark.parametrize(
    "table",
    [
        pytest.param(
            t,
            marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)
            if reason
            else (),
        )
        for t, reason in {
            "city": None,
            "cooperation": None,
            "activity": None,
            "participation": None,
            "output": None,
            "funding": None,
            "sdg_alignment": None,
        }.items()
    ],
)
def test_completeness_by_table_matches_dictionary(table: str, demo_con, raw) -> None:
    """K29 per table: required and optional cells (from the data dictionary) and filled cells."""
    api = queries.completeness_by_table(demo_con).set_index("table_name")
    want = recount.completeness(raw, table)
    got = api.loc[table, list(want)].astype(int).to_dict()
    assert got == want


def test_scope_is_a_copy_of_filters() -> None:
    """Every filter field the recount supports exists in Filters under the same name."""
    names = {f.name for f in dataclasses.fields(recount.Scope)}
    assert names <= {f.name for f in dataclasses.fields(Filters)}


# ---------------------------------------------------------------- overview sparklines (trend)

TREND = ("K02", "K03", "K04", "K08", "K10", "K20")


def _period_end(start: dt.date, period_type: str) -> dt.date:
    """Return the last day of the month, quarter or year starting at `start`."""
    months = {"month": 1, "quarter": 3, "year": 12}[period_type]
    return (pd.Timestamp(start) + pd.DateOffset(months=months) - pd.Timedelta(days=1)).date()


@pytest.mark.parametrize(("fig", "scope"), _params([f"trend.{k}" for k in TREND], ["all", "EU"]))
def test_kpi_trend_matches_definition(fig: str, scope: str, demo_con, raw) -> None:
    """Each year and quarter of the scorecard trend equals the recount for that period
    (K20: the running total to the period end)."""
    kpi = fig.split(".", 1)[1]
    exact, fn = DEFINITIONS[kpi]
    bad = []
    for period_type in ("year", "quarter"):
        df = queries.kpi_trend(demo_con, _filters(scope), (kpi,), period_type=period_type)
        assert not df.empty
        for row in df.itertuples():
            start = pd.Timestamp(row.period_start).date()
            s = dataclasses.replace(_scope(scope), start=start, end=_period_end(start, period_type))
            want = fn(raw, s)
            if not _same(row.value, want, exact=exact):
                bad.append((period_type, start.isoformat(), row.value, want))
    assert not bad, f"(period, start, API, definition): {bad}"


@pytest.mark.parametrize("indicator", ["K05", "K09"])
def test_organisation_sums_are_labelled_participations(indicator: str, demo_con) -> None:
    """D6: without organisation identifiers the figure is labelled 'organisation participations'."""
    cards = queries.kpi_scorecard(demo_con, Filters()).set_index("indicator_id")
    assert "participations" in str(cards.at[indicator, "label"]).lower()


# ---------------------------------------------------------------- more page tables


@pytest.mark.parametrize("scope", list(SCOPES))
def test_participation_by_type_modality_matches_definition(scope: str, demo_con, raw) -> None:
    """Participants per activity type and modality (participation page)."""
    api = queries.participation_by_type_modality(demo_con, _filters(scope))
    api = api[api["participants"] > 0].set_index(["activity_type", "modality"])
    want = recount.type_modality_table(raw, _scope(scope))
    assert not _frame_diff(api, want, ["participants"], [])


@pytest.mark.parametrize("by", ["source_type", "cooperation"])
@pytest.mark.parametrize("scope", list(SCOPES))
def test_funding_leveraged_matches_definition(scope: str, by: str, demo_con, raw) -> None:
    """Funding committed in the period per source type and per cooperation (cooperation page)."""
    api = queries.funding_leveraged(demo_con, _filters(scope), by=by).set_index("group_id")
    want = recount.funding_table(raw, _scope(scope), by)
    assert not _frame_diff(api, want, ["commitments"], ["amount_eur"])


@pytest.mark.parametrize("scope", ["all", "2024"])
def test_sdg_network_heatmap_matches_definition(scope: str, demo_con, raw) -> None:
    """Per network x goal: activities with the goal as accepted primary (SDG page heatmap)."""
    api = queries.sdg_network_heatmap(demo_con, _filters(scope))
    api = api[api["value"] > 0].set_index(["network_id", "goal"])["value"].astype(int)
    want = {
        (net, int(goal)): int(n)
        for net in sorted(set(raw.activities["network_id"]))
        for goal, n in recount.sdg_primary_profile(
            raw, dataclasses.replace(_scope(scope), network=(net,))
        ).items()
    }
    assert api.to_dict() == want


@pytest.mark.parametrize("scope", ["all", "innovation"])
def test_sdg_heatmap_summary_states_the_metric_total(scope: str, demo_con, raw) -> None:
    """The heatmap's sentence states the activities with a primary goal, recounted from the files."""
    df = queries.sdg_network_heatmap(demo_con, _filters(scope))
    want = recount.sdg_primary_profile(raw, _scope(scope))
    assert df.attrs["total"] == want.sum()
    text = figures.summary_heatmap(df, "network_label", "goal_label", "value", "en", "Activities")
    assert _summary_total(text) == want.sum()


@pytest.mark.parametrize("scope", ["all", "innovation"])
def test_sdg_targets_summary_states_the_metric_total(scope: str, demo_con, raw) -> None:
    """The target drill-down's sentence states the activities tagged with a target of the goal,
    recounted from the files."""
    want = int(recount.sdg_activities_with_target(raw, _scope(scope)).get(11, 0))
    df = queries.sdg_targets(demo_con, _filters(scope), 11, entity_type="activity")
    assert df.attrs["total"] == want > 0
    text = figures.summary_total_and_top(df, "target_id", "validated_entities", "Activities", "en")
    assert _summary_total(text) == want


@pytest.mark.parametrize("scope", ["all", "innovation"])
def test_sdg_tags_by_method_and_status_and_their_shares(scope: str, demo_con, raw) -> None:
    """The review card's tags per method and status, and its sentence's shares of every tag,
    recounted from the files."""
    want = recount.sdg_tags_by_method_status(raw, _scope(scope))
    df = queries.sdg_tags_by_method_status(demo_con, _filters(scope))
    assert df.set_index(["method", "status"])["tags"].to_dict() == want.to_dict()
    assert df.attrs["total"] == want.sum() > 0
    text = figures.summary_shares(df, "status", "tags", "en")
    by_status = want.groupby(level="status").sum()
    for status, n in by_status.items():
        assert f"{status}: {fmt_percent(100 * n / want.sum(), 'en')}" in text


# ---------------------------------------------------------------- cooperation page

COOPERATION_FIGURES = ["cooperations", "member_cities", "EU", "NA"]


@pytest.mark.parametrize("scope", ["all", "EU", "IT", "innovation", "pairing"])
def test_cooperation_network_figures_match_definition(scope: str, demo_con, raw) -> None:
    """The network map's summary (cooperations, member cities, by region) is the recount, and
    the page's sentence states exactly those metric-layer figures."""
    from dashboard import app  # noqa: F401  (register_page needs the app first)
    from dashboard.pages.cooperation import network_summary

    api = queries.network_figures(demo_con, _filters(scope))
    want = recount.cooperation_network(raw, _scope(scope))
    assert {k: api[k] for k in COOPERATION_FIGURES} == want
    text = network_summary(api, "x", "en")
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]
    assert numbers == [want[k] for k in COOPERATION_FIGURES], text


@pytest.mark.parametrize("scope", ["all", "2024", "EU", "innovation"])
def test_output_funnel_figures_match_definition(scope: str, demo_con, raw) -> None:
    """The funnel summary's stage counts and share adopted are the recount, and the chart's
    per-type rows add up to each stage's total (a sum over output types)."""
    api = queries.funnel_figures(demo_con, _filters(scope))
    want = recount.output_funnel(raw, _scope(scope))
    for key, value in want.items():
        assert _same(api[key], value, exact=key != "pct_adopted"), (key, api[key], value)
    chart = queries.output_funnel(demo_con, _filters(scope)).groupby("stage")["reached"].sum()
    assert {k: float(chart.get(k, 0)) for k in STAGES} == {k: api[k] for k in STAGES}


def test_one_cooperation_funnel_and_funding_match_definition(demo_con, raw) -> None:
    """The cooperation page's funnel and funding sentences for one cooperation: the recount."""
    coop = str(raw.outputs["cooperation_id"].dropna().sort_values().iloc[0])
    api = queries.funnel_figures(demo_con, Filters(), cooperation_id=coop)
    want = recount.output_funnel(raw, recount.Scope(), cooperation_id=coop)
    assert {k: api[k] for k in STAGES} == {k: float(want[k]) for k in STAGES}
    funding = queries.funding_figures(demo_con, Filters(), cooperation_id=coop)
    table = recount.funding_table(raw, recount.Scope(), "cooperation")
    row = table.loc[coop] if coop in table.index else pd.Series({"amount_eur": 0, "commitments": 0})
    assert round(funding["eur"], 2) == row["amount_eur"]
    assert funding["commitments"] == row["commitments"]


# ---------------------------------------------------------------- organisations (D6)


@pytest.mark.parametrize("scope", ["all", "2024", "IT", "pairing"])
@pytest.mark.parametrize("indicator", ["K05", "K09"])
def test_organisation_figures_match_definition(indicator: str, scope: str, demo_con, raw) -> None:
    """The D6 parts: exact distinct identified organisations, unidentified participations, the
    identified share; and the range the rule states from them."""
    api = queries.organisation_figures(demo_con, _filters(scope), indicator=indicator)
    want = recount.organisations(raw, _scope(scope), joint=indicator == "K09")
    assert (api["identified"], api["unidentified"]) == (want["identified"], want["unidentified"])
    assert _same(api["pct_identified"], want["pct_identified"], exact=False)
    if want["unidentified"] and want["identified"]:
        assert (api["rule"], api["low"], api["high"]) == (
            "range",
            want["identified"],
            want["identified"] + want["unidentified"],
        )
