"""Plotly figures as vector SVG for the periodic report, through kaleido on Debian's `chromium`.

One headless Chromium per process, driven by kaleido on an event loop of its own thread, started
by `start()` and reused by every `svg()` call after it. Starting it takes seconds of Chromium's
own CPU; `start()` returns at once, so a caller that starts it before its other work (imports,
metric queries) has those seconds overlap with the browser's boot. Light to import: kaleido and
Plotly are imported when used.

Not kaleido's own "sync server": a browser that fails to boot kills that server's thread, and
every later call then waits forever. Here each wait has a deadline; a browser that fails or
overruns is closed, the call raises ChartError, and the next call boots a new one. The page
kaleido draws in has no MathJax: kaleido's default loads it from a CDN, and nothing here may
reach the internet at run time (the report's charts have no LaTeX).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import os
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import kaleido
    import plotly.graph_objects as go

# The report's body font (pipelines/report/templates/report.css): the charts' text uses it too, so
# the PDF embeds one font family, and WeasyPrint matches one font name per SVG text, not a list
FONT_FAMILY = "DejaVu Sans"
BOOT_SECONDS = 90.0  # Chromium's boot, on a loaded 2-core machine
DRAW_SECONDS = 60.0  # one chart; kaleido's own per-chart timeout is this too
CLOSE_SECONDS = 10.0


class ChartError(RuntimeError):
    """A chart the browser could not draw (it failed, or overran its deadline)."""


class _Browser:
    """One kaleido browser on a daemon thread's event loop, and the process that started it."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="kaleido", daemon=True).start()
        self.opened = asyncio.run_coroutine_threadsafe(self._open(), self.loop)

    async def _open(self) -> kaleido.Kaleido:
        import kaleido  # imported here: only the report draws static images

        browser = kaleido.Kaleido(mathjax=False, timeout=DRAW_SECONDS)
        await browser.open()
        return browser

    def draw(self, spec: dict[str, Any], opts: dict[str, Any]) -> bytes:
        """Return the image of `spec`, or raise TimeoutError past a deadline."""
        browser = self.opened.result(timeout=BOOT_SECONDS)
        done = asyncio.run_coroutine_threadsafe(browser.calc_fig(spec, opts=opts), self.loop)
        try:
            image: bytes = done.result(timeout=DRAW_SECONDS + CLOSE_SECONDS)
        except concurrent.futures.TimeoutError:
            done.cancel()
            raise
        return image

    def close(self) -> None:
        """Close the browser (waiting at most CLOSE_SECONDS) and stop the loop; return None."""
        if self.pid == os.getpid() and self.opened.done() and self.opened.exception() is None:
            closing = asyncio.run_coroutine_threadsafe(self.opened.result().close(), self.loop)
            with contextlib.suppress(Exception):  # best effort: the loop stops anyway
                closing.result(timeout=CLOSE_SECONDS)
        self.loop.call_soon_threadsafe(self.loop.stop)


_lock = threading.Lock()  # one chart at a time: the browser has one tab
_browser: _Browser | None = None


def start() -> None:
    """Start the browser in the background if this process has none; return at once (None).

    Idempotent and thread-safe. The first `svg()` call waits for the browser to be ready.

    Example: ``start()`` before the report's queries, so the browser boots meanwhile
    """
    global _browser
    with _lock:
        if _browser is None or _browser.pid != os.getpid():
            _browser = _Browser()


def svg(fig: go.Figure, width: int, height: int) -> bytes:
    """Return `fig` drawn as vector SVG bytes of `width` × `height` px, in the report's font.

    Starts the browser on first use (see `start`). Raises ChartError (a RuntimeError) when the
    browser cannot boot or draw within its deadline (BOOT_SECONDS, DRAW_SECONDS); the next call
    starts afresh.

    Example: ``svg(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), 600, 300)[:4] == b"<svg"``
    """
    global _browser
    start()
    from dashboard import chart_margins

    # labels whole: a cut label's full text is in the hover, which an image does not have
    spec: dict[str, Any] = chart_margins.whole_labels(fig.to_dict())
    spec.setdefault("layout", {}).setdefault("font", {})["family"] = FONT_FAMILY
    opts = {"format": "svg", "width": width, "height": height}
    with _lock:
        browser = _browser
        assert browser is not None
        try:
            return browser.draw(spec, opts)
        except Exception as exc:
            _browser = None
            browser.close()
            reason = "did not answer in time" if isinstance(exc, TimeoutError) else exc
            raise ChartError(f"the chart could not be drawn: {reason}") from exc


@atexit.register
def _close_at_exit() -> None:
    if _browser is not None:
        _browser.close()
