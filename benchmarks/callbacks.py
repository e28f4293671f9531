"""Time every dashboard page callback in-process, cold (cache cleared), against its SQL alone.

The callbacks are enumerated from Dash's callback registry after importing `dashboard.app`: every
callback defined in a `dashboard.pages.*` module is called through its own function (the one the
`@callback` decorator wraps), with the page's state store built for each filter combination and
its other inputs (toggles, drop-downs) cycled through the options the page layout offers. The
SQL each call executes is recorded by a thin cursor proxy and re-run on a raw read-only cursor
with the same parameters, interleaved with the callback runs, so both see the same machine load.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.common import percentile, summary_ms
from pipelines.metrics.filters import Filters

RAW_REPEAT = 2  # the raw SQL keeps its best of 2 runs (it is the floor the callback is compared to)
# Cold calls per filter combination, in rounds over every callback: a p95 over 30 single calls is
# their second worst, so one hiccup of a shared machine moved it by half; over 3 rounds it is the
# fifth worst of 90, and a burst of load falls on one round of a callback, not on all its calls.
ROUNDS = 3


class RecordingCursor:
    """A DuckDB cursor stand-in that records every (sql, params) it executes, then delegates."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, log: list[tuple[str, Any]]) -> None:
        self._cur = cur
        self._log = log

    def execute(self, sql: str, params: Any = None) -> duckdb.DuckDBPyConnection:
        self._log.append((sql, params))
        return self._cur.execute(sql, params) if params is not None else self._cur.execute(sql)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cur, name)


@dataclass
class Arg:
    """One argument of a callback: an Input or a State, and the values to cycle through.

    `values is None` marks the page state store (filled with each filter combination). For a
    wildcard (ALL) id, each value is the list of the matching components' property values.
    """

    kind: str  # "input" | "state"
    id: Any  # str, or dict for pattern-matching ids
    prop: str
    values: list[Any] | None
    matches: list[Any] = field(default_factory=list)  # the concrete ids an ALL id matched


@dataclass
class PageCallback:
    """One page callback: its name, page, function, arguments and Dash output spec."""

    name: str
    page_path: str
    fn: Callable[..., Any]
    args: list[Arg] = field(default_factory=list)
    output: str = ""  # Dash's output spec, the key of /_dash-dependencies
    outputs_list: list[Any] = field(default_factory=list)  # as Dash's callback context gives it

    def call_args(self, state: dict[str, Any], i: int) -> list[Any]:
        """Return the positional arguments for combination `i` with page state `state`."""
        return [state if a.values is None else a.values[i % len(a.values)] for a in self.args]

    def __call__(self, state: dict[str, Any], i: int) -> Any:
        """Call the callback as Dash would after a filter change (the state store triggered it)."""
        from dash._callback_context import context_value
        from dash._utils import AttributeDict

        context_value.set(
            AttributeDict(
                triggered_inputs=[{"prop_id": "app-state.data", "value": state}],
                inputs_list=[],
                states_list=[],
                outputs_list=self.outputs_list,
            )
        )
        return self.fn(*self.call_args(state, i))


def _walk(component: Any) -> Any:
    yield component
    children = getattr(component, "children", None)
    if children is None or isinstance(children, (str, int, float)):
        return
    for child in children if isinstance(children, (list, tuple)) else [children]:
        yield from _walk(child)


def _matches(layout: Any, pattern: dict[str, Any]) -> list[Any]:
    fixed = {k: v for k, v in pattern.items() if not isinstance(v, list)}
    return [
        c
        for c in _walk(layout)
        if isinstance(getattr(c, "id", None), dict)
        and all(c.id.get(k) == v for k, v in fixed.items())
        and set(c.id) == set(pattern)
    ]


