"""Interface strings in English, French and Spanish from gettext catalogues, and CLDR formats.

`t(key, lang, **values)` returns an interface string. The strings live in gettext catalogues,
`pipelines/locale/<lang>/LC_MESSAGES/messages.po` (compiled to `.mo`), managed with Babel:
`make i18n` runs `pybabel extract` (every `t("...")` and `N_("...")` of the code, into
`pipelines/locale/messages.pot`), `pybabel update` (the three `.po`) and `pybabel compile`.

* msgid = a stable key ("page.overview"), not the English text: call sites use keys, keys built
  at run time (f"entity.{name}") need a stable id anyway, one English word may take two French
  ones in two places, and rewording the English does not orphan the translations. English is the
  `en` catalogue, a language like the others.
* The catalogues sit under `pipelines/` because everything above it (dashboard, API, report, CLI)
  may read them without breaking the import direction, and the validator's reasons
  (`pipelines/ingest/reasons.py`) are extracted into the same catalogue.
* Numbers, percentages, amounts and dates come from CLDR through Babel (`en` is British English,
  en_GB, for an EU programme). Code-list labels (networks, stakeholder types, SDG titles) are not
  here: they come translated from `ref.*` through the query API.

Adding a string: use `t("area.name", lang)` in code (or `N_("area.name")` when the key is built
at run time), run `make i18n`, fill the new msgstr in the three `.po` files, run `make i18n`
again. A test fails on any empty or fuzzy msgstr and on any key the code uses that the
catalogue lacks.
"""

from __future__ import annotations

import copy
import datetime as dt
import gettext
import math
import re
from decimal import Decimal
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Any, cast

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import read_mo
from babel.numbers import NumberFormatError, NumberPattern, parse_decimal, parse_pattern

from pipelines import config
from pipelines.ingest import reasons

LANGS: tuple[str, ...] = ("en", "fr", "es")
DEFAULT_LANG = "en"
DOMAIN = "messages"
# CLDR locale of each interface language
BABEL_LOCALES = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES"}


def N_(key: str) -> str:  # noqa: N802 - the gettext convention for "mark for extraction only"
    """Return `key` unchanged; marks a msgid for `pybabel extract`."""
    return key


