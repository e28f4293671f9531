"""Security: SQL payloads through every filter and query function, URL parsing, formula-safe
exports, loopback-only and debug-off defaults, and the request size limit."""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import pandas as pd
import pytest

from pipelines import config, queries
from pipelines.metrics.filters import LIST_FIELDS, Filters
from tests.reliability._support import table_digest

PAYLOADS = [
    "' OR 1=1 --",
    "'; DROP TABLE core.city; --",
    "\u2019 OR \u20191\u2019=\u20191",  # unicode quotes
    '" OR ""="',
    "1); DELETE FROM core.activity; --",
    "innovation' UNION SELECT run_id FROM ops.ingest_run --",
    "%' OR '%'='",
    "\\'; SELECT 1; --",
    "$1 ? :name",
    "ecological_transition\x00' OR 1=1",
]
NO_MATCH = "zz-no-such-code"
# string parameters of query functions, and a harmless value that matches nothing
STRING_PARAMS = {
    "search",
    "sort",
    "by",
    "measure",
    "city_id",
    "cooperation_id",
    "peer_group_type",
    "peer_group_id",
    "method",
    "entity_type",
    "period_type",
    "run_id",
    "file_name",
    "lang",
    "relation",
}


def _functions() -> list[tuple[str, object]]:
    names = [n for n in queries.__all__ if callable(getattr(queries, n)) and n != "period_bounds"]
    return [(n, getattr(queries, n)) for n in names]


FUNCTIONS = _functions()


