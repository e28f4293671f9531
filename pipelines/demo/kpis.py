"""Demo KPI targets and reported observations.

Targets are set from the generated data so the scorecard shows a mix of green, amber and red:
each KPI gets an achievement ratio from RATIOS (shuffled by the seed) and its target is the
estimated actual divided by that ratio (multiplied, for lower-is-better KPIs)."""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from pipelines import config
from pipelines.demo.activities import Participations
from pipelines.demo.programme import AS_OF
from pipelines.demo.ref import DemoRef

PERIOD_END = pd.Timestamp("2025-12-31").date()
# achievement ratios: >= 0.9 green, 0.6-0.9 amber, < 0.6 red
RATIOS = np.array([1.12, 1.0, 0.95, 0.92, 0.85, 0.78, 0.7, 0.64, 0.55, 0.45])
PROGRAMME_KPIS = [
    "K01",
    "K02",
    "K03",
    "K04",
    "K05",
    "K06",
    "K08",
    "K09",
    "K10",
    "K12",
    "K13",
    "K14",
    "K15",
    "K16",
    "K17",
    "K18",
    "K19",
    "K20",
    "K21",
    "K22",
    "K23",
    "K24",
    "K26",
    "K27",
    "K30",
]
NETWORK_KPIS = ["K03", "K04", "K08", "K12", "K16", "K17", "K18", "K23"]
CUMULATIVE_KPI = "K20"  # reported per quarter as a running total, with forecasts
FORECAST_QUARTERS = 5


def _estimates(
    network: str | None,
    acts: pd.DataFrame,
    parts: Participations,
    outputs: pd.DataFrame,
    funding: pd.DataFrame,
    sdg: pd.DataFrame,
    year: int | None = None,
) -> dict[str, float]:
    """Return rough actuals of the KPIs for one network's activities and outputs (or, with
    network None, the programme's); with a year, flow KPIs count that year's activities and
    cumulative ones (outputs, funding) what was reached by its end, as the scorecard does."""
    completed = (acts["status"] == "completed").to_numpy()
    act_sel = (
        completed if network is None else completed & (acts["network_id"] == network).to_numpy()
    )
    if year is not None:
        act_sel = act_sel & (pd.to_datetime(acts["end_date"]).dt.year == year).to_numpy()
        year_end = pd.Timestamp(f"{year}-12-31")
        outputs = outputs.copy()
        for column in ("developed_date", "implemented_date", "adopted_date"):
            outputs[column] = outputs[column].where(pd.to_datetime(outputs[column]) <= year_end)
        funding = funding[pd.to_datetime(funding["committed_date"]) <= year_end]
    row_sel = act_sel[parts.activity]
    participants = parts.participants[row_sel]
    women = parts.women[row_sel]
    declared = women >= 0
    cap = parts.completions[row_sel] >= 0
    out = outputs if network is None else outputs[outputs["network_id"] == network]
    live = out["status"] != "abandoned"

    def n_type(kind: str, column: str) -> float:
        return float(((out["output_type"] == kind) & live & out[column].notna()).sum())

    government = np.isin(
        parts.stakeholder_ids[parts.stakeholder[row_sel]],
        ["local_government", "regional_government"],
    )
    fund = funding[funding["output_id"].isin(out["output_id"])]
    accepted = sdg[(sdg["status"] == "accepted") & sdg["target_id"].notna()]
    auto = sdg[sdg["method"] != "manual"]
    ended = acts.loc[act_sel]
    lag = (pd.to_datetime(ended["reported_date"]) - pd.to_datetime(ended["end_date"])).dt.days
    return {
        "K01": float(acts.loc[act_sel, "cooperation_id"].nunique()),
        "K02": float(len(np.unique(parts.city[row_sel]))),
        "K03": float(act_sel.sum()),
        "K04": float(participants.sum()),
        "K05": _distinct_organisations(parts, row_sel),
        "K06": 100.0 * participants[~government].sum() / max(participants.sum(), 1),
        "K08": 100.0 * women[declared].sum() / max(participants[declared].sum(), 1),
        "K09": 0.8 * _distinct_organisations(parts, row_sel),
        "K10": float(participants[cap].sum()),
        "K12": n_type("action_plan", "developed_date"),
        "K13": n_type("pilot", "developed_date"),
        "K14": n_type("solution", "developed_date"),
        "K15": n_type("agreement", "adopted_date"),
        "K16": n_type("knowledge_product", "developed_date"),
        "K17": n_type("action_plan", "adopted_date"),
        "K18": n_type("pilot", "implemented_date"),
        "K19": n_type("solution", "adopted_date"),
        "K20": float(fund["amount_eur"].sum()),
        "K21": n_type("policy_change", "adopted_date"),
        "K22": 55.0,
        "K23": 68.0,
        "K24": float(accepted["target_id"].nunique()),
        "K26": 100.0 * (auto["status"] != "suggested").mean() if len(auto) else 50.0,
        "K27": 100.0 * out.loc[live, "framework_id"].notna().mean() if live.any() else 50.0,
        "K30": float(lag.mean()) if len(lag) else 30.0,
    }


