"""Submissions from the web app: keep the file, validate it on a copy, review, publish, audit.

The life of a submission: `upload` keeps the file immutable under data/raw/submissions/ by its
sha256 and validates it in a dry run on a private copy of the warehouse (status `draft`, with
the same report the CLI prints); `submit` sends a draft that was not rejected as a whole for
review (`pending`); a programme officer then `approve`s it (the file goes through the same
ingest-and-publish path as `iurc ingest`, under the warehouse lock: status `approved`) or
`reject`s it (the file and the reason are kept). Every step is written to the audit log.
Nothing here writes the published warehouse except `approve`, through the one writer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from filelock import FileLock

from pipelines import config
from pipelines.app import audit, store

if TYPE_CHECKING:
    from pipelines.ingest import run as ingest_run

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 100


class SubmissionError(ValueError):
    """A submission step was refused (unknown id, wrong status, bad file type)."""


@dataclass(frozen=True)
class Submission:
    """One uploaded file and what happened to it."""

    id: int
    sha256: str
    file_name: str
    extension: str
    entity: str | None
    submitted_by: str
    cities: tuple[str, ...]
    status: str  # draft | pending | approved | rejected
    exit_code: int | None
    report: dict[str, Any]
    created_at: str
    decided_by: str | None
    decided_at: str | None
    comment: str | None

    @property
    def path(self) -> Path:
        """Return the kept file of this submission."""
        return stored_path(self.sha256, self.extension)


def safe_file_name(name: str) -> str:
    """Return a file name made of letters, digits and . _ - only (no folder), at most 100 chars."""
    base = SAFE_NAME.sub("_", Path(name.replace("\\", "/")).name).strip("._") or "upload"
    return base[-MAX_NAME:]


def extension_of(name: str) -> str:
    """Return the lower-case extension of `name` (SubmissionError unless csv, xlsx or json)."""
    ext = Path(name).suffix.lower().lstrip(".")
    if ext not in config.SUBMISSION_EXTENSIONS:
        raise SubmissionError(f"file type '{ext}' is not accepted: CSV, XLSX or JSON")
    return ext


def stored_path(sha256: str, extension: str) -> Path:
    """Return where the file of this content hash is kept: <submissions dir>/<sha256>.<ext>."""
    return config.submissions_dir() / f"{sha256}.{extension}"


def keep_file(content: bytes, extension: str) -> tuple[str, Path]:
    """Store `content` immutably by its sha256 (once; read-only); return (sha256, path)."""
    sha = hashlib.sha256(content).hexdigest()
    path = stored_path(sha, extension)
    if path.exists():
        return sha, path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o444)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sha, path


@contextlib.contextmanager
def named_copy(sub: Submission) -> Iterator[Path]:
    """Yield a private copy of the kept file under its original name (the entity comes from it)."""
    with tempfile.TemporaryDirectory(prefix="iurc-submission-") as tmp:
        target = Path(tmp) / sub.file_name
        shutil.copyfile(sub.path, target)
        yield target


def report_dict(report: ingest_run.FileReport) -> dict[str, Any]:
    """Return the validation report of one file as plain data (stored with the submission)."""
    return {
        "status": report.status,
        "exit_code": report.exit_code,
        "entity": report.entity,
        "rows_read": report.rows_read,
        "rows_loaded": report.rows_loaded,
        "rows_quarantined": report.rows_quarantined,
        "messages": list(report.messages),
        "problems": [
            {
                "line": p.line,
                "column": p.column,
                "rule": p.rule,
                "value": p.value,
                "whole_file": p.whole_file,
            }
            for p in report.problems
        ],
    }


def _row(row: Any) -> Submission:
    return Submission(
        id=row["id"],
        sha256=row["sha256"],
        file_name=row["file_name"],
        extension=row["extension"],
        entity=row["entity"],
        submitted_by=row["submitted_by"],
        cities=tuple(c for c in row["cities"].split(",") if c),
        status=row["status"],
        exit_code=row["exit_code"],
        report=json.loads(row["report"]),
        created_at=row["created_at"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        comment=row["comment"],
    )


def get(submission_id: int) -> Submission:
    """Return the submission `submission_id` (SubmissionError if there is none)."""
    with store.connect() as con:
        row = con.execute("SELECT * FROM submissions WHERE id = ?", (submission_id,)).fetchone()
    if row is None:
        raise SubmissionError(f"no submission {submission_id}")
    return _row(row)


def all_submissions(status: str | None = None) -> list[Submission]:
    """Return every submission (optionally of one status), newest first."""
    with store.connect() as con:
        if status is None:
            rows = con.execute("SELECT * FROM submissions ORDER BY id DESC").fetchall()
        else:
            rows = con.execute(
                "SELECT * FROM submissions WHERE status = ? ORDER BY id DESC", (status,)
            ).fetchall()
    return [_row(r) for r in rows]


def validate(
    path: Path, entity: str | None, db: str | os.PathLike[str] | None = None
) -> ingest_run.FileReport:
    """Return the validation report of a file, from a dry run on a copy of the warehouse."""
    from pipelines.ingest import run as ingest_run  # only when a file is handled

    summary = ingest_run.ingest_files([path], db=db, entity=entity, dry_run=True)
    return summary.files[0]


def upload(
    content: bytes,
    file_name: str,
    username: str,
    cities: tuple[str, ...] = (),
    entity: str | None = None,
    db: str | os.PathLike[str] | None = None,
) -> Submission:
    """Keep an uploaded file, validate it in a dry run and record it as a draft; return it."""
    name = safe_file_name(file_name)
    ext = extension_of(name)
    sha, _ = keep_file(content, ext)
    with tempfile.TemporaryDirectory(prefix="iurc-upload-") as tmp:
        copy = Path(tmp) / name
        copy.write_bytes(content)
        report = validate(copy, entity or None, db)
    with store.connect() as con:
        cur = con.execute(
            "INSERT INTO submissions (sha256, file_name, extension, entity, submitted_by, cities, "
            "status, exit_code, report, created_at) VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?)",
            (
                sha,
                name,
                ext,
                report.entity or entity,
                username,
                ",".join(cities),
                report.exit_code,
                json.dumps(report_dict(report)),
                audit.now(),
            ),
        )
        new_id = int(cur.lastrowid or 0)
        audit.record(
            con,
            username,
            "upload",
            submission_id=new_id,
            file_name=name,
            sha256=sha,
            decision=report.status,
        )
    return get(new_id)


def submit(submission_id: int, username: str) -> Submission:
    """Send a draft for review (SubmissionError unless it is a draft not rejected as a whole)."""
    from pipelines.ingest import run as ingest_run  # only when a file is handled

    with store.connect() as con:
        cur = con.execute(
            "UPDATE submissions SET status = 'pending' WHERE id = ? AND status = 'draft' "
            "AND exit_code < ?",
            (submission_id, ingest_run.EXIT_REJECTED),
        )
        if cur.rowcount != 1:
            raise SubmissionError("only a draft whose file was not rejected can be submitted")
        row = con.execute("SELECT * FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        audit.record(
            con,
            username,
            "submit",
            submission_id=submission_id,
            file_name=row["file_name"],
            sha256=row["sha256"],
        )
    return get(submission_id)


def _decide(
    con: Any, sub: Submission, username: str, status: str, comment: str, via: str = "web"
) -> None:
    cur = con.execute(
        "UPDATE submissions SET status = ?, decided_by = ?, decided_at = ?, comment = ? "
        "WHERE id = ? AND status = 'pending'",
        (status, username, audit.now(), comment, sub.id),
    )
    if cur.rowcount != 1:
        raise SubmissionError(f"submission {sub.id} is not pending")
    audit.record(
        con,
        username,
        status,
        via=via,
        submission_id=sub.id,
        file_name=sub.file_name,
        sha256=sub.sha256,
        decision=status,
        comment=comment,
    )


def reject(submission_id: int, username: str, comment: str) -> Submission:
    """Reject a pending submission with a reason; the file stays kept. Return it."""
    if not comment.strip():
        raise SubmissionError("a rejection needs a comment saying why")
    sub = get(submission_id)
    with store.connect() as con:
        _decide(con, sub, username, "rejected", comment.strip())
    return get(submission_id)


def approval_lock() -> FileLock:
    """Return the lock that serialises approvals (beside the app database)."""
    path = config.app_db_path().with_name("approval.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(path))


def approve(
    submission_id: int,
    username: str,
    comment: str = "",
    db: str | os.PathLike[str] | None = None,
) -> ingest_run.IngestSummary:
    """Load a pending submission into the warehouse and publish it; return the ingest summary.

    Approvals are serialised by a lock; the file goes through `ingest_files` (the one writer,
    atomic publish). The submission is marked approved only after the publish succeeded, so a
    failure or a kill leaves it pending (loading it again later changes nothing twice: ingest is
    idempotent). Raises SubmissionError when it is not pending or the file is rejected as a
    whole, and the writer's OSError when the disk is too full to publish.
    """
    from pipelines.ingest import run as ingest_run  # only when a file is handled

    with approval_lock():
        sub = get(submission_id)
        if sub.status != "pending":
            raise SubmissionError(f"submission {sub.id} is not pending")
        with named_copy(sub) as path:
            summary = ingest_run.ingest_files([path], db=db, entity=sub.entity)
        if summary.exit_code == ingest_run.EXIT_REJECTED:
            raise SubmissionError("the file was rejected as a whole: nothing was published")
        with store.connect() as con:
            _decide(con, sub, username, "approved", comment.strip())
    return summary


def kpi_effect(
    submission_id: int, db: str | os.PathLike[str] | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Return the programme KPI scorecard before and after loading the submission (a copy).

    Columns: indicator_id, label, unit, value_before, value_after. Both come from the metric
    layer (`queries.kpi_scorecard`): before on the published warehouse, after on a private copy
    with the file loaded and the marts rebuilt. The published warehouse is not touched.
    """
    from pipelines import queries
    from pipelines.ingest import run as ingest_run  # only when a file is handled
    from pipelines.metrics.filters import Filters
    from pipelines.warehouse import db as dbmod
    from pipelines.warehouse import marts

    sub = get(submission_id)
    con = dbmod.connect_readonly(db)
    try:
        before = queries.kpi_scorecard(con, Filters(), lang=lang)
    finally:
        con.close()
    with ingest_run.scratch_copy(db) as scratch, named_copy(sub) as path:
        ingest_run.ingest_connection(scratch, path, sub.entity)
        marts.build_marts(scratch, store_scorecards=False)
        after = queries.kpi_scorecard(scratch, Filters(), lang=lang)
    keep = ["indicator_id", "label", "unit", "value"]
    return before[keep].merge(
        after[["indicator_id", "value"]],
        on="indicator_id",
        how="outer",
        suffixes=("_before", "_after"),
    )
