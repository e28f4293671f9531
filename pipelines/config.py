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


def debug_enabled() -> bool:
    """Return True only when IURC_DEBUG is set to 1/true: the server never debugs by default."""
    return os.environ.get("IURC_DEBUG", "").strip().lower() in {"1", "true", "yes"}


def max_upload_bytes() -> int:
    """Return the request-size limit for uploads and POST bodies (IURC_MAX_UPLOAD_MB, default 20)."""
    return int(float(os.environ.get("IURC_MAX_UPLOAD_MB", "20")) * 1024 * 1024)


def api_rate_limit() -> tuple[int, float]:
    """Return the API's rate limit per client IP as (requests, seconds), from IURC_API_RATE.

    IURC_API_RATE is "N/SECONDS" (default "120/60": 120 requests a minute, in bursts of 120).
    """
    raw = os.environ.get("IURC_API_RATE", "120/60").strip()
    count, _, seconds = raw.partition("/")
    try:
        limit = (int(count), float(seconds or "60"))
    except ValueError:
        raise ValueError(f"IURC_API_RATE must look like '120/60', not {raw!r}") from None
    if limit[0] < 1 or limit[1] <= 0:
        raise ValueError("IURC_API_RATE needs at least 1 request over a positive number of seconds")
    return limit


def bundle_dir() -> Path:
    """Return the folder of the API's cached Parquet bundles (IURC_BUNDLE_DIR, default data/export)."""
    env = os.environ.get("IURC_BUNDLE_DIR")
    return Path(env).expanduser().resolve() if env else DATA_DIR / "export"
