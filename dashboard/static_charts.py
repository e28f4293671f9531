"""Plotly figures as vector SVG for the periodic report, through kaleido on Debian's `chromium`.

One kaleido server (one headless Chromium) per process, started by `start()` and reused by every
`svg()` call after it. Starting it takes seconds of Chromium's own CPU; `start()` returns at once,
so a caller that starts it before its other work (imports, metric queries) has those seconds
overlap with the browser's boot. Light to import: kaleido and Plotly are imported when used.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import plotly.graph_objects as go

# The report's body font (pipelines/report/templates/report.css): the charts' text uses it too, so
# the PDF embeds one font family, and WeasyPrint matches one font name per SVG text, not a list
FONT_FAMILY = "DejaVu Sans"

_lock = threading.Lock()  # kaleido's server is a singleton; its calls are serialised
_started = False


def start() -> None:
    """Start the kaleido server in the background if it is not running; return at once (None).

    Idempotent and thread-safe. The first `svg()` call waits for the browser to be ready.
    """
    global _started
    with _lock:
        if not _started:
            import kaleido  # imported here: only the report draws static images

            kaleido.start_sync_server(silence_warnings=True)
            _started = True


def svg(fig: go.Figure, width: int, height: int) -> bytes:
    """Return `fig` drawn as vector SVG bytes of `width` × `height` px, in the report's font.

    Starts the kaleido server on first use (see `start`).
    """
    import kaleido

    start()
    from dashboard import chart_margins

    # labels whole: a cut label's full text is in the hover, which an image does not have
    spec: dict[str, Any] = chart_margins.whole_labels(fig.to_dict())
    spec.setdefault("layout", {}).setdefault("font", {})["family"] = FONT_FAMILY
    with _lock:
        image: bytes = kaleido.calc_fig_sync(
            spec, opts={"format": "svg", "width": width, "height": height}
        )
    return image
