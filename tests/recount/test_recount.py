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
from pipelines import queries
from pipelines.metrics.filters import Filters
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
KNOWN: dict[tuple[str, str], str] = {
    # D1: the global network is no cooperation
    ("K01", "all"): "API 22, definition 21 (D1: the global network counted)",
    ("K01", "2024"): "API 19, definition 18 (D1: the global network counted)",
    ("K01", "NA"): f"API 19, definition 20 ({HOSTLESS}; API: host only + global network)",
    ("K01", "IT"): f"API 4, definition 14 ({HOSTLESS}; API: host only + global network)",
    ("K03", "EU"): f"API 260, definition 539 ({HOSTLESS})",
    ("K03", "NA"): f"API 241, definition 520 ({HOSTLESS})",
    ("K03", "IT"): f"API 25, definition 215 ({HOSTLESS})",
    ("K03.pct_of_plan", "EU"): f"API 94.89 (260/274), definition 97.47 (539/553) ({HOSTLESS})",
    ("K03.pct_of_plan", "NA"): f"API 94.88 (241/254), definition 97.56 (520/533) ({HOSTLESS})",
    ("K11", "all"): "API 2.19697 (580/(22x12)), definition 2.11508 (533/(21x12)) (D1)",
    ("K11", "2024"): "API 3.27632 (249/(19x4)), definition 3.29167 (237/(18x4)) (D1)",
    ("K11", "EU"): f"API 0.77778 (196/252), definition 1.41667 (357/252) (D1, {HOSTLESS})",
    ("K11", "NA"): f"API 0.84211 (192/228), definition 1.49167 (358/240) (D1, {HOSTLESS})",
    ("K11", "IT"): f"API 0.5 (22/44), definition 0.67262 (113/168) (D1, {HOSTLESS})",
    ("K11.study_visit_person_days", "EU"): f"API 6255, definition 6200 ({PERSON_DAYS})",
    ("K11.study_visit_person_days", "NA"): f"API 6922, definition 6977 ({PERSON_DAYS})",
    ("K11.study_visit_person_days", "IT"): f"API 947, definition 666 ({PERSON_DAYS})",
    # D3: denominator only cooperations 12 months past support end, dates not months
    ("K22", "all"): "API 44.44 (12/27), definition 50.0 (9/18) (D3)",
    ("K22", "2024"): "API 62.5 (10/16), definition 56.25 (9/16) (D3: pair-pittsburgh-dortmund's "
    "last activity 2023-06-28 is before 2023-06-30 = support end + 12 months; months compared)",
    ("K22", "innovation"): "API 33.33 (2/6), definition 50.0 (2/4) (D3)",
    ("K22", "EU"): "API 44.44 (12/27), definition 50.0 (9/18) (D3)",
    ("K22", "NA"): "API 44.44 (12/27), definition 50.0 (9/18) (D3)",
    ("K22", "IT"): "API 25.0 (1/4), definition 50.0 (1/2) (D3)",
    ("K22", "pairing"): "API 55.56 (10/18), definition 56.25 (9/16) (D3)",
    ("K24", "EU"): f"API 35, definition 42 ({HOSTLESS}; {TAGGED}: 36 with host-only activities)",
    ("K24", "NA"): f"API 37, definition 42 ({HOSTLESS})",
    ("K24", "IT"): f"API 17, definition 33 ({HOSTLESS}; {TAGGED}: 18 with host-only activities)",
    ("K25", "EU"): f"API 60.22 (165/274), definition 61.30 ({HOSTLESS})",
    ("K25", "NA"): f"API 57.09 (145/254), definition 59.85 ({HOSTLESS})",
    ("K25", "IT"): f"API 68.0 (17/25), definition 60.93 ({HOSTLESS})",
    ("K26", "2024"): "API 65.76 (388/590), definition 64.86 (outputs and cooperations have no "
    "period in the definition; the API applies one: scope to agree)",
    ("K26", "EU"): f"API 64.35 (352/547), definition 64.62 ({HOSTLESS}; {TAGGED})",
    ("K26", "NA"): f"API 63.82 (284/445), definition 64.40 ({HOSTLESS}; {TAGGED})",
    ("K26", "IT"): f"API 61.43 (43/70), definition 63.56 ({HOSTLESS}; {TAGGED})",
    ("K26.agreement_rate", "2024"): "API 81.96 (318/388), definition 82.5 (period scope of "
    "outputs/cooperations)",
    ("K26.agreement_rate", "EU"): f"API 81.53, definition 80.12 ({HOSTLESS}; {TAGGED})",
    ("K26.agreement_rate", "NA"): f"API 82.75, definition 80.53 ({HOSTLESS}; {TAGGED})",
    ("K26.agreement_rate", "IT"): f"API 81.40, definition 78.22 ({HOSTLESS}; {TAGGED})",
    ("K29", "EU"): f"API 93.36 (3712/3976), definition 89.57 (7060/7882) ({HOSTLESS})",
    ("K29", "NA"): f"API 94.25 (3457/3668), definition 89.85 (6805/7574) ({HOSTLESS})",
    ("K29", "IT"): f"API 94.57 (331/350), definition 85.95 (2587/3010) ({HOSTLESS})",
    # D5: the headline is the lower median, not the mean
    ("K30", "all"): "API 25.667 (mean), definition 18 (lower median, D5)",
    ("K30", "2024"): "API 25.368 (mean), definition 19 (lower median, D5)",
    ("K30", "innovation"): "API 23.578 (mean), definition 17 (lower median, D5)",
    ("K30", "EU"): f"API 26.292 (mean of 260), definition 19 (D5, {HOSTLESS})",
    ("K30", "NA"): f"API 23.485 (mean of 241), definition 18 (D5, {HOSTLESS})",
    ("K30", "IT"): f"API 32.36 (mean of 25), definition 19 (D5, {HOSTLESS})",
    ("K30", "pairing"): "API 24.941 (mean), definition 17 (lower median, D5)",
    ("K30.median", "NA"): f"API 17, definition 18 ({HOSTLESS})",
    ("K30.median", "IT"): f"API 17, definition 19 ({HOSTLESS})",
    ("trend.K03", "EU"): f"API 74/100/86 per year 2023-2025, definition 145/222/172 ({HOSTLESS})",
    # page tables
    ("sdg_profile", "EU"): f"API 165 activities with a primary goal, definition 339 ({HOSTLESS})",
    ("sdg_coverage", "EU"): f"API 35 targets, definition 42 ({HOSTLESS}; {TAGGED})",
    ("timeliness", "EU"): f"API 260 activities, median 19; definition 539, median 19 ({HOSTLESS})",
    ("timeliness", "NA"): f"API 241 activities, median 17; definition 520, median 18 ({HOSTLESS})",
    ("timeliness", "IT"): f"API 25 activities, median 17; definition 215, median 19 ({HOSTLESS})",
}


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
    "K30.median": (True, lambda r, s: recount.k30(r, s)["median"]),
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


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="data as of: API gives the load time (e.g. 2026-11-29 14:55), definition gives "
    "2025-10-31, the latest activity reported_date (D4) — issue #12",
)
def test_data_as_of_is_latest_reported_date(demo_con, raw: recount.Raw) -> None:
    """queries.data_as_of is D4's date: the latest reported_date, not the load time."""
    got = queries.data_as_of(demo_con)
    got = got.date() if isinstance(got, dt.datetime) else got
    assert got == recount.data_as_of(raw)


