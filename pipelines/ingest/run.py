"""Ingest input files into the warehouse: read -> validate -> load, one run per file.

`ingest_files` opens one writer session (a private copy of the warehouse, published by atomic
rename at the end; see `pipelines.warehouse.db.writer`) and loads the files in dependency order, each in
its own transaction: a file's good rows are upserted and its bad rows quarantined together, or
nothing of it is written. A file rejected as a whole (exit 2) writes nothing. Re-loading a file
already loaded (same sha256 and entity) that would change nothing writes nothing, not even a
run row. When no file wrote anything, nothing is published (the published file stays
byte-identical). `dry_run=True` does all the work on a throw-away copy and rolls back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipelines import config
from pipelines.ingest import iati, load, read, validate
from pipelines.textsafe import safe_text
from pipelines.warehouse import db as dbmod
from pipelines.warehouse.db import one_row
from schemas import ENTITIES

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

MAX_PROBLEMS = 50
MAX_NAME_CHARS = 120
MAX_RULE_CHARS = 400

SYNTHETIC_MARKER = "SYNTHETIC.md"  # beside generated files: the data they hold is not real

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_REJECTED = 2


@dataclass
class Problem:
    """One failure of one row: where it is and which rule it broke."""

    file_name: str
    line: int | None
    column: str | None
    rule: str
    value: str | None = None
    whole_file: bool = False
    location: str | None = None  # IATI files: the element path, shown instead of the line

    def __str__(self) -> str:
        # every part may come from the file (its name, a column name, a value echoed in a
        # rule): shown through safe_text, so no escape sequence reaches the terminal
        name = safe_text(self.file_name, MAX_NAME_CHARS)
        if self.location is not None:
            where = f"{name}:{safe_text(self.location, MAX_RULE_CHARS)}"
        elif self.line is not None:
            where = f"{name}:{self.line}"
        else:
            where = name
        column = safe_text(self.column, MAX_NAME_CHARS)
        rule = safe_text(self.rule, MAX_RULE_CHARS)
        if self.whole_file:
            what = f"column '{column}': " if self.column else ""
            return f"{where}: {what}file rejected: {rule}"
        what = f"column '{column}'" if self.column else "row"
        value = f" ({safe_text(self.value)})" if self.value is not None else " (empty)"
        return f"{where}: {what}: {rule}{value}"


@dataclass
class FileReport:
    """What happened to one file."""

    path: str
    file_name: str
    entity: str | None = None
    file_format: str | None = None
    sha256: str | None = None
    run_id: str | None = None
    status: str = "pending"  # loaded | partial | unchanged | empty | rejected | dry_run
    exit_code: int = EXIT_OK
    rows_read: int = 0
    rows_loaded: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_quarantined: int = 0
    messages: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step

    @property
    def wrote(self) -> bool:
        """Return True when this file changed the warehouse."""
        return self.status in ("loaded", "partial")


@dataclass
class IngestSummary:
    """The reports of every file of one ingest call and the overall exit status."""

    files: list[FileReport]
    db_path: str | None
    dry_run: bool = False
    published: bool = False

    @property
    def exit_code(self) -> int:
        """Return 2 if any file was rejected, else 1 if any row was quarantined, else 0."""
        return max((f.exit_code for f in self.files), default=EXIT_OK)

    @property
    def rows_read(self) -> int:
        """Return the rows read over all files."""
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        """Return the rows that passed validation over all files."""
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        """Return the rows quarantined over all files."""
        return sum(f.rows_quarantined for f in self.files)


class _NothingToPublish(Exception):
    """Raised inside the writer session to drop the private copy when nothing was written."""


def is_synthetic(path: Path) -> bool:
    """Return True when `path` sits in a folder marked synthetic (a `SYNTHETIC.md` beside it)."""
    return (path.parent / SYNTHETIC_MARKER).is_file()


def new_run_id() -> str:
    """Return a new run id: UTC timestamp plus a random suffix (sortable, unique)."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(8 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _hash_in_background(path: Path) -> tuple[threading.Thread, dict[str, str]]:
    out: dict[str, str] = {}

    def work() -> None:
        try:
            out["sha256"] = sha256_file(path)
        except OSError as exc:
            out["error"] = str(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread, out


def _expand(paths: Sequence[Path], entity: str | None) -> list[tuple[Path, str | None]]:
    """Return (file, entity) pairs: an IATI file (.xml) once per entity it holds, unless an
    entity is given; a broken one once, with no entity, so its reading reports the reason."""
    out: list[tuple[Path, str | None]] = []
    for path in paths:
        if entity is None and path.suffix.lower() == ".xml":
            try:
                out.extend((path, e) for e in iati.entities_in(path))
            except read.FileRejected:
                out.append((path, None))
        else:
            out.append((path, entity))
    return out


def _order(paths: Sequence[Path], entity: str | None) -> list[tuple[Path, str | None]]:
    """Sort (file, entity) pairs by the entity's load order (unknown entities first, to be
    reported); an IATI file gives one pair per entity it holds."""

    def rank(item: tuple[int, tuple[Path, str | None]]) -> tuple[int, int]:
        index, (path, ent) = item
        try:
            return read.resolve_entity(path, ent).order, index
        except read.FileRejected:
            return 0, index

    ordered = sorted(enumerate(_expand(paths, entity)), key=rank)
    return [pair for _, pair in ordered]


class _Steps:
    """Progress on a rich console (no-op when progress is off): one bar per file whose steps
    fill in as DuckDB reports the progress of the running statement."""

    def __init__(self, enabled: bool, con: duckdb.DuckDBPyConnection | None = None) -> None:
        self.enabled = enabled
        self._con = con
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._base = 0.0
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None

    def __enter__(self) -> _Steps:  # noqa: PYI034
        if self.enabled:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), transient=True
            )
            self._progress.__enter__()
            if self._con is not None:
                self._poller = threading.Thread(target=self._poll, daemon=True)
                self._poller.start()
        return self

    def _poll(self) -> None:
        con = self._con
        if con is None:  # started only with a connection
            return
        while not self._stop.wait(0.2):
            try:
                done = con.query_progress()
            except duckdb.Error:  # progress is cosmetic
                done = -1.0
            if done >= 0 and self._progress is not None and self._task is not None:
                self._progress.update(self._task, completed=self._base + min(done, 99.0))

    def start(self, name: str, total: int) -> None:
        if self._progress is not None:
            self._base = 0.0
            self._task = self._progress.add_task(name, total=100 * total)

    def step(self, what: str) -> None:
        if self._progress is not None and self._task is not None:
            self._base += 100
            self._progress.update(self._task, completed=self._base, description=what)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._poller is not None:
            self._poller.join()
        if self._progress is not None:
            self._progress.__exit__(None, None, None)


