"""Hostile values in messages (issue #19): terminal escape sequences and bidi overrides from a
file are shown escaped, with a bounded length, by the CLI, the quarantine table and exports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from dashboard import access, components
from iurc.cli import app as cli_app
from pipelines.ingest.run import Problem
from pipelines.textsafe import MAX_SHOWN_CHARS, escape_controls, safe_text
from tests.fixtures.ingest import fixture_paths

# what a hostile provider puts in a cell to rewrite the analyst's terminal
PAYLOADS = {
    "window title": "\x1b]0;pwned\x07",
    "clipboard write": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "hidden hyperlink": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "line erase": "\r\x1b[2K\x1b[1A",
    "right-to-left override": "invoice\u202etxt.exe",
    "bell and backspace": "\x07\x08\x08",
    "C1 CSI": "\x9b2K",
    "line separator": "a\u2028b",
}
UNSAFE = [chr(c) for c in [*range(32), *range(127, 160)]] + [
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2028",
    "\u200f",
]


def _inert(text: str) -> bool:
    return not any(ch in text for ch in UNSAFE)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_safe_text_escapes_terminal_and_bidi_controls(payload: str) -> None:
    shown = safe_text(payload)
    assert _inert(shown) and shown
    assert safe_text(shown) == shown  # rendering twice changes nothing


def test_safe_text_names_the_escapes_and_keeps_ordinary_text() -> None:
    assert safe_text("Malmö ✓ 東京") == "Malmö ✓ 東京"
    assert safe_text("a\u202eb") == "a\\u202eb"
    assert safe_text("\x1b[2K\r\n\t") == "\\x1b[2K\\r\\n\\t"
    assert safe_text(None) == "" and safe_text(12) == "12"


def test_safe_text_caps_the_length() -> None:
    shown = safe_text("x" * 10_000_000)
    assert len(shown) == MAX_SHOWN_CHARS and shown.endswith("…")
    assert len(safe_text("\x1b" * 10_000)) == MAX_SHOWN_CHARS


def test_escape_controls_can_keep_line_breaks_for_exports() -> None:
    assert escape_controls("a\nb\x1b", keep="\n") == "a\nb\\x1b"


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_problem_line_is_inert_in_every_part(payload: str) -> None:
    problem = Problem(f"cities{payload}.csv", 3, f"name{payload}", f"bad {payload}", payload)
    text = str(problem)
    assert _inert(text)
    whole = Problem(f"cities{payload}.csv", 1, payload, f"rule {payload}", whole_file=True)
    assert _inert(str(whole))


def test_cli_ingest_prints_quarantined_values_escaped(tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    runner = CliRunner()
    assert (
        runner.invoke(cli_app, ["ingest", *map(str, fixture_paths()), "--db", str(db)]).exit_code
        == 0
    )
    bad = tmp_path / "participations_bad.csv"
    # a few escapes in one cell (many control bytes in a small file reject it as binary)
    payload = PAYLOADS["window title"] + "\x1b[2K" + PAYLOADS["right-to-left override"]
    bad.write_text(
        "activity_id,city_id,stakeholder_type,participants,women\n"
        f"act-2022-sv-velletri,velletri-it,{payload},4,\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli_app, ["ingest", str(bad), "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert "stakeholder_type" in result.output and "\\u202e" in result.output
    assert _inert(result.output.replace("\n", ""))
    status = runner.invoke(cli_app, ["status", "--db", str(db)])
    assert status.exit_code == 0 and _inert(status.output.replace("\n", ""))


def test_quarantine_table_shows_reasons_escaped_and_no_raw_record() -> None:
    from dashboard.app import app  # noqa: F401  (pages register after the app exists)
    from dashboard.pages import data_quality

    df = pd.DataFrame(
        {
            "file_name": ["a\u202e.csv"],
            "line": [2],
            "entity": ["activity"],
            "reasons": ["title: bad value \x1b]0;pwned\x07"],
            "raw_record": ['{"title": "SECRET"}'],
        }
    )
    assert access.can_see_raw_records() is False
    table = data_quality.quarantine_table(df, "en")
    text = str(table.to_plotly_json())
    assert "SECRET" not in text and "raw" not in text.lower()
    assert "\\\\x1b]0;pwned\\\\x07" in text and "a\\\\u202e.csv" in text
    assert _inert(text)


def test_access_guard_drops_raw_records_from_frames() -> None:
    df = pd.DataFrame({"line": [1], "raw_record": ["{}"]})
    assert list(access.without_raw_records(df).columns) == ["line"]


def test_dashboard_export_escapes_controls_and_keeps_line_breaks() -> None:
    df = pd.DataFrame({"title": ["=1+1", "two\nlines", "x\x1b]0;t\x07\u202e"], "n": [1, 2, 3]})
    out = components.neutralise(df)
    assert list(out["title"]) == ["'=1+1", "two\nlines", "x\\x1b]0;t\\x07\\u202e"]
    csv_text = components.to_csv_bytes(df).decode("utf-8-sig")
    assert "\x1b" not in csv_text and "\u202e" not in csv_text
