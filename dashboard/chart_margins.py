"""Chart margins computed on the server from the text a chart will draw (no Plotly automargin).

With `automargin`, Plotly draws a chart, measures its tick labels, then draws it all again with
the margins they need: one more full plot pass per chart, 30–45 % of a page's drawing time. Here
the margins come from the text itself: the longest tick label (category names, or the largest
value formatted with the language's separators), the axis titles, the legend entries and the
colour bar, measured with DejaVu Sans's advance widths (the font headless Chromium and the PDF
report draw with; wider than the other fonts of the stack, so an upper bound elsewhere).

Long left category labels are set on two lines of at most `LABEL_MAX_PX` when each category's
band has room for two lines (the band from the layout's height: the graph's height as drawn,
which the dashboard's figures carry; `GRAPH_MIN_PX` when unset), and cut with "…" otherwise (or past the second line), in the tick
text only: the trace keeps the full category, so the hover shows the whole name. Plotly's margin pushes stay on for legends
and colour bars (`layout.margin.autoexpand`), a safety net: a legend larger than estimated costs
a redraw, never a clipped label.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from dashboard.i18n import fmt_number

# DejaVu Sans advance widths (em) of the printable ASCII characters, " " to "~"
_ASCII_EM = (
    "0.318 0.401 0.46 0.838 0.636 0.95 0.78 0.275 0.39 0.39 0.5 0.838 0.318 0.361 0.318 0.337 "
    "0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.337 0.337 0.838 0.838 0.838 "
    "0.531 1.0 0.684 0.686 0.698 0.77 0.632 0.575 0.775 0.752 0.295 0.295 0.656 0.557 0.863 "
    "0.748 0.787 0.603 0.787 0.695 0.635 0.611 0.732 0.684 0.989 0.685 0.611 0.685 0.39 0.337 "
    "0.39 0.838 0.5 0.5 0.613 0.635 0.55 0.635 0.615 0.352 0.635 0.634 0.278 0.278 0.579 0.278 "
    "0.974 0.634 0.612 0.635 0.635 0.411 0.521 0.392 0.634 0.592 0.818 0.592 0.592 0.525 0.636 "
    "0.337 0.636 0.838"
)
EM: dict[str, float] = {chr(32 + i): float(w) for i, w in enumerate(_ASCII_EM.split())}
EM.update({"\u202f": 0.2, "\u00a0": 0.318, "…": 1.0, "▶": 0.769, "·": 0.318, "–": 0.5})
WIDE_EM = 1.0  # any other character (CJK, symbols): as wide as the widest

FONT_PX = 13  # the template's font size (figures.TEMPLATE): tick labels and legend entries
TITLE_PX = 16  # Plotly's axis and legend titles: 1.2 × the font size
LINE = 1.3  # a line of text is this many times its font size high
TICK_PAD = 6  # between the axis and its tick labels, and a little slack
TITLE_STANDOFF = 15  # figures' axis title.standoff
EDGE = 10  # the shared margin (figures.shared_layout) where nothing is drawn
LABEL_MAX_PX = 170  # longer category labels are cut with "…" (full text in the hover)
NARROW_GRAPH_PX = 350  # a chart's width in a 390 px wide page: what is drawn fits it
# a full-width chart's width in a 1366 px page: its legend is laid out for it (in a narrower page
# the legend pushes the top margin, one redraw, rather than leave a desktop chart rows of blank)
WIDE_GRAPH_PX = 1000
# a chart's height when its layout sets none (the shortest graph a card draws; the dashboard's
# figures carry their card's height: figures.figure's `height`), and the room its top and bottom
# text may take: a category band of a horizontal chart is (height - reserve) / categories high
GRAPH_MIN_PX = 300
BAND_RESERVE_PX = 120
WRAP_MIN_PX = 60  # bottom labels are wrapped into slots at least this wide, else turned
LEGEND_MAX_ROWS = 4  # a legend estimated taller pushes the margin in a narrow page (a redraw)
LEGEND_SYMBOL_PX = 45  # a legend entry's symbol and gaps besides its text
LEGEND_ROW_PX = 20  # a row of legend entries
LEGEND_PAD_PX = 33  # the legend's padding, Plotly's margin push pad and the legend's offset
# a colour bar's thickness, padding, push pad and its offset from the plot (2 % of a wide plot)
COLORBAR_PX = 30 + 10 + 12 + 28


def text_width(text: str, size: float = FONT_PX) -> float:
    """Return the width in px of `text` at font `size` (the widest of its `<br>` lines).

    Example:
        >>> text_width("ab<br>a", 10) == text_width("ab", 10)
        True
    """
    return _text_em(str(text)) * size


@functools.lru_cache(maxsize=16384)
def _text_em(text: str) -> float:
    # the same labels are measured on every chart of a page (and `shorten` measures each
    # prefix): kept per text, a few hundred kB at most
    widest = 0.0
    for line in text.split("<br>"):
        em = 0.0
        for char in unicodedata.normalize("NFD", line):
            if unicodedata.combining(char):
                continue  # an accent over its letter: no width of its own
            em += EM.get(char, WIDE_EM)
        widest = max(widest, em)
    return widest


def shorten(text: str, max_px: float = LABEL_MAX_PX, size: float = FONT_PX) -> str:
    """Return `text` cut with "…" so that it is at most `max_px` wide (unchanged if it fits)."""
    if text_width(text, size) <= max_px:
        return text
    cut = text
    while cut and text_width(cut.rstrip() + "…", size) > max_px:
        cut = cut[:-1]
    return cut.rstrip() + "…"


# where a label may break: a run of spaces, unless it sits between two digits (a number's groups)
_BREAKS = re.compile(r"(?<!\d)[ \t\n]+|[ \t\n]+(?!\d)")


def wrap_label(text: str, max_px: float, lines: int | None = 2, size: float = FONT_PX) -> str:
    """Return `text` on at most `lines` lines (any number with None) of at most `max_px` at font
    `size` (words kept whole, joined by `<br>`), the last line cut with "…" when the words do not
    fit (a single word wider than `max_px` is cut too). Lines break at spaces only: never at a
    no-break space, nor between the digit groups of a number ("100 000").

    Example:
        >>> wrap_label("Manual review by an editor", 110)
        'Manual review<br>by an editor'
    """
    rows: list[str] = []
    for word in _BREAKS.split(str(text).strip(" \t\n")):
        if rows and text_width(rows[-1] + " " + word, size) <= max_px:
            rows[-1] += " " + word
        else:
            rows.append(word)
    if lines is not None and len(rows) > lines:
        rows = [*rows[: lines - 1], " ".join(rows[lines - 1 :])]
    return "<br>".join(shorten(row, max_px, size) for row in rows)


def _values(data: Any) -> list[Any]:
    if data is None:
        return []
    if isinstance(data, str):
        return [data]
    return list(np.asarray(data, dtype=object).ravel()) if not isinstance(data, list) else data


def _numbers(values: Iterable[Any]) -> list[float]:
    out = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            continue
        if math.isfinite(f):
            out.append(f)
    return out


def _title(axis: dict[str, Any]) -> str:
    title = axis.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return str(text) if text else ""


def _value_label(axis: dict[str, Any], values: Sequence[float], lang: str, stacked: bool) -> str:
    """Return the longest tick label a value axis can show: its largest value (the stack's
    height for stacked bars), rounded up, formatted in `lang`, with the axis's suffix."""
    if axis.get("range") is not None and axis.get("type") != "log":
        ends = _numbers(axis["range"])
        top, low = max(abs(e) for e in ends), min(ends)
    else:
        if not values:
            return "0"
        top = sum(v for v in values if v > 0) if stacked else max(abs(v) for v in values)
        low = sum(v for v in values if v < 0) if stacked else min(values)
        if axis.get("type") == "log":
            top = 10 ** math.ceil(math.log10(max(top, 1)) + 0.45)
        else:
            top *= 1.1  # Plotly's range runs a little past the largest value
    decimals = 0 if top >= 5 or axis.get("tickformat") == ",d" else 1
    label = fmt_number(top, lang, decimals)
    if low < 0:
        label = "−" + label
    return label + str(axis.get("ticksuffix") or "")


