"""Every figure of the periodic report, read from the metric layer (pipelines.queries) only.

`gather(con, scope, lang)` returns a `ReportData`: the KPI scorecard (the overview's query, with
its stored status rule), the same scorecard for the period before, each network's scorecard,
participation, SDG, benchmarking, outputs and funding, data quality and provenance, and the metric
declarations for the definitions appendix. Nothing here adds up, averages or divides a figure:
each one is a metric frame, a metric total or a query result as the dashboard shows it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import duckdb
import pandas as pd

from pipelines import queries
from pipelines.metrics.filters import FILTERS, Filters
from pipelines.queries.metrics import describe, groups, main_metric, metric_frame, metric_total
from pipelines.queries.options import FILTER_OPTIONS
from pipelines.report.scope import ReportScope, ScopeError

# the scorecard statuses the report names, worst first (the scorecard's own RAG rule, K28)
OFF_TRACK, AT_RISK = "red", "amber"
MOVERS = 3  # how many of the biggest movers the executive summary names


@dataclasses.dataclass(frozen=True)
class NetworkSection:
    """One thematic network's part of the report: its scorecard and its headline counts."""

    network_id: str
    label: str
    scorecard: pd.DataFrame
    new_outputs: float | None


@dataclasses.dataclass(frozen=True)
class ReportData:
    """The figures of one report, each as the metric layer returns it."""

    scope: ReportScope
    lang: str
    network_label: str | None
    city_name: str | None
    # declared filter -> labels of its chosen codes (the one network of `scope` apart), for the cover
    filter_labels: dict[str, list[str]]
    dates: dict[str, Any]
    scorecard: pd.DataFrame  # kpi_scorecard, KPIs with a value
    changes: pd.DataFrame  # kpi_changes against the period before
    new_outputs: float | None  # outputs_new in the period
    networks: list[NetworkSection]
    stakeholders: pd.DataFrame  # K04 by stakeholder type (groups)
    regions: pd.DataFrame  # K04 and K02 by country group (groups)
    sdg_targets: pd.DataFrame  # K24 by goal (groups)
    benchmark: dict[str, pd.DataFrame]  # peer group label -> benchmark_ranking
    funnel: pd.DataFrame  # output_funnel (empty for a city report)
    funding: pd.DataFrame  # funding_leveraged by source type (empty for a city report)
    runs: pd.DataFrame  # ingest_runs
    quarantine: pd.DataFrame  # quarantine_summary by entity
    definitions: list[dict[str, object]]  # describe() of each reported KPI's main metric


