"""SDG review decisions: recorded from the review queue, applied to the warehouse by the one writer.

A programme officer's decision on a suggested goal (accept, reject, or accept with another
target) is recorded in the app database with who and when, and in the audit log; nothing is
written to the published warehouse from the web request. `apply_decisions` (the command
`iurc review apply`) turns the pending decisions into sdg_alignment rows (the same keys, status
accepted or rejected; a target the reviewer chose as a manual accepted tag), loads them through
the ordinary validated ingest path and publish, and marks the decisions applied. An item whose
primary goal is rejected does not stay without one: its highest-scoring remaining accepted goal
becomes primary (`replace_rejected_primaries`), in the same file and in the audit log. `iurc tag` never
overwrites a reviewed tag (`pipelines.tagging.run.tag_texts`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipelines import config
from pipelines.app import audit, store

DECISIONS = ("accept", "reject", "retarget")
ENTITY_TYPES = ("activity", "output")
OUT_DIR = config.RAW_DIR / "tagging"
_TARGET = re.compile(r"^(\d{1,2})\.([0-9a-z]{1,2})$")

Key = tuple[str, str, int]  # entity_type, entity_id, goal


class ReviewError(ValueError):
    """A review decision was refused (unknown decision or item, a target of another goal)."""


@dataclass
class ApplyReport:
    """What `apply_decisions` did: decisions applied, stale ones, rows written, the ingest result."""

    applied: int = 0
    stale: int = 0
    rows: int = 0
    file: Path | None = None
    exit_code: int = 0
    # entities whose primary goal was rejected -> the goal that became primary
    primaries: dict[tuple[str, str], int] = field(default_factory=dict)


def _check(key: Key, decision: str, target_id: str | None) -> None:
    entity_type, entity_id, goal = key
    if decision not in DECISIONS:
        raise ReviewError(f"unknown decision {decision!r}; expected one of {DECISIONS}")
    if entity_type not in ENTITY_TYPES or not entity_id or not 1 <= int(goal) <= 17:
        raise ReviewError("a decision names an activity or output and a goal 1-17")
    if decision == "retarget" and target_id:
        m = _TARGET.match(target_id)
        if m is None or int(m.group(1)) != int(goal):
            raise ReviewError(f"target {target_id!r} is not a target of goal {goal}")


def record(
    keys: list[Key],
    decision: str,
    username: str,
    *,
    target_id: str | None = None,
    via: str = "web",
) -> int:
    """Record one decision on each queue item of `keys` (with user and time, audited); return
    how many were recorded. A later decision on the same item supersedes an unapplied one."""
    for key in keys:
        _check(key, decision, target_id)
    target = (target_id or "") if decision == "retarget" else None
    with store.connect() as con:
        for entity_type, entity_id, goal in keys:
            con.execute(
                "INSERT INTO sdg_decisions (entity_type, entity_id, goal, decision, target_id, "
                "decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (entity_type, entity_id, int(goal), decision, target, username, audit.now()),
            )
            where = f"{entity_type} {entity_id} SDG {int(goal)}"
            audit.record(
                con,
                username,
                f"sdg_{decision}",
                via=via,
                decision=decision,
                comment=f"{where} -> {target or '-'}" if target is not None else where,
            )
    return len(keys)


def pending() -> pd.DataFrame:
    """Return the decisions not applied yet, the newest per item only, newest first.

    Columns: id, entity_type, entity_id, goal, decision, target_id, decided_by, decided_at.
    """
    with store.connect() as con:
        rows = con.execute(
            "SELECT id, entity_type, entity_id, goal, decision, target_id, decided_by, decided_at "
            "FROM sdg_decisions d WHERE applied_at IS NULL AND id = (SELECT max(id) FROM "
            "sdg_decisions e WHERE e.applied_at IS NULL AND e.entity_type = d.entity_type "
            "AND e.entity_id = d.entity_id AND e.goal = d.goal) ORDER BY id DESC"
        ).fetchall()
    columns = ["id", "entity_type", "entity_id", "goal", "decision", "target_id"]
    return pd.DataFrame(
        [tuple(r) for r in rows], columns=[*columns, "decided_by", "decided_at"]
    ).astype({"id": "int64", "goal": "int64"})


def pending_keys() -> set[Key]:
    """Return the queue items that have a decision waiting to be applied."""
    frame = pending()
    return {
        (str(t), str(i), int(g))
        for t, i, g in zip(frame["entity_type"], frame["entity_id"], frame["goal"], strict=True)
    }


def decision_rows(
    stored: pd.DataFrame, decision: str, target_id: str | None
) -> list[dict[str, Any]]:
    """Return the sdg_alignment rows that apply one decision to an item's stored suggested rows.

    accept: every row accepted; reject: every row rejected; retarget: the goal-level row
    accepted, a suggested target other than `target_id` rejected, and `target_id` (when given
    and not suggested) a manual accepted tag.
    """
    rows: list[dict[str, Any]] = []
    for record_ in stored.to_dict("records"):
        row = {str(k): v for k, v in record_.items()}
        target = row["target_id"] if isinstance(row["target_id"], str) else None
        if decision == "accept":
            status = "accepted"
        elif decision == "reject":
            status = "rejected"
        else:
            status = "accepted" if target is None or target == (target_id or None) else "rejected"
        rows.append({**row, "target_id": target, "status": status})
    suggested_targets = {r["target_id"] for r in rows}
    if decision == "retarget" and target_id and target_id not in suggested_targets and rows:
        first = rows[0]
        rows.append(
            {
                **{k: first[k] for k in ("entity_type", "entity_id", "goal")},
                "target_id": target_id,
                "is_primary": False,
                "method": "manual",
                "score": None,
                "status": "accepted",
                "evidence": None,
                "method_version": None,
            }
        )
    return rows


def _validated(row: dict[str, Any]) -> bool:
    """Return True for a tag the figures count by default: accepted, or manual and not rejected."""
    status, method = str(row["status"]), str(row["method"])
    return status == "accepted" or (method == "manual" and status != "rejected")


def _score(row: dict[str, Any]) -> float:
    score = row.get("score")
    return float(score) if isinstance(score, (int, float)) and not pd.isna(score) else -1.0


def replace_rejected_primaries(
    stored: pd.DataFrame, rows: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[tuple[str, str], int]]:
    """Return the decision `rows` with a new primary goal for each entity whose primary goal they
    reject, and {(entity_type, entity_id): new primary goal}.

    The rule: when an entity would be left with no primary goal (its primary tags rejected, no
    other primary tag standing), its highest-scoring remaining validated goal becomes primary
    (tags without a score, e.g. manual ones, after scored ones; a tie goes to the lower goal
    number), on the goal's goal-level tag or else its first target. An entity with no validated
    goal left keeps none. `stored` holds the entities' tags in the warehouse (every status);
    `rows` override them by key.
    """
    out = [dict(r) for r in rows]

    def key(r: dict[str, Any]) -> tuple[str, str, int, str]:
        target = r["target_id"] if isinstance(r["target_id"], str) else ""
        return (str(r["entity_type"]), str(r["entity_id"]), int(r["goal"]), target)

    before = [{str(k): v for k, v in r.items()} for r in stored.to_dict("records")]
    merged: dict[tuple[str, str, int, str], dict[str, Any]] = {key(r): r for r in before}
    merged |= {key(r): r for r in out}
    moved: dict[tuple[str, str], int] = {}
    entities = {
        k[:2]
        for k, r in ((key(r), r) for r in out)
        if r["is_primary"] and r["status"] == "rejected"
    }
    for entity in sorted(entities):
        tags = sorted((k, r) for k, r in merged.items() if k[:2] == entity)
        if any(r["is_primary"] and r["status"] != "rejected" for _, r in tags):
            continue
        candidates = [(k, r) for k, r in tags if _validated(r)]
        if not candidates:
            continue
        best = min(candidates, key=lambda kr: (-_score(kr[1]), kr[0][2], kr[0][3]))
        goal = best[0][2]
        chosen_key, chosen = min(
            (kr for kr in candidates if kr[0][2] == goal), key=lambda kr: kr[0][3]
        )
        promoted = {**chosen, "target_id": chosen_key[3] or None, "is_primary": True}
        index = next((i for i, r in enumerate(out) if key(r) == chosen_key), None)
        if index is None:
            out.append(promoted)
        else:
            out[index] = promoted
        moved[entity] = goal
    return out, moved


def _alignment_rows(
    db: str | os.PathLike[str] | None, selection: str, params: dict[str, Any]
) -> pd.DataFrame:
    """Return the core.sdg_alignment rows (every column) of the published warehouse that
    `selection` (SQL after `FROM core.sdg_alignment t`: a join on the keys, a filter, an order)
    picks with the named `params`."""
    from pipelines.warehouse import db as dbmod
    from schemas import ENTITIES

    columns = ", ".join(ENTITIES["sdg_alignment"].columns)
    con = dbmod.connect_readonly(db)
    try:
        return con.execute(f"SELECT {columns} FROM core.sdg_alignment t {selection}", params).df()
    finally:
        con.close()


def _stored_tags(
    db: str | os.PathLike[str] | None, entities: list[tuple[str, str]]
) -> pd.DataFrame:
    """Return every stored tag (any status) of the `entities` from the published warehouse."""
    return _alignment_rows(
        db,
        "JOIN (SELECT unnest($types) AS entity_type, unnest($ids) AS entity_id) k "
        "USING (entity_type, entity_id) ORDER BY entity_type, entity_id, goal, target_id",
        {"types": [e[0] for e in entities], "ids": [e[1] for e in entities]},
    )


def _suggested(db: str | os.PathLike[str] | None, keys: list[Key]) -> pd.DataFrame:
    """Return the stored suggested rows of the items `keys` from the published warehouse."""
    return _alignment_rows(
        db,
        "JOIN (SELECT unnest($types) AS entity_type, unnest($ids) AS entity_id, "
        "unnest($goals) AS goal) k USING (entity_type, entity_id, goal) "
        "WHERE t.status = 'suggested' AND t.method <> 'manual' "
        "ORDER BY entity_type, entity_id, goal, target_id NULLS FIRST",
        {
            "types": [k[0] for k in keys],
            "ids": [k[1] for k in keys],
            "goals": [int(k[2]) for k in keys],
        },
    )


def apply_decisions(
    db: str | os.PathLike[str] | None = None, out_dir: Path | None = None
) -> ApplyReport:
    """Apply the pending decisions to the warehouse through ingest and publish; return a report.

    Serialised with submission approvals. A decision whose item is no longer suggested (reviewed
    meanwhile, or gone) is marked stale. Decisions are marked applied only after the publish
    succeeded; a file rejected as a whole raises ReviewError and leaves them pending.
    """
    from pipelines.app.submissions import approval_lock
    from pipelines.ingest import run as ingest_run
    from schemas import ENTITIES

    report = ApplyReport()
    with approval_lock():
        todo = pending()
        if todo.empty:
            return report
        keys = [
            (str(t), str(i), int(g))
            for t, i, g in zip(todo["entity_type"], todo["entity_id"], todo["goal"], strict=True)
        ]
        stored = _suggested(db, keys)
        rows: list[dict[str, Any]] = []
        outcome: dict[int, str] = {}
        for key, decision in zip(keys, todo.to_dict("records"), strict=True):
            mine = stored[
                (stored["entity_type"] == key[0])
                & (stored["entity_id"] == key[1])
                & (stored["goal"] == key[2])
            ]
            made = decision_rows(mine, decision["decision"], decision["target_id"])
            rows += made
            outcome[int(decision["id"])] = "applied" if made else "stale"
        rejected_primary = sorted(
            {
                (str(r["entity_type"]), str(r["entity_id"]))
                for r in rows
                if r["is_primary"] and r["status"] == "rejected"
            }
        )
        if rejected_primary:
            rows, report.primaries = replace_rejected_primaries(
                _stored_tags(db, rejected_primary), rows
            )
        if rows:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
            folder = Path(out_dir or OUT_DIR)
            folder.mkdir(parents=True, exist_ok=True)
            report.file = folder / f"sdg_alignments_reviewed_{stamp}.csv"
            frame = pd.DataFrame(rows, columns=list(ENTITIES["sdg_alignment"].columns))
            frame.to_csv(report.file, index=False)
            summary = ingest_run.ingest_files([report.file], db=db, entity="sdg_alignment")
            report.exit_code = summary.exit_code
            if summary.exit_code == ingest_run.EXIT_REJECTED:
                raise ReviewError("the decisions' file was rejected as a whole: nothing applied")
        report.rows = len(rows)
        report.applied = sum(v == "applied" for v in outcome.values())
        report.stale = sum(v == "stale" for v in outcome.values())
        when = audit.now()
        with store.connect() as con:
            for decision_id, result in outcome.items():
                row = con.execute(
                    "SELECT entity_type, entity_id, goal FROM sdg_decisions WHERE id = ?",
                    (decision_id,),
                ).fetchone()
                # the item's older unapplied decisions were superseded by this one
                con.execute(
                    "UPDATE sdg_decisions SET applied_at = ?, outcome = CASE WHEN id = ? THEN ? "
                    "ELSE 'superseded' END WHERE applied_at IS NULL AND entity_type = ? "
                    "AND entity_id = ? AND goal = ? AND id <= ?",
                    (when, decision_id, result, row[0], row[1], row[2], decision_id),
                )
        audit.record_cli(
            "sdg_review_apply",
            report.file.name if report.file else None,
            None,
            f"{report.applied} applied, {report.stale} stale",
        )
        for (entity_type, entity_id), goal in report.primaries.items():
            audit.record_cli(
                "sdg_primary_replaced",
                report.file.name if report.file else None,
                None,
                f"{entity_type} {entity_id}: primary SDG rejected, SDG {goal} is primary",
            )
    return report
