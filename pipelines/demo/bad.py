"""The demo's deliberately bad rows: one per rule, each with its own key, placed mid-file.

A planted row is never referenced by another row, so quarantining it cascades nowhere and the
demo can check that the rows quarantined are exactly the ones planted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from pipelines.demo.activities import Participations

UNKNOWN_CITY = "atlantis-xx"
UNKNOWN_ACTIVITY_TYPE = "study_tour"
UNKNOWN_INDICATOR = "K99"


def mid(frame_len: int) -> int:
    """Return the 0-based position where a bad row goes: about 40 % into the file."""
    return int(frame_len * 0.4)


def bad_activities(acts: pd.DataFrame) -> list[tuple[dict[Hashable, Any], str, str]]:
    """Return (row, key, rule) for an unknown activity type and an end date before the start."""
    base = acts.iloc[mid(len(acts))].to_dict()
    unknown = {
        **base,
        "activity_id": "act-bad-unknown-type",
        "activity_type": UNKNOWN_ACTIVITY_TYPE,
    }
    start = base["start_date"]
    backwards = {
        **base,
        "activity_id": "act-bad-end-before-start",
        "end_date": start - dt.timedelta(days=3),
    }
    return [
        (unknown, "act-bad-unknown-type", "activity_type: unknown code"),
        (backwards, "act-bad-end-before-start", "end_date before start_date"),
    ]


def bad_participations(parts: Participations) -> list[tuple[dict[Hashable, Any], str, str]]:
    """Return (row, key, rule) for an unknown city and for more women than participants."""
    at = mid(len(parts))
    activity = parts.activity_ids[parts.activity[at]]
    used = set(parts.city[parts.activity == parts.activity[at]].tolist())
    free = next((c for c in range(len(parts.city_ids)) if c not in used), None)
    rows: list[tuple[dict[Hashable, Any], str, str]] = [
        (
            {
                "activity_id": activity,
                "city_id": UNKNOWN_CITY,
                "stakeholder_type": "local_government",
                "participants": 3,
                "women": 1,
                "organisations": 1,
                "completions": None,
            },
            f"{activity}/{UNKNOWN_CITY}",
            "city_id: unknown city",
        )
    ]
    if free is not None:
        city = parts.city_ids[free]
        rows.append(
            (
                {
                    "activity_id": activity,
                    "city_id": city,
                    "stakeholder_type": "academia",
                    "participants": 4,
                    "women": 7,
                    "organisations": 2,
                    "completions": None,
                },
                f"{activity}/{city}/academia",
                "women greater than participants",
            )
        )
    return rows


def bad_outputs(outputs: pd.DataFrame) -> list[tuple[dict[Hashable, Any], str, str]]:
    """Return (row, key, rule) for an output implemented before it was developed."""
    base = outputs.iloc[mid(len(outputs))].to_dict()
    planned = base["planned_date"]
    row = {
        **base,
        "output_id": "out-bad-date-order",
        "status": "implemented",
        "developed_date": planned + dt.timedelta(days=200),
        "implemented_date": planned + dt.timedelta(days=90),
        "adopted_date": None,
        "evidence_url": None,
    }
    return [(row, "out-bad-date-order", "implemented_date before developed_date")]


def bad_funding(funding: pd.DataFrame) -> list[tuple[dict[Hashable, Any], str, str]]:
    """Return (row, key, rule) for a negative amount."""
    if funding.empty:
        return []
    base = funding.iloc[mid(len(funding))].to_dict()
    row = {**base, "funding_id": "fund-bad-negative-amount", "amount": -25000.0, "amount_eur": None}
    return [(row, "fund-bad-negative-amount", "amount: negative")]


def bad_targets(targets: pd.DataFrame) -> list[tuple[dict[Hashable, Any], str, str]]:
    """Return (row, key, rule) for a target of an indicator that is not in the catalogue."""
    base = targets.iloc[0].to_dict()
    row = {**base, "indicator_id": UNKNOWN_INDICATOR, "scope_type": "programme"}
    return [(row, f"{UNKNOWN_INDICATOR}/programme", "indicator_id: unknown indicator")]


def bad_sdg(sdg: pd.DataFrame) -> list[tuple[dict[Hashable, Any], str, str]]:
    """Return (row, key, rule) for an SDG target that does not belong to the tagged goal."""
    base = sdg.loc[sdg["entity_type"] == "activity"].iloc[0].to_dict()
    goal = 11 if base["goal"] != 11 else 7
    row = {
        **base,
        "goal": goal,
        "target_id": "3.6",
        "is_primary": False,
        "method": "manual",
        "score": None,
        "status": "accepted",
    }
    return [(row, f"{base['entity_id']}/{goal}/3.6", "target_id: not a target of goal")]


def as_frame(rows: list[tuple[dict[Hashable, Any], str, str]], columns: list[str]) -> pd.DataFrame:
    """Return the planted rows as a frame in file columns."""
    return pd.DataFrame([r for r, _, _ in rows], columns=columns).replace({np.nan: None})
