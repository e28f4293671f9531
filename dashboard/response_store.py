"""A size-bounded store of response bodies shared by the server's processes: one SQLite file.

`dashboard.response_cache` decides what is stored and under which key; this module only keeps
bytes. The file (`responses.sqlite` in the cache folder) is opened in WAL mode, so readers in
every gunicorn worker and thread read at once while one writes; each thread has its own
connection. Every entry carries the publish it was computed for (`published`, the warehouse
file's mtime in ns): storing an entry of a newer publish deletes those of older ones, and no
entry older than the newest stored is ever written back. Every entry also carries the code
generation that drew it: opening the store deletes the entries of every other generation, so a
new release does not leave the old one's answers to wait for size eviction. Entries are evicted least recently used
first once the stored bodies pass the size bound (`used` is refreshed on a hit at most once a
second per entry, so a hit is a read, rarely a write).

`computing(key)` is a lock per key (one of 4096 lock files, `flock`) across processes and
threads: the first request for a missing entry computes it while the others wait for it and
then read it, instead of every worker computing the same answer. The lock is released when
the holder's request ends, and by the system if its process dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS entry (
    key TEXT PRIMARY KEY,
    generation TEXT NOT NULL,
    published INTEGER NOT NULL,
    size INTEGER NOT NULL,
    used REAL NOT NULL,
    body BLOB NOT NULL,
    gzip BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS entry_used ON entry (used);
CREATE TABLE IF NOT EXISTS warmed (generation TEXT PRIMARY KEY, at REAL NOT NULL);
"""
log = logging.getLogger(__name__)
LOCK_STRIPES = 4096  # a key shares its lock with one of 170 others 4 % of the time
TOUCH_EVERY_S = 1.0


class ResponseStore:
    """Response bodies (plain and gzip) under text keys, in `folder`, at most `max_bytes` in all,
    drawn by the code `generation`."""

    def __init__(self, folder: Path, max_bytes: int, generation: str) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.generation = generation
        self.path = folder / "responses.sqlite"
        self._local = threading.local()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # answers for every role
        (folder / "locks").mkdir(mode=0o700, exist_ok=True)
        with contextlib.closing(self._open()) as con:
            columns = {row[1] for row in con.execute("PRAGMA table_info(entry)")}
            if columns and "generation" not in columns:  # a store written before generations
                con.execute("DROP TABLE entry")
            con.executescript(SCHEMA)
            con.execute("DELETE FROM entry WHERE generation <> ?", (generation,))

    def _open(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")  # a cache: a lost last write is recomputed
        return con

    def _con(self) -> sqlite3.Connection:
        """Return this thread's connection (a new one in a forked child)."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.con = self._open()
            local.pid = os.getpid()
        con: sqlite3.Connection = local.con
        return con

    def get(self, key: str, gzip: bool) -> bytes | None:
        """Return the body stored under `key` (its gzip form when `gzip`), or None (also when
        the file cannot be read: the answer is then computed, as without a cache)."""
        try:
            con = self._con()
            row = con.execute(
                f"SELECT {'gzip' if gzip else 'body'}, used FROM entry WHERE key = ?", (key,)
            ).fetchone()
            if row is None:
                return None
            now = time.time()
            if now - row[1] > TOUCH_EVERY_S:
                con.execute("UPDATE entry SET used = ? WHERE key = ?", (now, key))
        except sqlite3.Error:
            log.warning("response cache unreadable: %s", self.path, exc_info=True)
            return None
        body: bytes = row[0]
        return body

    def put(self, key: str, published: int, body: bytes, gzipped: bytes) -> bool:
        """Store `body` (and its gzip form) under `key` for the publish `published`; drop the
        entries of older publishes and evict the least recently used past the size bound.
        Return False (nothing stored) when a newer publish is stored already or the entry
        alone would take more than a quarter of the bound."""
        size = len(body) + len(gzipped)
        if size > self.max_bytes // 4:
            return False
        try:
            return self._put(key, published, size, body, gzipped)
        except sqlite3.Error:  # e.g. a full disk: the answer is served, just not kept
            log.warning("response cache not written: %s", self.path, exc_info=True)
            return False

    def _put(self, key: str, published: int, size: int, body: bytes, gzipped: bytes) -> bool:
        con = self._con()
        con.execute("BEGIN IMMEDIATE")
        try:
            newest = con.execute("SELECT max(published) FROM entry").fetchone()[0]
            if newest is not None and newest > published:
                con.execute("ROLLBACK")
                return False
            if newest is not None and newest < published:
                con.execute("DELETE FROM entry WHERE published < ?", (published,))
            con.execute(
                "INSERT OR REPLACE INTO entry VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key, self.generation, published, size, time.time(), body, gzipped),
            )
            self._evict(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return True

    def _evict(self, con: sqlite3.Connection) -> None:
        """Delete the least recently used entries until the stored bytes are within the bound."""
        total = con.execute("SELECT coalesce(sum(size), 0) FROM entry").fetchone()[0]
        if total <= self.max_bytes:
            return
        goal = self.max_bytes * 9 // 10  # evict in batches, not on every later write
        doomed = []
        for key, size in con.execute("SELECT key, size FROM entry ORDER BY used"):
            if total <= goal:
                break
            doomed.append((key,))
            total -= size
        con.executemany("DELETE FROM entry WHERE key = ?", doomed)

    def stored_bytes(self) -> int:
        """Return the bytes of every stored body (plain and gzip)."""
        total: int = self._con().execute("SELECT coalesce(sum(size), 0) FROM entry").fetchone()[0]
        return total

    def claim(self, generation: str) -> bool:
        """Return True for the first caller of any process to claim `generation` (e.g. warming
        the cache once for a publish), False for every later one."""
        con = self._con()
        cur = con.execute("INSERT OR IGNORE INTO warmed VALUES (?, ?)", (generation, time.time()))
        if cur.rowcount != 1:
            return False
        con.execute(  # the claims of the last publishes are enough
            "DELETE FROM warmed WHERE generation NOT IN "
            "(SELECT generation FROM warmed ORDER BY at DESC LIMIT 100)"
        )
        return True

    def lock(self, key: str) -> int:
        """Take the lock of `key` (a hex digest), shared by every process on this folder, waiting
        while another thread or process holds it; return the handle to give to `unlock` (-1
        when the lock cannot be taken: the caller then computes without waiting)."""
        stripe = int(key[:8], 16) % LOCK_STRIPES
        try:
            fd = os.open(self.folder / "locks" / f"{stripe:04d}", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            log.warning("response cache lock unavailable: %s", self.folder, exc_info=True)
            return -1
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits without the GIL; a dead holder releases it
        except OSError:
            os.close(fd)
            log.warning("response cache lock unavailable: %s", self.folder, exc_info=True)
            return -1
        return fd

    @staticmethod
    def unlock(handle: int) -> None:
        """Release a lock taken with `lock`."""
        if handle >= 0:
            os.close(handle)  # closing the descriptor releases its flock

    @contextlib.contextmanager
    def computing(self, key: str) -> Iterator[None]:
        """Hold the lock of `key` (see `lock`) while the block runs."""
        handle = self.lock(key)
        try:
            yield
        finally:
            self.unlock(handle)
