"""The shared empty state: the real reason, wrapped, no axes; charts of zeros count as empty."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from dashboard import app as _app  # noqa: F401  (registers pages, so get_relative_path works)
from dashboard import chart_margins, components, data, figures, ids
from dashboard.i18n import t
from dashboard.pages import activities
from pipelines.metrics.filters import Filters


@pytest.fixture(autouse=True)
def _demo_warehouse(demo_db: Path) -> Iterator[None]:
    """Point the dashboard at the demo warehouse (labels come from it), then back at the default."""
    data.configure(demo_db)
    yield
    data.configure()


def test_empty_reason_names_nothing_recorded_one_filter_or_the_filters_together():
    assert components.empty_reason(Filters(), "en") == t("empty.none_recorded", "en")
    assert components.empty_reason(Filters(), "fr", "empty.coop_activities") == t(
        "empty.coop_activities", "fr"
    )
    one = components.empty_reason(Filters(start=dt.date(2099, 1, 1)), "en")
    assert one.startswith("No data for period") and "2099" in one and "Clear this filter" in one
    both = components.empty_reason(
        Filters(start=dt.date(2099, 1, 1), network=("innovation",)), "es"
    )
    assert "2099" in both and "innov" in both.lower() and "combinados" in both


def test_card_values_gives_the_reason_for_an_empty_or_all_zero_frame():
    filters = Filters(country=("BG",))
    zeros = pd.DataFrame({"label": ["a", "b"], "value": [0, 0]})
    drawn = figures.bar(zeros, "label", "value", "en")
    assert figures.is_empty(drawn)  # no −1…1 axis for a chart of zeros
    fig, summary, _ = components.card_values(
        zeros, drawn, "Largest: a with 0.", "en", filters=filters
    )
    assert summary == components.empty_reason(filters, "en") and "Country" in summary
    assert figures.is_empty(fig) and not fig.data
    assert not fig.layout.xaxis.visible and not fig.layout.yaxis.visible
    # the note wraps: no line of the chart's text is longer than a narrow card holds
    lines = fig.layout.annotations[0].text.split("<br>")
    widest = max(chart_margins.text_width(line, figures.EMPTY_NOTE_FONT_PX) for line in lines)
    assert len(lines) > 1 and widest <= figures.EMPTY_NOTE_PX
    assert " ".join(lines) == summary
    # never "Largest: … with 0"
    zeros.attrs["total"] = 0
    assert "Largest" not in figures.summary_total_and_top(
        zeros, "label", "value", "Activities", "en"
    )


def test_log_bars_show_small_and_large_counts_side_by_side():
    long = pd.DataFrame(
        {
            "run": ["a.csv", "a.csv", "b.csv", "b.csv"],
            "group": ["loaded", "quarantined", "loaded", "quarantined"],
            "value": [20000, 1, 30, 0],
        }
    )
    fig = figures.log_bars(long, "run", "value", "group", "en")
    assert fig.layout.xaxis.type == "log" and fig.layout.barmode == "group"
    quarantined = next(tr for tr in fig.data if tr.name == "quarantined")
    assert list(quarantined.x) == [1, None] and list(quarantined.text) == ["1", ""]


def test_register_sorts_numbers_and_dates_descending_first_and_text_ascending():
    params = activities.clean_params({})
    for col, first in (("participants", "desc"), ("end_date", "desc"), ("title", "asc")):
        new = activities.next_params(
            params, {"type": ids.ACT_SORT, "col": col}, search=None, size=None
        )
        assert new["dir"] == first, col
