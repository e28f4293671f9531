"""Translation completeness and number/date formats."""

from __future__ import annotations

import ast
import datetime as dt
import re
import string
from pathlib import Path

import pytest

from dashboard import i18n
from dashboard.i18n import LANGS, STRINGS, fmt_date, fmt_number, fmt_percent, t

DASHBOARD = Path(i18n.__file__).resolve().parent


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_i18n_every_key_has_every_language(key):
    entry = STRINGS[key]
    assert set(entry) == set(LANGS), f"{key} lacks {set(LANGS) - set(entry)}"
    assert all(entry[lang].strip() for lang in LANGS), f"{key} has an empty translation"


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_i18n_placeholders_match_across_languages(key):
    fields = {
        lang: {f for _, f, _, _ in string.Formatter().parse(STRINGS[key][lang]) if f}
        for lang in LANGS
    }
    assert fields["fr"] == fields["en"] == fields["es"], f"{key}: {fields}"


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for path in DASHBOARD.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    keys.add(first.value)
    return keys


def test_i18n_every_key_used_in_source_exists():
    missing = _used_keys() - set(STRINGS)
    assert not missing, f"t() keys without translations: {sorted(missing)}"


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


def test_i18n_fmt_percent_spacing():
    assert fmt_percent(85.24, "en") == "85%"
    assert fmt_percent(85.24, "fr", 1) == "85,2\u00a0%"


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


def test_i18n_normalise_lang_falls_back_to_english():
    assert i18n.normalise_lang("fr-CA") == "fr"
    assert i18n.normalise_lang("de") == "en"
    assert i18n.normalise_lang(None) == "en"