# Keys the code builds at run time (t(f"entity.{name}"), register_page(i18n_key=...)), or keeps
# for pages to come: listed so that `pybabel extract` keeps them in the catalogue.
RUNTIME_KEYS: tuple[str, ...] = (
    N_("app.current_page"),  # called inside an f-string, which pybabel does not read
    # city (profile page)
    N_("city.basis.adopting_city"),
    N_("city.basis.cooperation_member"),
    N_("city.basis.host_city"),
    N_("city.basis.participant_city"),
    N_("city.col.adopted_date"),
    N_("city.col.developed_date"),
    N_("city.col.evidence"),
    N_("city.col.implemented_date"),
    N_("city.col.planned_date"),
    N_("city.col.status"),
    N_("city.col.taken_up"),
    N_("city.col.title"),
    N_("city.col.type"),
    N_("city.fig.activities_hosted"),
    N_("city.fig.funding_eur"),
    N_("city.fig.organisations"),
    N_("city.fig.outputs"),
    N_("city.fig.participations"),
    N_("city.fig.plans_taken_up"),
    N_("city.fig.practices_taken_up"),
    # act.col
    N_("act.col.activity_id"),
    N_("act.col.activity_type"),
    N_("act.col.city_name"),
    N_("act.col.cooperation_name"),
    N_("act.col.end_date"),
    N_("act.col.modality"),
    N_("act.col.network_id"),
    N_("act.col.participants"),
    N_("act.col.reported_date"),
    N_("act.col.start_date"),
    N_("act.col.title"),
    # act
    N_("act.measure.activities"),
    N_("act.measure.outputs"),
    N_("act.measure.participations"),
    N_("act.sorted_asc"),
    N_("act.sorted_desc"),
    # app
    N_("app.not_found"),
    N_("app.not_found_text"),
    # axis
    N_("axis.members"),
    N_("axis.population"),
    # band
    N_("band.1m_5m"),
    N_("band.250k_1m"),
    N_("band.gt_5m"),
    N_("band.lt_250k"),
    # bench.band
    N_("bench.band.1"),
    N_("bench.band.2"),
    N_("bench.band.3"),
    # bench.peer
    N_("bench.peer.network"),
    N_("bench.peer.partners"),
    N_("bench.peer.population_band"),
    N_("bench.peer.region"),
    # card
    N_("card.error"),
    # ctx
    N_("ctx.co2_per_capita"),
    N_("ctx.gdp_per_capita"),
    N_("ctx.green_space_share"),
    N_("ctx.population"),
    N_("ctx.population_density"),
    # dq
    N_("dq.line"),
    N_("dq.location"),
    N_("dq.raw"),
    N_("dq.reasons"),
    # dq.run
    N_("dq.run.loaded"),
    N_("dq.run.partial"),
    # dq
    N_("dq.template_csv"),
    N_("dq.template_xlsx"),
    # dropdown
    N_("dropdown.clear_search"),
    N_("dropdown.clear_selection"),
    N_("dropdown.deselect_all"),
    N_("dropdown.no_options_found"),
    N_("dropdown.search"),
    N_("dropdown.select_all"),
    N_("dropdown.selected_count"),
    # entity
    N_("entity.activity"),
    N_("entity.city"),
    N_("entity.city_context"),
    N_("entity.cooperation"),
    N_("entity.cooperation_member"),
    N_("entity.funding"),
    N_("entity.observation"),
    N_("entity.output"),
    N_("entity.output_adoption"),
    N_("entity.participation"),
    N_("entity.sdg_alignment"),
    N_("entity.target"),
    # filters
    N_("filters.challenge"),
    N_("filters.method"),
    N_("filters.review"),
    N_("filters.mode"),
    N_("filters.network"),
    N_("filters.region"),
    N_("filters.subtheme"),
    # kpi
    N_("kpi.value"),
    # page
    N_("page.activities"),
    N_("page.benchmarking"),
    # page.benchmarking
    N_("page.benchmarking.heading"),
    # page
    N_("page.cooperation"),
    # page.cooperation
    N_("page.cooperation.heading"),
    # page
    N_("page.data_quality"),
    # page.data_quality
    N_("page.data_quality.heading"),
    # page
    N_("page.overview"),
    # page.overview
    N_("page.overview.heading"),
    # page
    N_("page.participation"),
    # page.participation
    N_("page.participation.heading"),
    # page
    N_("page.practices"),
    N_("page.practices.heading"),
    N_("page.sdg"),
    # page.sdg
    N_("page.sdg.heading"),
    # part.measure
    N_("part.measure.distinct"),
    # pm
    N_("pm.scope"),
    # rag
    N_("rag.amber"),
    N_("rag.green"),
    N_("rag.none"),
    N_("rag.red"),
    # sdg.method
    N_("sdg.method.fractional"),
    N_("sdg.method.primary"),
    # sdg.tag
    N_("sdg.tag.accepted"),
    N_("sdg.tag.keyword"),
    N_("sdg.tag.manual"),
    N_("sdg.tag.model"),
    N_("sdg.tag.rejected"),
    N_("sdg.tag.suggested"),
    N_("sdg.tag.validated"),
    # status
    N_("status.cancelled"),
    N_("status.completed"),
    N_("status.planned"),
    N_("status.not_yet_reported"),
    N_("bench.status.scored"),
    N_("bench.status.missing"),
    N_("bench.status.not_discriminating"),
    # the metric layer: definitions, additivity, geography and time bases, unrated reasons
    N_("metric.K01"),
    N_("metric.K02"),
    N_("metric.K03"),
    N_("metric.K04"),
    N_("metric.K05"),
    N_("metric.K06"),
    N_("metric.K07"),
    N_("metric.K08"),
    N_("metric.K09"),
    N_("metric.K10"),
    N_("metric.K11"),
    N_("metric.K12"),
    N_("metric.K13"),
    N_("metric.K14"),
    N_("metric.K15"),
    N_("metric.K16"),
    N_("metric.K17"),
    N_("metric.K18"),
    N_("metric.K19"),
    N_("metric.K20"),
    N_("metric.K21"),
    N_("metric.K22"),
    N_("metric.K24"),
    N_("metric.K25"),
    N_("metric.K26"),
    N_("metric.K27"),
    N_("metric.K29"),
    N_("metric.K30"),
    N_("metric.cooperations"),
    N_("metric.outputs.planned"),
    N_("metric.funding.committed"),
    N_("munit.count"),
    N_("munit.percent"),
    N_("munit.eur"),
    N_("munit.days"),
    N_("munit.index"),
    N_("munit.person_days"),
    N_("munit.quarter_rate"),
    N_("kpi.about.unit"),
    N_("kpi.about.formula"),
    N_("add.sum"),
    N_("add.distinct_count"),
    N_("add.ratio"),
    N_("add.stock"),
    N_("add.median"),
    N_("add.index"),
    N_("add.bound"),
    N_("geo.host_city"),
    N_("geo.participant_city"),
    N_("geo.cooperation_member"),
    N_("geo.adopting_city"),
    N_("geo.none"),
    N_("time.period"),
    N_("time.to_date"),
    N_("time.as_of"),
    N_("kpi.unrated.no_scope"),
    N_("kpi.unrated.no_milestone"),
    N_("kpi.unrated.no_target"),
    N_("kpi.unrated.no_data"),
    N_("kpi.unrated.unusable_target"),
    N_("kpi.scope.programme"),
    N_("kpi.scope.network"),
    N_("kpi.scope.mode"),
    N_("kpi.scope.cooperation"),
    N_("kpi.scope.city"),
)

