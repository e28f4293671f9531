"""Read and check an API request's query parameters: paging, format, language, filters, breakdown.

Filters have the dashboard's URL names and forms (`pipelines.metrics.filters.FILTERS`: start, end
and one comma-separated code list per declared filter), so a filter added to the declaration is
accepted here with no change. Unlike a page link, a bad value is refused (400 with a message):
an unknown parameter, a date that is not YYYY-MM-DD, a start after the end, a code that is not in
the filter's code list, a limit out of range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from werkzeug.datastructures import MultiDict

from dashboard.request_checks import (
    MAX_CONTROL_TEXT,
    MAX_LIST,
    STATE_QUERY_KEYS,
    BadRequest,
    check_state,
)
from pipelines.metrics.filters import LIST_FIELDS, Filters
from pipelines.queries import LANGS

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
FORMATS = ("json", "csv")
PAGING = frozenset({"limit", "offset", "_format", "lang"})
FILTER_PARAMS = STATE_QUERY_KEYS  # start, end and every declared filter


def check_known(args: MultiDict[str, str], allowed: Iterable[str]) -> None:
    """Raise BadRequest for a parameter not in `allowed`, given twice, or too long."""
    allowed = set(allowed)
    unknown = sorted(set(args) - allowed)
    if unknown:
        raise BadRequest(
            f"unknown parameter(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
        )
    for name in args:
        values = args.getlist(name)
        if len(values) > 1:
            raise BadRequest(f"give '{name}' once (several codes are comma-separated)")
        if len(values[0]) > MAX_CONTROL_TEXT:
            raise BadRequest(f"'{name}' is longer than {MAX_CONTROL_TEXT} characters")


def _int(args: MultiDict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise BadRequest(f"'{name}' must be a whole number from {low} to {high}")
    value = int(raw)
    if not low <= value <= high:
        raise BadRequest(f"'{name}' must be from {low} to {high} (got {value})")
    return value


def paging(args: MultiDict[str, str]) -> tuple[int, int]:
    """Return (limit, offset): limit 1..MAX_LIMIT (default DEFAULT_LIMIT), offset >= 0."""
    return (
        _int(args, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
        _int(args, "offset", 0, 0, 10**12),
    )


def output_format(args: MultiDict[str, str], accept: str) -> str:
    """Return 'json' or 'csv': `_format` if given, else CSV when the Accept header prefers it."""
    fmt = args.get("_format")
    if fmt is not None:
        if fmt not in FORMATS:
            raise BadRequest(f"'_format' must be one of {', '.join(FORMATS)}")
        return fmt
    return "csv" if "text/csv" in accept and "application/json" not in accept else "json"


def language(args: MultiDict[str, str]) -> str:
    """Return the label language (`lang`: en, fr or es; default en)."""
    lang = args.get("lang") or "en"
    if lang not in LANGS:
        raise BadRequest(f"'lang' must be one of {', '.join(LANGS)}")
    return lang


def _date(args: MultiDict[str, str], name: str) -> dt.date | None:
    raw = args.get(name)
    if not raw:
        return None
    try:
        if len(raw) != 10:
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"'{name}' must be a date YYYY-MM-DD (got {raw!r})") from None


def filters(
    args: MultiDict[str, str], unknown_codes: Callable[[Filters], dict[str, list[str]]]
) -> Filters:
    """Return the Filters of the request, every code checked with `unknown_codes` (its code list)."""
    query = {name: args[name] for name in FILTER_PARAMS if name in args}
    check_state({"q": "&".join(f"{k}=" for k in query)})  # the pages' filter-state guard
    start, end = _date(args, "start"), _date(args, "end")
    if start and end and start > end:
        raise BadRequest("'start' is after 'end'")
    for name in LIST_FIELDS:
        codes = [c for c in (args.get(name) or "").split(",") if c.strip()]
        if len(codes) > MAX_LIST:
            raise BadRequest(f"'{name}' lists more than {MAX_LIST} codes")
    parsed = Filters.from_query(query)
    unknown = unknown_codes(parsed)
    if unknown:
        detail = "; ".join(f"{name}: {', '.join(codes)}" for name, codes in unknown.items())
        raise BadRequest(f"unknown filter code(s) ({detail}); see /api/v1/tables for the lists")
    return parsed


def breakdown(args: MultiDict[str, str], allowed: Iterable[str]) -> tuple[str, ...]:
    """Return the `by` dimensions (comma-separated), each one the metric declares."""
    allowed = tuple(allowed)
    by = tuple(d.strip() for d in (args.get("by") or "").split(",") if d.strip())
    unknown = [d for d in by if d not in allowed]
    if unknown:
        raise BadRequest(
            f"unknown dimension(s) {', '.join(unknown)} for this metric; "
            f"allowed: {', '.join(allowed) or 'none'}"
        )
    if len(set(by)) != len(by):
        raise BadRequest("'by' names a dimension twice")
    return by
