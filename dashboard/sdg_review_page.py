"""`/review/sdg`: the SDG review queue for programme officers (server-rendered forms).

Unreviewed automatic SDG suggestions, best score first, each with its text and the evidence
phrases marked (the text is cut into spans by `pipelines.tagging.evidence`; every span is
escaped by the template, never rendered as HTML). Each suggestion has accept, reject and "accept
with this target" buttons; a bulk form accepts every suggestion at or above a score. Plain forms
and buttons: every action works with Tab and Enter, and after a decision the page comes back at
the same place in the queue (the next suggestion).

A decision is recorded in the app database with who and when, and in the audit log
(`pipelines.app.sdg_review`); the warehouse changes only when `iurc review apply` (the one
writer) loads the pending decisions and publishes.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, redirect, request

from dashboard import access, auth, data, web_shell
from dashboard.i18n import N_, fmt_number, t
from pipelines.app import sdg_review
from pipelines.queries import sdg_review as queue_queries
from pipelines.tagging.calibrate import load_calibration
from pipelines.tagging.evidence import evidence_spans

PAGE = "/review/sdg"
PAGE_SIZE = 25

TEMPLATE_KEYS: tuple[str, ...] = (
    N_("sdgreview.title"),
    N_("sdgreview.intro"),
    N_("sdgreview.nav"),
    N_("sdgreview.entity"),
    N_("sdgreview.entity_all"),
    N_("sdgreview.entity.activity"),
    N_("sdgreview.entity.output"),
    N_("sdgreview.min_score"),
    N_("sdgreview.show"),
    N_("sdgreview.bulk_legend"),
    N_("sdgreview.threshold"),
    N_("sdgreview.bulk_accept"),
    N_("sdgreview.total"),
    N_("sdgreview.pending"),
    N_("sdgreview.empty"),
    N_("sdgreview.goal"),
    N_("sdgreview.score"),
    N_("sdgreview.target"),
    N_("sdgreview.no_target"),
    N_("sdgreview.evidence"),
    N_("sdgreview.accept"),
    N_("sdgreview.reject"),
    N_("sdgreview.change_target"),
    N_("sdgreview.retarget"),
    N_("sdgreview.pending_title"),
    N_("sdgreview.decision"),
    N_("sdgreview.decision.accept"),
    N_("sdgreview.decision.reject"),
    N_("sdgreview.decision.retarget"),
    N_("sdgreview.recorded"),
    N_("sdgreview.bad_request"),
    N_("sdgreview.keys"),
    N_("submit.by"),
    N_("submit.when"),
)

BODY = """
<p>{{ t('sdgreview.intro', lang) }}</p>
<p class="text-muted small">{{ t('sdgreview.keys', lang) }}</p>
<p class="queue-counts" role="status">{{ t('sdgreview.total', lang, n=num(total)) }}
{% if pending|length %} {{ t('sdgreview.pending', lang, n=num(pending|length)) }}{% endif %}</p>
<div class="d-flex flex-wrap gap-4 align-items-end mb-3">
<form method="get" action="/review/sdg" class="queue-filter d-flex flex-wrap gap-2 align-items-end">
<input type="hidden" name="lang" value="{{ lang }}">
<div><label class="form-label" for="entity">{{ t('sdgreview.entity', lang) }}</label>
<select class="form-select" id="entity" name="entity"><option value="">{{ t('sdgreview.entity_all', lang) }}</option>
{% for e in entity_types %}<option value="{{ e }}"{{ ' selected' if e == entity }}>{{ t('entity.' + e, lang) }}</option>{% endfor %}</select></div>
<div><label class="form-label" for="min_score">{{ t('sdgreview.min_score', lang) }}</label>
<input class="form-control" type="number" id="min_score" name="min_score" min="0" max="1" step="0.01" value="{{ min_score }}"></div>
<button class="btn btn-secondary" type="submit" id="show">{{ t('sdgreview.show', lang) }}</button>
</form>
<form method="post" action="/review/sdg/bulk" class="bulk-form d-flex flex-wrap gap-2 align-items-end">
<fieldset class="d-flex flex-wrap gap-2 align-items-end"><legend class="form-label h6">{{ t('sdgreview.bulk_legend', lang) }}</legend>
<input type="hidden" name="csrf_token" value="{{ token }}"><input type="hidden" name="lang" value="{{ lang }}">
<input type="hidden" name="entity" value="{{ entity }}">
<div><label class="form-label" for="threshold">{{ t('sdgreview.threshold', lang) }}</label>
<input class="form-control" type="number" id="threshold" name="threshold" min="0" max="1" step="0.01" value="{{ strong }}" required></div>
<button class="btn btn-success" type="submit" id="bulk-accept">{{ t('sdgreview.bulk_accept', lang) }}</button>
</fieldset></form>
</div>
{% if items %}
<ol class="sdg-queue list-unstyled">
{% for it in items %}
<li class="sdg-item card mb-3" id="item-{{ loop.index }}" tabindex="-1" aria-labelledby="item-{{ loop.index }}-h">
<div class="card-body">
<h2 class="h6 card-title" id="item-{{ loop.index }}-h"><span class="sdg-chip" style="border-left: 0.6rem solid {{ it.colour_hex or '#666' }}; padding-left: 0.4rem">{{ t('sdgreview.goal', lang) }} {{ it.goal }} · {{ it.goal_label }}</span>
— {{ t('sdgreview.entity.' + it.entity_type, lang) }} <code>{{ it.entity_id }}</code> · {{ t('sdgreview.score', lang) }} <span class="sdg-score">{{ num2(it.score) }}</span></h2>
<p class="sdg-text" lang="">{% for piece, hit in it.spans %}{% if hit %}<mark class="evidence">{{ piece }}</mark>{% else %}{{ piece }}{% endif %}{% endfor %}</p>
<p class="small text-muted mb-1 sdg-evidence">{{ t('filters.item', lang, label=t('sdgreview.evidence', lang), values=it.evidence or '–') }}</p>
<p class="small mb-2">{{ t('sdgreview.target', lang) }}: {% if it.target_id %}<strong>{{ it.target_id }}</strong> {{ it.target_label }}{% else %}{{ t('sdgreview.no_target', lang) }}{% endif %}</p>
<form method="post" action="/review/sdg/decide" class="decide-sdg d-flex flex-wrap gap-2 align-items-end">
<input type="hidden" name="csrf_token" value="{{ token }}"><input type="hidden" name="lang" value="{{ lang }}">
<input type="hidden" name="entity_type" value="{{ it.entity_type }}"><input type="hidden" name="entity_id" value="{{ it.entity_id }}">
<input type="hidden" name="goal" value="{{ it.goal }}"><input type="hidden" name="position" value="{{ loop.index }}">
<input type="hidden" name="entity" value="{{ entity }}"><input type="hidden" name="min_score" value="{{ min_score }}">
<button class="btn btn-success btn-sm accept" type="submit" name="decision" value="accept">{{ t('sdgreview.accept', lang) }}</button>
<button class="btn btn-outline-danger btn-sm reject" type="submit" name="decision" value="reject">{{ t('sdgreview.reject', lang) }}</button>
<span><label class="form-label small mb-0 d-block" for="target-{{ loop.index }}">{{ t('sdgreview.change_target', lang) }}</label>
<select class="form-select form-select-sm" id="target-{{ loop.index }}" name="target_id">
<option value="">{{ t('sdgreview.no_target', lang) }}</option>
{% for tid, tlabel in targets.get(it.goal, []) %}<option value="{{ tid }}"{{ ' selected' if tid == it.target_id }}>{{ tid }} · {{ tlabel|truncate(70) }}</option>{% endfor %}
</select></span>
<button class="btn btn-outline-secondary btn-sm retarget" type="submit" name="decision" value="retarget">{{ t('sdgreview.retarget', lang) }}</button>
</form>
</div></li>
{% endfor %}
</ol>
{% else %}<p class="queue-empty">{{ t('sdgreview.empty', lang) }}</p>{% endif %}
{% if pending|length %}
<table class="table table-sm pending-decisions"><caption>{{ t('sdgreview.pending_title', lang) }}</caption>
<thead><tr><th scope="col">{{ t('sdgreview.entity', lang) }}</th><th scope="col">{{ t('sdgreview.goal', lang) }}</th><th scope="col">{{ t('sdgreview.decision', lang) }}</th><th scope="col">{{ t('sdgreview.target', lang) }}</th><th scope="col">{{ t('submit.by', lang) }}</th><th scope="col">{{ t('submit.when', lang) }}</th></tr></thead>
<tbody>{% for d in pending %}<tr><td>{{ t('sdgreview.entity.' + d.entity_type, lang) }} <code>{{ d.entity_id }}</code></td><td>{{ d.goal }}</td><td>{{ t('sdgreview.decision.' + d.decision, lang) }}</td><td>{{ d.target_id or '–' }}</td><td>{{ d.decided_by }}</td><td>{{ d.decided_at }}</td></tr>{% endfor %}</tbody></table>
{% endif %}
"""


class BadInput(ValueError):
    """A request's parameter is not acceptable (answered 400 with a message)."""


