"""The global filters, declared once: their URL form, their SQL predicate and their macro parameters.

A `Filters` value is what the dashboard keeps in the URL and what every query takes. Empty tuples
mean "no restriction". `FILTERS` declares each code-list filter once: its URL parameter (the field
name), the ref table its codes come from, and the column it restricts. Geographic filters (city,
country, region) restrict the geography columns of a source, whose meaning is the source's
declared geography basis (host city, participant's city, cooperation member): see
`pipelines.metrics.catalogue.SOURCES`.

Tag filters (`FilterSpec.tag`) restrict SDG tags, not entities: the review basis (`review`:
'validated' tags only by default — accepted, or manual and not rejected — or 'suggested' too, D9)
and the tagging method (`method`). Only sources that carry tags read them (`Source.tag_filters`);
every other figure is not about tags and ignores them. A row whose tag column is null is an
entity with no such tag (it counts in a denominator) and passes every tag filter. An unset tag
filter with a `default` applies its default codes; the stored scorecard always uses the defaults.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from typing import Any, Literal
from urllib.parse import parse_qs, urlencode


@dataclasses.dataclass(frozen=True)
class FilterSpec:
    """One code-list filter: its `Filters` field / URL parameter, column, and ref table."""

    name: str
    column: str  # column name in every mart that carries the filter dimensions
    ref: str | None  # ref table (or core table) listing the allowed codes
    geographic: bool = False  # restricts a source's geography (its basis says whose city)
    tag: bool = False  # restricts SDG tags: read only by sources that carry tags (see module doc)
    default: tuple[str, ...] = ()  # the codes in force when the filter is unset (tag filters)
    codes: tuple[str, ...] = ()  # a fixed code list when the filter has no ref table


FILTERS: tuple[FilterSpec, ...] = (
    FilterSpec("network", "network_id", "ref.network"),
    FilterSpec("subtheme", "subtheme_id", "ref.subtheme"),
    FilterSpec("region", "region", None, geographic=True),  # EU | NA
    FilterSpec("country", "country_iso2", "ref.country", geographic=True),
    FilterSpec("mode", "mode", "ref.cooperation_mode"),
    # the cross-cutting challenge of the activity (an output: of its activity); one per activity
    FilterSpec("challenge", "cross_cutting_id", "ref.cross_cutting"),
    # the review basis of SDG tags (D9): validated tags only unless 'suggested' is selected too
    FilterSpec(
        "review",
        "review",
        None,
        tag=True,
        default=("validated",),
        codes=("suggested", "validated"),
    ),
    # how a tag was made: manual | keyword | model (the values in the data)
    FilterSpec("method", "method", None, tag=True),
)
LIST_FIELDS = tuple(spec.name for spec in FILTERS)
FILTER_BY_NAME = {spec.name: spec for spec in FILTERS}
TAG_FIELDS = tuple(spec.name for spec in FILTERS if spec.tag)
# the tagging methods in the data (the `method` filter's values): mart.sdg_entity_goal has a flag
# column per review basis and method, `<kind>_<review>_<method>`
TAG_METHODS = ("manual", "keyword", "model")
# "include suggestions": the review filter's value that counts unreviewed suggestions too
WITH_SUGGESTIONS = FILTER_BY_NAME["review"].codes


@dataclasses.dataclass(frozen=True)
class Filters:
    """Global filter state: period (inclusive dates) and code lists."""

    start: dt.date | None = None
    end: dt.date | None = None
    network: tuple[str, ...] = ()
    subtheme: tuple[str, ...] = ()
    region: tuple[str, ...] = ()  # EU | NA
    country: tuple[str, ...] = ()  # ISO2
    mode: tuple[str, ...] = ()  # cooperation mode
    challenge: tuple[str, ...] = ()  # cross-cutting challenge (ref.cross_cutting)
    review: tuple[str, ...] = ()  # SDG tag review basis: () = validated only (the default)
    method: tuple[str, ...] = ()  # SDG tagging method (manual | keyword | model)

    def to_query(self) -> str:
        """Return the URL query string (without '?') for these filters, stable in order."""
        pairs: list[tuple[str, str]] = []
        if self.start:
            pairs.append(("start", self.start.isoformat()))
        if self.end:
            pairs.append(("end", self.end.isoformat()))
        for name in LIST_FIELDS:
            values = getattr(self, name)
            if values:
                pairs.append((name, ",".join(values)))
        return urlencode(pairs)

    @classmethod
    def from_query(cls, query: str | dict[str, Any]) -> Filters:
        """Return Filters parsed from a URL query string or dict; invalid parts are ignored."""
        if isinstance(query, str):
            raw = {k: v[-1] for k, v in parse_qs(query.lstrip("?")).items()}
        else:
            raw = {k: (v[-1] if isinstance(v, list) and v else v) for k, v in query.items()}

        def as_date(value: object) -> dt.date | None:
            if not isinstance(value, str | dt.date):
                return None
            try:
                return dt.date.fromisoformat(str(value)[:10]) if value else None
            except ValueError:
                return None

        def as_codes(value: object) -> tuple[str, ...]:
            if not isinstance(value, str):
                return ()
            return tuple(sorted({p.strip() for p in value.split(",") if p.strip()}))

        lists = {name: as_codes(raw.get(name)) for name in LIST_FIELDS}
        return cls(start=as_date(raw.get("start")), end=as_date(raw.get("end")), **lists)

    @property
    def includes_suggestions(self) -> bool:
        """Return True when SDG figures count unreviewed suggested tags (review includes them)."""
        return "suggested" in self.review

    def tag_codes(self, name: str) -> tuple[str, ...]:
        """Return the codes in force for a tag filter: the set ones, else its declared default."""
        return getattr(self, name) or FILTER_BY_NAME[name].default

    @property
    def geographic(self) -> bool:
        """Return True when a geographic filter (region, country) is set."""
        return any(getattr(self, spec.name) for spec in FILTERS if spec.geographic)


def period_bounds(filters: Filters) -> tuple[dt.date | None, dt.date | None]:
    """Return the filter period widened to whole months (marts aggregate by month).

    Example: ``period_bounds(Filters(start=date(2024, 3, 15)))  # (date(2024, 3, 1), None)``
    """
    start = filters.start.replace(day=1) if filters.start else None
    end = None
    if filters.end:
        last = calendar.monthrange(filters.end.year, filters.end.month)[1]
        end = filters.end.replace(day=last)
    return start, end


GeoShape = Literal["scalar", "list"]


def predicate(
    filters: Filters,
    *,
    date_col: str | None = "month",
    alias: str = "",
    skip: tuple[str, ...] = (),
    geo: GeoShape = "scalar",
    tags: bool = False,
) -> tuple[str, list[Any]]:
    """Return (SQL condition, params) applying the filters to a relation with the standard columns.

    `date_col` is compared with the month-widened period; `skip` names filter fields to ignore;
    `geo='list'` reads the geographic filters against list columns (`regions`, `countries`) that
    hold every city an activity counts for (D12), matching when any of them is selected (one
    `?` per selected value there).
    `tags=True`: the relation carries SDG tags (`review`, `method`), so the tag filters apply,
    with their defaults when unset (a null tag column passes); otherwise they are ignored.

    Example: ``predicate(Filters(region=("EU",)))  # ('true and region in (...)', [['EU']])``
    """
    prefix = f"{alias}." if alias else ""
    clauses: list[str] = ["true"]
    params: list[Any] = []
    start, end = period_bounds(filters)
    if date_col and start:
        clauses.append(f"{prefix}{date_col} >= ?")
        params.append(start)
    if date_col and end:
        clauses.append(f"{prefix}{date_col} <= ?")
        params.append(end)
    for spec in FILTERS:
        values = filters.tag_codes(spec.name) if spec.tag else getattr(filters, spec.name)
        if not values or spec.name in skip or (spec.tag and not tags):
            continue
        if spec.tag:
            clauses.append(
                f"({prefix}{spec.column} is null or "
                f"{prefix}{spec.column} in (select unnest(?::varchar[])))"
            )
        elif spec.geographic and geo == "list":
            # one `list_contains` per value, OR-ed: about five times faster than `list_has_any`
            # (which hashes the values for every row) on the 10 M-row register
            column = f"{prefix}{LIST_COLUMNS[spec.column]}"
            tests = " or ".join(f"list_contains({column}, ?)" for _ in values)
            clauses.append(f"({tests})")
            params.extend(values)
            continue
        else:
            clauses.append(f"{prefix}{spec.column} in (select unnest(?::varchar[]))")
        params.append(list(values))
    return " and ".join(clauses), params


# scalar geography column -> the list column of sources whose rows count for several cities
LIST_COLUMNS = {"city_id": "city_ids", "country_iso2": "countries", "region": "regions"}

# the parameters of the mart.kpi_* table macros, in order, with their DuckDB types; the tag
# filters are not among them: the scorecard macros count tags on their defaults
MACRO_PARAMETERS: tuple[tuple[str, str], ...] = (
    ("p_start", "date"),
    ("p_end", "date"),
    *((f"p_{spec.name}", "varchar[]") for spec in FILTERS if not spec.tag),
    ("p_cooperation", "varchar[]"),
    ("p_city", "varchar[]"),
)
MACRO_PARAMS = ", ".join(f"?::{kind}" for _, kind in MACRO_PARAMETERS)


def macro_args(
    filters: Filters, *, cooperation: tuple[str, ...] = (), city: tuple[str, ...] = ()
) -> list[Any]:
    """Return the parameters of the mart.kpi_* macros for these filters (see MACRO_PARAMETERS).

    Example: ``macro_args(Filters(network=("innovation",)))[2]  # ['innovation']``
    """
    start, end = period_bounds(filters)
    return [
        start,
        end,
        *(list(getattr(filters, spec.name)) for spec in FILTERS if not spec.tag),
        list(cooperation),
        list(city),
    ]
