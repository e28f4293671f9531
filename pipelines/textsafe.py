"""Render a user-supplied value for a message, a table cell or an export, safely.

Values from input files (quarantined cells, file and column names) reach terminals, pages and
spreadsheets. Control characters (C0, DEL, C1: terminal escape sequences, line erase, bell) and
bidirectional formatting characters (the right-to-left override U+202E and its kin) would rewrite
or reverse what the reader sees, so they are shown escaped (`\\x1b`, `\\u202e`, `\\r`, `\\n`)
and long values are cut to a bounded length. Printable text, accents and emoji are kept as they
are; backslashes are not doubled, so rendering twice gives the same text.

This module imports nothing from the project: every layer may use it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

MAX_SHOWN_CHARS = 200
ELLIPSIS = "…"

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0 controls, DEL, C1 controls; bidi embeddings/overrides/isolates and marks; zero-width and
# invisible format characters; line/paragraph separators; BOM and interlinear annotations.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    named = _NAMED.get(ch)
    if named:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, keep: str = "") -> str:
    """Return `text` with every control and bidirectional character shown as an escape.

    Characters in `keep` (e.g. "\n\t" for a multi-line export cell) are left as they are.
    """
    if keep:
        return _UNSAFE.sub(lambda m: m.group(0) if m.group(0) in keep else _escape(m), text)
    return _UNSAFE.sub(_escape, text)


def safe_text(value: Any, limit: int | None = MAX_SHOWN_CHARS) -> str:
    """Return `value` as one line of inert text: controls and bidi escaped, at most `limit` chars.

    None renders as '' (callers say "empty" themselves); a cut value ends with '…'.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if limit is not None and len(text) > limit * 8:
        text = text[: limit * 8]  # bound the work before escaping (an escape is at most 6 chars)
    shown = escape_controls(text)
    if limit is not None and len(shown) > limit:
        shown = shown[: max(0, limit - 1)] + ELLIPSIS
    return shown


# The one formula rule (CSV injection): a text cell starting with one of these runs as a formula
# in a spreadsheet, so exports prefix it with an apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_REGEX = "^[=+\\-@\t\r]"


def formula_safe(value: Any) -> Any:
    """Return a text cell with an apostrophe before a leading formula character; others as given.

    Example: ``formula_safe("=1+1")  # "'=1+1"``
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def formula_safe_sql(expr: str) -> str:
    """Return a SQL expression applying `formula_safe` to a VARCHAR expression in DuckDB.

    `expr` must be an identifier or expression built from an allow-list, never user text.
    Example: ``formula_safe_sql('t."title"')``
    """
    return (
        f"case when regexp_matches({expr}, '{_FORMULA_REGEX}') then '''' || {expr} else {expr} end"
    )


def safe_link(value: Any) -> str | None:
    """Return `value` as a link target when it is an absolute http(s) URL with a host and no
    spaces or control characters, else None (javascript:, data:, relative paths are refused).

    Example: ``safe_link("javascript:alert(1)")  # None``
    """
    if not isinstance(value, str) or len(value) > 2000:
        return None
    text = value.strip()
    if not text.isprintable() or any(ch.isspace() for ch in text):
        return None
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return text
