"""The periodic KPI report in words, numbers and charts: HTML or PDF bytes for a scope and language.

The figures come from `pipelines.report.gather` (the metric layer); this module only words them
with the interface catalogue (`t`), formats them with the CLDR helpers of `dashboard.i18n`, draws
the charts with the dashboard's pure figure builders, exported as vector SVG by Plotly's static
export (`dashboard.static_charts`: kaleido, driving Debian's `chromium`), and hands everything to
the autoescaped templates of `pipelines.report`. It sits in the dashboard layer because it needs
the dashboard's strings and figure builders; the command line (`iurc report`) and the overview's "Download report" call it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboard import figures, static_charts
from dashboard.i18n import (
    N_,
    fmt_date,
    fmt_eur,
    fmt_number,
    fmt_percent,
    fmt_value,
    normalise_lang,
    t,
)
from dashboard.status import present, scorecard_summary, status_class, status_text, unrated_text
from pipelines.metrics.filters import Filters
from pipelines.report.gather import MOVERS, ReportData, gather, off_track
from pipelines.report.html import render_html, svg_data_uri
from pipelines.report.pdf import html_to_pdf, preload
from pipelines.report.scope import ReportScope

Format = Literal["pdf", "html"]
FORMATS: tuple[Format, ...] = ("pdf", "html")
MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}
CHART_WIDTH = 760  # px at 96 dpi: the text width of an A4 page with the report's margins
# the KPIs the "outputs and funding" section lists, from the scorecard
OUTPUT_KPIS = ("K12", "K13", "K14", "K15", "K16", "K17", "K18", "K19", "K20", "K21")

# The headings the templates (pipelines/report/templates/) word with t(): listed for `make i18n`
TEMPLATE_KEYS: tuple[str, ...] = (
    N_("report.achieved"),
    N_("report.as_of"),
    N_("report.benchmarking"),
    N_("report.benchmarking.band"),
    N_("report.benchmarking.none"),
    N_("report.benchmarking.score"),
    N_("report.benchmarking_note"),
    N_("report.cover_note"),
    N_("report.definitions"),
    N_("report.definitions.source"),
    N_("report.funding"),
    N_("report.funding.amount"),
    N_("report.funding.commitments"),
    N_("report.funding.source"),
    N_("report.kpi"),
    N_("report.loaded_on"),
    N_("report.networks"),
    N_("report.outputs"),
    N_("report.outputs.funnel"),
    N_("report.participation"),
    N_("report.participation.by_stakeholder"),
    N_("report.period"),
    N_("report.programme"),
    N_("report.quality"),
    N_("report.quality.entity"),
    N_("report.quality.file"),
    N_("report.quality.loaded"),
    N_("report.quality.loaded_on"),
    N_("report.quality.no_quarantine"),
    N_("report.quality.quarantine"),
    N_("report.quality.quarantined"),
    N_("report.quality.read"),
    N_("report.quality.runs"),
    N_("report.scope"),
    N_("report.scorecard"),
    N_("report.scorecard_note"),
    N_("report.sdg"),
    N_("report.sdg.targets_by_goal"),
    N_("report.status"),
    N_("report.summary"),
    N_("report.summary.movers"),
    N_("report.summary.new"),
    N_("report.summary.no_movers"),
    N_("report.summary.none_off_track"),
    N_("report.summary.off_track"),
    N_("report.synthetic"),
    N_("report.target"),
    N_("report.toc"),
)


def _chart(fig: go.Figure, rows: int) -> str:
    return svg_data_uri(static_charts.svg(fig, CHART_WIDTH, max(220, 60 + 28 * rows)))


def period_text(scope: ReportScope, lang: str) -> str:
    """Return the reported period in words: '2025' or 'Q3 2025'."""
    if scope.quarter is None:
        return t("report.period.year", lang, year=scope.year)
    return t("report.period.quarter", lang, quarter=scope.quarter, year=scope.year)


def period_span(scope: ReportScope, lang: str) -> str:
    """Return the first and last day of the period: '1 July 2025 – 30 September 2025'."""
    return t(
        "report.period.span", lang, start=fmt_date(scope.start, lang), end=fmt_date(scope.end, lang)
    )


def scope_text(data: ReportData, lang: str) -> str:
    """Return the place reported: the programme, a network or a city, in words."""
    if data.city_name:
        return t("report.scope.city", lang, city=data.city_name)
    if data.network_label:
        return t("report.scope.network", lang, network=data.network_label)
    return t("report.scope.programme", lang)


def scope_line(data: ReportData, lang: str) -> str:
    """Return the cover's scope line: the place, then every other filter the report honours
    ('Whole programme; Region: Europe; Challenge: Digital transition')."""
    items = [
        t("filters.item", lang, label=t(f"filters.{name}", lang), values=", ".join(labels))
        for name, labels in data.filter_labels.items()
    ]
    return "; ".join([scope_text(data, lang), *items])


def scorecard_rows(
    scorecard: pd.DataFrame, lang: str, *, explain_unrated: bool = True
) -> list[dict[str, Any]]:
    """Return the scorecard as table rows: value, target (or why unrated), % achieved, status.

    Without `explain_unrated` an unrated target is a dash (the network sections: the programme
    scorecard above them says why).
    """
    rows = []
    for _, row in scorecard.iterrows():
        rated = present(row["target_value"])
        rows.append(
            {
                "id": row["indicator_id"],
                "label": row["label"],
                "value": fmt_value(row["value"], row["unit"], lang),
                "target": fmt_value(row["target_value"], row["unit"], lang)
                if rated
                else (unrated_text(row, lang) if explain_unrated else "–"),
                "rated": rated or not explain_unrated,  # False: the target cell holds words
                "achieved": fmt_percent(row["pct_achieved"], lang)
                if present(row["pct_achieved"])
                else "–",
                "status": status_text(row["rag"], lang),
                "cls": status_class(row["rag"]),
            }
        )
    return rows


def _change_text(row: pd.Series, lang: str) -> str:
    before = fmt_value(row["previous_value"], row["unit"], lang)
    now = fmt_value(row["value"], row["unit"], lang)
    if present(row["change_pct"]):
        sign = "+" if row["change"] > 0 else "−"
        how = t("report.change.pct", lang, pct=sign + fmt_percent(abs(row["change_pct"]), lang))
    else:
        sign = "+" if row["change"] > 0 else "−"
        how = t("report.change.points", lang, points=sign + fmt_number(abs(row["change"]), lang, 1))
    return t(
        "report.summary.mover",
        lang,
        kpi=f"{row['indicator_id']} {row['label']}",
        before=before,
        now=now,
        change=how,
    )


def _value_of(scorecard: pd.DataFrame, indicator: str) -> float | None:
    found = scorecard.loc[scorecard["indicator_id"] == indicator, "value"]
    return float(found.iloc[0]) if len(found) and present(found.iloc[0]) else None


def summary(data: ReportData, lang: str) -> dict[str, Any]:
    """Return the executive summary: statuses, KPIs off track and at risk, movers, new outputs."""
    lines = [
        {
            "status": status_text(row["rag"], lang),
            "cls": status_class(row["rag"]),
            "text": t(
                "report.summary.behind",
                lang,
                kpi=f"{row['indicator_id']} {row['label']}",
                value=fmt_value(row["value"], row["unit"], lang),
                target=fmt_value(row["target_value"], row["unit"], lang),
                pct=fmt_percent(row["pct_achieved"], lang),
            ),
        }
        for _, row in off_track(data.scorecard).iterrows()
    ]
    return {
        "status": scorecard_summary(data.scorecard, lang),
        "off_track": lines,
        "movers": [
            _change_text(row, lang)
            for _, row in data.changes.head(MOVERS).iterrows()
            if present(row["change"])
        ],
        "new": t(
            "report.summary.new_text",
            lang,
            outputs=fmt_number(data.new_outputs, lang),
            cooperations=fmt_number(_value_of(data.scorecard, "K01"), lang),
        ),
    }


def _network(section: Any, lang: str) -> dict[str, Any]:
    return {
        "label": section.label,
        "summary": t(
            "report.network.summary",
            lang,
            status=scorecard_summary(section.scorecard, lang),
            outputs=fmt_number(section.new_outputs, lang),
        ),
        "rows": scorecard_rows(section.scorecard, lang, explain_unrated=False),
    }


def _participation(data: ReportData, lang: str) -> dict[str, Any]:
    k04 = _value_of(data.scorecard, "K04")
    k02 = _value_of(data.scorecard, "K02")
    k08 = _value_of(data.scorecard, "K08")
    stakeholders = data.stakeholders
    chart = None
    if not stakeholders.empty:
        fig = figures.bar(stakeholders, "stakeholder_type_label", "value", lang, horizontal=True)
        chart = _chart(fig, len(stakeholders))
    return {
        "summary": t(
            "report.participation.text",
            lang,
            participations=fmt_number(k04, lang),
            cities=fmt_number(k02, lang),
            women=fmt_percent(k08, lang),
        ),
        "chart": chart,
        "chart_alt": figures.summary_total_and_top(
            stakeholders, "stakeholder_type_label", "value", t("axis.participations", lang), lang
        )
        if not stakeholders.empty
        else "",
        "regions": [
            {
                "label": row["country_group_label"],
                "participations": fmt_number(row["value"], lang),
                "cities": fmt_number(row["cities"], lang),
            }
            for _, row in data.regions.iterrows()
        ],
    }


def _sdg(data: ReportData, lang: str) -> dict[str, Any]:
    goals = data.sdg_targets.copy()
    chart = None
    if not goals.empty:
        goals["goal_text"] = [
            f"{int(g)} · {label}"
            for g, label in zip(goals["goal"], goals["goal_label"], strict=True)
        ]
        chart = _chart(figures.bar(goals, "goal_text", "value", lang, horizontal=True), len(goals))
    return {
        "summary": t(
            "report.sdg.text",
            lang,
            targets=fmt_number(_value_of(data.scorecard, "K24"), lang),
            share=fmt_percent(_value_of(data.scorecard, "K25"), lang),
        ),
        "chart": chart,
        "chart_alt": figures.summary_total_and_top(
            goals, "goal_text", "value", t("report.sdg.targets_by_goal", lang), lang
        )
        if chart
        else "",
    }


def _benchmark(data: ReportData, lang: str) -> list[dict[str, Any]]:
    out = []
    for title, ranking in data.benchmark.items():
        rows = ranking if data.scope.city else ranking[ranking["rank_band"] == 1]
        out.append(
            {
                "title": title,
                "rows": [
                    {
                        "name": row["name"],
                        "score": fmt_number(row["score"], lang, 1),
                        "band": t(f"bench.band.{int(row['rank_band'])}", lang)
                        if present(row["rank_band"])
                        else "–",
                        "selected": bool(row["is_selected"]),
                    }
                    for _, row in rows.iterrows()
                ],
            }
        )
    return out


def _outputs(data: ReportData, lang: str) -> dict[str, Any]:
    listed = data.scorecard[data.scorecard["indicator_id"].isin(OUTPUT_KPIS)]
    parts = "; ".join(
        t(
            "filters.item",
            lang,
            label=row["label"],
            values=fmt_value(row["value"], row["unit"], lang),
        )
        for _, row in listed.iterrows()
    )
    funnel = None
    if not data.funnel.empty and data.funnel["reached"].sum():
        funnel = _chart(figures.output_funnel(data.funnel, lang), 10)
    return {
        "summary": t("report.outputs.text", lang, outputs=fmt_number(data.new_outputs, lang))
        + (" " + parts + "." if parts else ""),
        "funnel": funnel,
        "funnel_alt": t("report.outputs.funnel", lang),
        "funding_summary": t(
            "report.funding.text", lang, amount=fmt_eur(_value_of(data.scorecard, "K20"), lang)
        ),
        "funding": [
            {
                "label": row["label"],
                "amount": fmt_eur(row["amount_eur"], lang),
                "commitments": fmt_number(row["commitments"], lang),
            }
            for _, row in data.funding.iterrows()
        ],
    }


def _quality(data: ReportData, lang: str) -> dict[str, Any]:
    return {
        "summary": t(
            "report.quality.text",
            lang,
            completeness=fmt_percent(_value_of(data.scorecard, "K29"), lang),
            delay=fmt_number(_value_of(data.scorecard, "K30"), lang),
        ),
        "runs": [
            {
                "file": row["file_name"],
                "entity": t(f"entity.{row['entity']}", lang),
                "finished": fmt_date(row["finished_at"], lang),
                "read": fmt_number(row["rows_read"], lang),
                "loaded": fmt_number(row["rows_loaded"], lang),
                "quarantined": fmt_number(row["rows_quarantined"], lang),
            }
            for _, row in data.runs.iterrows()
        ],
        "quarantine": [
            {"entity": t(f"entity.{row['group_id']}", lang), "rows": fmt_number(row["rows"], lang)}
            for _, row in data.quarantine.iterrows()
        ],
    }


def _definitions(data: ReportData, lang: str) -> list[dict[str, Any]]:
    labels = dict(zip(data.scorecard["indicator_id"], data.scorecard["label"], strict=True))
    return [
        {
            "id": d["indicator"] or d["id"],
            "label": labels.get(str(d["indicator"]), d["label"]),
            "definition": t(f"metric.{d['indicator']}", lang),
            "combines": t(f"add.{d['additivity']}", lang),
            "where": t(f"geo.{d['geography']}", lang),
            "when": t(f"time.{d['time_basis']}", lang),
            "source": d["source_relation"],
        }
        for d in data.definitions
    ]


def context(data: ReportData, lang: str, created: dt.datetime | None = None) -> dict[str, Any]:
    """Return everything the report templates show, worded and formatted in `lang`."""
    period = period_text(data.scope, lang)
    where = scope_text(data, lang)
    title = t("report.title", lang, scope=where, period=period)
    sections = [
        ("summary", "report.summary"),
        ("scorecard", "report.scorecard"),
        *([("networks", "report.networks")] if data.networks else []),
        ("participation", "report.participation"),
        ("sdg", "report.sdg"),
        ("benchmarking", "report.benchmarking"),
        ("outputs", "report.outputs"),
        ("quality", "report.quality"),
        ("definitions", "report.definitions"),
    ]
    return {
        "lang": lang,
        "title": title,
        "author": t("report.author", lang),
        "description": t("report.description", lang, scope=where, period=period),
        "created": (created or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "scope_text": scope_line(data, lang),
        "period_text": period,
        "period_span": period_span(data.scope, lang),
        "as_of": fmt_date(data.dates.get("as_of"), lang),
        "loaded_on": fmt_date(data.dates.get("loaded_on"), lang),
        "synthetic": bool(data.dates.get("synthetic")),
        "toc": [{"id": sid, "title": t(key, lang)} for sid, key in sections],
        "summary": summary(data, lang),
        "scorecard": scorecard_rows(data.scorecard, lang),
        "networks": [_network(s, lang) for s in data.networks],
        "participation": _participation(data, lang),
        "sdg": _sdg(data, lang),
        "benchmark": _benchmark(data, lang),
        "outputs": _outputs(data, lang),
        "quality": _quality(data, lang),
        "definitions": _definitions(data, lang),
    }


def build_report(
    con: duckdb.DuckDBPyConnection,
    scope: ReportScope,
    lang: str = "en",
    fmt: Format = "pdf",
) -> bytes:
    """Return the periodic KPI report on `scope` in `lang` as PDF or HTML (UTF-8) bytes.

    Raises ScopeError for an unknown network or city.

    Example: ``build_report(con, ReportScope(2025, quarter=3), "fr", "pdf")``
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    lang = normalise_lang(lang)
    # the browser boots and WeasyPrint imports while the metric layer answers (both idempotent)
    static_charts.start()
    if fmt == "pdf":
        preload()
    text: Callable[..., str] = lambda key, **values: t(key, lang, **values)  # noqa: E731
    html = render_html(context(gather(con, scope, lang), lang), text)
    return html_to_pdf(html) if fmt == "pdf" else html.encode("utf-8")


