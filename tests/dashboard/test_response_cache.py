"""The response cache shared by the server's workers (dashboard.response_cache), on the real app,
a private copy of the demo warehouse, a real SQLite store and a second real process."""

from __future__ import annotations

import gzip
import hashlib
import inspect
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard import data, first_paint, ids, response_cache
from dashboard.app import app
from dashboard.components import make_state
from dashboard.response_store import ResponseStore
from pipelines.app import users
from pipelines.metrics.filters import Filters
from pipelines.warehouse import db
from tests.reliability.test_hostile_requests import _quarantine_body

ROOT = Path(__file__).resolve().parents[2]
DISPATCH = "/_dash-update-component"
TIME_CARD = '..{"card":"participation-time","type":"card-graph"}.figure'
OFFICER = ("cache-officer", "officer-pass-cache-1")


@pytest.fixture(scope="module")
def cached_app(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The app over a private copy of the demo warehouse, the response cache on in a tmp folder;
    yields the warehouse path."""
    base = tmp_path_factory.mktemp("response-cache")
    wh = base / "iurc.duckdb"
    shutil.copyfile(demo_db, wh)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IURC_DB", str(wh))
        mp.setenv("IURC_RESPONSE_CACHE", "1")
        mp.setenv("IURC_RESPONSE_CACHE_DIR", str(base / "cache"))
        mp.setenv("IURC_APP_DB", str(base / "app" / "app.sqlite"))
        users.add(*OFFICER, "programme_officer")
        data.configure(wh)
        yield wh
        data.configure()


def _body(lang: str = "en", filters: Filters | None = None, measure: str = "participants") -> str:
    output = next(o for o in app.callback_map if o.startswith(TIME_CARD))
    return json.dumps(
        {
            "output": output,
            "outputs": [
                {"id": json.loads(part.rsplit(".", 1)[0]), "property": part.rsplit(".", 1)[1]}
                for part in output[2:-2].split("...")
            ],
            "inputs": [
                {
                    "id": ids.STATE,
                    "property": "data",
                    "value": make_state(filters or Filters(), lang, "/participation"),
                },
                {"id": ids.PART_MEASURE, "property": "value", "value": measure},
            ],
            "changedPropIds": [f"{ids.STATE}.data"],
            "state": [],
        }
    )


def _post(client: Any, body: str, **headers: str) -> Any:
    return client.post(DISPATCH, data=body, content_type="application/json", headers=headers)


def _entries() -> int:
    cache = response_cache.store()
    assert cache is not None
    count: int = cache._con().execute("SELECT count(*) FROM entry").fetchone()[0]
    return count


def test_a_repeat_is_the_same_bytes_and_no_entry_is_shared(cached_app, monkeypatch) -> None:
    client = app.server.test_client()
    first = _post(client, _body())
    again = _post(client, _body())
    assert (first.status_code, first.headers["X-Response-Cache"]) == (200, "miss")
    assert again.headers["X-Response-Cache"] == "hit"
    assert again.get_data() == first.get_data()
    zipped = _post(client, _body(), **{"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == first.get_data()
    monkeypatch.setenv("IURC_RESPONSE_CACHE", "0")
    uncached = _post(client, _body())
    assert uncached.headers["X-Response-Cache"] == "off"
    assert uncached.get_data() == first.get_data()  # byte for byte what the dispatcher answers
    monkeypatch.setenv("IURC_RESPONSE_CACHE", "1")
    # another language, filter, control value or role: never the stored answer
    others = [
        _body(lang="fr"),
        _body(filters=Filters(network=("ecological_transition",))),
        _body(measure="cities"),
    ]
    for body in others:
        assert _post(client, body).headers["X-Response-Cache"] == "miss"
    officer = app.server.test_client()
    page = officer.get("/signin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    signed = officer.post(
        "/signin",
        data={"username": OFFICER[0], "password": OFFICER[1], "csrf_token": token.group(1)},
    )
    assert signed.status_code == 302
    # the CSRF check still runs before a stored answer is served
    assert _post(officer, _body()).status_code == 403
    cookie = officer.get_cookie("_csrf_token")  # the session's new token, as the renderer sends
    assert cookie is not None
    as_officer = _post(officer, _body(), **{"X-CSRFToken": cookie.value})
    assert as_officer.status_code == 200
    assert as_officer.headers["X-Response-Cache"] == "miss"  # not the public's entry
    # a forged or unknown body is refused as without the cache
    assert _post(client, _body().replace("participation-time", "nope")).status_code == 404
    assert _post(client, '{"output": 1}').status_code == 400


def test_role_gated_and_side_effect_callbacks_are_never_cached(cached_app) -> None:
    client = app.server.test_client()
    before = _entries()
    for _ in range(2):
        response = _post(client, json.dumps(_quarantine_body(client)))
        assert (response.status_code, response.headers["X-Response-Cache"]) == (200, "off")
    assert _entries() == before
    marked = [
        spec["callback"].__wrapped__
        for spec in app.callback_map.values()
        if response_cache.is_cacheable(spec.get("callback"))
    ]
    assert len(marked) >= 30
    for fn in marked:  # pure reads of the published warehouse: no role, user, session, file
        source = inspect.getsource(fn)
        assert not re.search(r"access\.|session|current_user|dcc\.send|send_", source), fn
    for output, spec in app.callback_map.items():
        if "download" in output.lower() or "quarantine" in output:
            assert not response_cache.is_cacheable(spec.get("callback")), output


def test_a_publish_is_never_answered_from_the_older_entries(cached_app) -> None:
    client = app.server.test_client()
    _post(client, _body(lang="es"))
    before = _post(client, _body(lang="es"))
    assert before.headers["X-Response-Cache"] == "hit"
    with db.writer(cached_app) as con:
        con.execute("UPDATE core.participation SET participants = participants + 1000")
    after = _post(client, _body(lang="es"))
    assert after.headers["X-Response-Cache"] == "miss"
    assert after.get_data() != before.get_data()
    # the older publish's entries went when the first newer one was stored
    assert _entries() == 1
    assert _post(client, _body(lang="es")).get_data() == after.get_data()


SECOND_PROCESS = """
import hashlib, sys
from dashboard.app import app
response = app.server.test_client().post(
    "/_dash-update-component", data=sys.stdin.read(), content_type="application/json"
)
print(response.headers["X-Response-Cache"], hashlib.sha256(response.get_data()).hexdigest())
"""


def test_another_process_reads_the_stored_answer_and_warming_is_done_once(
    cached_app, tmp_path
) -> None:
    client = app.server.test_client()
    body = _body(filters=Filters(region=("NA",)))
    mine = _post(client, body)
    assert mine.headers["X-Response-Cache"] == "miss"
    proc = subprocess.run(
        [sys.executable, "-c", SECOND_PROCESS],
        input=body,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["hit", hashlib.sha256(mine.get_data()).hexdigest()]
    # warming: the first process to claim the publish draws the default views into the store
    before = _entries()
    first_paint.warm_default_views(app)
    warmed = _entries()
    assert warmed > before
    page = client.get("/participation").get_data(as_text=True)
    assert 'data-path="/_dash-layout"' in page
    first_paint.warm_default_views(app)  # claimed already: nothing drawn again
    assert _entries() == warmed


def _layout_block(page: str) -> str:
    found = re.search(r'data-path="/_dash-layout">(.*?)</script>', page, re.S)
    assert found is not None
    return found.group(1)


def test_the_embedded_layout_is_stored_per_address(cached_app, monkeypatch) -> None:
    client = app.server.test_client()
    first = _layout_block(client.get("/sdg?lang=fr").get_data(as_text=True))
    again = _layout_block(client.get("/sdg?lang=fr").get_data(as_text=True))
    other = _layout_block(client.get("/sdg?lang=es").get_data(as_text=True))
    monkeypatch.setenv("IURC_RESPONSE_CACHE", "0")
    fresh = _layout_block(client.get("/sdg?lang=fr").get_data(as_text=True))
    assert first == again == fresh
    assert other != first


def test_the_store_keeps_its_size_bound_and_the_newest_publish(tmp_path) -> None:
    store = ResponseStore(tmp_path, max_bytes=40_000, generation="release-1")
    keys = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(30)]
    for key in keys:
        assert store.put(key, 1, b"x" * 1_500, b"y" * 500)
        assert store.stored_bytes() <= 40_000
    assert store.get(keys[-1], gzip=True) == b"y" * 500
    assert store.get(keys[0], gzip=False) is None  # the least recently used went first
    assert not store.put(keys[0], 1, b"x" * 20_000, b"")  # more than a quarter of the bound
    assert store.put(keys[0], 2, b"new", b"")  # a newer publish drops the older entries
    assert store.stored_bytes() == 3
    assert not store.put(keys[1], 1, b"old", b"")  # never an older publish after it
    assert store.claim("generation-1") and not store.claim("generation-1")
    with store.computing(keys[0]):
        assert store.get(keys[0], gzip=False) == b"new"


def test_an_unusable_cache_folder_serves_without_the_cache(cached_app, monkeypatch, tmp_path):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("IURC_RESPONSE_CACHE_DIR", str(tmp_path / "a-file" / "cache"))
    response = _post(app.server.test_client(), _body(lang="fr"))
    assert (response.status_code, response.headers["X-Response-Cache"]) == (200, "off")


def test_a_new_code_generation_finds_none_of_the_old_answers(tmp_path) -> None:
    old = ResponseStore(tmp_path, max_bytes=40_000, generation="release-1")
    assert old.put("a", 1, b"drawn by release 1", b"")
    assert ResponseStore(tmp_path, max_bytes=40_000, generation="release-1").get("a", gzip=False)
    new = ResponseStore(tmp_path, max_bytes=40_000, generation="release-2")
    assert new.get("a", gzip=False) is None and new.stored_bytes() == 0
    assert new.put("b", 1, b"drawn by release 2", b"")
    assert new.get("b", gzip=False) == b"drawn by release 2"


def test_a_store_from_before_generations_is_started_afresh(tmp_path) -> None:
    with sqlite3.connect(tmp_path / "responses.sqlite") as con:
        con.execute(
            "CREATE TABLE entry (key TEXT PRIMARY KEY, published INTEGER NOT NULL, size INTEGER"
            " NOT NULL, used REAL NOT NULL, body BLOB NOT NULL, gzip BLOB NOT NULL)"
        )
        con.execute("INSERT INTO entry VALUES ('a', 1, 3, 0, x'616263', x'')")
    con.close()
    store = ResponseStore(tmp_path, max_bytes=40_000, generation="release-1")
    assert store.get("a", gzip=False) is None
    assert store.put("a", 1, b"abc", b"") and store.get("a", gzip=False) == b"abc"
