"""The app database: one small SQLite file (users, login attempts, submissions, audit log, SDG
review decisions).

It is not the published warehouse: the warehouse only changes through the one serialised writer
(`pipelines.warehouse.db.writer`); this file holds who may do what and what was asked and
decided. SQLite serialises its own writers (WAL mode, a busy timeout), so every gunicorn worker
and the command line can use it at once.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from pipelines import config

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    cities TEXT NOT NULL DEFAULT '',
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures (at);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    extension TEXT NOT NULL,
    entity TEXT,
    submitted_by TEXT NOT NULL,
    cities TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    exit_code INTEGER,
    report TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    comment TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    username TEXT NOT NULL,
    via TEXT NOT NULL,
    action TEXT NOT NULL,
    submission_id INTEGER,
    file_name TEXT,
    sha256 TEXT,
    decision TEXT,
    comment TEXT
);
CREATE TABLE IF NOT EXISTS sdg_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    goal INTEGER NOT NULL,
    decision TEXT NOT NULL,
    target_id TEXT,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    applied_at TEXT,
    outcome TEXT
);
CREATE INDEX IF NOT EXISTS sdg_decisions_pending ON sdg_decisions (applied_at);
"""


@contextlib.contextmanager
def connect(path: str | Path | None = None) -> Iterator[sqlite3.Connection]:
    """Yield a connection to the app database (created on first use), committed on success."""
    db = Path(path) if path else config.app_db_path()
    db.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(db, timeout=30, isolation_level=None)
    con.row_factory = sqlite3.Row
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA busy_timeout=30000")
        con.executescript(SCHEMA)
        con.execute("BEGIN IMMEDIATE")
        yield con
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
