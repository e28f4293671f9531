"""Shared helpers of the reliability suite: warehouse digests, CLI runs, file builders."""

from __future__ import annotations

import hashlib
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from typer.testing import CliRunner

from iurc.cli import app

ROOT = Path(__file__).resolve().parents[2]
TABLE_SCHEMAS = ("core", "ops")
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/')


def file_sha(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_digest(path: Path) -> dict[str, tuple[int, int]]:
    """Return {schema.table: (row count, order-independent content hash)} of core.* and ops.*."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(path)])
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'wh' "
            "AND schema_name IN ('core', 'ops') ORDER BY 1, 2"
        ).fetchall()
        out = {}
        for schema, table in tables:
            # names come from the catalog of our own warehouse, not from input
            n, h = con.execute(
                f'SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM wh."{schema}"."{table}" t'
            ).fetchone()
            out[f"{schema}.{table}"] = (n, int(h))
        return out
    finally:
        con.close()


def core_digest(path: Path) -> dict[str, tuple[int, int]]:
    """Return {core.table: (rows, content hash)} ignoring run_id (which differs between loads)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS wh (READ_ONLY)", [str(path)])
        tables = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'wh' "
            "AND schema_name = 'core' ORDER BY 1"
        ).fetchall()
        out = {}
        for (table,) in tables:
            n, h = con.execute(
                f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) "
                f'FROM (SELECT * EXCLUDE (run_id) FROM wh.core."{table}") t'
            ).fetchone()
            out[f"core.{table}"] = (n, int(h))
        return out
    finally:
        con.close()


def query(path: Path, sql: str, params: Sequence[Any] | dict | None = None) -> list[tuple]:
    """Run a read-only query on a warehouse file and return all rows."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@dataclass
class CliResult:
    """What one CLI run printed and returned."""

    exit_code: int
    output: str
    exception: BaseException | None


def run_cli(args: Sequence[str]) -> CliResult:
    """Run `iurc <args>` in-process through Typer's CliRunner (stdout and stderr together)."""
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=True)
    exc = result.exception
    if isinstance(exc, SystemExit):
        exc = None
    return CliResult(result.exit_code, result.output, exc)


def assert_no_traceback(text: str) -> None:
    """Fail when a traceback leaked into user-facing output."""
    for marker in TRACEBACK_MARKERS:
        assert marker not in text, f"traceback in output:\n{text[-3000:]}"


@dataclass
class ChildResult:
    """A subprocess run with its resource use."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


def run_limited(
    args: Sequence[str],
    *,
    timeout: float,
    mem_mb: int | None = None,
    env: dict[str, str] | None = None,
) -> ChildResult:
    """Run a command with an address-space limit and a timeout; return output, time and the
    child's own peak RSS (from wait4, so other children do not count)."""

    def limit() -> None:
        if mem_mb:
            size = mem_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            list(args),
            cwd=ROOT,
            stdout=out,
            stderr=err,
            text=True,
            preexec_fn=limit,  # noqa: PLW1509 - only sets a limit
            env={**os.environ, **(env or {})},
        )
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                err.seek(0)
                raise AssertionError(f"{args} did not finish in {timeout} s:\n{err.read()[-2000:]}")
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return ChildResult(proc.returncode, out.read(), err.read(), seconds, usage.ru_maxrss / 1024)


def iurc_cmd(*args: str) -> list[str]:
    """Return the argv that runs the real `iurc` CLI in a fresh interpreter."""
    return [sys.executable, "-m", "iurc.cli", *args]


# ---------------------------------------------------------------- file builders


def csv_bytes(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    newline: str = "\n",
    final_newline: bool = True,
) -> bytes:
    """Return a CSV file's bytes, quoting fields that need it (doubled quotes inside)."""

    def cell(value: Any) -> str:
        text = "" if value is None else str(value)
        if any(ch in text for ch in (delimiter, '"', "\n", "\r")):
            text = '"' + text.replace('"', '""') + '"'
        return text

    lines = [delimiter.join(cell(v) for v in r) for r in [list(header), *map(list, rows)]]
    text = newline.join(lines) + (newline if final_newline else "")
    return text.encode(encoding)


def xlsx_bytes(
    header: Sequence[str], rows: Sequence[Sequence[Any]], *, sheet: str = "data"
) -> bytes:
    """Return an XLSX workbook's bytes (strings starting with '=' become formulas)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def json_bytes(records: Any) -> bytes:
    """Return a JSON document's UTF-8 bytes."""
    return json.dumps(records, ensure_ascii=False).encode("utf-8")


def zip_bomb_bytes(inflated_mb: int = 64) -> bytes:
    """Return a zip that looks like a workbook and inflates one part to `inflated_mb` MB of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            block = b"\0" * (1 << 20)
            for _ in range(inflated_mb):
                part.write(block)
    return buf.getvalue()


def copy_warehouse(src: Path, dst: Path) -> Path:
    """Copy a warehouse file and return the copy's path."""
    shutil.copyfile(src, dst)
    return dst
