"""SDG review: evidence spans (text only), decisions recorded with who and when, and the rows a
decision turns into (hand-written cases; the browser test applies real ones to a warehouse)."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.app import audit, sdg_review
from pipelines.tagging.evidence import evidence_spans

HOSTILE = 'Énergie <img src=x onerror="alert(1)"> pour la RÉNOVATION énergétique'


def test_evidence_spans_are_text_that_joins_back() -> None:
    spans = evidence_spans(HOSTILE, "energie; img src; renovation energetique; absent")
    assert "".join(piece for piece, _ in spans) == HOSTILE
    assert [piece for piece, hit in spans if hit] == [
        "Énergie",
        "img src",
        "RÉNOVATION énergétique",
    ]
    # whole words only: "energie" does not mark the start of "énergétique"
    assert evidence_spans("énergétiques", "energie") == [("énergétiques", False)]
    assert evidence_spans(None, "x") == []
    assert evidence_spans("no match", None) == [("no match", False)]


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    monkeypatch.setenv("IURC_APP_DB", str(tmp_path / "app.sqlite"))
    return tmp_path / "app.sqlite"


def test_decisions_recorded_with_who_and_when(app_db) -> None:
    key = ("activity", "act-1", 11)
    assert sdg_review.record([key], "retarget", "ana", target_id="11.3") == 1
    sdg_review.record([key], "accept", "ben")  # supersedes the unapplied one
    pending = sdg_review.pending()
    assert len(pending) == 1
    row = pending.iloc[0]
    assert (row.decision, row.decided_by) == ("accept", "ben")
    assert row.decided_at.endswith("Z")
    assert sdg_review.pending_keys() == {key}
    log = audit.entries()
    assert list(log["action"]) == ["sdg_accept", "sdg_retarget"]
    assert log["comment"].iloc[1] == "activity act-1 SDG 11 -> 11.3"
    for bad in (
        {"decision": "maybe"},
        {"decision": "retarget", "target_id": "7.2"},
        {"decision": "accept", "key": ("city", "x", 11)},
        {"decision": "accept", "key": ("activity", "act-1", 18)},
    ):
        with pytest.raises(sdg_review.ReviewError):
            sdg_review.record(
                [bad.get("key", key)], bad["decision"], "ana", target_id=bad.get("target_id")
            )


def _stored() -> pd.DataFrame:
    base = {
        "entity_type": "activity",
        "entity_id": "act-1",
        "goal": 11,
        "method": "keyword",
        "score": 0.9,
        "status": "suggested",
        "evidence": "housing",
        "method_version": "v1",
    }
    return pd.DataFrame(
        [
            {**base, "target_id": None, "is_primary": True},
            {**base, "target_id": "11.1", "is_primary": False},
        ]
    )


@pytest.mark.parametrize(
    ("decision", "target", "expected"),
    [
        ("accept", None, {(None, "keyword", "accepted"), ("11.1", "keyword", "accepted")}),
        ("reject", None, {(None, "keyword", "rejected"), ("11.1", "keyword", "rejected")}),
        (
            "retarget",
            "11.3",
            {
                (None, "keyword", "accepted"),
                ("11.1", "keyword", "rejected"),
                ("11.3", "manual", "accepted"),
            },
        ),
        ("retarget", "", {(None, "keyword", "accepted"), ("11.1", "keyword", "rejected")}),
    ],
)
def test_decision_rows(decision, target, expected) -> None:
    rows = sdg_review.decision_rows(_stored(), decision, target)
    assert {(r["target_id"], r["method"], r["status"]) for r in rows} == expected
    assert sdg_review.decision_rows(_stored().iloc[:0], decision, target) == []
