"""Every page in French and Spanish shows no English interface text (headless Chromium).

The English texts looked for are the msgids' English strings (the `en` catalogue) whose
translation differs: each literal part between placeholders, of at least four letters, that
appears in no translation of the language (so a word French and English share is not a leak).
The page's text is what a person meets: visible text nodes (HTML and the charts' SVG), plus
placeholders, aria-labels, titles and the document title, less data values (city, cooperation
and activity names, phases, file names, as in the warehouse: "Kansas City" is no leak of "City")
and raw records (`code`).
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import duckdb
import pytest

from dashboard.i18n import LANGS, STRINGS
from tests.browser.conftest import WAIT_FOR_GRAPHS

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/participation",
    "/sdg",
    "/benchmarking",
    "/cooperation",
    "/activities",
    "/data-quality",
]

PAGE_TEXT = """() => {
    const out = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        const text = node.textContent.trim();
        if (!text || !el || el.closest('script, style, code, .hovertext, .modebar')) continue;
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden' || !el.getClientRects().length) continue;
        out.push(text);
    }
    for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
        for (const name of ['placeholder', 'aria-label', 'title', 'alt']) {
            if (el.hasAttribute(name) && !el.closest('.modebar')) out.push(el.getAttribute(name));
        }
    }
    return out.join('\\n');
}"""


# Plotly's own modebar tooltips, in English, that its fr and es locales translate
PLOTLY_ENGLISH = {"Zoom in", "Zoom out", "Download plot as a PNG", "Reset axes", "Autoscale"}


def english_phrases(lang: str) -> dict[str, str]:
    """Return {English phrase: msgid} that must not appear on a page in `lang`."""
    translations = "\n".join(entry.get(lang, "") for entry in STRINGS.values())
    phrases: dict[str, str] = {}
    for key, entry in STRINGS.items():
        if entry.get(lang) == entry["en"]:
            continue
        for literal, *_ in string.Formatter().parse(entry["en"]):
            phrase = literal.strip(" :;,.()")
            if sum(c.isalpha() for c in phrase) < 4:
                continue
            if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", translations):
                continue
            phrases.setdefault(phrase, key)
    return phrases


def english_on_page(text: str, lang: str) -> list[str]:
    """Return 'phrase (msgid)' for every English phrase found in a page's `text`."""
    return sorted(
        f"{phrase!r} ({key})"
        for phrase, key in english_phrases(lang).items()
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)
    )


DATA_VALUES = """
select name from core.city
union select name from core.cooperation
union select phase from core.cooperation
union select title from core.activity
union select file_name from ops.ingest_run
"""


@pytest.fixture(scope="module")
def data_values(demo_db: Path) -> list[str]:
    """Return the warehouse's names and titles (data, not interface text), longest first."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        values = {str(v) for (v,) in con.execute(DATA_VALUES).fetchall() if v}
    return sorted(values, key=len, reverse=True)


def without_data(text: str, values: list[str]) -> str:
    """Return `text` with every data value replaced by a bullet."""
    for value in values:
        text = text.replace(value, "•")
    return text


def test_i18n_english_phrases_cover_the_catalogue():
    for lang in LANGS[1:]:
        phrases = english_phrases(lang)
        assert len(phrases) > 250, lang
        assert "Quarantined rows by first failing rule" in phrases
        text = "Quarantined rows by first failing rule\nLignes chargées\nKansas City"
        assert english_on_page(without_data(text, ["Kansas City"]), lang) == [
            "'Quarantined rows by first failing rule' (dq.rules)"
        ]


@pytest.mark.parametrize("lang", ["fr", "es"])
@pytest.mark.parametrize("path", PAGES)
def test_i18n_page_has_no_english_interface_text(dash_page, data_values, path, lang):
    page = dash_page.page
    page.goto(f"{dash_page.base_url}{path}?lang={lang}")
    # a longer wait than dash_page.open's: 14 page loads on a busy 2-core machine
    page.wait_for_function(WAIT_FOR_GRAPHS, timeout=120_000)
    assert page.evaluate("document.documentElement.lang") == lang
    text = page.evaluate(PAGE_TEXT)
    assert len(text) > 500, text  # the page did render its interface
    leaks = english_on_page(without_data(text, data_values), lang)
    assert not leaks, f"{path}?lang={lang} shows English: " + "; ".join(leaks)
    # Plotly's modebar speaks the page's language too (assets/05-plotly-locales.js)
    titles = page.eval_on_selector_all(
        ".modebar-btn", "els => els.map(e => e.getAttribute('data-title'))"
    )
    if page.locator(".dash-graph").count():  # /activities is a register without charts
        assert titles, "no modebar on the page"
    assert not PLOTLY_ENGLISH & set(titles), titles
