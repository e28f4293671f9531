"""Check a callback request before Dash runs it: shape, known callback, declared inputs, values.

Every POST to `/_dash-update-component` passes `check_callback_body` first (`dashboard.app`
registers it in front of Dash's dispatcher). A body that is not what the app's own callback map
declares (wrong shapes, an unknown output, inputs that are not the callback's, values of the
wrong type, nesting deeper than a page ever sends, a filter state that is not the filter
declaration's) is answered 400 (404 for an unknown callback) with a short message, so a callback
only ever runs on arguments of the shapes its page sends.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from dash import stringify_id

from dashboard import ids
from pipelines.metrics.filters import LIST_FIELDS

MAX_DEPTH = 24  # the deepest value a page sends is a few levels (a store of options)
MAX_NODES = 200_000  # values of one request
MAX_TEXT = 100_000  # characters of one string value
MAX_LIST = 10_000  # items of one multi-select value
STATE_KEYS = frozenset({"q", "lang", "search", "path", "title"})
STATE_QUERY_KEYS = frozenset({"start", "end", *LIST_FIELDS})
WILDCARDS = ("MATCH", "ALL", "ALLSMALLER")
Scalar = (str, int, float, bool)


class BadRequest(Exception):
    """The request does not match what the app declares; `status` is 400 or 404."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def parse_body(raw: bytes) -> Any:
    """Return the JSON body parsed (raises BadRequest: not JSON, or nested too deeply)."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise BadRequest("the request body is nested too deeply") from None
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the request body is not valid JSON") from None


def _check_size(value: Any) -> None:
    """Raise BadRequest when a value nests deeper than MAX_DEPTH or holds too many items."""
    stack = [(value, 1)]
    nodes = 0
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH:
            raise BadRequest(f"a value is nested deeper than {MAX_DEPTH} levels")
        if nodes > MAX_NODES:
            raise BadRequest("the request holds too many values")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
        elif isinstance(item, str) and len(item) > MAX_TEXT:
            raise BadRequest("a text value is too long")
        elif isinstance(item, float) and not math.isfinite(item):
            raise BadRequest("a number is not finite (NaN or infinity)")


def _split_output(output: str) -> list[tuple[str, str]] | tuple[str, str]:
    """Return (id, property) of a single-output spec, or a list of them for a multi-output."""
    if output.startswith("..") and output.endswith(".."):
        return [_split_one(part) for part in output[2:-2].split("...")]
    return _split_one(output)


def _split_one(spec: str) -> tuple[str, str]:
    component, _, prop = spec.rpartition(".")
    # dots inside an id are escaped in the spec; `@hash` marks an allow_duplicate output
    return component.replace("\\.", "."), prop.split("@")[0]


def _pattern(component_id: str) -> dict[str, Any] | None:
    """Return the pattern-matching id (dict) of a declared id string, None for a plain id."""
    if not component_id.startswith("{"):
        return None
    pattern: dict[str, Any] = json.loads(component_id)
    return pattern


def _is_multi(pattern: dict[str, Any]) -> bool:
    return any(
        isinstance(v, list) and v and v[0] in ("ALL", "ALLSMALLER") for v in pattern.values()
    )


def _matches(pattern: dict[str, Any], given: Any) -> bool:
    """Return True when a concrete dict id matches a declared pattern id."""
    if not isinstance(given, dict) or set(given) != set(pattern):
        return False
    for key, want in pattern.items():
        value = given[key]
        if isinstance(want, list) and want and want[0] in WILDCARDS:
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                return False
        elif value != want:
            return False
    return True


def _check_item(declared_id: str, prop: str, given: Any, where: str) -> None:
    """Check one concrete {id, property} item against its declaration."""
    given_prop = given.get("property") if isinstance(given, dict) else None
    # the renderer sends an allow_duplicate output's property with its `@hash`
    if not isinstance(given_prop, str) or given_prop.split("@")[0] != prop:
        raise BadRequest(f"{where}: expected {{id, property: {prop!r}}}")
    pattern = _pattern(declared_id)
    if pattern is None:
        if given.get("id") != declared_id:
            raise BadRequest(f"{where}: not the callback's component")
    elif not _matches(pattern, given.get("id")):
        raise BadRequest(f"{where}: the id does not match the callback's pattern")


def _items(declared_id: str, prop: str, given: Any, where: str) -> list[dict[str, Any]]:
    """Check a declared dependency's entry of the body; return its concrete items."""
    pattern = _pattern(declared_id)
    if pattern is not None and _is_multi(pattern):
        if not isinstance(given, list):
            raise BadRequest(f"{where}: expected a list for a wildcard dependency")
        for item in given:
            _check_item(declared_id, prop, item, where)
        return given
    _check_item(declared_id, prop, given, where)
    return [given]