def _distinct_organisations(parts: Participations, row_sel: np.ndarray) -> float:
    """Return distinct identified organisations plus the organisation count of rows naming none."""
    org = parts.organisation[row_sel]
    return float(len(np.unique(org[org >= 0])) + parts.organisations[row_sel][org < 0].sum())


GENDER_KPI, PARITY = "K08", 50.0
MILESTONE_YEARS = (2023, 2024)  # yearly milestones before the final target (end of 2025)


def _target_value(kpi: str, actual: float, ratio: float, unit: str, direction: str) -> float:
    if kpi == GENDER_KPI:
        return PARITY  # the usual target is parity, whatever the ratio drawn
    value = actual * ratio if direction == "lower" else actual / ratio
    if unit == "percent":
        return round(min(value, 95.0), 1)
    if unit == "eur":
        return float(max(round(value, -4), 10_000))
    if unit in {"days", "score", "index"}:
        return round(value, 1)
    if unit == "quarter_rate":  # K11, e.g. 2.6 activities per cooperation per quarter
        return round(value, 2)
    return float(max(round(value), 1))


def build_targets(
    ref: DemoRef,
    acts: pd.DataFrame,
    parts: Participations,
    outputs: pd.DataFrame,
    funding: pd.DataFrame,
    sdg: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Return programme- and network-level targets for the KPIs that have a catalogue entry."""
    ind = ref.indicator.set_index("indicator_id")
    rows = []
    scopes: list[tuple[str, str, list[str], str | None]] = [
        ("programme", config.PROGRAMME_ID, PROGRAMME_KPIS, None)
    ]
    for net in ref.network["network_id"]:
        scopes.append(("network", net, NETWORK_KPIS, net))
    for scope_type, scope_id, kpis, net_sel in scopes:
        est = _estimates(net_sel, acts, parts, outputs, funding, sdg)
        kpis = [k for k in kpis if k in ind.index and k in est]
        ratios = np.resize(rng.permutation(RATIOS), len(kpis))
        for kpi, ratio in zip(kpis, ratios, strict=True):
            unit, direction = ind.at[kpi, "unit"], ind.at[kpi, "direction"]
            target = _target_value(kpi, max(est[kpi], 1.0), float(ratio), str(unit), str(direction))
            baseline = (
                round(est[kpi] * 0.7, 1)
                if unit == "percent"
                else (None if direction == "lower" else 0.0)
            )
            rows.append((kpi, scope_type, scope_id, PERIOD_END, baseline, target))
    # yearly milestones (targets with an earlier period_end) for the programme and each network:
    # what the scorecard of that year shows (flow KPIs the year's figure, cumulative ones the total
    # by its end, percentages the level), at the scope's own ratio so the years tell one story
    for scope_type, scope_id, kpis, net_sel in scopes:
        final = {r[0] for r in rows if r[1] == scope_type and r[2] == scope_id}
        for year in MILESTONE_YEARS:
            est = _estimates(net_sel, acts, parts, outputs, funding, sdg, year=year)
            year_ratios = np.resize(rng.permutation(RATIOS), len(kpis))
            for kpi, ratio in zip(kpis, year_ratios, strict=True):
                if kpi not in est or kpi not in final:
                    continue
                unit, direction = ind.at[kpi, "unit"], ind.at[kpi, "direction"]
                target = _target_value(
                    kpi, max(est[kpi], 1.0), float(ratio), cast(str, unit), cast(str, direction)
                )
                baseline = None if direction == "lower" or unit == "percent" else 0.0
                rows.append(
                    (
                        kpi,
                        scope_type,
                        scope_id,
                        pd.Timestamp(f"{year}-12-31").date(),
                        baseline,
                        target,
                    )
                )
    return pd.DataFrame(
        rows,
        columns=[
            "indicator_id",
            "scope_type",
            "scope_id",
            "period_end",
            "baseline",
            "target_value",
        ],
    )


def _quarters(first: str, count: int) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    starts = pd.date_range(first, periods=count, freq="QS")
    return [(s, s + pd.offsets.QuarterEnd(0)) for s in starts]


def build_observations(
    ref: DemoRef, funding: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Return reported KPI values: the cumulative funding KPI per quarter (actuals to the
    reporting cut-off, then forecasts), and survey-based K22/K23 per year and network."""
    ind = set(ref.indicator["indicator_id"])
    rows = []
    as_of = pd.Timestamp(AS_OF)
    if CUMULATIVE_KPI in ind:
        committed = pd.to_datetime(funding["committed_date"])
        actual_q = [q for q in _quarters("2023-01-01", 12) if q[1] <= as_of]
        running = 0.0
        for start, end in actual_q:
            running = float(funding.loc[committed <= end, "amount_eur"].sum())
            rows.append(
                (
                    CUMULATIVE_KPI,
                    "programme",
                    config.PROGRAMME_ID,
                    start.date(),
                    end.date(),
                    round(running, 2),
                    "actual",
                )
            )
        per_quarter = running / max(len(actual_q), 1)
        last_end = actual_q[-1][1] if actual_q else pd.Timestamp("2022-12-31")
        for start, end in _quarters(
            (last_end + pd.Timedelta(days=1)).strftime("%Y-%m-%d"), FORECAST_QUARTERS
        ):
            running += per_quarter * rng.uniform(0.8, 1.1)
            rows.append(
                (
                    CUMULATIVE_KPI,
                    "programme",
                    config.PROGRAMME_ID,
                    start.date(),
                    end.date(),
                    round(running, -3),
                    "forecast",
                )
            )
    scopes = [("programme", config.PROGRAMME_ID)] + [
        ("network", n) for n in ref.network["network_id"]
    ]
    for kpi, base in (("K23", 62.0), ("K22", 48.0)):
        if kpi not in ind:
            continue
        for scope_type, scope_id in scopes if kpi == "K23" else scopes[:1]:
            level = base + rng.normal(0, 6)
            for year, kind in ((2023, "actual"), (2024, "actual"), (2025, "forecast")):
                level = float(np.clip(level + rng.normal(3, 3), 5, 98))
                rows.append(
                    (
                        kpi,
                        scope_type,
                        scope_id,
                        pd.Timestamp(f"{year}-01-01").date(),
                        pd.Timestamp(f"{year}-12-31").date(),
                        round(level, 1),
                        kind,
                    )
                )
    return pd.DataFrame(
        rows,
        columns=[
            "indicator_id",
            "scope_type",
            "scope_id",
            "period_start",
            "period_end",
            "value",
            "value_kind",
        ],
    )