def kpi_changes(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Return each KPI's value now and in the period before, biggest relative movers first.

    Columns: indicator_id, label, unit, value, previous_value, change (value − previous, in the
    KPI's unit: points for a percentage), change_pct (relative change in %, None from zero or for
    a percentage KPI). Both values are the scorecard's own; nothing is recounted here.
    """
    both = current[["indicator_id", "label", "unit", "value"]].merge(
        previous[["indicator_id", "value"]].rename(columns={"value": "previous_value"}),
        on="indicator_id",
        how="inner",
    )
    both = both[both["value"].notna() & both["previous_value"].notna()].copy()
    both["change"] = both["value"] - both["previous_value"]
    relative = both["unit"].ne("percent") & both["previous_value"].ne(0)
    both["change_pct"] = (100 * both["change"] / both["previous_value"]).where(relative)
    # percentages move in points; rank them with the relative changes of the other units
    both["rank_key"] = both["change_pct"].abs().fillna(both["change"].abs().where(~relative))
    both = both[both["change"].ne(0)]
    out = both.sort_values(
        ["rank_key", "indicator_id"], ascending=[False, True], na_position="last"
    )
    return out.drop(columns="rank_key").reset_index(drop=True)


def _scorecard(
    con: duckdb.DuckDBPyConnection, filters: Filters, city: str | None, lang: str
) -> pd.DataFrame:
    frame = queries.kpi_scorecard(con, filters, city_id=city, lang=lang)
    return frame[frame["value"].notna()].reset_index(drop=True)


def filter_labels(
    con: duckdb.DuckDBPyConnection, filters: Filters, lang: str, *, skip: tuple[str, ...] = ()
) -> dict[str, list[str]]:
    """Return {declared filter: labels of its chosen codes} for every filter set in `filters`.

    Raises ScopeError naming the codes that are not among a filter's options.
    """
    unknown = queries.unknown_codes(con, filters)
    if unknown:
        raise ScopeError(
            "; ".join(f"unknown {name} {', '.join(codes)}" for name, codes in unknown.items())
        )
    out = {}
    for spec in FILTERS:
        chosen = getattr(filters, spec.name)
        if chosen and spec.name not in skip:
            options = FILTER_OPTIONS[spec.name](con, lang=lang)
            names = dict(
                zip(options["value"].astype(str), options["label"].astype(str), strict=True)
            )
            out[spec.name] = [names[code] for code in chosen]
    return out


def _labels(con: duckdb.DuckDBPyConnection, scope: ReportScope, lang: str) -> tuple[Any, Any]:
    networks = queries.network_options(con, lang=lang)
    network_label = None
    if scope.network is not None:
        found = networks[networks["value"] == scope.network]
        if found.empty:
            raise ScopeError(f"unknown network {scope.network!r}")
        network_label = str(found["label"].iloc[0])
    city_name = None
    if scope.city is not None:
        row = con.execute("select name from mart.city where city_id = ?", [scope.city]).fetchone()
        if row is None:
            raise ScopeError(f"unknown city {scope.city!r}")
        city_name = str(row[0])
    return network_label, city_name


def _benchmark(
    con: duckdb.DuckDBPyConnection, scope: ReportScope, networks: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Return the network peer groups' rankings: the city's own group, else each network's."""
    if scope.city is not None:
        ranking = queries.benchmark_ranking(con, scope.city, "network")
        return {"": ranking} if not ranking.empty else {}
    out = {}
    chosen = scope.filters().network
    for network_id, label in zip(networks["value"], networks["label"], strict=True):
        if not chosen or network_id in chosen:
            ranking = queries.benchmark_ranking(con, "", "network", peer_group_id=network_id)
            if not ranking.empty:
                out[str(label)] = ranking
    return out


def gather(con: duckdb.DuckDBPyConnection, scope: ReportScope, lang: str = "en") -> ReportData:
    """Return every figure of the report on `scope`, in `lang` labels, from the metric layer.

    Raises ScopeError for an unknown network or city.

    Example: ``gather(con, ReportScope(2025, quarter=3, network="innovation"), "fr")``
    """
    network_label, city_name = _labels(con, scope, lang)
    filters = scope.filters()
    labels = filter_labels(con, filters, lang, skip=("network",) if scope.network else ())
    city = (scope.city,) if scope.city else ()
    scorecard = _scorecard(con, filters, scope.city, lang)
    previous = _scorecard(con, scope.previous().filters(), scope.city, lang)
    networks = queries.network_options(con, lang=lang)
    sections = []
    if scope.city is None:
        for network_id, label in zip(networks["value"], networks["label"], strict=True):
            if filters.network and network_id not in filters.network:
                continue
            nf = dataclasses.replace(filters, network=(network_id,))
            sections.append(
                NetworkSection(
                    str(network_id),
                    str(label),
                    _scorecard(con, nf, None, lang),
                    metric_total(con, "outputs_new", nf),
                )
            )
    regions = groups(metric_frame(con, "K04", filters, by=("country_group",), city=city, lang=lang))
    cities = groups(metric_frame(con, "K02", filters, by=("country_group",), city=city, lang=lang))
    regions = regions.merge(
        cities[["country_group", "value"]].rename(columns={"value": "cities"}),
        on="country_group",
        how="outer",
    )
    empty = pd.DataFrame()
    return ReportData(
        scope=scope,
        lang=lang,
        network_label=network_label,
        city_name=city_name,
        filter_labels=labels,
        dates=queries.data_dates(con),
        scorecard=scorecard,
        changes=kpi_changes(scorecard, previous),
        new_outputs=metric_total(con, "outputs_new", filters, city=city),
        networks=sections,
        stakeholders=groups(
            metric_frame(con, "K04", filters, by=("stakeholder_type",), city=city, lang=lang)
        ),
        regions=regions,
        sdg_targets=groups(metric_frame(con, "K24", filters, by=("goal",), city=city, lang=lang)),
        benchmark=_benchmark(con, scope, networks),
        funnel=empty if city else queries.output_funnel(con, filters, lang=lang),
        funding=empty if city else queries.funding_leveraged(con, filters, lang=lang),
        runs=queries.ingest_runs(con, limit=50),
        quarantine=queries.quarantine_summary(con, by="entity"),
        definitions=[
            describe(mid)
            for mid in (main_metric(k) for k in scorecard["indicator_id"])
            if mid is not None
        ],
    )


def off_track(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Return the scorecard rows that are off track or at risk, worst achievement first."""
    rows = scorecard[scorecard["rag"].isin((OFF_TRACK, AT_RISK))]
    return rows.sort_values(["pct_achieved", "indicator_id"]).reset_index(drop=True)
