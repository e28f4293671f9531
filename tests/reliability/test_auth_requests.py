"""Sign-in, roles and every forbidden act over HTTP, on the real app and a real warehouse (#14).

Each attack is tried against the Flask/Dash server (in-process test clients, one per user) and
must be refused with nothing changed: pages and exports of another role, another city's draft,
approving as a city editor, raw quarantined records through the callback endpoint as the public,
a state-changing request replayed without its CSRF token (or with another session's), a
tampered or forged session cookie, an identity header from an address that is not the proxy,
password guessing (throttled), a disabled account.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from itsdangerous import URLSafeTimedSerializer
from typer.testing import CliRunner

from dashboard import data
from iurc.cli import app as cli
from pipelines.app import audit, submissions, users
from pipelines.ingest.run import ingest_files
from tests.reliability import test_hostile_requests as hostile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "submissions"
DISPATCH = "/_dash-update-component"
PASSWORDS = {"ed": "editor-pass-velletri", "gu": "editor-pass-guelph", "off": "officer-pass-1"}


@pytest.fixture(scope="module")
def server(small_wh: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app over a private warehouse (with one quarantined row) and a seeded users db."""
    base = tmp_path_factory.mktemp("auth-requests")
    wh = base / "iurc.duckdb"
    shutil.copyfile(small_wh, wh)
    bad = base / "activities_secret.csv"
    bad.write_text(
        "activity_id,title,description,activity_type,modality,status,start_date,end_date,"
        "network_id\nact-secret,SECRET-RAW-TOKEN,x,not-a-type,in_person,completed,2024-01-10,"
        "2024-01-09,ecological_transition\n",
        encoding="utf-8",
    )
    assert ingest_files([bad], db=wh).rows_quarantined == 1
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IURC_DB", str(wh))
        mp.setenv("IURC_APP_DB", str(base / "app" / "app.sqlite"))
        mp.setenv("IURC_SUBMISSIONS_DIR", str(base / "submissions"))
        mp.setenv("IURC_LOGIN_MAX_ACCOUNT", "3")
        mp.setenv("IURC_TRUSTED_PROXY", "10.0.0.5")
        users.add("ed", PASSWORDS["ed"], "city_editor", ("velletri-it",))
        users.add("gu", PASSWORDS["gu"], "city_editor", ("guelph-ca",))
        users.add("off", PASSWORDS["off"], "programme_officer")
        users.add("gone", "disabled-pass-1", "programme_officer")
        users.set_disabled("gone")
        from dashboard.app import server as flask_server

        data.configure(wh)
        # as deployed (not on loopback): another test of the same worker may have served locally
        secure = flask_server.config.get("SESSION_COOKIE_SECURE")
        flask_server.config["SESSION_COOKIE_SECURE"] = True
        yield flask_server
        flask_server.config["SESSION_COOKIE_SECURE"] = secure
        data.configure()


def _token(client: Any, path: str = "/signin") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert found, path
    return found.group(1)


def _signed_in(server: Any, name: str) -> Any:
    client = server.test_client()
    response = client.post(
        "/signin",
        data={"username": name, "password": PASSWORDS[name], "csrf_token": _token(client)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-500:]
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if "iurc_session=" in c)
    assert "Expires=" in cookie and "HttpOnly" in cookie  # a signed-in session expires
    return client


def _quarantine(client: Any, token: str | None = None) -> Any:
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(
        DISPATCH,
        data=json.dumps(hostile._quarantine_body(client)),
        content_type="application/json",
        headers=headers,
    )


