"""Submission, review and audit pages (server-rendered forms; ARCHITECTURE.md §8).

/submit      upload a CSV/XLSX/JSON file (size-limited by MAX_CONTENT_LENGTH), see the CLI's
             validation report in the page's language, fix and upload again, send for review.
/review      programme officers: pending submissions; /review/<id> shows the KPI scorecard
             before and after (metric layer) and approves or rejects with a comment.
/audit       programme officers: the audit log; /audit.csv exports it (formulas neutralised).

Every decision is made by `dashboard.access`; every change goes through
`pipelines.app.submissions` (which never writes the published warehouse from a request, except
an approval through the one serialised writer). Refusals are 403/404 with a short message.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, abort, redirect, request

from dashboard import access, auth, data, web_shell
from dashboard.components import to_csv_bytes
from dashboard.i18n import N_, fmt_number, t, t_reason, t_unit
from pipelines import config
from pipelines.app import audit, submissions

# keys used inside the page templates (pybabel reads only Python calls)
TEMPLATE_KEYS: tuple[str, ...] = (
    N_("submit.report"),
    N_("submit.status"),
    N_("submit.status_draft"),
    N_("submit.status_pending"),
    N_("submit.status_approved"),
    N_("submit.status_rejected"),
    N_("submit.entity"),
    N_("submit.rows_read"),
    N_("submit.rows_accepted"),
    N_("submit.rows_quarantined"),
    N_("submit.file_rejected"),
    N_("submit.problems"),
    N_("submit.column"),
    N_("submit.reason"),
    N_("submit.value"),
    N_("submit.comment"),
    N_("submit.send"),
    N_("submit.intro"),
    N_("submit.file"),
    N_("submit.entity_from_name"),
    N_("submit.upload"),
    N_("submit.mine"),
    N_("submit.by"),
    N_("submit.when"),
    N_("submit.none"),
    N_("submit.title"),
    N_("submit.no_file"),
    N_("submit.bad_type"),
    N_("submit.not_draft"),
    N_("review.none"),
    N_("review.effect"),
    N_("review.before"),
    N_("review.after"),
    N_("review.unit"),
    N_("review.approve"),
    N_("review.reject"),
    N_("review.title"),
    N_("review.bad_decision"),
    N_("review.not_done"),
    N_("review.no_space"),
    N_("audit.export"),
    N_("audit.title"),
)

REPORT_BODY = """
{% if sub %}
<section class="submission-report mt-4" aria-labelledby="report-h">
<h2 id="report-h" class="h4">{{ t('filters.item', lang, label=t('submit.report', lang), values=sub.file_name) }}</h2>
<dl class="report-counts">
<dt>{{ t('submit.status', lang) }}</dt><dd class="sub-status">{{ t('submit.status_' + sub.status, lang) }}</dd>
<dt>{{ t('submit.entity', lang) }}</dt><dd>{{ sub.entity or '–' }}</dd>
<dt>{{ t('submit.rows_read', lang) }}</dt><dd>{{ num(sub.report.rows_read) }}</dd>
<dt>{{ t('submit.rows_accepted', lang) }}</dt><dd class="rows-accepted">{{ num(sub.report.rows_loaded) }}</dd>
<dt>{{ t('submit.rows_quarantined', lang) }}</dt><dd class="rows-quarantined">{{ num(sub.report.rows_quarantined) }}</dd>
<dt>sha256</dt><dd><code>{{ sub.sha256 }}</code></dd>
</dl>
{% if sub.exit_code == 2 %}<p class="alert alert-danger" role="alert">{{ t('submit.file_rejected', lang) }}</p>{% endif %}
{% if sub.report.problems %}
<table class="table table-sm table-striped problems"><caption>{{ t('submit.problems', lang) }}</caption>
<thead><tr><th scope="col">{{ t('dq.line', lang) }}</th><th scope="col">{{ t('submit.column', lang) }}</th><th scope="col">{{ t('submit.reason', lang) }}</th><th scope="col">{{ t('submit.value', lang) }}</th></tr></thead>
<tbody>{% for p in sub.report.problems %}<tr><td>{{ p.line if p.line is not none else '–' }}</td><td>{{ p.column or '–' }}</td><td>{{ reason(p.rule) }}</td><td>{{ p.value if p.value is not none else '' }}</td></tr>{% endfor %}</tbody>
</table>{% endif %}
{% if sub.comment %}<p class="decision-comment">{{ t('filters.item', lang, label=t('submit.comment', lang), values=sub.comment) }}</p>{% endif %}
{% if sub.status == 'draft' and sub.exit_code is not none and sub.exit_code < 2 and mine %}
<form method="post" action="/submit/{{ sub.id }}/send">
<input type="hidden" name="csrf_token" value="{{ token }}"><input type="hidden" name="lang" value="{{ lang }}">
<button class="btn btn-primary" type="submit" id="send-for-review">{{ t('submit.send', lang) }}</button>
</form>{% endif %}
</section>
{% endif %}
"""

SUBMIT_BODY = (
    """