def test_k22_programme_is_nine_of_eighteen(raw: recount.Raw) -> None:
    """The recount reproduces the catalogue's own D3 figure: 9 of 18 on the default demo."""
    assert recount.k22(raw, recount.Scope()) == {"numerator": 9, "denominator": 18, "value": 50.0}


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


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="participation page 'Cities' total: API sums monthly distinct counts per stakeholder "
    "type (all: 8,568 ≠ 60 distinct cities; 2024: 3,105 ≠ 60) — issue #12",
)
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


NETWORK_KNOWN = {
    "all": "ecological_transition cooperations: API 11, definition 10 (D1: global network)",
    "2024": "ecological_transition cooperations: API 9, definition 8 (D1: global network)",
    "EU": f"activities: API 117/43/100 (eco/innov/urban), definition 228/94/217 ({HOSTLESS})",
    "NA": f"activities: API 99/41/101, definition 210/92/218; innovation cooperations API 3, "
    f"definition 4 ({HOSTLESS})",
    "IT": f"activities: API 20/0/5, definition 98/30/87; cooperations API 2/0/2, definition "
    f"5/3/6 ({HOSTLESS})",
}


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
            "cooperation": "cooperation completeness: API counts 6 required columns (168 "
            "cells), the data dictionary 5 (140) — issue #12",
            "activity": "activity completeness: API counts reported_date as required (9 "
            "columns, 7,695 cells), the data dictionary 8 (6,840) — issue #12",
            "participation": None,
            "output": None,
            "funding": "funding completeness: API counts amount_eur as required (7 columns, "
            "322 cells), the data dictionary 6 required + 1 optional (276 + 46) — issue #12",
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


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="K05/K09 labels: API 'Participating organisations' / 'Organisations cooperating' "
    "present a sum of counts as organisations; D6 says 'organisation participations' — issue #12",
)
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