# Stored units and source notes of context indicators (core.city_context) -> catalogue key.
UNIT_KEYS = {
    "people": N_("unit.people"),
    "inhabitants": N_("unit.inhabitants"),
    "people/km2": N_("unit.people_per_km2"),
    "EUR": N_("unit.eur"),
    "t CO2e": N_("unit.t_co2e"),
    "%": N_("unit.percent"),
}
SOURCE_KEYS = {
    "SYNTHETIC demo value (not real data)": N_("source.synthetic"),
    "GeoNames cities15000 (CC BY 4.0); year approximate when not given": N_("source.geonames"),
    "city record": N_("source.city_record"),
}


def normalise_lang(value: object) -> str:
    """Return a supported language code for `value` (e.g. 'fr-CA' -> 'fr'), else the default."""
    code = str(value or "").strip().lower()[:2]
    return code if code in LANGS else DEFAULT_LANG


@cache
def catalogue(lang: str) -> gettext.GNUTranslations:
    """Return the compiled catalogue of `lang`, falling back to English for a missing msgstr.

    A missing `.mo` raises FileNotFoundError: run `make i18n` (or `pybabel compile`).
    """
    lang = normalise_lang(lang)
    translations = gettext.translation(DOMAIN, config.LOCALE_DIR, languages=[lang])
    if lang != DEFAULT_LANG:
        translations.add_fallback(catalogue(DEFAULT_LANG))
    return translations


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """Return the interface string `key` in `lang`, with `{name}` placeholders filled from values.

    An unknown key raises KeyError: a missing string is a bug that tests should catch. A key
    without a translation in `lang` falls back to English (a test fails on it first).

    A count's words are written `{name|one|other}` in a string (e.g. "{n} {n|city|cities}"):
    the first form when the value of `name` (a number, or one formatted by `fmt_number`) is a
    count CLDR calls "one" in `lang` (1 in English and Spanish, 0 and 1 in French), else the
    other (`plural_forms`).
    """
    text = catalogue(lang).gettext(key)
    if text == key:
        raise KeyError(key)
    if not values:
        return text
    if "|" in text:
        text = plural_forms(text, lang, values)
    return text.format(**values)


# `{name|one|other}`: a count's words in a message (t's docstring)
_PLURAL = re.compile(r"\{(\w+)\|([^{}|]*)\|([^{}|]*)\}")


def plural_forms(text: str, lang: str, values: dict[str, object]) -> str:
    """Return `text` with each `{name|one|other}` replaced by the form that agrees with the
    value of `name` in `lang`: "one" when CLDR gives that count the category "one", else
    "other" (also for a value that is no number).

    Example: ``plural_forms("{n} {n|ville|villes}", "fr", {"n": "0"})  # '{n} ville'``
    """

    def form(match: re.Match[str]) -> str:
        name, one, other = match.groups()
        return one if _is_one(values.get(name), lang) else other

    return _PLURAL.sub(form, text)


def _is_one(value: object, lang: str) -> bool:
    if isinstance(value, str):
        try:
            value = parse_decimal(value, locale=_locale(lang))
        except NumberFormatError:
            return False
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return bool(_locale(lang).plural_form(value) == "one")


def _all_strings() -> MappingProxyType[str, Any]:
    found: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        path = config.LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        with path.open("rb") as fh:
            for message in read_mo(fh):
                if message.id and message.string:
                    # Babel types a plural message's id and string as sequences; ours are text
                    found.setdefault(cast(str, message.id), {})[lang] = cast(str, message.string)
    return MappingProxyType(found)


# {key: {lang: text}}, read-only, as compiled (for tests and tools; code calls t())
STRINGS = _all_strings()


def t_reason(rule: str, lang: str = DEFAULT_LANG) -> str:
    """Return a validator rule (as stored, in English) in `lang`; an unknown rule as it is."""
    found = reasons.match_rule(str(rule))
    return t(found[0], lang, **found[1]) if found else str(rule)


def t_reasons(text: str, lang: str = DEFAULT_LANG) -> str:
    """Return stored quarantine reasons ("column: rule (value); ...") with each rule in `lang`.

    Columns and values stay as recorded: they are data, not interface text.
    """
    if normalise_lang(lang) == DEFAULT_LANG:
        return str(text)
    return reasons.rewrite_reasons(str(text), lambda key, values: t(key, lang, **values))


