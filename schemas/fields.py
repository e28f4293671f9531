"""Shared column contracts (partials of `schemas.columns.column`) used by every schema module.

Each partial fixes the kind and the rule of a sort of column (slug identifiers, ISO codes, counts,
dates) so the same sort of column is checked the same way in every entity; the caller adds the
column name and the description, which the data dictionary reuses. No Pandera here.
"""

from __future__ import annotations

import functools

import pandas as pd

from schemas.columns import DATE, INT, TEXT, column

SLUG_PATTERN = r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$"
CODE_PATTERN = r"^[a-z][a-z0-9_]*$"
ISO2_PATTERN = r"^[A-Z]{2}$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
INDICATOR_PATTERN = r"^[A-Z][A-Z0-9]*[0-9]$"
SDG_TARGET_PATTERN = r"^[0-9]{1,2}\.[0-9a-z]{1,2}$"
URL_PATTERN = r"^https?://[^\s<>\"']+$"

MIN_DATE = pd.Timestamp("1990-01-01")
MAX_DATE = pd.Timestamp("2100-12-31")
MAX_COUNT = 10_000_000
MIN_YEAR = 1800
MAX_YEAR = 2100

#: Identifier slug: lower-case letters and digits, words joined by '-', '_' or '.'.
SlugId = functools.partial(
    column, kind=TEXT, str_matches=SLUG_PATTERN, str_length={"max_value": 100}
)
#: Code from a ref.* code list (snake_case); membership is checked against the list at load.
Code = functools.partial(column, kind=TEXT, str_matches=CODE_PATTERN, str_length={"max_value": 64})
#: ISO 3166-1 alpha-2 country code, upper case.
Iso2 = functools.partial(column, kind=TEXT, str_matches=ISO2_PATTERN)
#: ISO 4217 currency code, upper case.
Currency = functools.partial(column, kind=TEXT, str_matches=CURRENCY_PATTERN)
#: KPI identifier from ref.indicator (e.g. 'K01').
IndicatorId = functools.partial(
    column, kind=TEXT, str_matches=INDICATOR_PATTERN, str_length={"max_value": 16}
)
#: Non-negative head or item count.
Count = functools.partial(column, kind=INT, ge=0, le=MAX_COUNT)
#: Calendar date between 1990 and 2100 (ISO 8601 'YYYY-MM-DD' in files).
Date = functools.partial(column, kind=DATE, ge=MIN_DATE, le=MAX_DATE)
#: Calendar year.
Year = functools.partial(column, kind=INT, ge=MIN_YEAR, le=MAX_YEAR)
#: Short human-readable text (names, titles).
Name = functools.partial(column, kind=TEXT, str_length={"min_value": 1, "max_value": 300})
#: Long free text.
LongText = functools.partial(column, kind=TEXT, str_length={"max_value": 5000})
#: Web address of a public document.
Url = functools.partial(column, kind=TEXT, str_matches=URL_PATTERN, str_length={"max_value": 2000})

#: Human wording of each pattern, used in error messages and the data dictionary.
PATTERN_RULES: dict[str, str] = {
    SLUG_PATTERN: "must be a lower-case slug (a-z, 0-9, words joined by - _ .)",
    CODE_PATTERN: "must be a snake_case code (a-z, 0-9, _)",
    ISO2_PATTERN: "must be a 2-letter upper-case ISO 3166 country code",
    CURRENCY_PATTERN: "must be a 3-letter upper-case ISO 4217 currency code",
    INDICATOR_PATTERN: "must be a KPI code such as K01",
    SDG_TARGET_PATTERN: "must be an SDG target code such as 11.2 or 11.a",
    URL_PATTERN: "must be an http(s) web address",
}
