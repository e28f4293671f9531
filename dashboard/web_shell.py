"""The frame of the server-rendered pages (sign-in, submit, review, audit): header, nav, language.

These pages are plain HTML forms (they work without JavaScript and carry their CSRF token in a
hidden field). Templates are Jinja with autoescaping on, so every value from a user or a file is
shown as text, never as HTML. The styles are the app's own, served from dashboard/assets/.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import render_template_string, request
from markupsafe import Markup

from dashboard import access
from dashboard.i18n import LANG_NAMES, LANGS, normalise_lang, t
from dashboard.static_assets import asset_url

SHELL = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · {{ t('app.name', lang) }}</title>
<link rel="stylesheet" href="{{ asset_url('00-bootstrap-5.3.9.min.css') }}">
<link rel="stylesheet" href="{{ asset_url('10-iurc.css') }}">
</head>
<body>
<div class="app-page">
<a class="skip-link" href="#main">{{ t('app.skip', lang) }}</a>
<header class="app-header"><div class="app-header-top">
<div class="app-brand"><p class="app-name">{{ t('app.name', lang) }}</p>
<p class="app-tagline">{{ t('app.tagline', lang) }}</p></div>
<nav class="lang-switcher" aria-label="{{ t('app.lang_label', lang) }}"><ul class="lang-list">
{% for code, name, href in langs %}<li class="lang-item"><a class="lang-link{{ ' active' if code == lang }}" lang="{{ code }}" href="{{ href }}">{{ name }}</a></li>{% endfor %}
</ul></nav></div>
<nav class="app-nav" aria-label="{{ t('app.nav_label', lang) }}"><ul class="nav nav-pills flex-wrap">
{% for href, label in nav %}<li class="nav-item"><a class="nav-link{{ ' active' if href.split('?')[0] == path }}" href="{{ href }}">{{ label }}</a></li>{% endfor %}
</ul></nav></header>
<main id="main" class="app-main" tabindex="-1">
<div class="page-heading"><h1>{{ title }}</h1></div>
{% for kind, message in notices %}<p class="alert alert-{{ kind }}" role="{{ 'alert' if kind == 'danger' else 'status' }}">{{ message }}</p>{% endfor %}
{{ body }}
</main>
<footer class="app-footer"><p>{{ t('app.footer', lang) }}</p></footer>
</div>
</body>
</html>"""


def page_lang() -> str:
    """Return the language of the current request (?lang=, else the form's lang field)."""
    return normalise_lang(request.args.get("lang") or request.form.get("lang"))


def with_lang(path: str, lang: str, **query: Any) -> str:
    """Return `path` with ?lang= (and any other query values) appended."""
    return path + "?" + urlencode({"lang": lang, **{k: v for k, v in query.items() if v}})


def nav_links(lang: str) -> list[tuple[str, str]]:
    """Return the (href, label) links of the account area the caller may use."""
    links = [(with_lang("/", lang), t("auth.nav_dashboard", lang))]
    if access.can_submit():
        links.append((with_lang("/submit", lang), t("auth.nav_submit", lang)))
    if access.can_review():
        links.append((with_lang("/review", lang), t("auth.nav_review", lang)))
        links.append((with_lang("/review/sdg", lang), t("sdgreview.nav", lang)))
        links.append((with_lang("/audit", lang), t("auth.nav_audit", lang)))
    if access.current_username() is None:
        links.append((with_lang("/signin", lang), t("auth.sign_in", lang)))
    else:
        links.append((with_lang("/signout", lang), t("auth.sign_out", lang)))
    return links


def render(
    title: str,
    body_template: str,
    lang: str,
    *,
    status: int = 200,
    notices: list[tuple[str, str]] | None = None,
    **values: Any,
) -> tuple[str, int]:
    """Return (HTML, status) of a page: `body_template` (Jinja, autoescaped) inside the shell."""
    body = render_template_string(body_template, t=t, lang=lang, **values)
    langs = [(code, LANG_NAMES[code], with_lang(request.path, code)) for code in LANGS]
    html = render_template_string(
        SHELL,
        t=t,
        asset_url=asset_url,
        lang=lang,
        title=title,
        body=Markup(body),  # noqa: S704 - rendered by the autoescaping template above
        langs=langs,
        nav=nav_links(lang),
        path=request.path,
        notices=notices or [],
    )
    return html, status
