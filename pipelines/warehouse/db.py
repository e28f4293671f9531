"""Warehouse connections and atomic publishing.

Writers never touch the published file: `writer()` copies it to a private file, yields a
read-write connection on the copy, and on success checkpoints it and renames it over the
published path (an atomic step on POSIX and on Windows' NTFS). The file it replaces is kept as a
snapshot (a hard link, the last IURC_SNAPSHOTS of them; `restore` publishes one again), and a
writer refuses to start when the disk has too little room for its copy. Readers open the published file read-only through
`ATTACH` on a fresh in-memory database, which sidesteps DuckDB's per-process instance cache, so a
reader can pick up a newly published file while older connections keep reading the old one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
from filelock import FileLock

from pipelines import config

WAREHOUSE_ALIAS = "wh"
log = logging.getLogger(__name__)


def ddl_sql() -> str:
    """Return the warehouse DDL text.

    Example: ``"create table if not exists core.city" in ddl_sql()``
    """
    return (config.SQL_DIR / "ddl.sql").read_text(encoding="utf-8")


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every schema and table that does not exist yet (idempotent).

    Example: ``create_schema(duckdb.connect(":memory:"))``
    """
    con.execute(ddl_sql())


def prepare(con: duckdb.DuckDBPyConnection, *, with_marts: bool = True) -> None:
    """Bring a writable warehouse up to date: DDL, reference code lists and (optionally) marts.

    Example: ``prepare(duckdb.connect("scratch.duckdb"), with_marts=False)``
    """
    from pipelines.warehouse import marts, reference

    create_schema(con)
    reference.load_reference(con)
    if with_marts:
        marts.build_marts(con)


def q(identifier: str) -> str:
    """Return an allow-listed identifier (a checked column or table name) double-quoted for SQL;
    raise ValueError for anything but letters, digits and underscores.

    Example: ``q("city_id")  # '"city_id"'``
    """
    if not identifier.replace("_", "").isalnum():
        raise ValueError(f"unexpected identifier {identifier!r}")
    return f'"{identifier}"'


