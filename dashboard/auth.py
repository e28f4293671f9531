"""Sign-in and sessions on the Dash Flask server: Flask-Login, CSRF, cookies, throttling.

* Accounts live in the app database (`pipelines.app.users`), passwords as scrypt hashes. The
  user is reloaded from it on every request, so a disabled account or a changed role counts
  at once. An identity header (IURC_IDENTITY_HEADER) is believed only from the one address
  IURC_TRUSTED_PROXY names (an SSO reverse proxy such as oauth2-proxy in front of EU Login),
  and only for an existing, enabled account.
* The session is Flask's signed cookie (a tampered cookie is simply not a session): HttpOnly,
  SameSite=Lax, Secure unless IURC_COOKIE_SECURE=0 (http://127.0.0.1 development), and it
  expires after IURC_SESSION_HOURS. The signing key is IURC_SECRET_KEY, else a random key
  generated once into a 0600 file beside the app database.
* CSRF: every state-changing request (any POST, PUT, PATCH, DELETE) must carry the session's
  token, as the form field `csrf_token` or the header `X-CSRFToken`. Dash callbacks POST to
  /_dash-update-component; the Dash renderer sends the `_csrf_token` cookie (set here,
  SameSite=Strict) back as the `X-CSRFToken` header, which a page of another origin cannot
  send, so a signed-in user's callbacks are checked the same way. Anonymous callbacks only read
  published aggregates and carry no authority to forge.
* Sign-in attempts are throttled per account and per address (`users.throttled`).
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
import secrets
from typing import Any

from flask import Flask, Response, redirect, request, session
from flask_login import LoginManager, login_user, logout_user

from dashboard import access, web_shell
from dashboard.i18n import N_, t
from pipelines import config
from pipelines.app import audit, store, users

CSRF_COOKIE = "_csrf_token"
CSRF_HEADER = "X-CSRFToken"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SessionUser:
    """The Flask-Login view of an account."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, user: users.User) -> None:
        self.username = user.username
        self.role = user.role
        self.cities = user.cities

    def get_id(self) -> str:
        """Return the session id of the user: the user name."""
        return self.username


def secret_key() -> str:
    """Return the session-signing key: $IURC_SECRET_KEY, else the generated key file's content."""
    env = os.environ.get("IURC_SECRET_KEY")
    if env:
        return env
    path = config.secret_key_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written whole under a private name, then linked in: a process starting at the same
        # moment sees either no file or the full key, never an empty one (an empty key leaves
        # Flask without sessions). os.link fails if another process linked its key first.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise RuntimeError(f"the session-signing key file {path} is empty; delete it to regenerate")
    return key