def _refuse(status: int, key: str) -> Response:
    lang = web_shell.page_lang()
    html, code = web_shell.render(
        t("auth.refused_title", lang), "", lang, status=status, notices=[("danger", t(key, lang))]
    )
    return Response(html, status=code, mimetype="text/html")


def _guard() -> Response | None:
    """Return the refusal for a caller who may not review (None when they may)."""
    if access.can_review():
        return None
    if access.current_username() is None:
        lang = web_shell.page_lang()
        return redirect(web_shell.with_lang("/signin", lang, next=PAGE))  # type: ignore[return-value]
    return _refuse(403, "auth.forbidden")


def _entity(values: Any) -> str | None:
    entity = (values.get("entity") or "").strip()
    if entity and entity not in queue_queries.ENTITY_TYPES:
        raise BadInput(entity)
    return entity or None


def _score(values: Any, name: str, default: float) -> float:
    raw = (values.get(name) or "").strip()
    if not raw:
        return default
    try:
        score = float(raw)
    except ValueError:
        raise BadInput(name) from None
    if not 0.0 <= score <= 1.0:
        raise BadInput(name)
    return score


def _queue_url(
    lang: str, entity: str | None, min_score: float, done: int, position: int = 0
) -> str:
    url = web_shell.with_lang(
        PAGE, lang, entity=entity, min_score=min_score or None, done=str(done)
    )
    return url + (f"#item-{position}" if position else "")


