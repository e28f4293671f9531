"""Contract of /api/v1 on the real app over the demo warehouse (Flask's test client).

Every endpoint, paging (next links walk a whole table with no row missing or repeated), filters,
bad parameters (400/404 with a message, never a traceback), conditional GETs (304), the rate
limit (429), CSV formula neutralising, the public role's allow-list, and the API's figures equal
to the dashboard's for the same filters.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from openapi_spec_validator import validate

from dashboard import access, data
from dashboard.api.params import MAX_LIMIT
from dashboard.app import server
from pipelines.metrics.catalogue import METRICS
from pipelines.metrics.filters import FILTERS, Filters

PARITY_FILTERS = {
    "": Filters(),
    "network=innovation": Filters(network=("innovation",)),
    "start=2024-01-01&end=2024-12-31&region=EU": Filters(
        start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), region=("EU",)
    ),
    "country=CA,US&mode=pairing": Filters(country=("CA", "US"), mode=("pairing",)),
}


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/json"
    return json.loads(response.get_data(as_text=True))


def test_api_metric_catalogue_lists_every_declared_metric(api_client) -> None:
    body = get_json(api_client, f"/api/v1/metrics?limit={MAX_LIMIT}")
    assert body["success"] is True
    result = body["result"]
    assert [r["id"] for r in result["records"]] == list(METRICS)
    assert result["total"] == len(METRICS) and "next" not in result["_links"]
    k04 = next(r for r in result["records"] if r["id"] == "K04")
    assert k04["additivity"] == "sum" and k04["geography_basis"] and k04["time_basis"]
    scorecard = data.kpi_scorecard(Filters())
    target = scorecard.set_index("indicator_id").loc["K04", "target_value"]
    assert k04["target_value"] == pytest.approx(float(target))
    assert {f["id"] for f in result["fields"]} == set(k04)


@pytest.mark.parametrize("query", list(PARITY_FILTERS))
def test_api_metric_values_equal_the_dashboards(api_client, query: str) -> None:
    """The participation chart's rows and summary total, and the scorecard's card values."""
    filters = PARITY_FILTERS[query]
    url = f"/api/v1/metrics/K04?by=month,stakeholder_type&limit={MAX_LIMIT}&{query}"
    result = get_json(api_client, url)["result"]
    chart = data.participation_over_time(filters, lang="en", by="stakeholder_type")
    records = result["records"]
    groups = [r for r in records if not r["is_total"]]
    assert len(groups) == len(chart) > 0
    ours = {(r["month"], r["stakeholder_type"]): r["value"] for r in groups}
    theirs = {
        (m.date().isoformat(), g): v
        for m, g, v in zip(chart["month"], chart["group_id"], chart["value"], strict=True)
    }
    assert ours == pytest.approx(theirs)
    assert result["value"] == pytest.approx(chart.attrs["total"])
    assert records[-1]["is_total"] and records[-1]["value"] == result["value"]
    # the scorecard cards of the same filters (non-additive K02 and a ratio included)
    cards = data.kpi_scorecard(filters).set_index("indicator_id")
    for metric_id in ("K02", "K03", "K06"):
        value = get_json(api_client, f"/api/v1/metrics/{metric_id}?{query}")["result"]["value"]
        card = cards.loc[metric_id, "value"]
        assert value == pytest.approx(None if card != card else float(card)), metric_id


def test_api_metric_breakdown_and_filters_follow_the_metric_layer(api_client) -> None:
    body = get_json(api_client, "/api/v1/metrics/K02?by=region&network=innovation&lang=fr")
    result = body["result"]
    frame = data.metric_frame("K02", Filters(network=("innovation",)), ("region",), lang="fr")
    assert [r["value"] for r in result["records"]] == pytest.approx(list(frame["value"]))
    assert result["filters"] == {"network": "innovation"} and result["by"] == ["region"]
    assert result["metric"]["additivity"] == "distinct_count"
    # a distinct count: the total is recounted, not the sum of the regions
    regions = sum(r["value"] for r in result["records"] if not r["is_total"])
    assert result["value"] <= regions


def test_api_every_filter_declared_is_accepted(api_client, demo_con) -> None:
    from pipelines.queries.options import FILTER_OPTIONS

    for spec in FILTERS:
        code = str(FILTER_OPTIONS[spec.name](demo_con)["value"].iloc[0])
        body = get_json(api_client, f"/api/v1/metrics/K04?{spec.name}={code}")
        assert body["result"]["filters"] == {spec.name: code}


def test_api_tables_are_the_public_allow_list(api_client) -> None:
    result = get_json(api_client, f"/api/v1/tables?limit={MAX_LIMIT}")["result"]
    names = [r["name"] for r in result["records"]]
    assert set(access.PUBLIC_MARTS) <= set(names)
    assert all(access.can_read_table(n) for n in names)
    assert not [n for n in names if n.startswith(("core.", "ops."))]
    for record in result["records"]:
        assert "raw_record" not in record["columns"], record["name"]
    assert result["bundle"] == "/api/v1/bundle"
    for hidden in (
        "core.activity",
        "ops.quarantine",
        "mart.dq_quarantine",
        "mart.activity_register",
    ):
        body = get_json(api_client, f"/api/v1/tables/{hidden}", 404)
        assert body["success"] is False and "no published table" in body["error"]["message"]


def test_api_next_links_walk_a_whole_table(api_client, demo_con) -> None:
    url = "/api/v1/tables/mart.activity_cube?region=NA&limit=97"
    seen: list[str] = []
    pages = 0
    while url:
        result = get_json(api_client, url)["result"]
        seen += [json.dumps(r, sort_keys=True) for r in result["records"]]
        pages += 1
        if pages == 2:
            assert (
                result["_links"]["prev"] == "/api/v1/tables/mart.activity_cube?region=NA&limit=97"
            )
        url = result["_links"].get("next")
    total = demo_con.execute(
        "select count(*) from mart.activity_cube where list_contains(regions, 'NA')"
    ).fetchone()[0]
    assert result["total"] == total == len(seen) and pages == -(-total // 97)
    distinct = demo_con.execute(
        "select count(*) from (select distinct * from mart.activity_cube "
        "where list_contains(regions, 'NA'))"
    ).fetchone()[0]
    assert len(set(seen)) == distinct


def test_api_csv_pages(api_client) -> None:
    response = api_client.get("/api/v1/tables/ref.network?limit=2", headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 2 and "network_id" in rows[0]
    assert 'rel="next"' in response.headers["Link"]
    metric = api_client.get("/api/v1/metrics/K04?by=network&_format=csv")
    assert metric.mimetype == "text/csv" and metric.get_data(as_text=True).startswith("network_id,")


BAD = [
    ("/api/v1/metrics/K99", 404, "unknown metric"),
    ("/api/v1/metrics/K04?by=goal", 400, "unknown dimension"),
    ("/api/v1/metrics/K04?by=network,network", 400, "twice"),
    ("/api/v1/metrics/K04?start=2024-02-30", 400, "YYYY-MM-DD"),
    ("/api/v1/metrics/K04?start=yesterday", 400, "YYYY-MM-DD"),
    ("/api/v1/metrics/K04?start=2025-01-01&end=2024-01-01", 400, "after"),
    ("/api/v1/metrics/K04?network=innovation,nope", 400, "network: nope"),
    ("/api/v1/metrics/K04?country=XX'--", 400, "unknown filter code"),
    ("/api/v1/metrics/K04?limit=0", 400, "'limit'"),
    (f"/api/v1/metrics/K04?limit={MAX_LIMIT + 1}", 400, "'limit'"),
    ("/api/v1/metrics/K04?offset=-1", 400, "'offset'"),
    ("/api/v1/metrics/K04?_format=xml", 400, "_format"),
    ("/api/v1/metrics/K04?lang=de", 400, "'lang'"),
    ("/api/v1/metrics/K04?colour=red", 400, "unknown parameter"),
    ("/api/v1/metrics/K04?network=a&network=b", 400, "once"),
    ("/api/v1/metrics?by=network", 400, "unknown parameter"),
    ("/api/v1/tables/nope", 404, "no published table"),
    ("/api/v1/tables/ref.network?region=EU", 400, "cannot be filtered by region"),
    ("/api/v1/tables/ref.network?start=2024-01-01", 400, "cannot be filtered by start"),
    ("/api/v1/nothing/here", 404, "no such endpoint"),
    ("/api/v1/metrics/K04?network=" + "x" * 2000, 400, "longer than"),
]


def test_api_bad_parameters_get_a_message_never_a_traceback(api_client) -> None:
    for url, status, message in BAD:
        body = get_json(api_client, url, status)
        assert body["success"] is False, url
        assert message in body["error"]["message"], (url, body)
        assert "Traceback" not in json.dumps(body)


def test_api_conditional_get(api_client) -> None:
    url = "/api/v1/metrics/K04?by=network"
    first = api_client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = api_client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    since = api_client.get(url, headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    other = api_client.get(url + "&region=EU", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag
    csv_copy = api_client.get(url + "&_format=csv", headers={"If-None-Match": etag})
    assert csv_copy.status_code == 200
    assert first.headers["Access-Control-Allow-Origin"] == "*"


def test_api_rate_limit(api_client) -> None:
    server.config["IURC_API_RATE"] = (3, 60.0)
    try:
        client = {"environ_base": {"REMOTE_ADDR": "192.0.2.7"}}
        codes = [api_client.get("/api/v1/metrics", **client).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = api_client.get("/api/v1/tables", **client)
        assert limited.status_code == 429 and 1 <= int(limited.headers["Retry-After"]) <= 20
        assert "too many requests" in limited.get_json()["error"]["message"]
        other = api_client.get("/api/v1/metrics", environ_base={"REMOTE_ADDR": "192.0.2.8"})
        assert other.status_code == 200
    finally:
        server.config["IURC_API_RATE"] = (1_000_000, 60.0)


def test_api_openapi_document_is_valid_and_declares_everything(api_client) -> None:
    doc = get_json(api_client, "/api/v1/openapi.json")
    validate(doc)  # OpenAPI 3.1 schema
    assert doc["openapi"].startswith("3.1")
    metric = doc["paths"]["/metrics/{metric_id}"]["get"]
    names = {p["name"] for p in metric["parameters"]}
    assert {spec.name for spec in FILTERS} | {"start", "end", "by", "limit", "offset"} <= names
    enum = next(p for p in metric["parameters"] if p["name"] == "metric_id")["schema"]["enum"]
    assert enum == list(METRICS)


def test_api_docs_page_lists_endpoints_offline(api_client) -> None:
    page = api_client.get("/api/v1/?lang=fr")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "API de données ouvertes" in html
    for path in ("/metrics", "/metrics/{metric_id}", "/tables", "/tables/{name}", "/bundle"):
        assert f"GET /api/v1{path}" in html
    assert "http://" not in html.replace("https://", "") and "<script" not in html


def test_api_csv_cells_are_neutralised(api_client, demo_db: Path, tmp_path: Path) -> None:
    """A city named like a formula reaches the CSV of mart.city with a leading apostrophe."""
    copy = tmp_path / "iurc.duckdb"
    shutil.copyfile(demo_db, copy)
    con = duckdb.connect(str(copy))
    city = con.execute("select city_id from core.city order by city_id limit 1").fetchone()[0]
    con.execute(
        "update core.city set name = $n where city_id = $c",
        {"n": '=HYPERLINK("http://x.example","click")', "c": city},
    )
    con.close()
    data.configure(copy)
    try:
        text = api_client.get("/api/v1/tables/mart.city?_format=csv&limit=1").get_data(as_text=True)
        row = next(csv.DictReader(io.StringIO(text)))
        assert row["city_id"] == city and row["name"].startswith("'=HYPERLINK")
        body = get_json(api_client, "/api/v1/tables/mart.city?limit=1")
        assert body["result"]["records"][0]["name"].startswith("=HYPERLINK")  # JSON is data
    finally:
        data.configure(demo_db)