def one_row(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> tuple[Any, ...]:
    """Return the one row of an aggregate query (``count(*)``, ``sum``): it always has one.

    Raises LookupError if the query returned no row after all.
    Example: ``one_row(con, "select count(*) from ref.indicator")[0]``
    """
    row = con.execute(sql, params).fetchone()
    if row is None:
        raise LookupError(f"query returned no row: {sql}")
    return row


def connect_memory() -> duckdb.DuckDBPyConnection:
    """Return an in-memory warehouse with the schema, reference data and marts (tests, dry runs).

    Example: ``connect_memory().execute("select count(*) from ref.indicator").fetchone()``
    """
    con = duckdb.connect(":memory:")
    prepare(con)
    return con


def connect_readonly(
    path: str | os.PathLike[str] | None = None, *, hardened: bool = False
) -> duckdb.DuckDBPyConnection:
    """Return a read-only connection to the published warehouse (raises FileNotFoundError).

    `path` defaults to $IURC_DB, else data/warehouse/iurc.duckdb. Pass it to any query function.
    Without a `path`, when $IURC_LAKE names a Parquet lake, the connection serves the lake instead
    (`lake.connect`: views over its current run, the same schemas and macros).
    `hardened=True` (the web server's readers) then turns off every file and network access
    (`enable_external_access=false`), applies the per-worker memory limit and thread count of
    `config.reader_limits()` and locks the configuration, so no query can read or write a file,
    reach the network or lift the limits.

    Example: ``queries.kpi_scorecard(connect_readonly(), Filters(network=("innovation",)))``
    """
    if path is None and config.lake_path() is not None:
        from pipelines.warehouse import lake

        return lake.connect(alias=WAREHOUSE_ALIAS)
    db = config.warehouse_path(path)
    if not db.exists():
        raise FileNotFoundError(f"no warehouse at {db}: run 'iurc demo' or 'iurc ingest' first")
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH ? AS {WAREHOUSE_ALIAS} (READ_ONLY)", [str(db)])
    con.execute(f"USE {WAREHOUSE_ALIAS}")
    if hardened:
        memory, threads = config.reader_limits()
        con.execute("SET enable_external_access = false")
        con.execute("SET memory_limit = $m", {"m": memory})
        con.execute("SET threads = $t", {"t": threads})
        con.execute("SET lock_configuration = true")
    return con


def readonly_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Return a cursor of a read-only connection, for use by one thread, on the warehouse catalog.

    Example: ``cur = readonly_cursor(connect_readonly())  # in a worker thread``
    """
    cur = con.cursor()
    cur.execute(f"USE {WAREHOUSE_ALIAS}")
    return cur


class Warehouse:
    """A read-only handle on the published warehouse that follows re-publication.

    `cursor()` stats the file (cheap) and reopens when a new file was published; each thread gets
    its own cursor, since DuckDB connections must not be shared across threads. With a `lake`
    (or $IURC_LAKE) it serves the Parquet lake's current run instead, and follows its `current`
    pointer the same way.

    Example: ``wh = Warehouse(); queries.stakeholder_mix(wh.cursor(), Filters())``
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        lake: str | os.PathLike[str] | None = None,
    ) -> None:
        self.lake = config.lake_path(lake)
        self.path = self.lake / "current" if self.lake else config.warehouse_path(path)
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._local = threading.local()

    def _file_stamp(self) -> tuple[int, int, int]:
        st = os.stat(self.path)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """Return this thread's cursor on the newest published warehouse."""
        stamp = self._file_stamp()
        with self._lock:
            if stamp != self._stamp or self._con is None:
                # Older connections are left to the garbage collector: other threads may still
                # be reading through them, and the old inode stays readable until they finish.
                self._con = self._open()
                self._stamp = stamp
            con, current = self._con, self._stamp
        local = self._local
        if getattr(local, "stamp", None) != current:
            local.cur = readonly_cursor(con)
            local.stamp = current
        cur: duckdb.DuckDBPyConnection = local.cur
        return cur

    def _open(self) -> duckdb.DuckDBPyConnection:
        if self.lake is not None:
            from pipelines.warehouse import lake

            return lake.connect(self.lake, alias=WAREHOUSE_ALIAS, hardened=True)
        con = connect_readonly(self.path, hardened=True)
        from pipelines.warehouse import marts

        reason = marts.stale_reason(con)
        if reason is not None:  # pages reading a mart this code changed would fail: say why
            log.error(
                "%s: %s; run 'iurc refresh --db %s' to rebuild them", self.path, reason, self.path
            )
        return con

    @property
    def version(self) -> tuple[int, int, int] | None:
        """Return the stamp (inode, mtime, size) of the file the handle last opened."""
        return self._stamp


