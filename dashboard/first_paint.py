"""First paint from the layout: a page arrives with its initial figures, without callback round trips.

Without this, a page's layout arrives with empty charts and the browser then asks the server for
each one (one `/_dash-update-component` request per card) before anything is drawn. Here, every
page callback that the filters trigger and that depends on nothing another callback fills on load
(its inputs are the page state store and controls whose value is in the layout, it has no State)
is marked `prevent_initial_call`, and the page's layout function is wrapped to call it once, with
the layout's own values, and put what it returns into the layout. The same function computes the
same figures from the same metric-layer queries; later filter changes run it as a callback as
before. Callbacks that do not qualify (chains through page-params stores, wildcards) keep their
initial call.
"""

from __future__ import annotations

import contextvars
import functools
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import dash
from dash import Dash, no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict, stringify_id
from dash.exceptions import PreventUpdate

from dashboard import data, embedded_layout, ids, initial_page, page_params, response_cache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prefill:
    """A page callback run while its page's layout is built: its function, inputs and outputs as
    (stringified id, property) pairs, and whether it returns several outputs (a tuple)."""

    fn: Callable[..., Any]
    inputs: tuple[tuple[str, str], ...]
    outputs: tuple[tuple[str, str], ...]
    multi: bool


def parse_outputs(spec: str) -> list[tuple[str, str]]:
    """Return Dash's output spec ('..a.b...c.d..' or 'a.b') as (id string, property) pairs, the
    duplicate-output suffix ('@hash') removed."""
    parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]
    pairs = [part.rsplit(".", 1) for part in parts]
    return [(ident, prop.split("@", 1)[0]) for ident, prop in pairs]


def _wildcard(ident: str) -> bool:
    return '["' in ident  # ALL / MATCH / ALLSMALLER appear as ["ALL"] in a stringified dict id


def prefills(app: Dash) -> dict[str, list[Prefill]]:
    """Return, per page module, the callbacks its layout can fill; mark them prevent_initial_call.

    Call once, after Dash has copied the page callbacks into `app.callback_map` (first request).
    """
    entries = getattr(app, "_callback_list", [])
    filled_on_load = {
        pair
        for entry in entries
        if not entry.get("prevent_initial_call")
        for pair in parse_outputs(entry["output"])
    }
    out: dict[str, list[Prefill]] = {}
    for entry in entries:
        spec = app.callback_map.get(entry["output"], {})
        fn = getattr(spec.get("callback"), "__wrapped__", None)
        if fn is None or not fn.__module__.startswith("dashboard.pages.") or entry["state"]:
            continue
        inputs = tuple((i["id"], i["property"]) for i in entry["inputs"])
        outputs = tuple(parse_outputs(entry["output"]))
        if (
            (ids.STATE, "data") not in inputs
            or entry.get("prevent_initial_call")
            or any(_wildcard(i) for i, _ in inputs + outputs)
            or any(pair in filled_on_load for pair in inputs if pair[0] != ids.STATE)
        ):
            continue
        entry["prevent_initial_call"] = True
        out.setdefault(fn.__module__, []).append(
            Prefill(fn, inputs, outputs, entry["output"].startswith(".."))
        )
    return out


def _walk(component: Any) -> Iterator[Any]:
    yield component
    children = getattr(component, "children", None)
    if children is None or isinstance(children, str | int | float):
        return
    for child in children if isinstance(children, list | tuple) else [children]:
        yield from _walk(child)


def _call(index: dict[str, Any], prefill: Prefill) -> tuple[Prefill, list[Any], AttributeDict]:
    """Return (prefill, its arguments, its callback context): the layout's current values of its
    inputs, as Dash would pass them for the state store's change."""
    args = [getattr(index[ident], prop, None) for ident, prop in prefill.inputs]
    outputs_list = [{"id": index[ident].id, "property": prop} for ident, prop in prefill.outputs]
    context = AttributeDict(
        triggered_inputs=[{"prop_id": f"{ids.STATE}.data", "value": args[0]}],
        inputs_list=[
            {"id": index[i].id, "property": p, "value": v}
            for (i, p), v in zip(prefill.inputs, args, strict=True)
        ],
        states_list=[],
        outputs_list=outputs_list if prefill.multi else outputs_list[0],
    )
    return prefill, args, context


def _run(prefill: Prefill, args: list[Any], context: AttributeDict) -> Any:
    """Return what `prefill` returns for `args` in its callback `context` (a PreventUpdate it
    raises is returned)."""
    token = context_value.set(context)
    try:
        return prefill.fn(*args)
    except PreventUpdate as exc:
        return exc
    finally:
        context_value.reset(token)