def _check_dependencies(declared: list[dict[str, str]], given: Any, kind: str) -> None:
    if not isinstance(given, list) or len(given) != len(declared):
        raise BadRequest(f"{kind}: expected a list of {len(declared)} item(s)")
    for index, (want, got) in enumerate(zip(declared, given, strict=True)):
        where = f"{kind}[{index}]"
        for item in _items(want["id"], want["property"], got, where):
            if "value" in item:
                check_value(item["id"], item["property"], item["value"], where)


def _check_outputs(output: str, given: Any) -> None:
    declared = _split_output(output)
    if isinstance(declared, list):
        if not isinstance(given, list) or len(given) != len(declared):
            raise BadRequest(f"outputs: expected a list of {len(declared)} item(s)")
        for index, ((cid, prop), got) in enumerate(zip(declared, given, strict=True)):
            _items(cid, prop, got, f"outputs[{index}]")
    else:
        _items(declared[0], declared[1], given, "outputs")


def check_state(value: Any, where: str = "state") -> None:
    """Raise BadRequest unless `value` is a filter-state store payload of the declared shape.

    The payload is None or a dict of the keys `make_state` writes, each text; its `q` holds
    only the declared filter fields (start, end and the list fields of `Filters`).
    """
    if value is None:
        return
    if not isinstance(value, dict):
        raise BadRequest(f"{where}: the filter state must be an object")
    unknown = set(value) - STATE_KEYS
    if unknown:
        raise BadRequest(f"{where}: unknown filter-state key(s)")
    for key, item in value.items():
        if item is not None and not isinstance(item, str):
            raise BadRequest(f"{where}: filter-state '{key}' must be text")
    query = value.get("q") or ""
    if {k for k, _ in parse_qsl(query, keep_blank_values=True)} - STATE_QUERY_KEYS:
        raise BadRequest(f"{where}: the filter state names an undeclared filter")
    path = value.get("path")
    if path is not None and not (path.startswith("/") and path.isprintable()):
        raise BadRequest(f"{where}: the filter-state path must be an absolute path")


def _check_params(value: Any, where: str) -> None:
    """A page-parameter store: None or {name: text | number | None}."""
    if value is None:
        return
    if not isinstance(value, dict) or not all(
        item is None or (isinstance(item, Scalar) and not isinstance(item, bool))
        for item in value.values()
    ):
        raise BadRequest(f"{where}: page parameters must be an object of text or numbers")