@contextlib.contextmanager
def publish_lock(path: Path) -> Iterator[None]:
    """Serialise writers of one warehouse with an exclusive lock file beside it.

    Example: ``with publish_lock(Path("wh.duckdb")): ...``
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(path.with_name(path.name + ".lock")):
        yield


def _fsync_dir(directory: Path) -> None:
    if os.name == "nt":  # Windows cannot open a directory; its rename is durable on return
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class DiskSpaceError(OSError):
    """Too little free disk to publish: nothing was written, the warehouse is as it was.

    Example: ``except DiskSpaceError as exc: print(exc)  # "need 64 MB free on ..."``
    """


def check_free_space(db: Path) -> None:
    """Raise DiskSpaceError unless the disk of `db` has room for a private copy and its growth.

    Needed: twice the warehouse size (the copy, and the marts rebuilt in it) plus a margin of
    IURC_MIN_FREE_MB (default 64).

    Example: ``check_free_space(Path("data/warehouse/iurc.duckdb"))  # raises when the disk is full``
    """
    size = db.stat().st_size if db.exists() else 0
    margin = int(float(os.environ.get("IURC_MIN_FREE_MB", "64")) * 1024 * 1024)
    needed = 2 * size + margin
    free = shutil.disk_usage(db.parent).free
    if free < needed:
        raise DiskSpaceError(
            f"not enough free disk to publish: {free // 2**20:,} MB free, "
            f"{needed // 2**20:,} MB needed; the warehouse is unchanged"
        )


def snapshots_dir(db: Path) -> Path:
    """Return the folder of the snapshots (earlier published files) of warehouse `db`.

    Example: ``snapshots_dir(Path("iurc.duckdb"))  # Path("iurc.duckdb.snapshots")``
    """
    return db.with_name(db.name + ".snapshots")


def list_snapshots(path: str | os.PathLike[str] | None = None) -> list[Path]:
    """Return the snapshot files of the warehouse, oldest first (their stem is the snapshot id).

    Example: ``[p.stem for p in list_snapshots()]  # ids for `iurc restore``
    """
    folder = snapshots_dir(config.warehouse_path(path))
    return sorted(folder.glob("*.duckdb")) if folder.exists() else []


def _keep_snapshot(db: Path) -> None:
    """Keep the file about to be replaced as a snapshot (a hard link: no copy); prune to N."""
    if not db.exists() or config.snapshots_kept() <= 0:
        return
    folder = snapshots_dir(db)
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:6]
    target = folder / f"{stamp}.duckdb"
    try:
        os.link(db, target)
    except OSError:  # a file system without hard links
        shutil.copyfile(db, target)
    for old in sorted(folder.glob("*.duckdb"))[: -config.snapshots_kept()]:
        old.unlink(missing_ok=True)


def _publish(tmp: Path, db: Path) -> None:
    """Make the fsynced file `tmp` the published warehouse, keeping the previous one as a snapshot."""
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    _keep_snapshot(db)
    os.replace(tmp, db)
    _fsync_dir(db.parent)


def restore(snapshot_id: str, path: str | os.PathLike[str] | None = None) -> Path:
    """Publish snapshot `snapshot_id` again (the current file becomes a snapshot); return it.

    Raises LookupError for an unknown snapshot, DiskSpaceError when the disk is too full.

    Example: ``restore(list_snapshots()[-1].stem)  # back to the previous publish``
    """
    db = config.warehouse_path(path)
    source = next((p for p in list_snapshots(db) if p.stem == snapshot_id), None)
    if source is None:
        raise LookupError(f"no snapshot '{snapshot_id}': see `iurc snapshots`")
    with publish_lock(db):
        check_free_space(db)
        tmp = db.with_name(f"{db.name}.{uuid.uuid4().hex}.tmp")
        try:
            shutil.copyfile(source, tmp)
            _publish(tmp, db)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return source


def refresh_marts(path: str | os.PathLike[str] | None = None, *, force: bool = False) -> bool:
    """Rebuild the marts of the warehouse at `path` (default: $IURC_DB, else the default file)
    when they were built by another version of this code, or always with `force`, and publish it
    as any writer does (the data is kept; a failure leaves the published file as it was).

    Returns True when it rebuilt them, False when they already matched this code.

    Example: ``refresh_marts("data/warehouse/iurc.duckdb")``
    """
    from pipelines.warehouse import marts

    db = config.warehouse_path(path)
    if not force:
        con = connect_readonly(db)
        try:
            if marts.stale_reason(con) is None:
                return False
        finally:
            con.close()
    with writer(db):
        pass  # the writer brings the DDL and reference lists up to date and rebuilds the marts
    return True


@contextlib.contextmanager
def writer(path: str | os.PathLike[str] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection on a private copy of the warehouse; publish it on success.

    On any exception (or a kill) the published file is untouched and the copy is removed (or
    left as an orphan `.tmp` file that the next writer deletes).

    Example: ``with writer("wh.duckdb") as con: con.execute("insert into core.city ...")``
    """
    db = config.warehouse_path(path)
    with publish_lock(db):
        # a killed writer leaves its copy and, if it was mid-write, the copy's WAL file
        for pattern in (".*.tmp", ".*.tmp.wal"):
            for orphan in db.parent.glob(db.name + pattern):
                orphan.unlink(missing_ok=True)
        check_free_space(db)
        tmp = db.with_name(f"{db.name}.{uuid.uuid4().hex}.tmp")
        if db.exists():
            shutil.copyfile(db, tmp)
        con = duckdb.connect(str(tmp))
        try:
            prepare(con, with_marts=False)
            yield con
            from pipelines.warehouse import marts

            marts.build_marts(con)
            con.execute("CHECKPOINT")
            con.close()
            _publish(tmp, db)
        except BaseException:
            with contextlib.suppress(Exception):
                con.close()
            tmp.unlink(missing_ok=True)
            tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
            raise