def _quiet(con: duckdb.DuckDBPyConnection, progress: bool) -> None:
    """Let DuckDB measure query progress (for our bars) without printing its own bar."""
    try:
        con.execute(f"SET enable_progress_bar = {'true' if progress else 'false'}")
        con.execute("SET enable_progress_bar_print = false")
    except duckdb.InvalidInputException:
        # Under Jupyter, DuckDB refuses to touch its progress bar without ipywidgets; the
        # bar is cosmetic, so the load goes on without it.
        pass


def ingest_connection(
    con: duckdb.DuckDBPyConnection,
    path: str | os.PathLike[str],
    entity: str | None = None,
    *,
    dry_run: bool = False,
    steps: _Steps | None = None,
    keep_dry_run: bool = False,
) -> FileReport:
    """Ingest one file on an open, prepared warehouse connection (own transaction); return its report."""
    path = Path(path)
    report = FileReport(path=str(path.resolve()), file_name=path.name)
    steps = steps or _Steps(False)
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    clock = time.perf_counter()
    steps.start(path.name, 6)
    hasher: threading.Thread | None = None
    hashed: dict[str, str] = {}
    try:
        report.file_format = read.file_format(path)
        ent = read.resolve_entity(path, entity)
        report.entity = ent.name
        if path.is_file():
            hasher, hashed = _hash_in_background(path)
        lap = time.perf_counter()
        result = read.stage_file(con, path, entity)
        lap = _lap(report, "read", lap)
        steps.step(f"{path.name}: read {result.rows:,} rows")
        report.messages.extend(result.warnings)
        if report.file_format == "iati" and iati.entities_in(path)[0] == ent.name:
            report.messages.extend(iati.read_iati(path).notes)  # once per file
        report.rows_read = result.rows
        if hasher is not None:
            hasher.join()
        if "error" in hashed:
            raise read.FileRejected(f"cannot read the file ({hashed['error']})")
        report.sha256 = hashed.get("sha256")
        if result.rows == 0:
            report.status = "empty"
            report.messages.append("no data rows (header only): nothing to load")
            return _finish(report, clock)
        checked = validate.check_stage(
            con, ent, result.columns, decimal_comma=result.delimiter == ";"
        )
        lap = _lap(report, "check", lap)
        steps.step(f"{path.name}: checked {checked.rows:,} rows")
        validate.pandera_pass(con, ent, checked.good)
        lap = _lap(report, "pandera", lap)
        steps.step(f"{path.name}: Pandera")
        run_id = new_run_id()
        # staging and checking use temp tables outside the transaction (rowid is the file
        # order only for committed rows); the writes below are one transaction per file
        con.execute("BEGIN TRANSACTION")
        counts = load.upsert(con, ent, run_id)
        steps.step(f"{path.name}: loaded")
        bad = one_row(con, "SELECT count(*) FROM checked WHERE len(reasons) > 0")[0]
        report.rows_loaded = counts.loaded
        report.rows_inserted = counts.inserted
        report.rows_updated = counts.updated
        report.rows_unchanged = counts.unchanged
        report.rows_quarantined = bad
        report.problems = [
            Problem(path.name, line, column, rule, value, location=location)
            for line, column, rule, value, location in load.problems(con, MAX_PROBLEMS)
        ]
        if report.rows_loaded + report.rows_quarantined != report.rows_read:
            raise RuntimeError(
                f"row accounting failed: read {report.rows_read}, loaded {report.rows_loaded}, "
                f"quarantined {report.rows_quarantined}"
            )
        report.exit_code = EXIT_PARTIAL if bad else EXIT_OK
        previous = con.execute(
            "SELECT run_id FROM ops.ingest_run WHERE sha256 = $sha AND entity = $entity "
            "ORDER BY finished_at DESC LIMIT 1",
            {"sha": report.sha256, "entity": ent.name},
        ).fetchone()
        if previous and counts.inserted == 0 and counts.updated == 0:
            con.execute("ROLLBACK")
            report.status = "unchanged"
            report.messages.append(
                f"already loaded as run {previous[0]}: nothing changed, nothing written"
            )
            return _finish(report, clock)
        if dry_run:
            # on a throw-away copy the rows stay, so later files of the batch can refer to them
            con.execute("COMMIT" if keep_dry_run else "ROLLBACK")
            report.status = "dry_run"
            report.messages.append("dry run: validated, nothing written")
            return _finish(report, clock)
        load.quarantine(con, ent, result.columns, run_id, path.name)
        report.run_id = run_id
        report.status = "partial" if bad else "loaded"
        _finish(report, clock)
        con.execute(
            """
            INSERT INTO ops.ingest_run (run_id, started_at, finished_at, file_path, file_name,
                sha256, entity, file_format, rows_read, rows_loaded, rows_inserted, rows_updated,
                rows_quarantined, status, message, synthetic)
            VALUES ($run, $started, $finished, $path, $name, $sha, $entity, $format, $read,
                $loaded, $inserted, $updated, $quarantined, $status, $message, $synthetic)
            """,
            {
                "run": run_id,
                "started": started,
                "finished": dt.datetime.now(dt.UTC).replace(tzinfo=None),
                "path": report.path,
                "name": report.file_name,
                "sha": report.sha256,
                "entity": ent.name,
                "format": report.file_format,
                "read": report.rows_read,
                "loaded": report.rows_loaded,
                "inserted": report.rows_inserted,
                "updated": report.rows_updated,
                "quarantined": report.rows_quarantined,
                "status": report.status,
                "message": "; ".join(report.messages) or report.status,
                "synthetic": is_synthetic(path),
            },
        )
        con.execute("COMMIT")
        _lap(report, "load", lap)
        steps.step(f"{path.name}: committed")
        return report
    except read.FileRejected as exc:
        _rollback(con)
        return _reject(report, exc.message, exc.line, exc.column, clock)
    except Exception as exc:  # noqa: BLE001 - one readable message per file, never a traceback
        _rollback(con)
        return _reject(
            report, f"cannot load the file: {type(exc).__name__}: {exc}", None, None, clock
        )
    finally:
        if hasher is not None:
            hasher.join()
        with contextlib.suppress(duckdb.Error):
            read.drop_stage(con)
            for table in (
                "checked",
                "dup_keys",
                "dup_reasons",
                "primary_reasons",
                "pandera_reasons",
                "matched",
            ):
                con.execute(f"DROP TABLE IF EXISTS {table}")


