""" "About this figure": what a figure means and where it comes from, one click away.

One component for the scorecard's KPI cards and the charts: definition, unit, formula, how it
combines, where and when it is counted, its target and deadline (a KPI card) and the ingest runs
it comes from with their rows loaded and quarantined. Everything is text (Dash escapes it); the
formula is the metric's declared expression, shown as code.
"""

from __future__ import annotations

import functools
import pickle
from typing import Any, cast

import pandas as pd
from dash import html

from dashboard import data, static_tree
from dashboard.i18n import fmt_date, fmt_number, t
from dashboard.static_tree import StaticTree
from pipelines.queries.metrics import describe, metric_entities


def metric_runs() -> pd.DataFrame:
    """Return the latest ingest runs (the provenance lists' source), or an empty frame when no
    warehouse is published yet."""
    try:
        return data.ingest_runs(limit=200)
    except FileNotFoundError:
        return pd.DataFrame()


SOURCES_SHOWN = 5  # the latest ingest runs listed under a figure
RUN_COLUMNS = ("entity", "file_name", "finished_at", "rows_loaded", "rows_quarantined")


def run_rows(runs: pd.DataFrame) -> list[tuple[Any, ...]]:
    """Return the ingest runs as plain rows (`RUN_COLUMNS`, in `runs`' order) for `about_metric`.

    A page that shows many figures (the scorecard: ~30 cards) converts its runs once and passes
    the rows: a pandas filter per card cost more than the cards themselves.
    """
    if runs.empty:
        return []
    return list(zip(*(runs[c].tolist() for c in RUN_COLUMNS), strict=True))


def about_metric(
    metric_id: str,
    lang: str,
    runs: pd.DataFrame | list[tuple[Any, ...]] | None = None,
    *,
    target: str | None = None,
    definition: str | None = None,
) -> StaticTree:
    """Return the "About this figure" disclosure of a declared metric: definition, unit,
    formula, how it combines, where and when it is counted, `target` (a KPI card's target and
    deadline, when given) and the files it comes from (rows loaded and quarantined): the
    latest of `runs` (a frame of ingest runs or its `run_rows`; else read here).

    One StaticTree (dashboard.static_tree): its `<details>` draws the content when first opened.

    Example: ``about_metric("K02", "fr", run_rows(runs))``
    """
    runs = metric_runs() if runs is None else runs
    rows = run_rows(runs) if isinstance(runs, pd.DataFrame) else runs
    entities = set(metric_entities(metric_id))
    latest = tuple(tuple(row[1:]) for row in rows if row[0] in entities)[:SOURCES_SHOWN]
    drawn = _drawn(metric_id, lang, latest, target, definition)
    return cast(StaticTree, pickle.loads(drawn))


# The scorecard shows ~30 disclosures per answer, each built from ~30 components (then frozen
# into one StaticTree), whose text depends only on these arguments: each is drawn once and kept
# pickled (our own objects, never read from outside), and every call unpickles its own copy
# (cheaper than building and freezing it again), so that nothing done to one answer's block can
# reach another's.
@functools.lru_cache(maxsize=4096)
def _drawn(
    metric_id: str,
    lang: str,
    latest: tuple[tuple[Any, ...], ...],
    target: str | None,
    definition: str | None,
) -> bytes:
    return pickle.dumps(_draw(metric_id, lang, latest, target, definition))


def _draw(
    metric_id: str,
    lang: str,
    latest: tuple[tuple[Any, ...], ...],
    target: str | None,
    definition: str | None,
) -> StaticTree:
    info = describe(metric_id)
    items: list[tuple[str, Any]] = [
        (t("kpi.about.definition", lang), definition or t(f"metric.{metric_id}", lang)),
        (t("kpi.about.unit", lang), t(f"munit.{info['unit']}", lang)),
        (t("kpi.about.formula", lang), html.Code(str(info["formula"]))),
        (t("kpi.about.combines", lang), t(f"add.{info['additivity']}", lang)),
        (t("kpi.about.where", lang), t(f"geo.{info['geography']}", lang)),
        (t("kpi.about.when", lang), t(f"time.{info['time_basis']}", lang)),
    ]
    if target is not None:
        items.append((t("kpi.about.target", lang), target))
    tag_filters = info["tag_filters"]
    if isinstance(tag_filters, list) and "review" in tag_filters:  # accepted tags unless switched
        items.append((t("filters.review", lang), t("sdg.basis.note", lang)))
    sources = [
        html.Li(
            t(
                "kpi.about.run",
                lang,
                file=str(file_name),
                date=fmt_date(finished_at, lang),
                loaded=fmt_number(loaded, lang),
                quarantined=fmt_number(quarantined, lang),
            )
        )
        for file_name, finished_at, loaded, quarantined in latest
    ]
    content = [
        html.Summary(t("kpi.about", lang)),
        html.Dl([part for term, text in items for part in (html.Dt(term), html.Dd(text))]),
        html.P(t("kpi.about.sources", lang), className="kpi-about-head"),
        html.Ul(sources) if sources else html.P(t("kpi.about.no_sources", lang)),
    ]
    # one StaticTree (dashboard.static_tree), its <details> drawing the content once opened
    return static_tree.frozen(
        html.Div(html.Details(content, className="kpi-about"), className="kpi-about-box")
    )
