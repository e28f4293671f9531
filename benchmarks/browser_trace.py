"""Where a page's time goes in the browser: a Chromium trace and CPU profile of cold and warm loads.

`python -m benchmarks.browser_trace URL [PATH ...]` opens each page in headless Chromium (the
browser-test harness's flags) three times in one fresh context (cold, warm, hot: the HTTP cache
and V8's code cache fill on the first and second visits), timing each until fully drawn with the
benchmark's own condition (benchmarks.serving), then once more per visit with a trace and a CPU
profile, and prints per visit: the HTML response, per script its compile (and whether V8 took it
from its code cache) and evaluation, the CPU spent per bundle (React, Dash renderer, Plotly, …),
each `Plotly.react` call (one per graph), per graph the Plotly passes (draws, dcc.Graph's
`Plots.resize` calls, relayouts, autosize and full plot passes) when the page counts as drawn
and 1 s later, and style/layout/paint. Figures only; nothing is written.
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections import defaultdict
from typing import Any

# Wraps Plotly.react/newPlot as soon as the bundle defines window.Plotly, to time each draw
# (until its promise resolves) and name the graph it drew; and counts, per graph, what Plotly
# does after: Plots.resize calls (dcc.Graph's), relayouts, autosize passes, full plot passes
# (plotly_beforeplot: one per draw, one more per automargin redraw) and completed draws
# (plotly_afterplot), from the graph's own events.
DRAW_PROBE = """(() => {
  let plotly;
  window.__iurcDraws = [];
  window.__iurcPasses = {};
  const name = (gd) => (gd.parentElement && gd.parentElement.id) || gd.id || '?';
  const count = (gd, what) => {
    const cell = window.__iurcPasses[name(gd)] = window.__iurcPasses[name(gd)] || {};
    cell[what] = (cell[what] || 0) + 1;
  };
  const watch = (gd) => {
    if (gd.__iurcWatched) return;
    gd.__iurcWatched = true;
    let ev;  // Plotly's event emitter, set when it first draws: count each full plot pass
    Object.defineProperty(gd, '_ev', {configurable: true, get: () => ev, set: (e) => {
      ev = e;
      e.on('plotly_beforeplot', () => count(gd, 'beforeplot'));
    }});
    let emit;  // Plotly assigns gd.emit when it first draws: count the events it emits
    Object.defineProperty(gd, 'emit', {configurable: true, get: () => emit && function (ev, data) {
      if (['plotly_afterplot', 'plotly_autosize', 'plotly_relayout'].includes(ev)) {
        count(gd, ev.slice(7) + (ev === 'plotly_relayout' ? ':' + Object.keys(data || {}).join(',') : ''));
      }
      return emit.apply(this, arguments);
    }, set: (f) => { emit = f; }});
  };
  Object.defineProperty(window, 'Plotly', {configurable: true, get: () => plotly, set: (v) => {
    plotly = v;
    if (!v || !v.Plots) return;  // assets/04-plotly-on-demand.js's stand-in, until Plotly loads
    ['react', 'newPlot', 'relayout'].forEach((fn) => {
      const draw = v[fn];
      v[fn] = function (gd) {
        if (gd && gd.nodeType) { watch(gd); count(gd, fn); }
        if (fn === 'relayout') return draw.apply(this, arguments);
        const start = performance.now();
        const done = () => window.__iurcDraws.push(
          {id: name(gd), start, end: performance.now(), sync: sync});
        const out = draw.apply(this, arguments);
        const sync = performance.now() - start;
        Promise.resolve(out).then(done, done);
        return out;
      };
    });
    // every call dcc.Graph makes, also those a later wrapper (assets/09-plotly-resize.js)
    // answers itself: reading the property gives a counter around what was assigned last
    let resize = v.Plots.resize, depth = 0;
    const counter = (f) => function (gd) {
      if (depth++ === 0 && gd && gd.nodeType) count(gd, 'Plots.resize');
      try { return f.apply(this, arguments); } finally { depth--; }
    };
    Object.defineProperty(v.Plots, 'resize', {configurable: true, get: () => counter(resize),
                                              set: (f) => { resize = f; }});
  }});
})();"""

CATEGORIES = ",".join(
    [
        "devtools.timeline",
        "v8",
        "v8.execute",
        "disabled-by-default-devtools.timeline",
        "disabled-by-default-v8.compile",
        "blink.user_timing",
        "loading",
    ]
)


def _short(url: str) -> str:
    name = url.rsplit("/", 1)[-1].split("?", 1)[0]
    for cut in (".v4_", "@"):
        name = name.split(cut, 1)[0]
    return name or url


def _trace_summary(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Return compile/evaluate per script, and main-thread layout/paint totals, in ms."""
    # the page's main thread: the one that evaluates its scripts
    main = next(
        (
            (e.get("pid"), e.get("tid"))
            for e in events
            if e.get("name") == "EvaluateScript"
            and ((e.get("args") or {}).get("data") or {}).get("url")
        ),
        None,
    )
    scripts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    totals: dict[str, float] = defaultdict(float)
    for e in events:
        if e.get("ph") != "X":
            continue
        name, dur = e.get("name"), e.get("dur", 0) / 1e3
        data = e.get("args", {}).get("data", {}) or {}
        url = data.get("url") or e.get("args", {}).get("fileName") or ""
        if name == "v8.compile" and url:
            cell = scripts[_short(url)]
            cell["compile"] += dur
            if data.get("consumedCacheSize"):  # V8's code cache used: no parse, no compile
                cell["from_code_cache"] = 1
            if data.get("cacheRejected"):
                cell["cache_rejected"] = 1
        elif name in ("v8.produceCache", "v8.produceModuleCache") and url:
            scripts[_short(url)]["produce_cache"] += dur
        elif name == "EvaluateScript" and url:
            scripts[_short(url)]["evaluate"] += dur
        elif (e.get("pid"), e.get("tid")) == main and name in (
            "ParseHTML",
            "UpdateLayoutTree",
            "Layout",
            "Paint",
            "PrePaint",
            "Layerize",
            "ParseAuthorStyleSheet",
            "MajorGC",
            "MinorGC",
            "V8.GC_SCAVENGER",
            "V8.GC_MARK_COMPACTOR",
        ):
            totals[name] += dur
        elif name == "v8.parseOnBackground" and url:  # streamed parse, off the main thread
            scripts[_short(url)]["background_parse"] += dur
    return {
        "scripts": {k: {n: round(v, 1) for n, v in cell.items()} for k, cell in scripts.items()},
        "main_thread": {k: round(v, 1) for k, v in sorted(totals.items())},
    }


