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


def _tag(goal: int, target: str | None, *, primary: bool, status: str, score, method="keyword"):
    return {
        "entity_type": "activity",
        "entity_id": "act-1",
        "goal": goal,
        "target_id": target,
        "is_primary": primary,
        "method": method,
        "score": score,
        "status": status,
        "evidence": None,
        "method_version": None,
    }


def test_rejected_primary_goal_is_replaced_by_the_best_accepted_goal() -> None:
    """act-1: primary 11 (suggested) is rejected; accepted 9 (0.6, with target 9.1) and 4 (0.4)
    and a manual 13 (no score) remain, and 12 was rejected before: 9 becomes primary, on its
    goal-level tag, rewritten in place when the batch accepts it."""
    stored = pd.DataFrame(
        [
            _tag(11, None, primary=True, status="suggested", score=0.9),
            _tag(9, None, primary=False, status="suggested", score=0.6),
            _tag(9, "9.1", primary=False, status="accepted", score=0.6),
            _tag(4, None, primary=False, status="accepted", score=0.4),
            _tag(13, None, primary=False, status="accepted", score=None, method="manual"),
            _tag(12, None, primary=False, status="rejected", score=0.95),
        ]
    )
    batch = [
        _tag(11, None, primary=True, status="rejected", score=0.9),
        _tag(9, None, primary=False, status="accepted", score=0.6),
    ]
    rows, moved = sdg_review.replace_rejected_primaries(stored, batch)
    assert moved == {("activity", "act-1"): 9}
    assert [(r["goal"], r["target_id"], r["is_primary"], r["status"]) for r in rows] == [
        (11, None, True, "rejected"),
        (9, None, True, "accepted"),
    ]
    # without the batch's accept, goal 9's stored target tag carries the primary (a new row)
    rows, moved = sdg_review.replace_rejected_primaries(stored, batch[:1])
    assert moved == {("activity", "act-1"): 9}
    assert (rows[-1]["goal"], rows[-1]["target_id"], rows[-1]["is_primary"]) == (9, "9.1", True)
    # only unscored manual goals left: the lowest goal number of them; none left: no primary
    only_manual = stored[stored["goal"].isin([11, 13])]
    assert sdg_review.replace_rejected_primaries(only_manual, batch[:1])[1] == {
        ("activity", "act-1"): 13
    }
    assert sdg_review.replace_rejected_primaries(stored.iloc[:1], batch[:1]) == (batch[:1], {})
    # another primary still stands, or the primary is accepted: nothing moves
    standing = pd.concat(
        [stored, pd.DataFrame([_tag(4, "4.4", primary=True, status="accepted", score=0.4)])]
    )
    assert sdg_review.replace_rejected_primaries(standing, batch)[1] == {}
    accepted = [_tag(11, None, primary=True, status="accepted", score=0.9)]
    assert sdg_review.replace_rejected_primaries(stored, accepted) == (accepted, {})


def test_review_apply_gives_the_item_a_new_primary_goal(app_db, tmp_path) -> None:
    """Fixture a2: primary 4 (4.4, model suggestion) and manual accepted 11 (11.3). Rejecting 4
    through `apply_decisions` (iurc review apply) leaves 11 primary, in the warehouse and the
    audit log."""
    import duckdb

    from tests.pipelines.conftest import build_fixture_warehouse

    db = tmp_path / "iurc.duckdb"
    build_fixture_warehouse(duckdb.connect(str(db))).close()
    sdg_review.record([("activity", "a2", 4)], "reject", "ana")
    report = sdg_review.apply_decisions(db=db, out_dir=tmp_path / "tagging")
    assert (report.applied, report.primaries) == (1, {("activity", "a2"): 11})
    con = duckdb.connect(str(db), read_only=True)
    tags = con.execute(
        "select goal, target_id, is_primary, status from core.sdg_alignment "
        "where entity_id = 'a2' order by goal"
    ).fetchall()
    con.close()
    assert tags == [(4, "4.4", True, "rejected"), (11, "11.3", True, "accepted")]
    assert "a2: primary SDG rejected, SDG 11 is primary" in audit.entries()["decision"].iloc[0]
