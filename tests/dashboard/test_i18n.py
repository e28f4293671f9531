"""Translations (gettext catalogues managed with Babel) and CLDR number/date formats."""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.util import pathmatch

from dashboard import i18n
from dashboard.i18n import (
    LANGS,
    STRINGS,
    fmt_date,
    fmt_eur,
    fmt_number,
    fmt_percent,
    plural_forms,
    t,
)
from pipelines import config
from pipelines.ingest import reasons, validate
from schemas import ENTITIES
from schemas.fields import PATTERN_RULES

ROOT = config.ROOT
DASHBOARD = Path(i18n.__file__).resolve().parent
LOCALE = config.LOCALE_DIR
KEYWORDS = {"t": None, "N_": None}  # as `make i18n` extracts them


def _po(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def _pot_ids() -> set[str]:
    with (LOCALE / "messages.pot").open("rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


def _extracted_ids() -> set[str]:
    """Return the msgids `pybabel extract -F babel.cfg -k t -k N_` finds in the code."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, _ = parse_mapping_cfg(fh)
    found = set()
    for path in sorted([*ROOT.glob("dashboard/**/*.py"), *ROOT.glob("pipelines/**/*.py")]):
        rel = path.relative_to(ROOT).as_posix()
        if any(pathmatch(pattern, rel) for pattern, _ in method_map):
            for _, message, _, _ in extract_from_file("python", path, keywords=KEYWORDS):
                if isinstance(message, str) and message:
                    found.add(message)
    return found


# ---------------------------------------------------------------- catalogues


@pytest.mark.parametrize("lang", LANGS)
def test_i18n_catalogue_has_no_empty_or_fuzzy_translation(lang):
    bad = [
        f"{m.id!r}: {'fuzzy' if m.fuzzy else 'empty'}"
        for m in _po(lang)
        if m.id and (m.fuzzy or not str(m.string).strip())
    ]
    assert not bad, f"{lang}: untranslated msgids:\n" + "\n".join(bad)


@pytest.mark.parametrize("lang", LANGS)
def test_i18n_catalogue_has_every_template_msgid(lang):
    ids = {m.id for m in _po(lang) if m.id}
    pot = _pot_ids()
    assert not pot - ids, f"{lang} lacks {sorted(pot - ids)}: run `make i18n`"
    assert not ids - pot, f"{lang} has msgids no code uses: {sorted(ids - pot)}"


def test_i18n_template_is_up_to_date_with_the_code():
    code, pot = _extracted_ids(), _pot_ids()
    assert code == pot, (
        f"run `make i18n`: in code, not in messages.pot: {sorted(code - pot)}; "
        f"in messages.pot, no longer in code: {sorted(pot - code)}"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_i18n_mo_is_compiled_from_the_current_po(lang):
    buffer = io.BytesIO()
    write_mo(buffer, _po(lang))
    committed = (LOCALE / lang / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert buffer.getvalue() == committed, f"{lang}: messages.mo is stale: run `make i18n`"


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for path in DASHBOARD.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            literals = []
            if getattr(node.func, "id", None) in {"t", "N_"} and node.args:
                literals.append(node.args[0])
            literals += [k.value for k in node.keywords if k.arg in {"i18n_key", "heading_key"}]
            keys |= {a.value for a in literals if isinstance(a, ast.Constant)}
    return keys


def test_i18n_every_key_used_in_source_exists():
    used = _used_keys()
    assert len(used) > 200
    missing = used - set(STRINGS)
    assert not missing, f"t() keys missing from the catalogue: {sorted(missing)}"


def _dynamic_key_families() -> dict[str, str]:
    """Return {literal prefix: "file:line"} of every t(f"prefix.{...}") / N_(f"...") call."""
    families: dict[str, str] = {}
    for path in sorted([*ROOT.glob("dashboard/**/*.py"), *ROOT.glob("pipelines/**/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in {"t", "N_"}
                and node.args
                and isinstance(node.args[0], ast.JoinedStr)
            ):
                head = node.args[0].values[0] if node.args[0].values else None
                prefix = head.value if isinstance(head, ast.Constant) else ""
                families.setdefault(str(prefix), f"{path.relative_to(ROOT)}:{node.lineno}")
    return families


def test_i18n_every_dynamic_key_family_is_declared_for_extraction():
    # pybabel skips f-strings: a family of keys built at run time (t(f"sdg.tag.{code}")) survives
    # `make i18n` only if its keys are also written out with N_() (dashboard/i18n.py)
    families = _dynamic_key_families()
    assert len(families) > 20
    extracted = _extracted_ids()
    undeclared = {
        prefix: where
        for prefix, where in families.items()
        if not prefix or not any(key.startswith(prefix) for key in extracted)
    }
    assert not undeclared, f"declare these key families with N_(...): {undeclared}"


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_i18n_every_key_has_every_language(key):
    entry = STRINGS[key]
    assert set(entry) == set(LANGS), f"{key} lacks {set(LANGS) - set(entry)}"


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_i18n_placeholders_match_across_languages(key):
    # a count's words, {n|one|other}, name the placeholder n
    fields = {
        lang: {f.split("|")[0] for _, f, _, _ in string.Formatter().parse(STRINGS[key][lang]) if f}
        for lang in LANGS
    }
    assert fields["fr"] == fields["en"] == fields["es"], f"{key}: {fields}"
    for lang in LANGS:  # every count's words name a placeholder the string fills
        for name in re.findall(r"\{(\w+)\|", STRINGS[key][lang]):
            assert name in fields[lang], f"{key} ({lang}): {name}"


@pytest.mark.parametrize(
    ("lang", "n", "text"),
    [
        ("en", 1, "1 city: 1 in Europe, 0 in North America."),
        ("en", 0, "0 cities: 1 in Europe, 0 in North America."),
        ("en", "1,234", "1,234 cities: 1 in Europe, 0 in North America."),
        ("fr", 0, "0 ville : 1 en Europe, 0 en Amérique du Nord."),
        ("fr", "1", "1 ville : 1 en Europe, 0 en Amérique du Nord."),
        ("fr", 2, "2 villes : 1 en Europe, 0 en Amérique du Nord."),
        ("es", 1, "1 ciudad: 1 en Europa, 0 en América del Norte."),
        ("es", "1.000.000", "1.000.000 ciudades: 1 en Europa, 0 en América del Norte."),
    ],
)
def test_i18n_a_count_agrees_with_its_words(lang, n, text):
    assert t("sum.map", lang, n=n, eu=1, na=0) == text


def test_i18n_plural_forms_reads_each_count_by_its_name():
    assert (
        t("sum.network", "fr", n=1, cities=3, eu=1, na=2, selected="x")
        == "1 coopération relie 3 villes : 1 en Europe, 2 en Amérique du Nord. Choisie : x."
    )
    assert plural_forms("{n|one|other} {m|one|other}", "en", {"n": "–", "m": 1.0}) == "other one"


def test_i18n_t_reads_the_catalogue_of_the_language():
    assert t("page.overview", "en") == "Overview"
    assert t("page.overview", "fr") == "Vue d'ensemble"
    assert t("page.overview", "es-MX") == "Resumen"
    assert t("filters.active", "fr", items="x") == "Filtres appliqués : x."


def test_i18n_unknown_key_raises():
    with pytest.raises(KeyError):
        t("no.such.key", "fr")


# Strings that are not interface text: ids, CSS classes, formats, codes.
_ALLOWED = re.compile(r"^([a-z0-9_.\-/:#{}%]*|[A-Z_]+|.*[{}<>=].*|\s*)$")
_TEXT_ARGS = {
    "children",
    "placeholder",
    "title",
    "label",
    "aria-label",
    "text",
    "title_text",
    "name",
}


def _component_text_literals(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
        if owner not in {"html", "dcc"}:
            continue
        args = list(node.args[:1]) + [k.value for k in node.keywords if k.arg in _TEXT_ARGS]
        for arg in args:
            if (
                isinstance(arg, ast.Constant)
                and isinstance(arg.value, str)
                and not _ALLOWED.match(arg.value)
                and any(c.isalpha() for c in arg.value)
            ):
                found.append(f"{path.name}:{node.lineno}: {arg.value!r}")
    return found


def test_i18n_no_hard_coded_interface_text_in_components_or_pages():
    files = [DASHBOARD / "components.py", *sorted((DASHBOARD / "pages").glob("*.py"))]
    literals = [hit for f in files for hit in _component_text_literals(f)]
    assert not literals, "user-facing literals not going through t():\n" + "\n".join(literals)


# ---------------------------------------------------------------- validator reasons


def _validator_rules() -> set[str]:
    """Return every rule text the validator can write for the current schemas."""
    rules = {validate.REQUIRED_RULE, *validate.TYPE_RULES.values(), *PATTERN_RULES.values()}
    for entity in ENTITIES.values():
        rules |= {r.rule for r in validate.entity_sql(entity, validate.Params()).rules}
        for column in entity.contract.columns:
            rules |= {validate.check_rule_text(check) for check in column.checks}
    return rules


def test_i18n_every_validator_rule_has_a_reason_template():
    rules = _validator_rules()
    assert len(rules) > 50
    unmatched = sorted(r for r in rules if reasons.match_rule(r) is None)
    assert not unmatched, f"add a template to pipelines/ingest/reasons.py: {unmatched}"


def test_i18n_reason_templates_are_the_english_catalogue():
    for key, text in reasons.REASONS.items():
        assert STRINGS[key]["en"] == text, key


@pytest.mark.parametrize(
    ("stored", "lang", "expected"),
    [
        ("must be >= 0", "fr", "doit être ≥ 0"),
        ("unknown city", "es", "ciudad desconocida"),
        ("must not be before start_date", "fr", "ne doit pas précéder start_date"),
        ("expected 7 fields, found 9", "es", "se esperaban 7 campos, hay 9"),
        ("must be >= 0", "en", "must be >= 0"),
        ("a rule from elsewhere", "fr", "a rule from elsewhere"),
    ],
)
def test_i18n_t_reason_translates_a_stored_rule(stored, lang, expected):
    assert i18n.t_reason(stored, lang) == expected


def test_i18n_t_reasons_translates_rules_and_keeps_columns_and_values():
    stored = (
        "amount: must be >= 0 (-25000); row: expected 7 fields, found 8 (a;b); "
        "country_iso2: must be a 2-letter upper-case ISO 3166 country code (usa)"
    )
    assert i18n.t_reasons(stored, "fr") == (
        "amount: doit être ≥ 0 (-25000); row: 7 champs attendus, 8 trouvés (a;b); "
        "country_iso2: doit être un code pays ISO 3166 de 2 lettres majuscules (usa)"
    )
    assert i18n.t_reasons(stored, "en") == stored


def test_i18n_units_and_demo_sources_are_translated():
    from pipelines.demo.results import POPULATION_SOURCE, SYNTHETIC_SOURCE

    for source in (POPULATION_SOURCE, SYNTHETIC_SOURCE, "city record"):
        assert i18n.t_source(source, "fr") != source
    assert i18n.t_unit("people/km2", "es") == "habitantes/km²"
    assert i18n.t_unit("furlongs", "fr") == "furlongs"


# ---------------------------------------------------------------- CLDR formats


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "1,234,567.5"),
        ("fr", "1\u202f234\u202f567,5"),
        ("es", "1.234.567,5"),
    ],
)
def test_i18n_fmt_number_by_language(lang, expected):
    assert fmt_number(1234567.5, lang, 1) == expected


def test_i18n_fmt_number_spanish_four_digits_not_grouped():
    assert fmt_number(2025, "es") == "2025"
    assert fmt_number(-12345, "es") == "-12.345"
    assert fmt_number(-0.2, "fr") == "0"


def test_i18n_fmt_percent_spacing():
    assert fmt_percent(85.24, "en") == "85%"
    assert fmt_percent(85.24, "fr", 1) == "85,2\u00a0%"


def test_i18n_fmt_eur_by_language():
    assert fmt_eur(1234567.4, "en") == "€1,234,567"
    assert fmt_eur(1234567.4, "fr") == "1\u202f234\u202f567\u00a0€"
    assert fmt_eur(None, "es") == "–"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "1 March 2025"),
        ("fr", "1er mars 2025"),
        ("es", "1 de marzo de 2025"),
    ],
)
def test_i18n_fmt_date_by_language(lang, expected):
    assert fmt_date(dt.date(2025, 3, 1), lang) == expected
    assert fmt_date("2025-03-01T10:00:00", lang) == expected


def test_i18n_fmt_date_french_ordinal_only_on_the_first():
    assert fmt_date(dt.date(2025, 3, 11), "fr") == "11 mars 2025"
    assert fmt_date(dt.date(2025, 3, 21), "en") == "21 March 2025"


def test_i18n_fmt_date_missing_is_a_dash():
    import pandas as pd

    assert fmt_date(pd.NaT, "fr") == fmt_date(None, "es") == "–"


def test_i18n_normalise_lang_falls_back_to_english():
    assert i18n.normalise_lang("fr-CA") == "fr"
    assert i18n.normalise_lang("de") == "en"
    assert i18n.normalise_lang(None) == "en"
