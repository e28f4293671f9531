"""Who may see and do what through the web app: the one place that decides (ARCHITECTURE.md §8).

The caller is the user Flask-Login has for the current request (a local account signed in with
its session cookie, or an identity header from the configured SSO proxy; see `dashboard.auth`).
Outside a request (tests, the CLI) and when nobody is signed in, the role is `public`:
published aggregates only. Raw quarantined records (the `raw_record` column: a rejected row as
the provider sent it) and drafts are for programme officers and admins; city editors see their
own cities' submissions. Callbacks, exports and the API call these functions before serving
data, not only the page layouts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
from flask import has_request_context

RAW_RECORD_COLUMNS = ("raw_record",)
PUBLIC = "public"
CITY_EDITOR = "city_editor"
OFFICER = "programme_officer"
ADMIN = "admin"


def _user() -> Any | None:
    """Return the signed-in user of the current request, or None."""
    if not has_request_context():
        return None
    from flask_login import current_user

    if not getattr(current_user, "is_authenticated", False):
        return None
    return current_user


def current_role() -> str:
    """Return the caller's role: public, city_editor, programme_officer or admin."""
    user = _user()
    return str(user.role) if user is not None else PUBLIC


def current_username() -> str | None:
    """Return the signed-in user's name, or None for the public."""
    user = _user()
    return str(user.username) if user is not None else None


def allowed_cities() -> tuple[str, ...] | None:
    """Return the city ids the caller may act for: None means every city, () none."""
    role = current_role()
    if role in (OFFICER, ADMIN):
        return None
    user = _user()
    if role == CITY_EDITOR and user is not None:
        return tuple(user.cities)
    return ()


def can_see_raw_records() -> bool:
    """Return True when the caller may see raw quarantined records (officers and admins)."""
    return current_role() in (OFFICER, ADMIN)


def can_submit() -> bool:
    """Return True when the caller may upload files (city editors, officers, admins)."""
    return current_role() in (CITY_EDITOR, OFFICER, ADMIN)


def can_review() -> bool:
    """Return True when the caller may approve or reject submissions and read the audit log."""
    return current_role() in (OFFICER, ADMIN)


def can_see_submission(submitted_by: str, cities: Iterable[str]) -> bool:
    """Return True when the caller may see a submission: officers all, editors their cities'."""
    scope = allowed_cities()
    if scope is None:
        return True
    if not can_submit():
        return False
    return submitted_by == current_username() or bool(set(scope) & set(cities))


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
        "mart.sdg_review_cube",
        "mart.timeliness_cube",
    }
)
PUBLIC_SCHEMAS = ("ref",)


def can_read_table(relation: str) -> bool:
    """Return True when the caller may read the whole relation `schema.name`: the public and city
    editors the published aggregates and code lists; officers and admins, who see raw records on
    the pages, every published mart as well (registers, the quarantine)."""
    schema, _, name = relation.partition(".")
    if not name:
        return False
    if schema == "mart" and can_see_raw_records():
        return True
    return relation in PUBLIC_MARTS or schema in PUBLIC_SCHEMAS


def readable_tables(relations: list[str]) -> list[str]:
    """Return the relations of `relations` the caller may read, in the order given."""
    return [r for r in relations if can_read_table(r)]