def _apply(index: dict[str, Any], prefill: Prefill, get: Callable[[], Any]) -> bool:
    """Set `prefill`'s outputs in `index` to what `get()` returns (or raises); return False when
    there is no warehouse yet (the page shows its warning, its charts stay empty: fill no more)."""
    try:
        result = get()
    except FileNotFoundError:
        return False
    if isinstance(result, PreventUpdate):
        return True
    values = list(result) if prefill.multi else [result]
    for (ident, prop), value in zip(prefill.outputs, values, strict=True):
        if value is not no_update:
            setattr(index[ident], prop, value)
    return True


# Runs a page's first-paint callbacks beside the one its request's thread runs. Its tasks wait on
# data's query pool (data.in_background), never the other way round, so neither can starve.
_PREFILL_POOL = ThreadPoolExecutor(max_workers=3, thread_name_prefix="iurc-prefill")


def _pooled(call: tuple[Prefill, list[Any], AttributeDict]) -> Callable[[], Any]:
    """Return a getter of `call`'s result, run on the prefill pool in a copy of this thread's
    context (the request, Dash's callback context); one the pool has not started when asked
    for runs in the asking thread instead (so never later than one after the other)."""
    run = functools.partial(_run, *call)
    future: Future[Any] = _PREFILL_POOL.submit(contextvars.copy_context().run, run)
    return lambda: run() if future.cancel() else future.result()


def fill(layout: Any, callbacks: list[Prefill]) -> Any:
    """Return `layout` with the outputs of `callbacks` set to what they return for the layout's
    own input values (a callback whose components are not all in the layout is left out).

    The callbacks run beside each other (the first in this thread, the others on the prefill
    pool), unless one reads what another fills; their outputs are set in the callbacks' order,
    as running them one after the other would set them.

    Example: ``fill(page["layout"](lang="fr"), prefills(app)["dashboard.pages.overview"])``
    """
    index = {stringify_id(c.id): c for c in _walk(layout) if getattr(c, "id", None) is not None}
    runnable = [p for p in callbacks if all(i in index for i, _ in p.inputs + p.outputs)]
    filled = {pair for p in runnable for pair in p.outputs}
    if len(runnable) < 2 or any(pair in filled for p in runnable for pair in p.inputs):
        for prefill in runnable:  # one reads what another fills: one after the other
            if not _apply(index, prefill, functools.partial(_run, *_call(index, prefill))):
                break
        return layout
    first, *rest = [_call(index, prefill) for prefill in runnable]
    getters: list[Callable[[], Any]] = [functools.partial(_run, *first)]
    getters += [_pooled(call) for call in rest]
    for prefill, get in zip(runnable, getters, strict=True):
        if not _apply(index, prefill, get):
            break
    return layout


def fill_lang_links(layout: Any) -> Any:
    """Return `layout` with its language-switcher links carrying the page's parameters (what
    `page_params.lang_links` does on a later change), when the page has a parameter store."""
    found = list(_walk(layout))
    params = next((c for c in found if _id_type(c) == ids.PM_PARAMS), None)
    state = next((c for c in found if getattr(c, "id", None) == ids.STATE), None)
    links = [c for c in found if _id_type(c) == ids.LANG_LINK]
    if params is None or state is None or not links:
        return layout
    hrefs = page_params.lang_hrefs(
        getattr(params, "data", None) or {}, state.data, [c.id["lang"] for c in links]
    )
    for link, href in zip(links, hrefs, strict=True):
        link.href = href
    return layout


def _id_type(component: Any) -> Any:
    ident = getattr(component, "id", None)
    return ident.get("type") if isinstance(ident, dict) else None


def _filled(layout: Callable[..., Any], callbacks: list[Prefill]) -> Callable[..., Any]:
    @functools.wraps(layout)
    def filled(*args: Any, **kwargs: Any) -> Any:
        return fill_lang_links(fill(layout(*args, **kwargs), callbacks))

    return filled


def warm_default_views(app: Dash) -> None:
    """Draw every page's default view (no filter, English) once, as its index response embeds
    it: into the response cache shared by the workers, by the one process that claims the
    publish (into each process's query cache when the response cache is off)."""
    if not response_cache.claim_warming():
        return
    for page in list(dash.page_registry.values()):
        if data.stopping():
            return
        if page.get("path_template") or not callable(page.get("layout")):
            continue
        with app.server.test_request_context(page["path"]):
            initial_page.request_page((page["path"], page["path"], ""))
            embedded_layout.layout_text(app)


def install(app: Dash) -> None:
    """Make every page's layout carry its initial figures (see the module docstring), and warm
    the cache for the default views whenever a newly published warehouse is seen."""
    data.on_publish(functools.partial(warm_default_views, app))
    by_module = prefills(app)
    for page in dash.page_registry.values():
        layout = page.get("layout")
        callbacks = by_module.get(page["module"], [])
        if not callable(layout) or getattr(layout, "first_paint", False):
            continue

        filled = _filled(layout, callbacks)
        filled.first_paint = True  # type: ignore[attr-defined]
        page["layout"] = filled