@pytest.fixture(scope="module")
def rw_con(small_wh: Path, tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """A read-write connection on a copy of the warehouse: a payload that ran would change it."""
    path = tmp_path_factory.mktemp("sec") / "wh.duckdb"
    shutil.copyfile(small_wh, path)
    con = duckdb.connect(str(path))
    yield con
    con.close()


def _call(fn, con, filters: Filters | None, text: str | None):
    """Call a query function with `filters` and every string parameter set to `text`."""
    sig = inspect.signature(fn)
    args, kwargs = [con], {}
    for name, param in list(sig.parameters.items())[1:]:
        if name == "filters":
            value = filters or Filters()
        elif name in ("regions", "networks"):
            value = (text,) if text is not None else ()
        elif name == "indicator_ids":
            value = (text,) if text is not None else ("K03",)
        elif name == "goal":
            if param.default == ():  # the metric layer's scope of goals: integers (int()), unset
                continue
            value = 11
        elif name == "metric_id":
            value = "K04"  # a declared metric; its filters and breakdowns carry the payload
        elif name == "metric_ids":  # a payload must be refused as an unknown metric
            value = (text,) if text is not None else ("K03", "K04", "K30")
        elif name == "by" and param.default is inspect.Parameter.empty:
            value = text if text is not None else "stakeholder_type"  # a breakdown K04 allows
        elif (
            name in STRING_PARAMS
            and text is not None
            and param.default is not inspect.Parameter.empty
        ):
            value = text
        elif name in STRING_PARAMS and param.default is inspect.Parameter.empty:
            value = text if text is not None else "guelph-ca"
        else:
            continue
        if param.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[name] = value
        else:
            args.append(value)
    return fn(*args, **kwargs)


def _frame(result) -> pd.DataFrame | None:
    if isinstance(result, tuple):
        result = result[0]
    return result if isinstance(result, pd.DataFrame) else None


def _outcome(fn, con, text: str):
    """Return the result of `fn` with `text` in every filter and string argument, or the
    ValueError with which an allow-list refused it."""
    try:
        return _call(fn, con, Filters(**dict.fromkeys(LIST_FIELDS, (text,))), text)
    except ValueError as exc:
        return exc


def _as_unknown_code(result, payload: str):
    """Return `result` with cells echoing `payload` (scope labels) written as the unknown code."""
    if isinstance(result, tuple):
        return (_as_unknown_code(result[0], payload), *result[1:])
    if isinstance(result, dict):  # {filter: [codes]} (unknown_codes); other dicts as they are
        return {
            k: [NO_MATCH if v == payload else v for v in vs] if isinstance(vs, list) else vs
            for k, vs in result.items()
        }
    if isinstance(result, pd.DataFrame):
        frame = result.copy()
        for column in frame.columns:  # element-wise: cells may be lists; other columns untouched
            echoed = frame[column].map(lambda v: isinstance(v, str) and v == payload).astype(bool)
            if echoed.any():
                frame[column] = frame[column].mask(echoed, NO_MATCH)
        return frame
    return result


def _same(got, want) -> bool:
    if isinstance(want, tuple):
        return (
            isinstance(got, tuple)
            and len(got) == len(want)
            and all(_same(g, w) for g, w in zip(got, want, strict=True))
        )
    if isinstance(want, pd.DataFrame):
        return isinstance(got, pd.DataFrame) and got.equals(want)
    return type(got) is type(want) and got == want


def test_security_every_query_function_is_covered() -> None:
    assert len(FUNCTIONS) >= 40
    for name, fn in FUNCTIONS:
        params = list(inspect.signature(fn).parameters)
        assert params[0] == "con", name


@pytest.mark.parametrize(("name", "fn"), FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_security_sql_payloads_in_every_filter_and_argument(
    name, fn, rw_con, small_wh: Path
) -> None:
    before = table_digest(small_wh)
    cur = rw_con.cursor()
    takes_filters = "filters" in inspect.signature(fn).parameters
    # everywhere at once (filters and string arguments), a payload behaves as an unknown code
    base = _outcome(fn, cur, NO_MATCH)
    for payload in PAYLOADS:
        try:
            result = _outcome(fn, cur, payload)
        except duckdb.Error as exc:  # the payload reached the SQL text
            pytest.fail(f"{name}: {payload!r} caused a database error: {exc}")
        if isinstance(result, ValueError):  # an allow-list refusing the value plainly is fine
            assert "Traceback" not in str(result), (name, payload)
            continue
        assert not isinstance(base, ValueError), (
            f"{name}: {payload!r} was accepted where the unknown code is refused ({base})"
        )
        assert _same(_as_unknown_code(result, payload), base), (
            f"{name}: {payload!r} gives another result than an unknown code"
        )
    if takes_filters:
        # in a filter, a payload behaves exactly as an unknown code (echoed scope labels aside)
        for payload in PAYLOADS[:3]:
            for field in LIST_FIELDS:
                got = _frame(_call(fn, cur, Filters(**{field: (payload,)}), None))
                base = _frame(_call(fn, cur, Filters(**{field: (NO_MATCH,)}), None))
                if got is not None:
                    assert _same(_as_unknown_code(got, payload), base), (
                        f"{name}: {field}={payload!r} differs from an unknown code"
                    )
    assert rw_con.execute("SELECT count(*) FROM core.city").fetchone()[0] == before["core.city"][0]
    cur.close()
    rw_con.execute("CHECKPOINT")


def test_security_no_data_changed_by_payloads(rw_con, small_wh: Path) -> None:
    con = duckdb.connect(":memory:")
    try:
        for table in ("city", "activity", "participation"):
            got = rw_con.execute(
                f"SELECT count(*), sum(hash(t)::HUGEINT) FROM core.{table} t"
            ).fetchone()
            con.execute("ATTACH IF NOT EXISTS ? AS orig (READ_ONLY)", [str(small_wh)])
            want = con.execute(
                f"SELECT count(*), sum(hash(t)::HUGEINT) FROM orig.core.{table} t"
            ).fetchone()
            assert got == want, table
    finally:
        con.close()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_security_url_query_payloads_parse_to_inert_filters(payload: str, rw_con) -> None:
    query = urlencode(
        {
            "start": payload,
            "end": "2024-01-01' OR 1=1",
            "network": payload,
            "country": payload + ",CA",
            "mode": payload,
            "unknown": payload,
        }
    )
    filters = Filters.from_query(query)
    # dates are parsed to date objects (the first 10 characters), never kept as text
    assert filters.start is None
    assert filters.end == __import__("datetime").date(2024, 1, 1)
    for field in ("network", "mode"):
        assert all("," not in v for v in getattr(filters, field))
    assert "CA" in filters.country
    assert Filters.from_query(filters.to_query()) == filters
    cur = rw_con.cursor()
    frame = queries.participation_summary(cur, filters)
    assert frame.equals(queries.participation_summary(cur, Filters(network=(NO_MATCH,))))


def test_security_payload_is_stored_and_matched_only_as_text(rw_con) -> None:
    # a city whose id *is* a payload is found by exactly that code, and by nothing else
    cur = rw_con.cursor()
    codes = queries.country_options(cur, ("' OR 1=1 --",))
    assert codes.empty


FORMULAS = [
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
    '=HYPERLINK("http://x")',
]


def test_security_dashboard_exports_neutralise_formulas() -> None:
    from dashboard import components

    df = pd.DataFrame({"title": FORMULAS + ["plain"], "n": list(range(-len(FORMULAS), 1))})
    text = components.to_csv_bytes(df).decode("utf-8-sig")
    for line, value in zip(text.splitlines()[1:], FORMULAS + ["plain"], strict=False):
        if value in ("\tx", "\rx"):
            continue
        assert not line.startswith(("=", "+", "-", "@")), line
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(components.to_xlsx_bytes(df)))
    cells = [row[0] for row in wb.active.iter_rows(min_row=2, values_only=False)]
    for cell, value in zip(cells, FORMULAS + ["plain"], strict=True):
        assert cell.data_type != "f", cell.value
        if value != "plain":
            assert str(cell.value).startswith("'"), cell.value
    numbers = [row[1] for row in wb.active.iter_rows(min_row=2, values_only=True)]
    assert numbers == list(range(-len(FORMULAS), 1))  # numbers stay numbers


def test_security_warehouse_export_neutralises_formulas(wh: Path, tmp_path: Path) -> None:
    from pipelines.export.files import export_path
    from pipelines.ingest.run import ingest_files

    db = wh
    evil = tmp_path / "activities_evil.csv"
    evil.write_text(
        "activity_id,title,activity_type,modality,status,start_date,end_date,network_id\n"
        'act-evil,"=HYPERLINK(""http://x"")",webinar,online,completed,2023-01-02,2023-01-02,'
        "ecological_transition\n",
        encoding="utf-8",
    )
    assert ingest_files([evil], db=db).exit_code == 0
    files = export_path(db, tmp_path / "out", fmt="csv", lang="en")
    activity = next(
        f.path for f in files if f.path.name.startswith("core") and "activity" in f.path.name
    )
    text = activity.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_security_defaults_bind_loopback_and_debug_off(monkeypatch) -> None:
    monkeypatch.delenv("IURC_DEBUG", raising=False)
    assert config.DEFAULT_HOST == "127.0.0.1"
    assert config.debug_enabled() is False
    from iurc.cli import serve

    defaults = {name: p.default for name, p in inspect.signature(serve).parameters.items()}
    assert defaults["host"].default == "127.0.0.1"
    assert defaults["debug"].default is False
    from dashboard import app as app_module

    main_defaults = inspect.signature(app_module.main).parameters
    assert main_defaults["host"].default == "127.0.0.1"
    assert app_module.server.debug is False


def test_security_oversized_post_rejected_with_413() -> None:
    from dashboard import app as app_module

    server = app_module.server
    limit = server.config["MAX_CONTENT_LENGTH"]
    assert limit == config.max_upload_bytes() and 0 < limit <= 64 * 1024 * 1024
    client = server.test_client()
    body = b"{" + b" " * (limit + 1024) + b"}"
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 413
    assert b"Traceback" not in response.data
    small = client.post("/_dash-update-component", data=b"{}", content_type="application/json")
    assert small.status_code != 413


def test_security_headers_forbid_framing_and_foreign_scripts() -> None:
    from dashboard import app as app_module

    response = app_module.server.test_client().get("/_dash-layout")
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
