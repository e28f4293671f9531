"""Every path and environment setting the project reads. Imports nothing from the project."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
RAW_DIR = DATA_DIR / "raw"
DEMO_DIR = RAW_DIR / "demo"
WAREHOUSE_DIR = DATA_DIR / "warehouse"
SQL_DIR = Path(__file__).resolve().parent / "warehouse" / "sql"
MARTS_SQL_DIR = SQL_DIR / "marts"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"  # gettext catalogues (dashboard.i18n)
DEFAULT_DB = WAREHOUSE_DIR / "iurc.duckdb"

PROGRAMME_ID = "iurc-na"  # scope_id of programme-level targets and observations

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050


def warehouse_path(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the published warehouse path: the override, else $IURC_DB, else the default."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get("IURC_DB")
    if env:
        return Path(env).expanduser().resolve()
    return DEFAULT_DB


def lake_path(override: str | os.PathLike[str] | None = None) -> Path | None:
    """Return the Parquet lake to serve from: the override, else $IURC_LAKE, else None (the file)."""
    value = override or os.environ.get("IURC_LAKE")
    return Path(value).expanduser().resolve() if value else None


def debug_enabled() -> bool:
    """Return True only when IURC_DEBUG is set to 1/true: the server never debugs by default."""
    return os.environ.get("IURC_DEBUG", "").strip().lower() in {"1", "true", "yes"}


def max_upload_bytes() -> int:
    """Return the request-size limit for uploads and POST bodies (IURC_MAX_UPLOAD_MB, default 20)."""
    return int(float(os.environ.get("IURC_MAX_UPLOAD_MB", "20")) * 1024 * 1024)
