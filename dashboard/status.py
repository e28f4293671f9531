"""A KPI's status (the scorecard's RAG rule) in symbol, word and colour, and the count per status.

Shared by the overview's scorecard and the periodic report, so both say a status the same way:
shape as well as colour, and a word (rag.green = "On track", rag.amber = "At risk",
rag.red = "Off track", rag.none = "Not rated").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard.i18n import fmt_date, fmt_value, t

RAG_CLASSES = {"green": "green", "amber": "amber", "red": "red"}
RAG_SYMBOLS = {"green": "✓", "amber": "!", "red": "✕"}  # shape as well as colour
NO_STATUS_SYMBOL = "–"
# the colours of dashboard/assets/10-iurc.css (--rag-*), contrast ≥ 4.5:1 on white
RAG_COLOURS = {"green": "#1a7434", "amber": "#9a4f00", "red": "#b3261e", "none": "#5f6368"}


def status_class(rag: object) -> str:
    """Return the status class of a scorecard `rag` value: green, amber, red or none."""
    return RAG_CLASSES.get(str(rag), "none")


def status_text(rag: object, lang: str) -> str:
    """Return a status as its symbol and word, e.g. '✕ Off track'."""
    kind = status_class(rag)
    return f"{RAG_SYMBOLS.get(kind, NO_STATUS_SYMBOL)} {t(f'rag.{kind}', lang)}"


def scorecard_summary(df: pd.DataFrame, lang: str) -> str:
    """Return the count of KPIs per status, as read to screen readers."""
    if df.empty:
        return t("card.empty_hint", lang)
    counts = df["rag"].value_counts()
    return t(
        "sum.scorecard",
        lang,
        n=len(df),
        green=counts.get("green", 0),
        amber=counts.get("amber", 0),
        red=counts.get("red", 0),
        none=len(df) - sum(counts.get(k, 0) for k in RAG_CLASSES),
    )


def present(value: Any) -> bool:
    """Return True when a scorecard cell holds a value (not None, NaN or NaT)."""
    return (
        value is not None
        and not (isinstance(value, float) and pd.isna(value))
        and value is not pd.NaT
    )


def unrated_text(row: pd.Series | Mapping[str, Any], lang: str) -> str:
    """Return why a card is not rated and which target to look at instead, in words."""
    reason = row.get("unrated_reason")
    if not present(reason):
        return t("kpi.no_target", lang)
    words = t(f"kpi.unrated.{reason}", lang)
    if present(row.get("fallback_target_value")):
        words += " " + t(
            "kpi.fallback",
            lang,
            scope=t(f"kpi.scope.{row['fallback_scope_type']}", lang),
            value=fmt_value(row["fallback_target_value"], row["unit"], lang),
            date=fmt_date(row["fallback_target_period_end"], lang),
        )
    return words