def t_unit(unit: object, lang: str = DEFAULT_LANG) -> str:
    """Return a stored unit ('people/km2') in `lang`; an unknown unit as it is."""
    key = UNIT_KEYS.get(str(unit))
    return t(key, lang) if key else str(unit)


def t_source(source: object, lang: str = DEFAULT_LANG) -> str:
    """Return a stored source note in `lang`; an unknown source (real data's own) as it is."""
    key = SOURCE_KEYS.get(str(source))
    return t(key, lang) if key else str(source)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALES[normalise_lang(lang)])


# each language's name in its own language (CLDR), for the language switcher
LANG_NAMES = {
    lang: (n := cast(str, _locale(lang).language_name))[:1].upper() + n[1:] for lang in LANGS
}


def _symbols(lang: str) -> dict[str, str]:
    symbols: dict[str, str] = _locale(lang).number_symbols["latn"]
    return symbols


# Plotly `layout.separators`: decimal mark then thousands separator, as CLDR has them.
PLOTLY_SEPARATORS = {lang: _symbols(lang)["decimal"] + _symbols(lang)["group"] for lang in LANGS}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@cache
def _pattern(lang: str, kind: str, decimals: int) -> NumberPattern:
    loc = _locale(lang)
    source = {
        "decimal": loc.decimal_formats[None],
        "percent": loc.percent_formats[None],
        "currency": loc.currency_formats["standard"],
    }[kind]
    pattern = copy.copy(parse_pattern(source.pattern))
    pattern.frac_prec = (decimals, decimals)
    return pattern


def _apply(value: float, lang: str, kind: str, decimals: int, **kw: Any) -> str:
    return _formatted(float(value), normalise_lang(lang), kind, decimals, tuple(sorted(kw.items())))


# Babel's formatting costs ~50 µs a number; a page writes the same few hundred numbers again and
# again (cards, tables, hover texts, every language), so each distinct one is formatted once
@lru_cache(maxsize=16_384)
def _formatted(
    value: float, lang: str, kind: str, decimals: int, kw: tuple[tuple[str, Any], ...]
) -> str:
    shown = round(abs(value) * (100 if kind == "percent" else 1), decimals)
    # CLDR's minimumGroupingDigits (2 for Spanish: 2025, not 2.025), which Babel does not apply
    group = not (lang == "es" and shown < 10_000)
    if shown == 0:
        value = 0.0  # no "-0"
    text: str = _pattern(lang, kind, decimals).apply(
        value, _locale(lang), group_separator=group, currency_digits=False, **dict(kw)
    )
    return text


def fmt_number(value: float | None, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """Return `value` formatted for `lang`: 1,234.5 (en), 1 234,5 (fr, narrow space), 1.234,5 (es)."""
    if _missing(value):
        return "–"
    return _apply(cast(float, value), lang, "decimal", decimals)


def fmt_percent(value: float | None, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """Return a percentage (value already in percent, e.g. 85.2) as '85%' (en) or '85 %' (fr, es)."""
    if _missing(value):
        return "–"
    return _apply(float(cast(float, value)) / 100, lang, "percent", decimals)


def fmt_eur(value: float | None, lang: str = DEFAULT_LANG) -> str:
    """Return an amount in whole euros: €1,234,567 (en), 1 234 567 € (fr, es)."""
    if _missing(value):
        return "–"
    return _apply(cast(float, value), lang, "currency", 0, currency="EUR")


def fmt_date(value: dt.date | dt.datetime | str | None, lang: str = DEFAULT_LANG) -> str:
    """Return a date written out for `lang` (CLDR long format): '5 March 2025', '5 mars 2025',
    '5 de marzo de 2025'."""
    if value is None or value == "" or value != value:  # NaT is not equal to itself
        return "–"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    return _long_date(value, lang)


@lru_cache(maxsize=4096)  # Babel's date formatting costs ~0.5 ms; pages repeat the same dates
def _long_date(value: dt.date, lang: str) -> str:
    text: str = format_date(value, "long", locale=_locale(lang))
    if lang == "fr" and value.day == 1 and text.startswith("1 "):
        text = "1er " + text[2:]  # French writes the first of the month as an ordinal
    return text


def fmt_value(value: float | None, unit: str, lang: str = DEFAULT_LANG) -> str:
    """Return a KPI value formatted by its unit (count, percent, eur, days, score, index,
    quarter_rate)."""
    if unit == "percent":
        return fmt_percent(value, lang, 0)
    if unit == "eur":
        return fmt_eur(value, lang)
    if unit in {"score", "index"}:
        return fmt_number(value, lang, 2 if value is not None and abs(value) < 10 else 0)
    if unit == "quarter_rate":  # K11: activities per cooperation per quarter, e.g. 0.42
        return fmt_number(value, lang, 2)
    return fmt_number(value, lang, 0)
