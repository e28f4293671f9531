"""Every figure the pages and the report draw on the demo passes plotly's validation, and sends
the same JSON as a validated figure would.

The figures are built without plotly's per-property validation (`figures.figure`, for speed):
a misspelt property would go to the browser unnoticed. Here each one is rebuilt validating, so
it fails a test instead.
"""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from benchmarks.callbacks import page_callbacks
from dashboard import components, data, figures, lean_figures, report
from pipelines.metrics.filters import Filters
from pipelines.report.gather import gather
from pipelines.report.scope import ReportScope
from pipelines.warehouse import db


def _validated(fig: go.Figure) -> go.Figure:
    """Return `fig` rebuilt from its own values by plotly with validation (raises on a typo)."""
    return go.Figure(
        data=[trace.to_plotly_json() for trace in fig.data], layout=fig.layout.to_plotly_json()
    )


def _sent(fig: Any) -> Any:
    return json.loads(pio.to_json(fig))


@pytest.fixture(scope="module")
def drawn(demo_db) -> list[tuple[str, go.Figure]]:
    """Return (where, figure) of every figure built by the page layouts and callbacks (in
    French) and by the report (in Spanish) on the demo warehouse, as built."""
    from dashboard.app import app  # noqa: F401  # registers the pages and their callbacks

    data.configure(demo_db)
    built: list[tuple[str, go.Figure]] = []
    where = ["page layouts"]
    build = figures.figure

    def record(*args: Any, **kwargs: Any) -> go.Figure:
        built.append((where[0], build(*args, **kwargs)))  # kept as built: the pages change theirs
        return build(*args, **kwargs)

    patch = pytest.MonkeyPatch()
    patch.setattr(figures, "figure", record)
    try:
        for cb in page_callbacks():
            where[0] = cb.name
            cb(components.make_state(Filters(), "fr", cb.page_path), 0)
        where[0] = "report"
        # the report's charts are built, not drawn: tests/report draws them (kaleido, seconds)
        patch.setattr(report, "_chart", lambda fig, rows: "")
        con = db.connect_readonly(demo_db)
        try:
            report.context(gather(con, ReportScope(2025), "es"), "es")
        finally:
            con.close()
    finally:
        patch.undo()
        data.clear_cache()
    return built


def test_every_figure_drawn_is_valid_and_sends_what_a_validated_one_sends(drawn) -> None:
    kinds = {trace.type for _, fig in drawn for trace in fig.data}
    assert {"bar", "scatter", "scattergeo", "heatmap", "funnel"} <= kinds  # every kind seen
    assert any(where.startswith("report") for where, _ in drawn)
    for where, fig in drawn:
        checked = _validated(fig)  # raises ValueError on an invalid property or value
        assert _sent(fig) == _sent(checked), where
        # and what goes to the browser: the same figure without the shared template
        lean = _sent(lean_figures.browser_figure(fig))
        assert lean["layout"].pop("template") is None, where
        assert lean == _sent(lean_figures.browser_figure(checked)), where


def test_a_misspelt_property_fails_validation() -> None:
    fig = figures.figure([{"type": "bar", "x": [1], "colour": "red"}], {}, "en")
    with pytest.raises(ValueError, match="colour"):
        _validated(fig)
    fig = figures.figure([], {"xaxis": {"titel": {"text": "a"}}}, "en")
    with pytest.raises(ValueError, match="titel"):
        _validated(fig)
