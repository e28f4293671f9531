"""`iurc tag`: suggest SDG goals and targets for untagged or changed texts, load them as suggestions.

A text is an activity's or an output's title and description. It is *untagged* when its
entity has no SDG tag at all, *changed* when its row was loaded after its newest keyword tag.
Suggestions never overwrite a reviewer's decision or a manual tag (those keys are skipped); the
best strong goal becomes primary only when the entity has no primary tag yet. Suggestions are
written to an sdg_alignment CSV and loaded through the ordinary validated ingest path.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import duckdb
import pandas as pd

from pipelines import config
from pipelines.ingest.run import IngestSummary, ingest_files
from pipelines.tagging.calibrate import Calibration, load_calibration
from pipelines.tagging.model_scorer import is_english
from pipelines.tagging.scorer import Index, default_index
from pipelines.tagging.suggest import ModelUse, Suggestion, model_use, suggest
from pipelines.warehouse import db as dbmod
from schemas import ENTITIES

ENTITY_TYPES = ("activity", "output")
#: keyword: TF-IDF + rules; model: English texts also scored by the sdg-model extra's embeddings
METHODS = ("keyword", "model")
OUT_DIR = config.RAW_DIR / "tagging"

# entity type -> (table, id column, text expression); identifiers come only from this allow-list
_TITLE_AND_DESCRIPTION = "concat_ws('. ', e.title, e.description)"
_TEXT_SQL = {
    "activity": ("core.activity", "activity_id", _TITLE_AND_DESCRIPTION),
    "output": ("core.output", "output_id", _TITLE_AND_DESCRIPTION),
}


@dataclass
class TagReport:
    """What one tagging run did: texts read, suggestion rows, strong ones, the ingest summary."""

    texts: int = 0
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    strong: int = 0
    skipped_reviewed: int = 0
    file: Path | None = None
    ingest: IngestSummary | None = None

    @property
    def exit_code(self) -> int:
        """Return the ingest exit status (0 when there was nothing to load)."""
        return self.ingest.exit_code if self.ingest else 0


def texts_to_tag(
    con: duckdb.DuckDBPyConnection, entity_type: str, since: dt.date | None = None
) -> pd.DataFrame:
    """Return entity_type, entity_id, text of untagged or changed texts (loaded on/after `since`)."""
    table, id_col, text_sql = _TEXT_SQL[entity_type]
    sql = f"""
        WITH tags AS (
            SELECT t.entity_id,
                   max(r.finished_at) FILTER (WHERE t.method IN ('keyword', 'model')) AS last_keyword
            FROM core.sdg_alignment t LEFT JOIN ops.ingest_run r USING (run_id)
            WHERE t.entity_type = $entity_type
            GROUP BY t.entity_id
        )
        SELECT $entity_type AS entity_type, e.{id_col} AS entity_id, {text_sql} AS text
        FROM {table} e
        LEFT JOIN ops.ingest_run r ON r.run_id = e.run_id
        LEFT JOIN tags t ON t.entity_id = e.{id_col}
        WHERE (t.entity_id IS NULL OR (t.last_keyword IS NOT NULL AND r.finished_at > t.last_keyword))
          AND ($since IS NULL OR r.finished_at >= $since)
        ORDER BY e.{id_col}
    """
    return con.execute(sql, {"entity_type": entity_type, "since": since}).df()


def existing_tags(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the stored tags' keys, method, status and primary flag."""
    return con.execute(
        "SELECT entity_type, entity_id, goal, target_id, method, status, is_primary "
        "FROM core.sdg_alignment"
    ).df()


def suggestion_rows(
    entity_type: str, entity_id: str, suggestions: list[Suggestion], primary_goal: int | None
) -> list[dict[str, Any]]:
    """Return sdg_alignment rows (goal level, and target level where a target was found)."""
    rows = []
    for s in suggestions:
        base = {
            "entity_type": entity_type,
            "entity_id": entity_id,
            "goal": s.goal,
            "method": s.method,
            "score": s.score,
            "status": "suggested",
            "evidence": "; ".join(s.evidence)[:500] or None,
            "method_version": s.version,
        }
        rows.append({**base, "target_id": None, "is_primary": s.goal == primary_goal})
        if s.target_id:
            rows.append({**base, "target_id": s.target_id, "is_primary": False})
    return rows