def _profile_by_url(profile: dict[str, Any]) -> dict[str, float]:
    """Return the CPU self time (ms) per script of a CDP Profiler profile."""
    by_id = {n["id"]: n for n in profile["nodes"]}
    deltas = profile.get("timeDeltas", [])
    self_us: dict[int, float] = defaultdict(float)
    for node_id, delta in zip(profile.get("samples", []), deltas, strict=False):
        self_us[node_id] += delta
    out: dict[str, float] = defaultdict(float)
    for node_id, us in self_us.items():
        frame = by_id[node_id]["callFrame"]
        url = frame.get("url") or f"({frame.get('functionName') or 'native'})"
        out[_short(url) if frame.get("url") else url] += us / 1e3
    return {k: round(v, 1) for k, v in sorted(out.items(), key=lambda kv: -kv[1]) if v >= 1}


def measure(url: str, paths: list[str], visits: int = 3) -> dict[str, Any]:
    """Return, per page and visit (cold, warm, hot), the fully-drawn time and its breakdown."""
    from playwright.sync_api import sync_playwright

    from benchmarks.serving import FULLY_DRAWN
    from tests.browser.conftest import CHROMIUM_FLAGS, WAIT_FOR_GRAPHS

    full_js = FULLY_DRAWN.format(wait=WAIT_FOR_GRAPHS)
    names = ["cold", "warm", "hot"][:visits]
    out: dict[str, Any] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS, headless=True
        )
        for path in paths:
            # untraced: the page timer's own figures
            timed = {}
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            for visit in names:
                page = context.new_page()
                page.goto(url + path)
                timed[visit] = round(page.wait_for_function(full_js, polling="raf").json_value())
                page.close()
            context.close()
            # traced
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            context.add_init_script(DRAW_PROBE)
            rows = {}
            for visit in names:
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Profiler.enable")
                cdp.send("Profiler.setSamplingInterval", {"interval": 200})
                cdp.send("Profiler.start")
                browser.start_tracing(page=page, categories=CATEGORIES.split(","))
                page.goto(url + path)
                drawn = page.wait_for_function(full_js, polling="raf").json_value()
                trace = json.loads(browser.stop_tracing())
                profile = cdp.send("Profiler.stop")["profile"]
                nav = page.evaluate(
                    """() => { const n = performance.getEntriesByType('navigation')[0];
                    return {responseStart: n.responseStart, responseEnd: n.responseEnd,
                            domInteractive: n.domInteractive, dcl: n.domContentLoadedEventEnd,
                            load: n.loadEventEnd,
                            scripts: performance.getEntriesByType('resource')
                              .filter(r => r.initiatorType === 'script')
                              .map(r => [r.name.split('/').pop().split('?')[0], Math.round(r.startTime),
                                         Math.round(r.responseEnd), r.transferSize])}; }"""
                )
                draws = page.evaluate("window.__iurcDraws")
                passes = page.evaluate("window.__iurcPasses")
                page.wait_for_timeout(1000)  # what Plotly still does once the page counts as drawn
                settled = page.evaluate("window.__iurcPasses")
                rows[visit] = {
                    "fully_drawn_traced_ms": round(drawn),
                    "navigation": {
                        k: round(v) if isinstance(v, float) else v for k, v in nav.items()
                    },
                    "draws": [
                        {
                            "id": d["id"],
                            "start": round(d["start"]),
                            "ms": round(d["end"] - d["start"]),
                            "sync_ms": round(d["sync"]),
                        }
                        for d in draws
                    ],
                    "passes_when_drawn": passes,
                    "passes_1s_later": settled,
                    **_trace_summary(trace.get("traceEvents", trace)),
                    "cpu_by_script": _profile_by_url(profile),
                }
                page.close()
            context.close()
            out[path] = {"fully_drawn_ms": timed, "traced": rows}
        browser.close()
    return out


def main(argv: list[str] | None = None) -> None:
    """Command line: print the breakdown of each page's loads as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("paths", nargs="*", default=["/"])
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.url, args.paths), indent=1))


if __name__ == "__main__":
    main()