def _lap(report: FileReport, step: str, since: float) -> float:
    now = time.perf_counter()
    report.timings[step] = round(now - since, 4)
    return now


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")


def _finish(report: FileReport, clock: float) -> FileReport:
    report.seconds = time.perf_counter() - clock
    return report


def _reject(
    report: FileReport, message: str, line: int | None, column: str | None, clock: float
) -> FileReport:
    report.status = "rejected"
    report.exit_code = EXIT_REJECTED
    report.rows_read = report.rows_loaded = report.rows_quarantined = 0
    report.rows_inserted = report.rows_updated = report.rows_unchanged = 0
    report.problems = [Problem(report.file_name, line, column, message, None, whole_file=True)]
    report.messages.append(f"file rejected: {safe_text(message, MAX_RULE_CHARS)}")
    return _finish(report, clock)


@contextlib.contextmanager
def scratch_copy(path: str | os.PathLike[str] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a writable throw-away copy of the published warehouse (for dry runs)."""
    published = config.warehouse_path(path)
    with tempfile.TemporaryDirectory(prefix="iurc-dry-run-") as tmp:
        copy = Path(tmp) / "scratch.duckdb"
        if published.exists():
            shutil.copyfile(published, copy)
        con = duckdb.connect(str(copy))
        try:
            dbmod.prepare(con, with_marts=False)
            yield con
        finally:
            con.close()


def ingest_files(
    paths: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    db: str | os.PathLike[str] | duckdb.DuckDBPyConnection | None = None,
    entity: str | None = None,
    dry_run: bool = False,
    progress: bool = False,
) -> IngestSummary:
    """Ingest files into the warehouse; return an IngestSummary (its exit_code is 0, 1 or 2).

    `db` is the warehouse path (default: $IURC_DB or data/warehouse/iurc.duckdb), or an open
    prepared connection to load into directly (tests, notebooks: no copy, no publish).
    Example: `ingest_files(["cities.csv", "activities.xlsx"], db="data/warehouse/iurc.duckdb")`.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    reports: list[FileReport]
    if entity is not None and entity.strip().lower() not in ENTITIES:
        reports = [
            _reject(
                FileReport(str(Path(p).resolve()), Path(p).name),
                f"unknown entity '{entity}'; expected one of: {', '.join(ENTITIES)}",
                None,
                None,
                time.perf_counter(),
            )
            for p in paths
        ]
        return IngestSummary(reports, None, dry_run)
    ordered = _order([Path(p) for p in paths], entity)
    if isinstance(db, duckdb.DuckDBPyConnection):
        _quiet(db, progress)
        with _Steps(progress, db) as steps:
            reports = [
                ingest_connection(db, p, e, dry_run=dry_run, steps=steps) for p, e in ordered
            ]
        return IngestSummary(reports, None, dry_run)
    target = config.warehouse_path(db)
    reports = []
    if dry_run:
        with scratch_copy(target) as con:
            _quiet(con, progress)
            with _Steps(progress, con) as steps:
                reports = [
                    ingest_connection(con, p, e, dry_run=True, steps=steps, keep_dry_run=True)
                    for p, e in ordered
                ]
        return IngestSummary(reports, str(target), dry_run=True)
    published = False
    try:
        with dbmod.writer(target) as con:
            _quiet(con, progress)
            with _Steps(progress, con) as steps:
                for p, e in ordered:
                    reports.append(ingest_connection(con, p, e, steps=steps))
            if not any(r.wrote for r in reports):
                raise _NothingToPublish
        published = True
    except _NothingToPublish:
        pass
    return IngestSummary(reports, str(target), dry_run=False, published=published)