def _arg(layout: Any, kind: str, spec: dict[str, str], state_id: str) -> Arg | None:
    ident, prop = spec["id"], spec["property"]
    if ident == state_id and prop == "data":
        return Arg(kind, ident, prop, None)
    if ident.startswith("{"):
        ident = json.loads(ident)
        if any(v == ["MATCH"] or v == ["ALLSMALLER"] for v in ident.values()):
            return None
        if any(isinstance(v, list) for v in ident.values()):  # ALL
            found = _matches(layout, ident)
            return Arg(
                kind, ident, prop, [[getattr(c, prop, None) for c in found]], [c.id for c in found]
            )
    comp = next((c for c in _walk(layout) if getattr(c, "id", None) == ident), None)
    if comp is None:
        return Arg(kind, ident, prop, [None])
    value = getattr(comp, prop, None)
    if prop == "value":
        options = getattr(comp, "options", None) or []
        values = [o["value"] if isinstance(o, dict) else o for o in options]
        if values:
            return Arg(kind, ident, prop, values)
    return Arg(kind, ident, prop, [value])


def parse_output(spec: str) -> list[tuple[Any, str]] | tuple[Any, str]:
    """Return Dash's output spec ('..a.b...c.d..' or 'a.b') as (id, property) pairs."""

    def one(part: str) -> tuple[Any, str]:
        ident, prop = part.rsplit(".", 1)
        return (json.loads(ident) if ident.startswith("{") else ident), prop

    return [one(p) for p in spec[2:-2].split("...")] if spec.startswith("..") else one(spec)


def _outputs_list(layout: Any, spec: str) -> list[Any]:
    parsed = parse_output(spec)
    out = []
    for ident, prop in parsed if isinstance(parsed, list) else [parsed]:
        if isinstance(ident, dict) and any(isinstance(v, list) for v in ident.values()):
            out.append([{"id": c.id, "property": prop} for c in _matches(layout, ident)])
        else:
            out.append({"id": ident, "property": prop})
    return out if isinstance(parsed, list) else out[0]


def _template_args(page: dict[str, Any] | None) -> dict[str, str]:
    """Return the path-template arguments of a page (`/city/<city_id>`: the first city)."""
    if not page or "<city_id>" not in (page.get("path_template") or ""):
        return {}
    from dashboard import data

    return {"city_id": str(data.benchmark_cities()["city_id"].iloc[0])}


def page_callbacks(skipped: list[str] | None = None) -> list[PageCallback]:
    """Return every callback of the dashboard's pages that the filters trigger (the page state
    store is one of its Inputs), with the values its other arguments take from the page layout.

    Callbacks triggered only by clicks (exports, downloads) or other controls are appended to
    `skipped` by name.
    """
    import dash

    from dashboard import ids
    from dashboard.app import app  # registers the pages; their callbacks are in app.callback_map

    pages = {p["module"]: p for p in dash.page_registry.values()}
    layouts: dict[str, Any] = {}
    out = []
    for output, spec in app.callback_map.items():
        fn = getattr(spec.get("callback"), "__wrapped__", None)
        if fn is None or not fn.__module__.startswith("dashboard.pages."):
            continue
        short = f"{fn.__module__.removeprefix('dashboard.pages.')}.{fn.__name__}"
        if not any(i["id"] == ids.STATE for i in spec["inputs"]):
            if skipped is not None:
                skipped.append(short)
            continue
        page = pages.get(fn.__module__)
        path = page["path"] if page else "/"
        template = _template_args(page)  # a page per city: time it on a real city
        for key, value in template.items():
            path = path.replace(f"<{key}>", value)
        if fn.__module__ not in layouts:
            layouts[fn.__module__] = (
                page["layout"](**template) if page and callable(page["layout"]) else None
            )
        args = [_arg(layouts[fn.__module__], "input", i, ids.STATE) for i in spec["inputs"]]
        args += [_arg(layouts[fn.__module__], "state", i, ids.STATE) for i in spec["state"]]
        if any(a is None for a in args):
            if skipped is not None:
                skipped.append(short)
            continue
        out.append(
            PageCallback(
                short, path, fn, args, output, _outputs_list(layouts[fn.__module__], output)
            )
        )
    return sorted(out, key=lambda c: c.name)


def page_layouts() -> list[tuple[str, Callable[..., Any]]]:
    """Return (path, layout function) of every registered page."""
    import dash

    import dashboard.app  # noqa: F401

    return sorted(
        (p["path"], p["layout"]) for p in dash.page_registry.values() if callable(p["layout"])
    )