<p>{{ t('submit.intro', lang, mb=max_mb) }}</p>
<form method="post" action="/submit" enctype="multipart/form-data" class="upload-form">
<input type="hidden" name="csrf_token" value="{{ token }}"><input type="hidden" name="lang" value="{{ lang }}">
<div class="mb-3"><label class="form-label" for="file">{{ t('submit.file', lang) }}</label>
<input class="form-control" type="file" id="file" name="file" accept=".csv,.xlsx,.json" required></div>
<div class="mb-3"><label class="form-label" for="entity">{{ t('submit.entity', lang) }}</label>
<select class="form-select" id="entity" name="entity"><option value="">{{ t('submit.entity_from_name', lang) }}</option>
{% for e in entities %}<option value="{{ e }}">{{ e }}</option>{% endfor %}</select></div>
<button class="btn btn-primary" type="submit" id="upload">{{ t('submit.upload', lang) }}</button>
</form>
"""
    + REPORT_BODY
    + """
<h2 class="h4 mt-4">{{ t('submit.mine', lang) }}</h2>
{% if listed %}<table class="table table-sm submissions"><thead><tr><th scope="col">#</th><th scope="col">{{ t('submit.file', lang) }}</th><th scope="col">{{ t('submit.by', lang) }}</th><th scope="col">{{ t('submit.status', lang) }}</th><th scope="col">{{ t('submit.when', lang) }}</th></tr></thead>
<tbody>{% for s in listed %}<tr><td><a href="/submit/{{ s.id }}?lang={{ lang }}">{{ s.id }}</a></td><td>{{ s.file_name }}</td><td>{{ s.submitted_by }}</td><td>{{ t('submit.status_' + s.status, lang) }}</td><td>{{ s.created_at }}</td></tr>{% endfor %}</tbody></table>
{% else %}<p>{{ t('submit.none', lang) }}</p>{% endif %}
"""
)

REVIEW_LIST_BODY = """
{% if listed %}<table class="table table-sm submissions"><thead><tr><th scope="col">#</th><th scope="col">{{ t('submit.file', lang) }}</th><th scope="col">{{ t('submit.by', lang) }}</th><th scope="col">{{ t('submit.rows_accepted', lang) }}</th><th scope="col">{{ t('submit.rows_quarantined', lang) }}</th></tr></thead>
<tbody>{% for s in listed %}<tr><td><a href="/review/{{ s.id }}?lang={{ lang }}">{{ s.id }}</a></td><td>{{ s.file_name }}</td><td>{{ s.submitted_by }}</td><td>{{ num(s.report.rows_loaded) }}</td><td>{{ num(s.report.rows_quarantined) }}</td></tr>{% endfor %}</tbody></table>
{% else %}<p>{{ t('review.none', lang) }}</p>{% endif %}
"""

REVIEW_BODY = (
    REPORT_BODY
    + """
{% if effect is not none %}
<table class="table table-sm kpi-effect"><caption>{{ t('review.effect', lang) }}</caption>
<thead><tr><th scope="col">KPI</th><th scope="col">{{ t('review.before', lang) }}</th><th scope="col">{{ t('review.after', lang) }}</th><th scope="col">{{ t('review.unit', lang) }}</th></tr></thead>
<tbody>{% for r in effect %}<tr{% if num(r.value_before) != num(r.value_after) %} class="changed fw-bold"{% endif %}><td>{{ r.label }}</td><td>{{ num(r.value_before) }}</td><td>{{ num(r.value_after) }}</td><td>{{ unit(r.unit) }}</td></tr>{% endfor %}</tbody></table>
{% endif %}
{% if sub.status == 'pending' %}
<form method="post" action="/review/{{ sub.id }}/decide" class="decide-form">
<input type="hidden" name="csrf_token" value="{{ token }}"><input type="hidden" name="lang" value="{{ lang }}">
<div class="mb-3"><label class="form-label" for="comment">{{ t('submit.comment', lang) }}</label>
<textarea class="form-control" id="comment" name="comment" maxlength="2000"></textarea></div>
<button class="btn btn-success" type="submit" name="decision" value="approve" id="approve">{{ t('review.approve', lang) }}</button>
<button class="btn btn-danger" type="submit" name="decision" value="reject" id="reject">{{ t('review.reject', lang) }}</button>
</form>{% endif %}
"""
)

AUDIT_BODY = """
<p><a class="btn btn-secondary" href="/audit.csv" download>{{ t('audit.export', lang) }}</a></p>
<table class="table table-sm table-striped audit-log"><thead><tr>{% for c in columns %}<th scope="col">{{ c }}</th>{% endfor %}</tr></thead>
<tbody>{% for r in rows %}<tr>{% for c in columns %}<td>{{ r[c] if r[c] is not none else '' }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
"""


def _refuse(status: int, key: str) -> Response:
    lang = web_shell.page_lang()
    html, code = web_shell.render(
        t("auth.refused_title", lang), "", lang, status=status, notices=[("danger", t(key, lang))]
    )
    return Response(html, status=code, mimetype="text/html")


def _values(lang: str) -> dict[str, Any]:
    return {
        "num": lambda v: fmt_number(v, lang, 2 if isinstance(v, float) and v % 1 else 0),
        "reason": lambda rule: t_reason(rule, lang),
        "unit": lambda u: t_unit(u, lang) if isinstance(u, str) else "",
        "token": auth.csrf_token(),
    }


def _visible(sub: submissions.Submission) -> bool:
    return access.can_see_submission(sub.submitted_by, sub.cities)


def _find(submission_id: int) -> submissions.Submission:
    try:
        sub = submissions.get(submission_id)
    except submissions.SubmissionError:
        abort(404)
    if not _visible(sub):
        abort(404)  # another city's draft does not exist for this caller
    return sub


def submit_page(submission_id: int | None = None) -> Any:
    """GET: the upload form, one submission's report, the caller's submissions; POST: upload."""
    if not access.can_submit():
        if access.current_username() is None:
            return redirect(web_shell.with_lang("/signin", web_shell.page_lang(), next="/submit"))
        return _refuse(403, "auth.forbidden")
    lang = web_shell.page_lang()
    notices: list[tuple[str, str]] = []
    sub = _find(submission_id) if submission_id is not None else None
    status = 200
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            notices.append(("danger", t("submit.no_file", lang)))
            status = 400
        else:
            try:
                sub = submissions.upload(
                    upload.read(),
                    upload.filename,
                    access.current_username() or "?",
                    access.allowed_cities() or (),
                    entity=(request.form.get("entity") or "").strip() or None,
                )
            except submissions.SubmissionError:
                notices.append(("danger", t("submit.bad_type", lang)))
                status = 400
    listed = [s for s in submissions.all_submissions() if _visible(s)][:200]
    return web_shell.render(
        t("submit.title", lang),
        SUBMIT_BODY,
        lang,
        status=status,
        notices=notices,
        sub=sub,
        mine=sub is not None and sub.submitted_by == access.current_username(),
        listed=listed,
        entities=sorted(_entities()),
        max_mb=round(config.max_upload_bytes() / 1024 / 1024),
        **_values(lang),
    )


def _entities() -> list[str]:
    from schemas import ENTITIES

    return list(ENTITIES)


def send(submission_id: int) -> Any:
    """POST: send the caller's own draft for review."""
    lang = web_shell.page_lang()
    if not access.can_submit():
        return _refuse(403, "auth.forbidden")
    sub = _find(submission_id)
    if sub.submitted_by != access.current_username():
        return _refuse(403, "auth.forbidden")
    try:
        submissions.submit(sub.id, sub.submitted_by)
    except submissions.SubmissionError:
        return _refuse(409, "submit.not_draft")
    return redirect(web_shell.with_lang(f"/submit/{sub.id}", lang))


def review_list() -> Any:
    """GET: pending submissions (programme officers)."""
    if not access.can_review():
        return _refuse(403, "auth.forbidden")
    lang = web_shell.page_lang()
    return web_shell.render(
        t("review.title", lang),
        REVIEW_LIST_BODY,
        lang,
        listed=submissions.all_submissions("pending"),
        **_values(lang),
    )


def review_page(submission_id: int) -> Any:
    """GET: one submission with its report and the KPI scorecard before and after."""
    if not access.can_review():
        return _refuse(403, "auth.forbidden")
    lang = web_shell.page_lang()
    sub = _find(submission_id)
    effect = None
    if sub.status == "pending":
        effect = data.submission_effect(sub.id, sub.sha256, lang=lang).to_dict("records")
    return web_shell.render(
        t("review.title", lang),
        REVIEW_BODY,
        lang,
        sub=sub,
        mine=False,
        effect=effect,
        **_values(lang),
    )


def decide(submission_id: int) -> Any:
    """POST: approve (publish through the one writer) or reject a pending submission."""
    if not access.can_review():
        return _refuse(403, "auth.forbidden")
    lang = web_shell.page_lang()
    sub = _find(submission_id)
    user = access.current_username() or "?"
    comment = (request.form.get("comment") or "")[:2000]
    decision = request.form.get("decision")
    try:
        if decision == "approve":
            submissions.approve(sub.id, user, comment)
        elif decision == "reject":
            submissions.reject(sub.id, user, comment)
        else:
            return _refuse(400, "review.bad_decision")
    except submissions.SubmissionError:
        return _refuse(409, "review.not_done")
    except OSError:
        return _refuse(507, "review.no_space")
    return redirect(web_shell.with_lang(f"/review/{sub.id}", lang))


def audit_page() -> Any:
    """GET: the audit log, newest first (programme officers)."""
    if not access.can_review():
        return _refuse(403, "auth.forbidden")
    lang = web_shell.page_lang()
    rows = audit.entries(500)
    return web_shell.render(
        t("audit.title", lang),
        AUDIT_BODY,
        lang,
        columns=list(audit.COLUMNS),
        rows=rows.to_dict("records"),
    )


def audit_csv() -> Any:
    """GET: the whole audit log as CSV, formula-neutralised (programme officers)."""
    if not access.can_review():
        return _refuse(403, "auth.forbidden")
    return Response(
        to_csv_bytes(audit.entries(1_000_000)),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=iurc-audit.csv"},
    )


def init_pages(server: Flask) -> None:
    """Register the submission, review and audit routes on `server`."""
    server.add_url_rule("/submit", "submit", submit_page, methods=["GET", "POST"])
    server.add_url_rule("/submit/<int:submission_id>", "submission", submit_page)
    server.add_url_rule("/submit/<int:submission_id>/send", "send", send, methods=["POST"])
    server.add_url_rule("/review", "review", review_list)
    server.add_url_rule("/review/<int:submission_id>", "review_one", review_page)
    server.add_url_rule("/review/<int:submission_id>/decide", "decide", decide, methods=["POST"])
    server.add_url_rule("/audit", "audit", audit_page)
    server.add_url_rule("/audit.csv", "audit_csv", audit_csv)