def tag_texts(
    texts: pd.DataFrame,
    existing: pd.DataFrame | None = None,
    index: Index | None = None,
    cal: Calibration | None = None,
    model: ModelUse | None = None,
) -> tuple[pd.DataFrame, int, int]:
    """Return (sdg_alignment rows for the texts, strong goal suggestions, keys skipped as reviewed).

    `texts` has entity_type, entity_id, text; `existing` the stored tags (see existing_tags);
    with `model`, English texts are scored by the model method (embedded in one batch).
    """
    index = index or default_index()
    cal = cal or load_calibration()
    existing = existing if existing is not None else pd.DataFrame(columns=["entity_type"])
    locked: set[tuple[Any, ...]] = set()
    primary: dict[tuple[str, str], int] = {}
    for r in cast(Any, existing.itertuples()):  # fields typed as any scalar by the stubs
        target = r.target_id if isinstance(r.target_id, str) else None
        if r.method == "manual" or r.status != "suggested":
            locked.add((r.entity_type, r.entity_id, int(r.goal), target))
        if bool(r.is_primary) and r.status != "rejected":
            primary[(r.entity_type, r.entity_id)] = int(r.goal)
    rows: list[dict[str, Any]] = []
    strong = skipped = 0
    vectors: dict[str, Any] = {}
    if model is not None:
        english = list(dict.fromkeys(t for t in texts["text"].fillna("") if is_english(t)))
        vectors = (
            dict(zip(english, model.scorer.vectors_of(english), strict=True)) if english else {}
        )
    for entity_type, entity_id, text in texts[["entity_type", "entity_id", "text"]].itertuples(
        index=False
    ):
        found = suggest(text or "", index, cal, model, vectors.get(text or ""))
        strong += sum(s.strong for s in found)
        best_strong = next((s.goal for s in found if s.strong), None)
        primary_goal = primary.get((entity_type, entity_id), best_strong)
        for row in suggestion_rows(entity_type, entity_id, found, primary_goal):
            if (entity_type, entity_id, row["goal"], row["target_id"]) in locked:
                skipped += 1
            else:
                rows.append(row)
    columns = ENTITIES["sdg_alignment"].columns
    return pd.DataFrame(rows, columns=columns), strong, skipped


def run_tagging(
    db: str | os.PathLike[str] | None = None,
    entities: tuple[str, ...] = ENTITY_TYPES,
    since: dt.date | None = None,
    dry_run: bool = False,
    out_dir: Path | None = None,
    method: str = "keyword",
) -> TagReport:
    """Suggest tags for untagged or changed texts and load them (validated) unless dry_run.

    Returns a TagReport; the suggestion file is kept in `out_dir` (default data/raw/tagging/),
    or in a temporary folder for a dry run, which validates it without writing the warehouse.
    method "model" needs the sdg-model extra (embedding.ModelMissing otherwise).
    """
    unknown = set(entities) - set(ENTITY_TYPES)
    if unknown:
        raise ValueError(f"unknown entity {sorted(unknown)}; expected one of {ENTITY_TYPES}")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")
    model = None
    if method == "model":
        from pipelines.tagging.model_scorer import model_scorer

        model = model_use(model_scorer())
    con = dbmod.connect_readonly(db)
    try:
        texts = pd.concat([texts_to_tag(con, e, since) for e in entities], ignore_index=True)
        existing = existing_tags(con)
    finally:
        con.close()
    rows, strong, skipped = tag_texts(texts, existing, model=model)
    report = TagReport(texts=len(texts), rows=rows, strong=strong, skipped_reviewed=skipped)
    if rows.empty:
        return report
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    name = f"sdg_alignments_suggested_{stamp}.csv"
    if dry_run:
        with tempfile.TemporaryDirectory() as tmp:
            report.file = Path(tmp) / name
            rows.to_csv(report.file, index=False)
            report.ingest = ingest_files([report.file], db=db, dry_run=True)
        return report
    folder = Path(out_dir or OUT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    report.file = folder / name
    rows.to_csv(report.file, index=False)
    report.ingest = ingest_files([report.file], db=db)
    return report