def scope_from_filters(filters: Filters, as_of: dt.date | None) -> ReportScope:
    """Return the report scope of the dashboard's filters: their period as a year, or a quarter
    when it is exactly one; one network when exactly one is chosen; every other declared filter
    (several networks, subtheme, region, country, mode, challenge) as the scope's codes. Without
    a period, the year of the data's as-of date.
    """
    start, end = filters.start, filters.end
    year = (end or start or as_of or dt.date.today()).year
    quarter = None
    if start and end and start.year == end.year:
        scope = ReportScope(start.year, quarter=(start.month - 1) // 3 + 1)
        if (start, end) == (scope.start, scope.end):
            year, quarter = start.year, scope.quarter
    network = filters.network[0] if len(filters.network) == 1 else None
    codes = dataclasses.replace(filters, start=None, end=None)
    return ReportScope(year, quarter=quarter, network=network, codes=codes)


def file_name(scope: ReportScope, lang: str, fmt: Format) -> str:
    """Return the download name of a report: iurc-report-2025-Q3-innovation-fr.pdf."""
    narrowed = "filtered" if scope.codes != Filters(network=scope.codes.network) else ""
    parts = ["iurc-report", scope.period_code, scope.network or "", scope.city or "", narrowed]
    parts.append(lang)
    return "-".join(p for p in parts if p) + f".{fmt}"