def _is_count(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def _is_control_value(value: Any) -> bool:
    """A drop-down, input or date value: a scalar, None, or a short list of scalars."""
    if value is None or isinstance(value, Scalar):
        return True
    return (
        isinstance(value, list)
        and len(value) <= MAX_LIST
        and all(isinstance(v, Scalar) for v in value)
    )


MAX_CONTROL_TEXT = 1_000
MAX_CONTROL_INT = 1_000_000


def _is_text(value: Any) -> bool:
    return value is None or (isinstance(value, str) and len(value) <= MAX_CONTROL_TEXT)


def _is_texts(value: Any) -> bool:
    return value is None or (
        isinstance(value, list)
        and len(value) <= MAX_LIST
        and all(isinstance(v, str) and len(v) <= MAX_CONTROL_TEXT for v in value)
    )


def _is_small_int(value: Any) -> bool:
    return value is None or (
        isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_CONTROL_INT
    )


# the `value` each control of the pages takes (its options' type): checked before any callback
VALUE_KINDS: dict[str, Callable[[Any], bool]] = {
    ids.F_START: _is_text,
    ids.F_END: _is_text,
    ids.F_NETWORK: _is_texts,
    ids.F_SUBTHEME: _is_texts,
    ids.F_REGION: _is_texts,
    ids.F_COUNTRY: _is_texts,
    ids.F_MODE: _is_texts,
    ids.PART_MEASURE: _is_text,
    ids.SDG_METHOD: _is_text,
    ids.SDG_GOAL: _is_small_int,
    ids.BENCH_CITY: _is_text,
    ids.BENCH_PEER: _is_text,
    ids.COOP_SELECT: _is_text,
    ids.ACT_SEARCH: _is_text,
    ids.ACT_SIZE: _is_small_int,
    ids.DQ_QUAR_FILE: _is_text,
}

PROPERTY_RULES: dict[str, Callable[[Any], bool]] = {
    "n_clicks": _is_count,
    "n_clicks_timestamp": lambda v: v is None or (isinstance(v, (int, float)) and v >= 0),
    "disabled": lambda v: v is None or isinstance(v, bool),
    "value": _is_control_value,
    # a browser's location always has a path; Dash's page router fails on none (path templates)
    "pathname": lambda v: isinstance(v, str) and v.startswith("/"),
    "search": lambda v: v is None or isinstance(v, str),
    "hash": lambda v: v is None or isinstance(v, str),
    "href": lambda v: v is None or isinstance(v, str),
    "start_date": lambda v: v is None or isinstance(v, str),
    "end_date": lambda v: v is None or isinstance(v, str),
    "date": lambda v: v is None or isinstance(v, str),
    "options": lambda v: v is None or isinstance(v, list),
}


def check_value(component_id: Any, prop: str, value: Any, where: str) -> None:
    """Raise BadRequest unless `value` has the type the property `prop` of the component takes."""
    _check_size(value)
    if component_id == ids.STATE and prop == "data":
        check_state(value, where)
        return
    if isinstance(component_id, dict) and component_id.get("type") == ids.PM_PARAMS:
        _check_params(value, where)
        return
    rule = PROPERTY_RULES.get(prop)
    if prop == "value" and isinstance(component_id, str) and component_id in VALUE_KINDS:
        rule = VALUE_KINDS[component_id]
    if rule is not None and not rule(value):
        raise BadRequest(f"{where}: a value of the wrong type for '{prop}'")


def check_callback_body(body: Any, callback_map: dict[str, Any]) -> None:
    """Raise BadRequest unless `body` is a callback request the app's callback map declares."""
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    output = body.get("output")
    if not isinstance(output, str):
        raise BadRequest("'output' must be text")
    callback = callback_map.get(output)
    if callback is None or "callback" not in callback:  # unknown, or run in the browser
        raise BadRequest("no such callback", status=404)
    if not callback.get("no_output"):
        _check_outputs(output, body.get("outputs"))
    _check_dependencies(callback.get("inputs", []), body.get("inputs"), "inputs")
    _check_dependencies(callback.get("state", []), body.get("state", []), "state")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise BadRequest("'changedPropIds' must be a list of text")
    if set(changed) - _prop_ids(body["inputs"]):
        raise BadRequest("'changedPropIds' names a property that is not an input")


def _prop_ids(inputs: list[Any]) -> set[str]:
    """Return the `id.property` strings of the (checked) inputs, as Dash writes them."""
    out = set()
    for entry in inputs:
        for item in entry if isinstance(entry, list) else [entry]:
            out.add(f"{stringify_id(item['id'])}.{item['property']}")
    return out
