"""The report's chart images: drawn offline, with deadlines, by a browser that recovers.

These drive the real kaleido and Debian's Chromium (seconds each).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import plotly.graph_objects as go
import pytest

from dashboard import static_charts

FIG = go.Figure(go.Bar(x=["Lyon", "Turku"], y=[3, 4]))


def test_svg_draws_a_vector_chart_in_the_report_font() -> None:
    image = static_charts.svg(FIG, 400, 300)
    assert image.startswith(b"<svg") and b"Turku" in image
    assert static_charts.FONT_FAMILY.encode() in image


def test_the_page_charts_are_drawn_in_loads_nothing_from_the_network() -> None:
    static_charts.svg(FIG, 400, 300)
    browser = static_charts._browser
    assert browser is not None
    index = Path(urlparse(browser.opened.result()._index).path).read_text(encoding="utf-8")
    assert "plotly" in index  # the page is the one kaleido draws in, with its scripts
    assert "http://" not in index and "https://" not in index


def test_a_browser_past_its_deadline_gives_a_clear_error_and_the_next_call_starts_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    static_charts.svg(FIG, 400, 300)
    monkeypatch.setattr(static_charts, "DRAW_SECONDS", 0.0)
    monkeypatch.setattr(static_charts, "CLOSE_SECONDS", 0.0)
    first = static_charts._browser
    with pytest.raises(static_charts.ChartError, match="did not answer in time"):
        static_charts.svg(FIG, 400, 300)
    assert static_charts._browser is None
    monkeypatch.undo()
    assert static_charts.svg(FIG, 400, 300).startswith(b"<svg")
    assert static_charts._browser is not None and static_charts._browser is not first


def test_cli_report_says_why_when_the_charts_cannot_be_drawn(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from iurc.cli import app

    static_charts.svg(FIG, 400, 300)
    monkeypatch.setattr(static_charts, "DRAW_SECONDS", 0.0)
    monkeypatch.setattr(static_charts, "CLOSE_SECONDS", 0.0)
    out = tmp_path / "report.html"
    args = ["report", "--db", str(demo_db), "--period", "2025", "--format", "html"]
    done = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert done.exit_code == 2
    assert "error: the chart could not be drawn: did not answer in time" in done.output
    assert "Traceback" not in done.output and not out.exists()
