"""The validator's reasons as stable templates, so that a display layer can translate them.

The warehouse keeps every reason in English, as the validator wrote it (`ops.quarantine.reasons`:
'; '-separated "column: rule (value)"; `first_rule`: the rule alone); the CLI prints the same text.
Each rule text the validator can write (pipelines/ingest/read.py, validate.py, schemas/fields.py)
matches exactly one template here: a stable id (the gettext msgid, `reason.*`) and its English text
with `{name}` placeholders for the parts that vary (bounds, column names, line numbers). A test
enumerates the validator's rules and fails on any rule without a template.

`match_rule(rule)` returns (id, values) for a rule text; `RULE_IN_REASONS` finds each rule inside a
stored reasons string. Nothing here translates: the catalogues do (`dashboard.i18n.t_reason`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache


def N_(key: str) -> str:  # noqa: N802 - the gettext convention for "mark for extraction only"
    """Return `key` unchanged; marks a msgid for `pybabel extract`."""
    return key


# id -> English template (the exact text the validator writes, placeholders in braces)
REASONS: dict[str, str] = {
    # types and presence (validate.REQUIRED_RULE, validate.TYPE_RULES)
    N_("reason.required"): "is required",
    N_("reason.whole_number"): "must be a whole number",
    N_("reason.number"): "must be a number",
    N_("reason.date"): "must be a date YYYY-MM-DD",
    N_("reason.boolean"): "must be true or false",
    # Pandera checks (validate.check_rule_text)
    N_("reason.ge"): "must be >= {min}",
    N_("reason.le"): "must be <= {max}",
    N_("reason.gt"): "must be > {min}",
    N_("reason.lt"): "must be < {max}",
    N_("reason.between"): "must be between {min} and {max}",
    N_("reason.one_of"): "must be one of {values}",
    N_("reason.match"): "must match {pattern}",
    N_("reason.length_range"): "must be {min} to {max} characters",
    N_("reason.length_max"): "must be at most {max} characters",
    N_("reason.length_min"): "must be at least {min} characters",
    # patterns (schemas.fields.PATTERN_RULES)
    N_("reason.slug"): "must be a lower-case slug (a-z, 0-9, words joined by - _ .)",
    N_("reason.code"): "must be a snake_case code (a-z, 0-9, _)",
    N_("reason.iso2"): "must be a 2-letter upper-case ISO 3166 country code",
    N_("reason.currency_code"): "must be a 3-letter upper-case ISO 4217 currency code",
    N_("reason.indicator_code"): "must be a KPI code such as K01",
    N_("reason.sdg_target_code"): "must be an SDG target code such as 11.2 or 11.a",
    N_("reason.url"): "must be an http(s) web address",
    # cross-field and cross-table rules (validate)
    N_("reason.not_before"): "must not be before {column}",
    N_("reason.not_before_stage"): "must not be before an earlier stage's date",
    N_("reason.future"): "must not be in the future",
    N_("reason.completed_future"): "a completed activity cannot end in the future",
    N_("reason.actual_future"): "an actual value cannot start in the future",
    N_("reason.exceeds_participants"): "must not exceed participants",
    N_("reason.one_organisation"): (
        "must be 1 or empty when organisation_id is given (the row is one organisation)"
    ),
    N_("reason.fx_mismatch"): "differs by more than 5 % from amount at the year's exchange rate",
    N_("reason.no_fx"): "empty and no exchange rate for the currency and year",
    N_("reason.not_in_goal"): "does not belong to goal",
    N_("reason.not_in_network"): "does not belong to network_id",
    N_("reason.own_city"): "is one of the output's own cities (take-up is by another city)",
    N_("reason.region_mismatch"): "does not match the country's region",
    N_("reason.stage_required"): "required by the status",
    N_("reason.stage_early"): "not allowed before the output reaches this stage",
    N_("reason.unknown_activity"): "unknown activity",
    N_("reason.unknown_activity_type"): "unknown activity type",
    N_("reason.unknown_city"): "unknown city",
    N_("reason.unknown_cooperation"): "unknown cooperation",
    N_("reason.unknown_cooperation_mode"): "unknown cooperation mode",
    N_("reason.unknown_country"): "unknown country",
    N_("reason.unknown_cross_cutting"): "unknown cross-cutting challenge",
    N_("reason.unknown_currency"): "unknown currency (not EUR nor in ref.fx_rate)",
    N_("reason.unknown_entity"): "unknown entity for entity_type",
    N_("reason.unknown_framework"): "unknown framework",
    N_("reason.unknown_funding_source"): "unknown funding source",
    N_("reason.unknown_indicator"): "unknown indicator",
    N_("reason.unknown_modality"): "unknown modality",
    N_("reason.unknown_network"): "unknown network",
    N_("reason.unknown_output"): "unknown output",
    N_("reason.unknown_output_status"): "unknown output status",
    N_("reason.unknown_output_type"): "unknown output type",
    N_("reason.unknown_scope"): "unknown scope for scope_type",
    N_("reason.unknown_sdg_goal"): "unknown SDG goal",
    N_("reason.unknown_sdg_target"): "unknown SDG target",
    N_("reason.unknown_stakeholder_type"): "unknown stakeholder type",
    N_("reason.unknown_subtheme"): "unknown subtheme",
    # set-level rules (validate) and reading (read)
    N_("reason.duplicate"): "duplicate key of line {line}",
    N_("reason.two_primary"): "more than one primary SDG for the entity",
    N_("reason.field_count"): "expected {expected} fields, found {found}",
    N_("reason.outside_header"): "value outside the header's columns",
    N_("reason.formula"): "formula not accepted (paste values)",
    N_("reason.not_object"): "not a JSON object",
    N_("reason.nested"): "nested value not allowed",
    # the demo's planted rows (pipelines/demo/bad.py) and the mart's default
    N_("reason.not_a_target"): "not a target of goal",
    N_("reason.unspecified"): "unspecified",
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> str:
    """Return a regex (no anchors) for `template`: literal text, each {name} a lazy group."""
    parts, last = [], 0
    for m in _PLACEHOLDER.finditer(template):
        parts += [re.escape(template[last : m.start()]), f"(?P<{m.group(1)}>.+?)"]
        last = m.end()
    parts.append(re.escape(template[last:]))
    return "".join(parts)


@cache
def _compiled() -> list[tuple[str, re.Pattern[str]]]:
    # fixed texts first, so that a template with placeholders never shadows an exact rule
    ordered = sorted(REASONS.items(), key=lambda kv: ("{" in kv[1], -len(kv[1])))
    return [(key, re.compile(_pattern(text) + r"\Z")) for key, text in ordered]


def match_rule(rule: str) -> tuple[str, dict[str, str]] | None:
    """Return (template id, placeholder values) of a rule text, or None when none matches."""
    for key, regex in _compiled():
        m = regex.match(rule)
        if m:
            return key, m.groupdict()
    return None


@cache
def _in_text() -> re.Pattern[str]:
    # "column: rule (" at the start or after "; " (the format of load.REASON_SQL): each template is
    # one alternative (named groups renamed apart), fixed texts and longer texts first
    alternatives = []
    for i, (_key, regex) in enumerate(_compiled()):
        body = regex.pattern.removesuffix(r"\Z").replace("(?P<", f"(?P<r{i}_")
        alternatives.append(f"(?P<r{i}>{body})")
    return re.compile(r"(?:^|(?<=; ))[^;:]+: (?:" + "|".join(alternatives) + r")(?= \()")


def rewrite_reasons(text: str, render: Callable[[str, dict[str, str]], str]) -> str:
    """Return stored reasons `text` with each known rule replaced by render(id, values).

    Columns, values and unknown rules are kept as they are.
    """
    keys = [key for key, _ in _compiled()]

    def swap(m: re.Match[str]) -> str:
        i = next(
            int(name[1:]) for name, v in m.groupdict().items() if v is not None and "_" not in name
        )
        prefix = f"r{i}_"
        values = {
            k.removeprefix(prefix): v for k, v in m.groupdict().items() if k.startswith(prefix)
        }
        start = m.start(f"r{i}") - m.start()
        return m.group(0)[:start] + render(keys[i], values)

    return _in_text().sub(swap, text)