def _raw_s(raw: duckdb.DuckDBPyConnection, statements: list[tuple[str, Any]]) -> float:
    best = float("inf")
    for _ in range(RAW_REPEAT):
        start = time.perf_counter()
        for sql, params in statements:
            (raw.execute(sql, params) if params is not None else raw.execute(sql)).fetchall()
        best = min(best, time.perf_counter() - start)
    return best


def run(
    db: Path, combos: list[tuple[Filters, str]], log=print, rounds: int = ROUNDS
) -> dict[str, Any]:
    """Time every page callback (`rounds` cold calls per combination) and page layout over
    `combos`; return per-callback figures (p50/p95 over every cold call)."""
    from dashboard import components, data
    from pipelines.warehouse import db as dbmod

    data.configure(db)
    raw = dbmod.connect_readonly(db)
    statements: list[tuple[str, Any]] = []
    real_cursor = data.cursor
    data.cursor = lambda: RecordingCursor(real_cursor(), statements)  # benchmark-only probe
    results: dict[str, Any] = {}
    try:
        skipped: list[str] = []
        callbacks = page_callbacks(skipped)
        # warm-up: imports, Plotly validators, DuckDB buffers
        for cb in callbacks:
            data.clear_cache()
            cb(components.make_state(Filters(), "en", cb.page_path), 0)
        cold: dict[str, list[float]] = {cb.name: [] for cb in callbacks}
        firsts: dict[str, tuple[list[float], list[float], list[float], int]] = {}
        for round_ in range(rounds):
            for cb in callbacks:
                hit, raw_times, ratios = [], [], []
                captured: list[tuple[str, Any]] = []
                for i, (filters, lang) in enumerate(combos):
                    state = components.make_state(filters, lang, cb.page_path)
                    data.clear_cache()
                    statements.clear()
                    start = time.perf_counter()
                    cb(state, i)
                    elapsed = time.perf_counter() - start
                    cold[cb.name].append(elapsed)
                    if round_:
                        continue  # the cache hit and the raw SQL are measured in the first round
                    captured = list(statements)
                    start = time.perf_counter()
                    cb(state, i)  # same arguments again: served from the cache
                    hit.append(time.perf_counter() - start)
                    raw_s = _raw_s(raw, captured) if captured else None
                    if raw_s:
                        raw_times.append(raw_s)
                        ratios.append(elapsed / raw_s)
                if not round_:
                    firsts[cb.name] = (hit, raw_times, ratios, len(captured))
        for cb in callbacks:
            hit, raw_times, ratios = firsts[cb.name][:3]
            entry = {
                "page": cb.page_path,
                **summary_ms(cold[cb.name]),
                "rounds": rounds,
                "cache_hit_p50_ms": round(percentile([h * 1000 for h in hit], 50), 2),
                "sql_statements": firsts[cb.name][3],
            }
            if raw_times:
                raw_summary = summary_ms(raw_times)
                entry.update(
                    {
                        "raw_sql_p50_ms": raw_summary["p50_ms"],
                        "raw_sql_p95_ms": raw_summary["p95_ms"],
                        "vs_raw_sql": round(entry["p50_ms"] / raw_summary["p50_ms"], 2),
                        "vs_raw_sql_p95": round(entry["p95_ms"] / raw_summary["p95_ms"], 2),
                        "vs_raw_sql_median_of_ratios": round(percentile(ratios, 50), 2),
                    }
                )
            results[cb.name] = entry
            log(
                f"{cb.name:<40} p50 {entry['p50_ms']:>8.1f} ms  p95 {entry['p95_ms']:>8.1f} ms  "
                f"raw p50 {entry.get('raw_sql_p50_ms', float('nan')):>7.1f} ms  x{entry.get('vs_raw_sql', float('nan'))}"
            )
        layouts = {}
        for path, layout in page_layouts():
            times = []
            for filters, lang in combos:
                query = dict(item.split("=", 1) for item in filters.to_query().split("&") if item)
                data.clear_cache()
                start = time.perf_counter()
                layout(**query, lang=lang)
                times.append(time.perf_counter() - start)
            layouts[path] = summary_ms(times)
    finally:
        data.cursor = real_cursor
        raw.close()
    return {
        "callbacks": results,
        "layouts": layouts,
        "combos": len(combos),
        "not_filter_driven": skipped,
    }