def test_public_sees_published_aggregates_only(server) -> None:
    public = server.test_client()
    assert public.get("/submit").status_code == 302  # to the sign-in page
    for path in ("/review", "/audit", "/audit.csv", "/review/1"):
        assert public.get(path).status_code == 403, path
    response = _quarantine(public)
    assert response.status_code == 200
    assert "activities_secret.csv" in response.get_data(as_text=True)
    assert "SECRET-RAW-TOKEN" not in response.get_data(as_text=True)
    page = public.get("/signin?lang=fr").get_data(as_text=True)
    assert "Se connecter" in page and "Mot de passe" in page
    cookies = server.test_client().get("/signin").headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("iurc_session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert "Secure" in session_cookie


def test_city_editors_see_their_own_cities_and_cannot_approve(server) -> None:
    ed, gu = _signed_in(server, "ed"), _signed_in(server, "gu")
    name = "activities_velletri_2025.csv"
    response = ed.post(
        "/submit?lang=es",
        data={"csrf_token": _token(ed, "/submit"), "file": ((FIXTURES / name).open("rb"), name)},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Filas aceptadas" in page and "end_date" in page  # the CLI's report, in Spanish
    assert "&lt;b&gt;Study visit" not in page or "<b>Study visit" not in page
    sub = submissions.all_submissions()[0]
    assert sub.status == "draft" and sub.report["rows_quarantined"] == 1
    assert sub.path.exists() and not sub.path.stat().st_mode & 0o222  # kept, read-only
    # another city's editor: the draft does not exist for them
    assert gu.get(f"/submit/{sub.id}").status_code == 404
    assert name not in gu.get("/submit").get_data(as_text=True)
    gu_token = _token(gu, "/submit")
    assert gu.post(f"/submit/{sub.id}/send", data={"csrf_token": gu_token}).status_code == 404
    # replays without the token, or with another session's token
    assert ed.post(f"/submit/{sub.id}/send").status_code == 403
    assert ed.post(f"/submit/{sub.id}/send", data={"csrf_token": gu_token}).status_code == 403
    assert submissions.get(sub.id).status == "draft"
    token = _token(ed, f"/submit/{sub.id}")
    assert ed.post(f"/submit/{sub.id}/send", data={"csrf_token": token}).status_code == 302
    # approving as a city editor
    decide = {"csrf_token": token, "decision": "approve"}
    assert ed.post(f"/review/{sub.id}/decide", data=decide).status_code == 403
    assert ed.get("/review").status_code == 403 and ed.get("/audit.csv").status_code == 403
    assert submissions.get(sub.id).status == "pending"
    # a signed-in editor's callbacks need the CSRF header, and still get no raw record
    assert _quarantine(ed).status_code == 403
    shown = _quarantine(ed, token).get_data(as_text=True)
    assert "activities_secret.csv" in shown and "SECRET-RAW-TOKEN" not in shown


def test_officer_reviews_rejects_and_exports_the_audit_log(server) -> None:
    off = _signed_in(server, "off")
    sub = submissions.all_submissions("pending")[0]
    page = off.get(f"/review/{sub.id}").get_data(as_text=True)
    assert "kpi-effect" in page and "Activities delivered" in page  # before and after
    token = _token(off, f"/review/{sub.id}")
    assert "SECRET-RAW-TOKEN" in _quarantine(off, token).get_data(as_text=True)
    assert off.post(f"/review/{sub.id}/decide", data={"decision": "reject"}).status_code == 403
    refused = off.post(f"/review/{sub.id}/decide", data={"csrf_token": token, "decision": "reject"})
    assert refused.status_code == 409  # a rejection needs its reason
    comment = '=HYPERLINK("http://x") dates wrong'
    response = off.post(
        f"/review/{sub.id}/decide",
        data={"csrf_token": token, "decision": "reject", "comment": comment},
    )
    assert response.status_code == 302
    done = submissions.get(sub.id)
    assert done.status == "rejected" and done.comment == comment and done.path.exists()
    csv = off.get("/audit.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv and done.sha256 in csv
    actions = set(audit.entries()["action"])
    assert {"sign_in", "upload", "submit", "rejected"} <= actions
    assert "=HYPERLINK" in off.get("/audit").get_data(as_text=True)  # shown as text


def test_tampered_forged_and_proxied_identities(server) -> None:
    off = _signed_in(server, "off")
    cookie = off.get_cookie("iurc_session")
    assert cookie is not None and off.get("/audit").status_code == 200
    body, _, signature = cookie.value.rpartition(".")
    flipped = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    for value in (
        body + "." + flipped,
        URLSafeTimedSerializer("guessed-key", salt="cookie-session").dumps(
            {"_user_id": "off", "_fresh": True}
        ),
    ):
        forged = server.test_client()
        forged.set_cookie("iurc_session", value)
        assert forged.get("/audit").status_code == 403
    header = {"X-Forwarded-User": "off"}
    assert server.test_client().get("/audit", headers=header).status_code == 403
    proxied = server.test_client()
    proxied.environ_base["REMOTE_ADDR"] = "10.0.0.5"
    assert proxied.get("/audit", headers=header).status_code == 200
    assert proxied.get("/audit", headers={"X-Forwarded-User": "gone"}).status_code == 403


def test_sign_in_is_throttled_and_disabled_accounts_stay_out(server) -> None:
    client = server.test_client()
    token = _token(client)
    for _ in range(3):
        wrong = {"username": "gu", "password": "wrong password", "csrf_token": token}
        assert client.post("/signin", data=wrong).status_code == 401
    right = {"username": "gu", "password": PASSWORDS["gu"], "csrf_token": token}
    assert client.post("/signin", data=right).status_code == 429
    gone = {"username": "gone", "password": "disabled-pass-1", "csrf_token": token}
    assert client.post("/signin", data=gone).status_code == 401
    assert client.post("/signin", data={**right, "csrf_token": ""}).status_code == 403


def test_user_commands_read_the_password_from_stdin_and_debug_needs_loopback(server) -> None:
    runner = CliRunner()
    added = runner.invoke(
        cli,
        ["user", "add", "cli-ed", "--role", "city_editor", "--city", "velletri-it"],
        input="a long password\n",
    )
    assert added.exit_code == 0, added.output
    assert users.authenticate("cli-ed", "a long password", "127.0.0.1") is not None
    assert runner.invoke(cli, ["user", "set-role", "cli-ed", "--role", "boss"]).exit_code == 2
    assert runner.invoke(cli, ["user", "disable", "cli-ed"]).exit_code == 0
    assert users.authenticate("cli-ed", "a long password", "127.0.0.1") is None
    listed = runner.invoke(cli, ["user", "list"])
    assert "cli-ed" in listed.output and "a long password" not in listed.output
    debug = runner.invoke(cli, ["serve", "--debug", "--host", "0.0.0.0"])
    assert debug.exit_code == 2 and "refused" in debug.output


def test_api_tables_follow_the_role_as_the_pages_do(server) -> None:
    """Public and city editors read the aggregate allow-list; an officer also the row-level marts
    (the quarantine with its raw record), in responses no shared cache may hand to another."""
    quarantine = "/api/v1/tables/mart.dq_quarantine"
    public = server.test_client()
    assert public.get(quarantine).status_code == 404
    assert quarantine.rsplit("/", 1)[1] not in public.get("/api/v1/tables").get_data(as_text=True)
    assert _signed_in(server, "ed").get(quarantine).status_code == 404
    officer = _signed_in(server, "off")
    listing = officer.get("/api/v1/tables").get_data(as_text=True)
    assert "mart.dq_quarantine" in listing
    response = officer.get(quarantine)
    assert response.status_code == 200
    assert "SECRET-RAW-TOKEN" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"].startswith("private")
    assert "Cookie" in response.headers["Vary"]
    assert response.headers["ETag"] != public.get("/api/v1/tables").headers["ETag"]
