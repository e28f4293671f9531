"""The audit log: who did what to which file (name and sha256), when, with which decision."""

from __future__ import annotations

import datetime as dt
import getpass
import sqlite3

import pandas as pd

from pipelines.app import store

COLUMNS = (
    "id",
    "at",
    "username",
    "via",
    "action",
    "submission_id",
    "file_name",
    "sha256",
    "decision",
    "comment",
)


def now() -> str:
    """Return the current UTC time as ISO text (seconds), the app database's time format."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def record(
    con: sqlite3.Connection,
    username: str,
    action: str,
    *,
    via: str = "web",
    submission_id: int | None = None,
    file_name: str | None = None,
    sha256: str | None = None,
    decision: str | None = None,
    comment: str | None = None,
) -> None:
    """Append one audit entry inside the caller's transaction (returns nothing)."""
    con.execute(
        "INSERT INTO audit (at, username, via, action, submission_id, file_name, sha256, "
        "decision, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (now(), username, via, action, submission_id, file_name, sha256, decision, comment),
    )


def record_cli(action: str, file_name: str | None, sha256: str | None, decision: str) -> None:
    """Append an audit entry for a command-line action, as the OS user (via=cli)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        user = "unknown"
    with store.connect() as con:
        record(con, user, action, via="cli", file_name=file_name, sha256=sha256, decision=decision)


def entries(limit: int = 1000) -> pd.DataFrame:
    """Return the newest `limit` audit entries, newest first, as a DataFrame of COLUMNS."""
    with store.connect() as con:
        rows = con.execute(
            f"SELECT {', '.join(COLUMNS)} FROM audit ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(COLUMNS))
    return frame.astype({"id": "Int64", "submission_id": "Int64"})
