"""Who may see what through the web app: one guard per kind of data, replaced by sign-in (#14).

Until sign-in and roles exist every web client is anonymous (the public role, ARCHITECTURE.md §8):
published aggregates only. Raw quarantined records (the `raw_record` column: a rejected row as the
provider sent it) stay on the server, for the CLI and the analyst API; callbacks and exports of the
web app check `can_see_raw_records()` before serving them, not only the page layout.
"""

from __future__ import annotations

import pandas as pd

RAW_RECORD_COLUMNS = ("raw_record",)


def can_see_raw_records() -> bool:
    """Return True when the caller may see raw quarantined records (False: no sign-in yet)."""
    return False


def without_raw_records(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` without the raw-record columns unless the caller may see them."""
    if can_see_raw_records():
        return df
    return df.drop(columns=[c for c in RAW_RECORD_COLUMNS if c in df.columns])


# Published aggregates the public may read whole through the open-data API (/api/v1/tables):
# the marts the public pages draw from, without row-level registers that carry raw text
# (titles, descriptions, evidence links), file names or quarantined records. Every `ref.*`
# code list is public reference data.
PUBLIC_MARTS = frozenset(
    {
        "mart.activity_cube",
        "mart.calendar",
        "mart.city",
        "mart.city_benchmark",
        "mart.city_benchmark_score",
        "mart.city_context",
        "mart.city_peer_group",
        "mart.cooperation_edge",
        "mart.cooperation_summary",
        "mart.dq_city",
        "mart.dq_table_completeness",
        "mart.kpi_scorecard",
        "mart.participation_city_cube",
        "mart.participation_cube",
        "mart.participation_stakeholder_cube",
        "mart.participation_type_cube",
        "mart.sdg_activity_cube",
        "mart.sdg_goal_cube",
        "mart.sdg_primary_cube",
        "mart.sdg_review_cube",
        "mart.sdg_target_cube",
        "mart.timeliness_cube",
    }
)
PUBLIC_SCHEMAS = ("ref",)


def can_read_table(relation: str) -> bool:
    """Return True when the caller may read the whole relation `schema.name` (public: aggregates)."""
    schema, _, name = relation.partition(".")
    if not name:
        return False
    return relation in PUBLIC_MARTS or schema in PUBLIC_SCHEMAS


def readable_tables(relations: list[str]) -> list[str]:
    """Return the relations of `relations` the caller may read, in the order given."""
    return [r for r in relations if can_read_table(r)]
