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


def warm_cache_enabled() -> bool:
    """Return False when IURC_WARM_CACHE is 0/false/no: the server then draws each page's default
    view only on its first visit after a publish (the test suite turns warming off)."""
    return os.environ.get("IURC_WARM_CACHE", "1").strip().lower() not in {"0", "false", "no"}


def response_cache_enabled() -> bool:
    """Return False when IURC_RESPONSE_CACHE is 0/false/no: every dashboard callback and page
    layout is then computed again on each request (for debugging; dashboard.response_cache)."""
    return os.environ.get("IURC_RESPONSE_CACHE", "1").strip().lower() not in {"0", "false", "no"}


def response_cache_dir(warehouse: Path) -> Path:
    """Return the folder of the response cache shared by the server's workers:
    $IURC_RESPONSE_CACHE_DIR, else `<warehouse>.respcache` beside the served warehouse (or lake)."""
    return _env_path("IURC_RESPONSE_CACHE_DIR", warehouse.with_name(warehouse.name + ".respcache"))


def response_cache_bytes() -> int:
    """Return the response cache's size bound in bytes (IURC_RESPONSE_CACHE_MB, default 256)."""
    return int(float(os.environ.get("IURC_RESPONSE_CACHE_MB", "256")) * 1024 * 1024)


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


# ------------------------------------------------------------------ sign-in, submissions, audit
APP_DIR = DATA_DIR / "app"  # the web app's own state: users, submissions, audit (not the warehouse)
SUBMISSIONS_DIR = RAW_DIR / "submissions"  # uploaded files, immutable, named by sha256
ROLES: tuple[str, ...] = ("public", "city_editor", "programme_officer", "admin")
SUBMISSION_EXTENSIONS: tuple[str, ...] = ("csv", "xlsx", "json")


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def app_db_path() -> Path:
    """Return the app database (users, submissions, audit log): $IURC_APP_DB, else data/app/app.sqlite."""
    return _env_path("IURC_APP_DB", APP_DIR / "app.sqlite")


def submissions_dir() -> Path:
    """Return the folder of uploaded files: $IURC_SUBMISSIONS_DIR, else data/raw/submissions."""
    return _env_path("IURC_SUBMISSIONS_DIR", SUBMISSIONS_DIR)


def secret_key_path() -> Path:
    """Return the file holding the generated session-signing key (used when $IURC_SECRET_KEY is unset)."""
    return app_db_path().with_name("secret_key")


def session_hours() -> float:
    """Return how long a signed-in session lasts, in hours (IURC_SESSION_HOURS, default 8)."""
    return float(os.environ.get("IURC_SESSION_HOURS", "8"))


def cookie_secure(default: bool = True) -> bool:
    """Return True when cookies are sent over HTTPS only (IURC_COOKIE_SECURE=0 for http dev)."""
    value = os.environ.get("IURC_COOKIE_SECURE", "").strip().lower()
    if not value:
        return default
    return value not in {"0", "false", "no"}


def trusted_proxy() -> tuple[str | None, str]:
    """Return (address of the SSO reverse proxy or None, identity header name).

    IURC_TRUSTED_PROXY is the one address whose identity header (IURC_IDENTITY_HEADER, default
    X-Forwarded-User) is believed; unset, no header is trusted.
    """
    proxy = os.environ.get("IURC_TRUSTED_PROXY", "").strip() or None
    return proxy, os.environ.get("IURC_IDENTITY_HEADER", "X-Forwarded-User").strip()


def login_limits() -> tuple[int, int, int]:
    """Return (failures per account, failures per address, window in seconds) before refusing."""
    return (
        int(os.environ.get("IURC_LOGIN_MAX_ACCOUNT", "5")),
        int(os.environ.get("IURC_LOGIN_MAX_IP", "20")),
        int(os.environ.get("IURC_LOGIN_WINDOW_S", "900")),
    )


def snapshots_kept() -> int:
    """Return how many earlier published warehouses are kept as snapshots (IURC_SNAPSHOTS, default 5)."""
    return int(os.environ.get("IURC_SNAPSHOTS", "5"))


def reader_limits() -> tuple[str, int]:
    """Return (DuckDB memory_limit, threads) of each read connection of a server worker.

    IURC_READER_MEMORY (default 1GB) and IURC_READER_THREADS (default 2).
    """
    return (
        os.environ.get("IURC_READER_MEMORY", "1GB").strip(),
        int(os.environ.get("IURC_READER_THREADS", "2")),
    )


def is_loopback(host: str) -> bool:
    """Return True for a loopback host name or address (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