def csrf_token() -> str:
    """Return the session's CSRF token, creating it when the session has none."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def _load(username: str) -> SessionUser | None:
    found = users.get(username)
    return SessionUser(found) if found is not None and not found.disabled else None


def _from_proxy(req: Any) -> SessionUser | None:
    proxy, header = config.trusted_proxy()
    if proxy is None or req.remote_addr != proxy:
        return None
    name = req.headers.get(header, "").strip()
    return _load(name) if name else None


def _csrf_ok() -> bool:
    expected = session.get("csrf")
    given = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
    return isinstance(expected, str) and hmac.compare_digest(expected, given)


def init_auth(server: Flask, dispatch_path: str, *, secure: bool | None = None) -> None:
    """Configure sessions, Flask-Login, the CSRF check and the sign-in routes on `server`."""
    server.secret_key = secret_key()
    server.config.update(
        SESSION_COOKIE_NAME="iurc_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.cookie_secure() if secure is None else secure,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=config.session_hours()),
    )
    manager = LoginManager()
    manager.session_protection = "basic"
    manager.init_app(server)
    manager.user_loader(_load)
    manager.request_loader(_from_proxy)

    @server.before_request
    def check_csrf() -> Response | None:
        if request.method in SAFE_METHODS:
            return None
        if request.path == dispatch_path and access.current_username() is None:
            return None  # anonymous callbacks read published aggregates only
        if not _csrf_ok():
            return Response(
                "refused: missing or wrong CSRF token\n", status=403, mimetype="text/plain"
            )
        return None

    @server.after_request
    def csrf_cookie(response: Response) -> Response:
        token = session.get("csrf")
        if isinstance(token, str) and request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(
                CSRF_COOKIE,
                token,
                secure=server.config["SESSION_COOKIE_SECURE"],
                httponly=False,  # the Dash renderer reads it to send it back as a header
                samesite="Strict",
                max_age=int(config.session_hours() * 3600),
            )
        return response

    server.add_url_rule("/signin", "signin", signin, methods=["GET", "POST"])
    server.add_url_rule("/signout", "signout", signout, methods=["GET", "POST"])


# keys used inside the page templates (pybabel reads only Python calls)
TEMPLATE_KEYS: tuple[str, ...] = (
    N_("auth.account_label"),
    N_("auth.nav_dashboard"),
    N_("auth.nav_submit"),
    N_("auth.nav_review"),
    N_("auth.nav_audit"),
    N_("auth.sign_in"),
    N_("auth.sign_out"),
    N_("auth.username"),
    N_("auth.password"),
    N_("auth.signed_in_as"),
    N_("auth.throttled"),
    N_("auth.failed"),
    N_("auth.refused_title"),
    N_("auth.forbidden"),
)

SIGNIN_BODY = """
<form method="post" action="/signin" class="signin-form" style="max-width: 28rem">
<input type="hidden" name="csrf_token" value="{{ token }}">
<input type="hidden" name="lang" value="{{ lang }}">
<input type="hidden" name="next" value="{{ next }}">
<div class="mb-3"><label class="form-label" for="username">{{ t('auth.username', lang) }}</label>
<input class="form-control" id="username" name="username" autocomplete="username" required value="{{ username }}"></div>
<div class="mb-3"><label class="form-label" for="password">{{ t('auth.password', lang) }}</label>
<input class="form-control" id="password" name="password" type="password" autocomplete="current-password" required></div>
<button class="btn btn-primary" type="submit">{{ t('auth.sign_in', lang) }}</button>
</form>
"""

SIGNOUT_BODY = """
<p>{{ t('auth.signed_in_as', lang, user=user) }}</p>
<form method="post" action="/signout">
<input type="hidden" name="csrf_token" value="{{ token }}">
<input type="hidden" name="lang" value="{{ lang }}">
<button class="btn btn-secondary" type="submit">{{ t('auth.sign_out', lang) }}</button>
</form>
"""


def _safe_next(value: str | None) -> str:
    """Return a local path to go to after sign-in (never another site)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def signin() -> Any:
    """The sign-in page (GET) and the sign-in itself (POST; throttled, CSRF-checked)."""
    lang = web_shell.page_lang()
    nxt = _safe_next(request.values.get("next"))
    username = (request.form.get("username") or "").strip()[:120]
    notices: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        address = request.remote_addr or "?"
        if users.throttled(username, address):
            notices.append(("danger", t("auth.throttled", lang)))
            status = 429
        else:
            found = users.authenticate(username, request.form.get("password") or "", address)
            if found is not None:
                session.clear()  # a new session: no fixation
                session.permanent = True
                login_user(SessionUser(found))
                csrf_token()
                with store.connect() as con:
                    audit.record(con, found.username, "sign_in")
                return redirect(web_shell.with_lang(nxt, lang) if nxt != "/" else f"/?lang={lang}")
            notices.append(("danger", t("auth.failed", lang)))
            status = 401
    return web_shell.render(
        t("auth.sign_in", lang),
        SIGNIN_BODY,
        lang,
        status=status,
        notices=notices,
        token=csrf_token(),
        next=nxt,
        username=username,
    )


def signout() -> Any:
    """The sign-out confirmation (GET) and the sign-out itself (POST, CSRF-checked)."""
    lang = web_shell.page_lang()
    user = access.current_username()
    if request.method == "POST":
        if user is not None:
            with store.connect() as con:
                audit.record(con, user, "sign_out")
        logout_user()
        session.clear()
        return redirect(f"/?lang={lang}")
    if user is None:
        return redirect(web_shell.with_lang("/signin", lang))
    return web_shell.render(
        t("auth.sign_out", lang), SIGNOUT_BODY, lang, user=user, token=csrf_token()
    )