def queue_page() -> Any:
    """GET: the queue (programme officers and admins), filtered by entity and minimum score."""
    refused = _guard()
    if refused is not None:
        return refused
    lang = web_shell.page_lang()
    try:
        entity = _entity(request.args)
        min_score = _score(request.args, "min_score", 0.0)
    except BadInput:
        return _refuse(400, "sdgreview.bad_request")
    pending = sdg_review.pending()
    waiting = sdg_review.pending_keys()
    frame = data.sdg_review_queue(
        entity_type=entity, min_score=min_score, limit=PAGE_SIZE + len(waiting), lang=lang
    )
    plain = frame.astype(object).where(frame.notna(), None)  # no NaN shown as text
    items = [
        {**row, "spans": evidence_spans(row["text"], row["evidence"])}
        for row in plain.to_dict("records")
        if (row["entity_type"], row["entity_id"], int(row["goal"])) not in waiting
    ][:PAGE_SIZE]
    targets: dict[int, list[tuple[str, str]]] = {}
    for goal, tid, label in data.sdg_goal_targets(lang=lang).itertuples(index=False):
        targets.setdefault(int(goal), []).append((str(tid), str(label)))
    done = request.args.get("done", "")
    notices = [("success", t("sdgreview.recorded", lang, n=int(done)))] if done.isdigit() else []
    return web_shell.render(
        t("sdgreview.title", lang),
        BODY,
        lang,
        notices=notices,
        items=items,
        total=frame.attrs.get("total", 0),
        pending=pending.to_dict("records"),
        targets=targets,
        entity=entity or "",
        entity_types=queue_queries.ENTITY_TYPES,
        min_score=min_score or "",
        strong=load_calibration().strong,
        token=auth.csrf_token(),
        num=lambda v: fmt_number(v, lang, 0),
        num2=lambda v: fmt_number(v, lang, 2),
    )


def decide() -> Any:
    """POST: record one decision (accept, reject, retarget) on one suggestion; back to the queue."""
    refused = _guard()
    if refused is not None:
        return refused
    lang = web_shell.page_lang()
    form = request.form
    try:
        entity = _entity(form)
        min_score = _score(form, "min_score", 0.0)
        key = (form.get("entity_type") or "", form.get("entity_id") or "", int(form["goal"]))
        position = int(form.get("position") or 0)
        sdg_review.record(
            [key],
            form.get("decision") or "",
            access.current_username() or "?",
            target_id=(form.get("target_id") or "").strip() or None,
        )
    except (BadInput, KeyError, ValueError):  # ReviewError is a ValueError
        return _refuse(400, "sdgreview.bad_request")
    return redirect(_queue_url(lang, entity, min_score, 1, max(position, 0)))


def bulk_accept() -> Any:
    """POST: accept every unreviewed suggestion scoring at least the threshold (of the entity)."""
    refused = _guard()
    if refused is not None:
        return refused
    lang = web_shell.page_lang()
    try:
        entity = _entity(request.form)
        threshold = _score(request.form, "threshold", -1.0)
        if threshold < 0:
            raise BadInput("threshold")
    except BadInput:
        return _refuse(400, "sdgreview.bad_request")
    waiting = sdg_review.pending_keys()
    frame = data.sdg_review_queue(
        entity_type=entity,
        min_score=threshold,
        limit=queue_queries.MAX_ITEMS,
        lang=lang,
    )
    keys = [
        (str(e), str(i), int(g))
        for e, i, g in zip(frame["entity_type"], frame["entity_id"], frame["goal"], strict=True)
        if (e, i, int(g)) not in waiting
    ]
    done = sdg_review.record(keys, "accept", access.current_username() or "?")
    return redirect(_queue_url(lang, entity, 0.0, done))


def init_pages(server: Flask) -> None:
    """Register the SDG review queue routes on `server`."""
    server.add_url_rule(PAGE, "sdg_review", queue_page)
    server.add_url_rule(PAGE + "/decide", "sdg_review_decide", decide, methods=["POST"])
    server.add_url_rule(PAGE + "/bulk", "sdg_review_bulk", bulk_accept, methods=["POST"])
