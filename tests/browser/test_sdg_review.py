"""The SDG review queue in the browser (#15), on the shared demo server.

One test walks the loop: the public is sent to sign in and a city editor is refused; a programme
officer opens the queue in French, reaches the first suggestion's Accept button with Tab and
presses Enter, rejects the next one with Tab and Space, accepts in bulk above a score; the
decisions are recorded with user and time (app database and audit log) and the warehouse is
unchanged. The writer (`iurc review apply`) then applies them on a copy of the warehouse and
app database: the tags are reviewed, K26 moves, and `iurc tag`'s tagger skips them as reviewed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipelines.app import audit, sdg_review
from pipelines.metrics.filters import Filters
from pipelines.queries import metric_total
from pipelines.tagging.run import existing_tags, tag_texts, texts_to_tag
from pipelines.warehouse import db as dbmod
from tests.browser.conftest import IURC, ROOT, SCREENSHOTS, app_state_env

pytestmark = pytest.mark.browser

WAIT_MS = 120_000


def _sign_in(page, base: str, name: str, password: str) -> None:
    page.goto(base + "/signin?lang=en")
    page.fill("#username", name)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/\?lang=en$"), timeout=WAIT_MS)


def _tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _screenshot(page, name: str) -> None:
    """Save the visible part of the page (the queue is long) under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _first_key(page) -> tuple[str, str, int]:
    form = page.locator("#item-1 form.decide-sdg")
    return (
        form.locator("input[name=entity_type]").get_attribute("value") or "",
        form.locator("input[name=entity_id]").get_attribute("value") or "",
        int(form.locator("input[name=goal]").get_attribute("value") or 0),
    )


def _statuses(db: Path, key: tuple[str, str, int]) -> set[str]:
    con = dbmod.connect_readonly(db)
    try:
        rows = con.execute(
            "select status from core.sdg_alignment where entity_type = ? and entity_id = ? "
            "and goal = ? and method <> 'manual'",
            list(key),
        ).fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}


def test_review_queue_by_keyboard_then_applied_by_the_writer(
    dash_page, seeded_users, demo_db: Path, browser, tmp_path: Path, monkeypatch
) -> None:
    page = dash_page.page
    base = dash_page.base_url
    page.set_default_timeout(WAIT_MS)
    # the public is sent to sign in; a city editor is refused
    page.goto(base + "/review/sdg?lang=en")
    assert "/signin" in page.url
    editor = browser.new_context()
    try:
        editor_page = editor.new_page()
        _sign_in(editor_page, base, "editor", seeded_users["editor"][2])
        assert editor_page.goto(base + "/review/sdg?lang=en").status == 403
    finally:
        editor.close()
    # a programme officer, in French
    _sign_in(page, base, "officer", seeded_users["officer"][2])
    page.goto(base + "/review/sdg?lang=fr&entity=activity")
    assert page.locator("h1").inner_text() == "File de revue des ODD"
    assert page.locator("#item-1 mark.evidence").count() >= 1
    _screenshot(page, "sdg-review-queue-fr")
    # bad input gets a 400 with a message, never a traceback
    bad = page.request.get(base + "/review/sdg?lang=en&min_score=abc")
    assert bad.status == 400 and "not valid" in bad.text()
    token = page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
    form = {"csrf_token": token, "entity_type": "activity", "entity_id": "x", "goal": "99"}
    bad = page.request.post(base + "/review/sdg/decide", form={**form, "decision": "accept"})
    assert bad.status == 400
    accepted = _first_key(page)
    _tab_to(page, "#item-1 button.accept")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"done=1.*#item-1$", page.url)
    assert page.locator(".alert-success").count() == 1
    assert _first_key(page) != accepted
    rejected = _first_key(page)
    _tab_to(page, "#item-1 button.reject")
    with page.expect_navigation():
        page.keyboard.press(" ")
    pending_rows = page.locator("table.pending-decisions tbody tr")
    assert pending_rows.count() >= 2
    # bulk: accept every suggestion scoring at least 0.96
    page.fill("#threshold", "0.96")
    with page.expect_navigation():
        page.click("#bulk-accept")
    assert re.search(r"Décisions enregistrées : [1-9]", page.locator(".alert-success").inner_text())
    assert pending_rows.count() >= 3
    assert "officer" in pending_rows.first.inner_text()
    page.goto(base + "/review/sdg?lang=en")
    _screenshot(page, "sdg-review-queue-en")
    # recorded with who and when, in the app database and the audit log; warehouse unchanged
    for key, value in app_state_env(demo_db).items():
        monkeypatch.setenv(key, value)
    decided = sdg_review.pending()
    mine = {(r.entity_type, r.entity_id, int(r.goal)): r for r in decided.itertuples(index=False)}
    assert mine[accepted].decision == "accept" and mine[rejected].decision == "reject"
    assert mine[accepted].decided_by == "officer"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", mine[accepted].decided_at)
    log = audit.entries(50)
    assert {"sdg_accept", "sdg_reject"} <= set(log.loc[log["username"] == "officer", "action"])
    assert "suggested" in _statuses(demo_db, accepted)
    # the writer applies them, on copies (the shared demo warehouse stays as it is)
    db = tmp_path / "iurc.duckdb"
    shutil.copyfile(demo_db, db)
    app_db = tmp_path / "app.sqlite"
    shutil.copyfile(app_state_env(demo_db)["IURC_APP_DB"], app_db)
    monkeypatch.setenv("IURC_APP_DB", str(app_db))
    con = dbmod.connect_readonly(db)
    try:
        k26_before = metric_total(con, "K26", Filters())
    finally:
        con.close()
    proc = subprocess.run(
        [*IURC, "review", "apply", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "IURC_APP_DB": str(app_db)},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "suggested" not in _statuses(db, accepted) and "accepted" in _statuses(db, accepted)
    assert "suggested" not in _statuses(db, rejected) and "rejected" in _statuses(db, rejected)
    assert sdg_review.pending().empty
    con = dbmod.connect_readonly(db)
    try:
        assert metric_total(con, "K26", Filters()) > k26_before
        stored = existing_tags(con)
        texts = texts_to_tag(con, "activity")
        again = con.execute(
            "select 'activity' as entity_type, activity_id as entity_id, "
            "concat_ws('. ', title, description) as text from core.activity "
            "where activity_id in (?, ?)",
            [accepted[1], rejected[1]],
        ).df()
    finally:
        con.close()
    # not re-suggested: neither text is due for tagging, and tagging them anyway skips the keys
    assert not texts["entity_id"].isin([accepted[1], rejected[1]]).any()
    rows, _, skipped = tag_texts(again, stored)
    suggested = set(zip(rows["entity_id"], rows["goal"], strict=True))
    assert (accepted[1], accepted[2]) not in suggested
    assert (rejected[1], rejected[2]) not in suggested
    assert skipped >= 2