def _axis_texts(
    letter: str, axis: dict[str, Any], data: Sequence[dict[str, Any]]
) -> tuple[list[Any], bool]:
    """Return the values the traces put on axis `letter` and whether they are categories."""
    values: list[Any] = []
    for trace in data:
        values += _values(trace.get(letter))
        if trace.get("type") == "bar" and trace.get("base") is not None:
            base = _numbers(_values(trace["base"]))
            values += [
                b + v for b, v in zip(base, _numbers(_values(trace.get(letter))), strict=False)
            ]
    category = axis.get("type") == "category" or any(isinstance(v, str) for v in values)
    return values, category


def _legend(
    data: list[dict[str, Any]], layout: dict[str, Any], width: float
) -> tuple[list[dict[str, Any]], float]:
    """Return the traces, their legend names wrapped to `width` px, and the height in px of the
    horizontal legend at that width (0: no legend)."""
    shown = [
        i
        for i, tr in enumerate(data)
        if tr.get("showlegend") is not False and (len(data) > 1 or tr.get("showlegend"))
    ]
    if layout.get("showlegend") is False or not shown:
        return data, 0.0
    title = _title(layout.get("legend") or {})
    title_px = text_width(title, TITLE_PX) + 10 if title else 0.0
    entries, extra = [], 0
    for i in shown:
        name = str(data[i].get("name") or "")
        fitted = wrap_label(name, width - LEGEND_SYMBOL_PX)
        if fitted != name:
            data[i] = {**data[i], "name": fitted}
            extra += fitted.count("<br>")
        entries.append(LEGEND_SYMBOL_PX + text_width(fitted))
    if title_px + sum(entries) <= width:
        rows = 1
    else:  # Plotly sets the entries of a legend on several rows in columns of the widest one
        columns = max(1, int((width - title_px) // max(entries)))
        rows = math.ceil(len(entries) / columns) + (1 if title and columns == 1 else 0)
    # reserved for at most a few rows: a wide chart is not squeezed for what a phone needs
    rows = min(rows, LEGEND_MAX_ROWS)
    return data, (rows + extra) * LEGEND_ROW_PX + LEGEND_PAD_PX


def _right_text(data: Sequence[dict[str, Any]], lang: str) -> float:
    """Return the room in px that text drawn right of the plot needs: the values written after
    horizontal bars, a heatmap's colour bar with its tick labels and title."""
    need = 0.0
    for trace in data:
        if trace.get("type") == "bar" and trace.get("orientation") == "h":
            if trace.get("textposition") == "outside":
                texts = _values(trace.get("text"))
                need = max(need, max((text_width(str(v)) for v in texts), default=0.0) + 8)
        elif trace.get("type") == "heatmap" and trace.get("showscale") is not False:
            z = _numbers(np.asarray(trace.get("z"), dtype=float).ravel())
            ticks = text_width(fmt_number(max(z, default=0) * 1.1, lang, 0))
            title = text_width(_title(trace.get("colorbar") or {}), TITLE_PX)
            need = max(need, COLORBAR_PX + max(ticks + TICK_PAD, title - 30))
    return need


def two_line_height(categories: int, min_px: int = 200) -> int:
    """Return the height in px of a horizontal bar chart whose `categories` bands each have room
    for a label on two lines (so `fit` wraps long names rather than cut them), at least `min_px`.

    Example:
        >>> two_line_height(1), two_line_height(10)
        (200, 520)
    """
    band = math.ceil(2 * FONT_PX * LINE + TICK_PAD)  # whole px: 39.8 would fall short of it
    return max(min_px, BAND_RESERVE_PX + categories * band)


def _tick_depth(
    letter: str,
    axis: dict[str, Any],
    data: Sequence[dict[str, Any]],
    lang: str,
    plot_px: float,
    stacked: bool,
    plot_height: float = GRAPH_MIN_PX,
) -> tuple[float, float]:
    """Return the room in px the tick labels of axis `letter` need, below or left of the plot
    and right of it (the last bottom label's half), setting on `axis` the tick text of category
    labels that do not fit: on the left, on two lines when a graph `plot_height` px high gives
    each category the room, else cut with "…"; wrapped under the plot."""
    values, category = _axis_texts(letter, axis, data)
    if not category:
        label = _value_label(axis, _numbers(values), lang, stacked)
        return (text_width(label) if letter == "y" else FONT_PX * LINE) + TICK_PAD, 0.0
    labels = _values(axis.get("ticktext")) or list(dict.fromkeys(str(v) for v in values))
    edge = 0.0
    if letter == "y":
        band = (plot_height - BAND_RESERVE_PX) / max(len(labels), 1)
        if band >= 2 * FONT_PX * LINE + TICK_PAD:  # room for two lines per category
            shown = [wrap_label(str(v), LABEL_MAX_PX) for v in labels]
        else:
            shown = [shorten(str(v)) for v in labels]
        depth = max((text_width(s) for s in shown), default=0.0) + TICK_PAD
    else:
        slot = plot_px / max(len(labels), 1) - 4
        wrapped = [wrap_label(str(v), slot) for v in labels] if slot >= WRAP_MIN_PX else []
        if all(text_width(str(v)) <= slot for v in labels):
            shown = [str(v) for v in labels]
            axis.setdefault("tickangle", 0)
        elif wrapped and not any("…" in w for w in wrapped):
            shown = wrapped  # on two lines under their bars, never turned
            axis.setdefault("tickangle", 0)
        else:  # many categories: Plotly turns the labels, up to upright; room for that
            shown = [shorten(str(v)) for v in labels]
        lines = max((w.count("<br>") + 1 for w in shown), default=1)
        upright = max((text_width(w) for w in shown), default=0.0)
        depth = (lines * FONT_PX * LINE if "tickangle" in axis else upright) + TICK_PAD
        # the last label is centred on the last category, at most its half-width from the edge
        # (a turned label reaches a little further: by half its line)
        edge = text_width(shown[-1]) / 2 + 2 if shown else 0.0
        edge += 0.0 if "tickangle" in axis else FONT_PX * LINE / 2
    if shown != [str(v) for v in labels]:
        axis.update(
            tickmode="array", tickvals=_values(axis.get("tickvals")) or labels, ticktext=shown
        )
    return depth, edge


def fit(
    data: Sequence[dict[str, Any]], layout: dict[str, Any], lang: str, *, wide: bool = False
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Return the traces and the layout of a chart with margins that fit what it draws, and no
    automargin.

    Each margin is the larger of the one in `layout` and the room its text needs at the
    narrowest width a chart gets (`NARROW_GRAPH_PX`): tick labels (left category labels longer
    than `LABEL_MAX_PX` on two lines where the bands have room, else cut with "…", bottom ones
    wrapped on two lines, the full text in the hover), axis titles (wrapped under a narrow plot), the legend above or below the plot
    (long entries wrapped), values written after bars, a colour bar. A `wide` chart (a card the
    page's full width) has its legend laid out for `WIDE_GRAPH_PX`.

    Example:
        >>> traces, layout = fit([{"type": "bar", "x": ["a"], "y": [1]}], {}, "en")
        >>> layout["xaxis"]["automargin"]
        False
    """
    traces, out = list(data), dict(layout)
    margin = dict(out.get("margin") or {})
    need = {side: float(margin.get(side, EDGE)) for side in ("l", "r", "t", "b")}
    need["r"] = max(need["r"], _right_text(traces, lang))
    stacked = out.get("barmode") in ("stack", "relative")
    for letter in ("y", "x"):  # the left margin first: the bottom's text fits what it leaves
        key = f"{letter}axis"
        axis = dict(out.get(key) or {})
        if axis.get("visible") is False or not any(tr.get(letter) is not None for tr in traces):
            continue  # an empty state, a map
        axis["automargin"] = False
        plot_px = NARROW_GRAPH_PX - need["l"] - need["r"]
        height = float(out.get("height") or GRAPH_MIN_PX)
        depth, edge = _tick_depth(letter, axis, traces, lang, plot_px, stacked, height)
        need["r"] = max(need["r"], edge)
        title = _title(axis)
        if title:
            lines = 1
            if letter == "x":  # centred under the plot: as wide as the plot and twice the
                # narrower margin beside it
                room = plot_px + 2 * min(need["l"], need["r"]) - 8
                fitted = wrap_label(title, room, size=TITLE_PX)
                axis["title"] = {**(axis.get("title") or {}), "text": fitted}
                lines = fitted.count("<br>") + 1
            depth += TITLE_STANDOFF + lines * TITLE_PX * LINE
        side = str(axis["side"])[0] if axis.get("side") in ("top", "right") else "bl"[letter == "y"]
        need[side] = max(need[side], depth + 4)
        out[key] = axis
    legend = out.get("legend") or {}
    width = WIDE_GRAPH_PX if wide else NARROW_GRAPH_PX
    traces, legend_px = _legend(traces, out, width - need["l"] - EDGE)
    if legend_px:
        below = legend.get("yanchor") == "top" and float(legend.get("y", 1)) < 0.5
        side = "b" if below else "t"
        need[side] = max(need[side], legend_px)
    margin.update({side: math.ceil(px) for side, px in need.items()})
    out["margin"] = margin
    return traces, out


def whole_labels(spec: dict[str, Any]) -> dict[str, Any]:
    """Return the figure dict `spec` with its category tick labels whole (the full categories
    back in place of cut or wrapped tick text) and Plotly's automargin on: for a static image,
    which has no hover to show a cut label's full text and is drawn once anyway."""
    layout = dict(spec.get("layout") or {})
    for key in ("xaxis", "yaxis"):
        axis = layout.get(key)
        if not isinstance(axis, dict) or axis.get("visible") is False:
            continue
        axis = {**axis, "automargin": True}
        if axis.get("tickmode") == "array" and axis.get("tickvals") is not None:
            axis["ticktext"] = [str(v) for v in _values(axis["tickvals"])]
        layout[key] = axis
    return {**spec, "layout": layout}
