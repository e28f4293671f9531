"""Build SQL for declared metrics: one generator for the stored scorecard and every live query.

Two modes share every predicate and expression:

- **query** (`metric_query`): a live query for some filters and a breakdown, with values as
  named parameters (`$p_start`, `$p_network`, ...). It returns one row per breakdown group and a
  total row (`is_total`), each aggregated from the source rows: a distinct count, ratio, median or
  index is recounted for the total, never added up from the groups.
- **macro** (`kpi_computed_sql`): the body of `mart.kpi_actual`, whose parameters are the macro's
  (`p_start`, `p_network`, ...), so the scorecard stored at publish and a scorecard for any filter
  come from the same declarations.
- **keyed** (`kpi_computed_sql(calls=...)`): the same rows for MANY calls at once. The relation
  `calls` has one row per call: its key `call` and the macro's parameters as columns of the same
  names. It is joined into every source, so each row carries its call's key and parameters, the
  filter conditions are the macro's text on those columns, and every aggregate groups by the key
  (each call's distinct counts are counted from its own rows). A call with no row still gets the
  aggregates' value over no row (count 0, sum null). No lateral join and no outer reference: the
  stored scorecard in one query an engine that decorrelates only WHERE clauses (Spark) can run.

Identifiers spliced into SQL come only from the declarations (`pipelines.metrics.catalogue`) and
the filter declaration (`pipelines.metrics.filters`); values always travel as parameters.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from pipelines.metrics.catalogue import DIMENSIONS, METRICS, SOURCES, metric
from pipelines.metrics.filters import (
    FILTER_BY_NAME,
    FILTERS,
    LIST_COLUMNS,
    TAG_FIELDS,
    TAG_METHODS,
    Filters,
    FilterSpec,
    period_bounds,
)
from pipelines.metrics.model import Additivity, Metric, Source, TimeBasis

# the evaluation date of AS_OF metrics (D3/D4): the period end, or the data's as-of date if earlier
_AS_OF = "mart.data_as_of()"


@dataclasses.dataclass(frozen=True)
class _Mode:
    """How parameters are written: `$p_x` in a live query, `p_x` inside a macro body."""

    prefix: str
    active: frozenset[str]  # the list parameters in use (a macro uses all of them)
    calls: str = ""  # keyed mode: the relation of calls whose columns are the parameters
    # a live query scoped to exactly one city (`metric_query(city=(one,))`): a list-geography
    # source may then be read from its relation with one row per city of its list
    one_city: bool = False
    # a live query's list parameters and how many values each holds (`_query_mode`)
    lengths: tuple[tuple[str, int], ...] = ()

    def p(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def dates(self) -> dict[str, str]:
        start, end = f"{self.p('p_start')}::date", f"{self.p('p_end')}::date"
        to_date = _capped(end)
        # a source aggregating its rows reads the period bounds in its aggregates: keyed, they
        # are columns of the rows (constant within a call), so they are aggregated too
        bounds = (f"any_value({start})", f"any_value({end})") if self.calls else (start, end)
        return {
            "start": start,
            "end": to_date,
            "eval": to_date,
            "period_start": bounds[0],
            "period_end": bounds[1],
        }


_LIST_PARAMS = tuple(f"p_{spec.name}" for spec in FILTERS if not spec.tag) + (
    "p_cooperation",
    "p_city",
)
MACRO_MODE = _Mode("", frozenset(_LIST_PARAMS))
# what a keyed row carries from its call besides the source's columns (and what it groups by):
# the key, and the dates the rules' {start}/{end} placeholders read
_KEY_COLUMNS = ("call", "p_start", "p_end")


def _columns_used(text: str, candidates: frozenset[str]) -> set[str]:
    words = set(re.findall(r"[a-z_][a-z0-9_]*", text))
    return words & candidates


def _geo_column(source: Source, scalar: str) -> str:
    return LIST_COLUMNS[scalar] if source.geo_shape == "list" else scalar


def _overlaps(column: str, p: str, mode: _Mode) -> str:
    """Return "the parameter is empty, or the list column holds one of its values".

    One value (the usual filter) is tested with `list_contains(column, p[1])`, about six times
    faster than `list_has_any` on the 10 M-row cubes, which hashes the values for every row; a
    `case` (not `and`) guards `p[1]`, so an engine that evaluates both sides of an `and` (Spark in
    ANSI mode) never indexes an empty list. Several values: a live query (DuckDB only) that knows
    how many (`_Mode.lengths`) is an `or` of one `list_contains` per value (`p[1]`, `p[2]`, ...),
    about half the time of a list comprehension over the values on the 10 M-row cubes; else it
    tests each with `list_contains` in a comprehension; a macro body keeps `list_has_any`, which
    the Spark translation knows (as `arrays_overlap`).
    """
    if mode.prefix == MACRO_MODE.prefix:
        several = f"list_has_any({column}, {p})"
    else:
        count = dict(mode.lengths).get(p.removeprefix(mode.prefix), 0)
        if count > 1:
            return (
                "("
                + " or ".join(f"list_contains({column}, {p}[{i}])" for i in range(1, count + 1))
                + ")"
            )
        several = f"list_bool_or([list_contains({column}, v) for v in {p}])"
    return (
        f"(array_length({p}) = 0 or case when array_length({p}) = 1 "
        f"then list_contains({column}, {p}[1]) else {several} end)"
    )


def _restriction(source: Source, mode: _Mode, place: str | None = None) -> list[str]:
    """Return the filter conditions (other than the period) for a base source's rows; `place`:
    the place column of the relation read (`Relation.place`), whose city scope is a test of
    that scalar column instead of the list."""
    conds: list[str] = []
    for spec in FILTERS:
        param = f"p_{spec.name}"
        if spec.tag:
            conds += _tag_restriction(source, spec, mode)
            continue
        if param not in mode.active:
            continue
        p = mode.p(param)
        if spec.name in source.lacks:
            conds.append(f"array_length({p}) = 0")
        elif spec.geographic and source.geo_shape == "list":
            conds.append(_overlaps(_geo_column(source, spec.column), p, mode))
        else:
            conds.append(f"(array_length({p}) = 0 or list_contains({p}, {spec.column}))")
    if "p_cooperation" in mode.active:
        p = mode.p("p_cooperation")
        conds.append(f"(array_length({p}) = 0 or list_contains({p}, cooperation_id))")
    if "p_goal" in mode.active:  # a live query's scope of SDG goals (`metric_query(goal=...)`)
        conds.append(f"list_contains({mode.p('p_goal')}, {DIMENSIONS['goal'].column})")
    if "p_city" in mode.active:
        p = mode.p("p_city")
        if source.geo_shape == "list" and place != "city_id":
            conds.append(_overlaps("city_ids", p, mode))
        else:
            conds.append(f"(array_length({p}) = 0 or list_contains({p}, city_id))")
        scoped = _scope_kept(mode)
        if scoped is not None and source.geo_shape == "list":
            conds.append(
                f"city_id in ({scoped})"
                if place == "city_id"
                else f"list_has_any(city_ids, (select list(city_id) from ({scoped})))"
            )
    return conds


def _scope_kept(mode: _Mode) -> str | None:
    """Return the SELECT of the scope's cities that the geographic filters match, when a live
    query has a city scope and a region or country filter, else None.

    A list-geography row (an activity hosted nowhere counts at each participant's city, D12) is
    the scope's when it holds one of the scope's cities and the filter's when it holds a place
    the filter matches; both must be the same city: Austin's profile under "Region: Europe"
    counts nothing, not the activities Austin shares with a European city.

    Example: ``_scope_kept(_query_mode(Filters(region=("EU",)), (), ("austin-us",))[0])`` is
    ``"select city_id from mart.city where list_contains($p_city, city_id) and
    list_contains($p_region, region)"``.
    """
    tests = [
        f"list_contains({mode.p(param)}, {col})"
        for param, col in _PLACE_FILTERS
        if param in mode.active
    ]
    if not tests or mode.prefix == MACRO_MODE.prefix or mode.calls:
        return None
    city = f"list_contains({mode.p('p_city')}, city_id)"
    return f"select city_id from mart.city where {' and '.join([city, *tests])}"


def _tag_restriction(source: Source, spec: FilterSpec, mode: _Mode) -> list[str]:
    """Return a tag filter's condition: the set codes (a parameter) or the declared default.

    A row whose tag column is null is an entity without such a tag and always passes.
    """
    param = f"p_{spec.name}"
    if spec.name not in source.tag_filters:
        return []  # not about tags, or about every tag (K26 ignores the review basis)
    if source.tag_flags:
        return _flag_restriction(source, spec, mode)
    if spec.name in source.lacks:
        return [f"array_length({mode.p(param)}) = 0"] if param in mode.active else []
    if param in mode.active:
        return [f"({spec.column} is null or list_contains({mode.p(param)}, {spec.column}))"]
    if spec.default:
        codes = ", ".join(f"'{code}'" for code in spec.default)  # from the declaration
        return [f"({spec.column} is null or {spec.column} in ({codes}))"]
    return []


def _flag_columns(source: Source) -> set[str]:
    return {
        f"{source.tag_flags}_{review}_{method}"
        for review in FILTER_BY_NAME["review"].codes
        for method in TAG_METHODS
    }


def _flag_restriction(source: Source, spec: FilterSpec, mode: _Mode) -> list[str]:
    """Return the tag filters' condition on a source of flag columns (`Source.tag_flags`): one
    of its flags of a selected review basis (else the default one) and method (else any) is set,
    or (`Source.entity_rows`) the flags are null. Both filters make one condition, written for
    the review filter (none for the method's)."""
    if spec.name != "review":
        return []
    terms = []
    for review in spec.codes:
        tests = []
        if "p_review" in mode.active:
            tests.append(f"list_contains({mode.p('p_review')}, '{review}')")
        elif review not in spec.default:
            continue
        for method in TAG_METHODS:
            chosen = (
                [f"list_contains({mode.p('p_method')}, '{method}')"]
                if "p_method" in mode.active
                else []
            )
            terms.append(" and ".join([*tests, *chosen, f"{source.tag_flags}_{review}_{method}"]))
    if source.entity_rows:
        terms = [f"{source.tag_flags}_{spec.codes[0]}_{TAG_METHODS[0]} is null", *terms]
    return ["(" + " or ".join(f"({term})" for term in terms) + ")" if terms else "false"]


def _period(date_col: str | None, basis: TimeBasis, mode: _Mode) -> list[str]:
    if not date_col:
        return []
    start, end = f"{mode.p('p_start')}::date", f"{mode.p('p_end')}::date"
    if basis == TimeBasis.PERIOD:
        return [
            f"({start} is null or {date_col} >= {start})",
            f"({end} is null or {date_col} <= {end})",
        ]
    return [_up_to(date_col, end)]


def _up_to(date_col: str, end: str) -> str:
    """A stock or an evaluation: every row up to the period end, capped at the as-of date."""
    return f"{date_col} <= {_capped(end)}"


def _capped(end: str) -> str:
    # "to date" never runs past the data's as-of date (D4); least() skips a null bound
    return f"least({end}, {_AS_OF})"


def to_date_condition(metric_id: str, end: str, alias: str = "") -> str:
    """Return the SQL condition a to-date (or as-of) metric puts on the dates of its source rows:
    up to `end` (an SQL date expression, e.g. a `?` parameter; null: no period end) and never
    past the data's as-of date (D4). A listing that shows the rows such a metric counts (e.g.
    the adoptions behind the take-up metrics) applies the same rule with it.

    Example: ``to_date_condition("practices_taken_up", "?::date", alias="a")``
    """
    m = METRICS[metric_id]
    date_col = m.date_col or SOURCES[m.source].date_col
    if m.time_basis == TimeBasis.PERIOD or not date_col:
        raise ValueError(f"{metric_id} is not counted to date")
    return _up_to(f"{alias}.{date_col}" if alias else date_col, f"({end})::date")


def _needed_columns(source: Source, mode: _Mode, extra: set[str]) -> set[str]:
    needed = set(extra)
    if source.date_col:
        needed.add(source.date_col)
    for spec in FILTERS:
        if spec.tag and spec.name in source.tag_filters - source.lacks:
            needed |= _flag_columns(source) if source.tag_flags else {spec.column}
        elif f"p_{spec.name}" in mode.active and spec.name not in source.lacks and not spec.tag:
            needed.add(_geo_column(source, spec.column) if spec.geographic else spec.column)
    if "p_cooperation" in mode.active:
        needed.add("cooperation_id")
    if "p_city" in mode.active:
        needed.add(_geo_column(source, "city_id"))
    if "p_goal" in mode.active:
        needed.add(DIMENSIONS["goal"].column)
    return needed


def _relation(source: Source, needed: set[str]) -> str:
    for relation in source.relations:
        if relation.place is None and needed <= relation.columns:
            return relation.name
    missing = needed - source.relations[-1].columns
    raise ValueError(f"source {source.name!r} has no relation with columns {sorted(missing)}")


def _dim_items(
    source: Source, dims: Sequence[str], date_col: str | None, columns: frozenset[str]
) -> list[str]:
    """Return the SELECT items (besides *) that expose derived breakdown columns.

    A time grain is the date truncated; a place of a list-geography source is its list unnested,
    so a row counts in every place it belongs to (the total is still recounted from the rows).
    """
    items = []
    places = [
        d for d in dims if source.geo_shape == "list" and DIMENSIONS[d].column in LIST_COLUMNS
    ]
    if len(places) > 1:
        raise ValueError(f"{source.name}: break down by one place at a time, not {places}")
    for name in dims:
        dim = DIMENSIONS[name]
        if dim.time_grain:
            if not date_col:
                raise ValueError(f"{source.name} has no date to break down by {name}")
            expr = f"date_trunc('{dim.time_grain}', {date_col})::date"
            if dim.column == date_col and dim.time_grain == "month" and date_col == "month":
                continue
            items.append(
                ("replace", f"{expr} as {dim.column}")
                if dim.column in columns
                else ("add", f"{expr} as {dim.column}")
            )
        elif name in places and dim.column not in columns:
            items.append(("add", f"unnest({LIST_COLUMNS[dim.column]}) as {dim.column}"))
        elif dim.expr:
            items.append(("add", f"{dim.expr} as {dim.column}"))
    replaced = [text for kind, text in items if kind == "replace"]
    star = f"* replace ({', '.join(replaced)})" if replaced else "*"
    return [star, *(text for kind, text in items if kind == "add")]


def _base_relation(
    source: Source, mode: _Mode, dims: Sequence[str], uses: str, date_col: str | None
) -> tuple[str, set[str]]:
    """Return (relation, needed columns): the relation of a base source that `_rows_sql` reads
    for these breakdowns, metric text `uses` and date column, and the columns it needs of it.

    Broken down by a place of a list-geography source, the first relation with one row per
    place of the list (`Relation.place`) that has every column the query needs, the place's
    scalar column in place of the list, is read: its rows need no unnest. A live query scoped
    to one city (`_Mode.one_city`) and not broken down by a place reads the first relation with
    one row per city (`place == "city_id"`) that has every column it needs, `city_id` in place
    of the list: the city's rows are each source row holding the city, once, so every aggregate
    over them (a distinct count, a median) is the one over the source rows (its rows are sorted
    by city, so the scan reads the city's row groups only). A scalar-geography source's relation
    with `place == "city_id"` holds its rows sorted by city: a query scoped to one city reads
    the first such relation that has every column it needs (the same rows, the city's found
    together). Else (and for every level not broken down by that place) the first relation
    without `place` that has them.
    """
    columns = source.relations[-1].columns
    dim_cols: set[str] = set()
    place_cols: set[str] = set()
    for d in dims:
        dim = DIMENSIONS[d]
        if dim.time_grain:
            continue
        if dim.expr:
            dim_cols |= _columns_used(dim.expr, columns)
        elif source.geo_shape == "list":
            dim_cols.add(LIST_COLUMNS.get(dim.column, dim.column))
            if dim.column in LIST_COLUMNS:
                place_cols.add(dim.column)
        else:
            dim_cols.add(dim.column)
    needed = _needed_columns(source, mode, _columns_used(uses, columns) | dim_cols)
    if date_col:
        needed.add(date_col)
    kept = _places_kept(source, mode, dims)
    if kept is not None and kept[0] == "region" and "p_country" in mode.active:
        needed.add(LIST_COLUMNS["country_iso2"])  # a region kept through the row's countries
    if len(place_cols) == 1:
        (place,) = place_cols
        # the list column stays needed if anything but the breakdown reads it (a filter)
        others = _needed_columns(
            source,
            mode,
            _columns_used(uses, columns) | (dim_cols - {LIST_COLUMNS[place]}) | {place},
        )
        if date_col:
            others.add(date_col)
        for relation in source.relations:
            if relation.place == place and others <= relation.columns:
                return relation.name, others
    elif mode.one_city:
        own = (needed - {"city_ids"}) | {"city_id"} if source.geo_shape == "list" else needed
        for relation in source.relations:
            if relation.place == "city_id" and own <= relation.columns:
                return relation.name, own
    return _relation(source, needed), needed


def _rows_sql(
    source_name: str,
    mode: _Mode,
    *,
    dims: Sequence[str],
    uses: str,
    basis: TimeBasis,
    date_col: str | None = None,
    every_call: bool = False,
    narrow: bool = False,
    condition: str = "",
    select: str = "",
) -> str:
    """Return a SELECT of a source's filtered rows carrying the breakdown columns.

    Keyed (`mode.calls`), each row once per call it belongs to, with the call's columns; with
    `every_call`, a call without any row gets one row of nulls (for a `Source.one_row` source).
    `narrow`: only the columns `uses` and the filters read, rather than every column;
    `condition`: one more condition on a base source's rows (SQL on its columns); `select`:
    the SELECT list in place of the rows' columns (e.g. aggregates of them), for a base source.
    """
    source = SOURCES[source_name]
    if source.sql is not None and source.base is not None:
        base_dim_cols = [DIMENSIONS[d].column for d in dims]
        inner = _rows_sql(
            source.base,
            mode,
            dims=dims,
            # narrowed, the base rows also carry what the metric reads through a `select *`
            uses=" ".join([source.sql, uses if narrow else "", *base_dim_cols]),
            basis=basis,
            every_call=source.one_row,
            narrow=narrow,
        )
        keys = _KEY_COLUMNS if mode.calls else ()
        text = source.sql.replace("{src}", f"(\n{inner}\n)").replace(
            "{dims}", "".join(f"{c}, " for c in (*keys, *base_dim_cols))
        )
        return _expand(text, mode)
    date_col = date_col or source.date_col
    relation, needed = _base_relation(source, mode, dims, uses, date_col)
    chosen, place = next((r.columns, r.place) for r in source.relations if r.name == relation)
    conds = [*_period(date_col, basis, mode), *_restriction(source, mode, place)]
    items = _dim_items(source, dims, date_col, chosen)
    kept = _places_kept(source, mode, dims)
    if kept is not None and place == kept[0]:  # one row per city: the rows of the cities kept
        conds.append(kept[1])
    conds = [*conds, f"({condition})"] if condition and condition != "true" else conds or ["true"]
    if narrow and items[0] == "*" and not mode.calls:
        # only the columns the metric reads: less to bind and optimise in a statement of many
        # metrics (the live scorecard); a breakdown's levels keep `*`, so that their row texts
        # stay equal and share one scan (GROUPING SETS)
        items[0] = ", ".join(sorted(needed & chosen))
    select = select or ", ".join(items)
    where = "\n    and ".join(conds)
    if mode.calls and every_call:
        return f"select {select} from {mode.calls} as k left join {relation} on {where}"
    if mode.calls:
        relation = f"{relation} cross join {mode.calls} as k"
    rows = f"select {select} from {relation} where {where}"
    if kept is not None and place != kept[0]:  # the list unnested: the places kept, row by row
        return f"select * from (\n{rows}\n) as {_UNNESTED} where {kept[1]}"
    return rows


# the geographic filters, each tested on a city's own record in mart.city
_PLACE_FILTERS = tuple((f"p_{spec.name}", spec.column) for spec in FILTERS if spec.geographic)
_UNNESTED = "_unnested"  # a list-geography source's rows, one per place of the list


def _places_kept(source: Source, mode: _Mode, dims: Sequence[str]) -> tuple[str, str] | None:
    """Return (place column, condition on a row's place) when a list-geography source is broken
    down by a place (city, country or region) in a live query under a geographic filter (region,
    country), else None.

    The filter keeps a source row when one of its places matches (D12: an activity hosted
    nowhere counts wherever its participants come from); broken down by place, such a row must
    then count only in the places of its cities that the filters match: never in a city of
    Portugal under "Country: Canada", nor in Europe through a Portuguese city under "Country:
    Finland, Canada". The cities kept are those of mart.city whose own region and country the
    filters match; a row counts in a city kept, in the country of one (all of a country's cities
    are then kept), and in a region where it holds a city kept: with a country filter, one of its
    countries kept in that region. A city scope is not such a filter: broken down by city, the
    scope's activities list the cities they count for, its partners among them. (The macros
    break nothing down by place.)

    Example: ``_places_kept(SOURCES["activity"], _query_mode(Filters(country=("CA",)), (), ())[0],
    ("city",))`` is ``("city_id", "city_id in (select city_id from mart.city where
    list_contains($p_country, country_iso2))")``.
    """
    column = next(
        (
            DIMENSIONS[d].column
            for d in dims
            if source.geo_shape == "list" and DIMENSIONS[d].column in LIST_COLUMNS
        ),
        None,
    )
    tests = [
        f"list_contains({mode.p(param)}, {col})"
        for param, col in _PLACE_FILTERS
        if param in mode.active
    ]
    if column is None or not tests or mode.prefix == MACRO_MODE.prefix or mode.calls:
        return None
    kept = " and ".join(tests)
    if column == "region" and "p_country" in mode.active:
        # region -> its countries kept, read once; a row is kept in a region holding one of them
        by_region = (
            "select map(list(region), list(kept)) from (select region, list(country_iso2) as kept"
            f" from mart.city where {kept} group by region)"
        )
        return column, f"list_has_any({LIST_COLUMNS['country_iso2']}, ({by_region})[region])"
    return column, f"{column} in (select {column} from mart.city where {kept})"


def _expand(text: str, mode: _Mode) -> str:
    for key, value in mode.dates().items():
        text = text.replace("{" + key + "}", value)
    return text


_AGGREGATES = ("numerator", "denominator", "value")


# a filtered distinct count whose column and condition hold no parenthesis (e.g. K25's numerator)
_FILTERED_DISTINCT = re.compile(r"count\(distinct ([^()]+?)\) filter \(where ([^()]+)\)")


def _distinct_as_case(expr: str) -> str:
    """Return `expr` with each simple `count(distinct x) filter (where c)` written as
    `count(distinct case when c then x end)`: the same count (count skips the nulls the CASE
    gives rows failing `c`), but DuckDB plans the FILTER form as an aggregate CTE that groups
    every row by (x, c), ~1.5x slower at 10 M rows (K25). The catalogue keeps the rule as
    written (pages show it); only the generated SQL differs.

    Example: ``_distinct_as_case("count(distinct a) filter (where b)")`` is
    ``"count(distinct case when b then a end)"``.
    """
    return _FILTERED_DISTINCT.sub(r"count(distinct case when \2 then \1 end)", expr)


# a test of the form `column = 'value'`, a conjunct of a metric's `where` that fixes the column
_FIXED = re.compile(r"([a-z_][a-z0-9_]*) = '[^'()]*'")


def _counted_key(m: Metric, mode: _Mode, dims: Sequence[str]) -> str | None:
    """Return the column whose distinct count over the metric's rows `_metric_rows(m, mode,
    dims)` is the count of its non-null values, else None: the last column of the key
    (`Relation.key`) of the relation the rows are read from, when the metric's `where` is an
    `and` of tests that fix the key's other columns to one value each. Not for a derived
    source, the keyed mode (rows repeated per call) or a breakdown by a place that unnests a
    list (a row per place).

    Example: ``_counted_key(metric("sdg.activities_primary"), _query_mode(Filters(), (), ())[0],
    ())  # 'entity_id'`` (mart.sdg_entity: one row per entity_type and entity_id)
    """
    source = SOURCES[m.source]
    if source.sql is not None or mode.calls:
        return None
    if any(source.geo_shape == "list" and DIMENSIONS[d].column in LIST_COLUMNS for d in dims):
        return None
    name, _ = _base_relation(source, mode, dims, _uses(m), m.date_col or source.date_col)
    key = next(r.key for r in source.relations if r.name == name)
    if not key:
        return None
    conjuncts = [c.strip() for c in re.split(r"\band\b", m.where, flags=re.IGNORECASE)]
    if any(re.search(r"\bor\b", c, flags=re.IGNORECASE) for c in conjuncts):
        return None
    fixed = {match.group(1) for c in conjuncts if (match := _FIXED.fullmatch(c))}
    return key[-1] if set(key[:-1]) <= fixed else None


def _aggregate_exprs(m: Metric, mode: _Mode, counted: str | None = None) -> tuple[str, str, str]:
    """Return the metric's (numerator, denominator, value) aggregate expressions, as doubles.

    `counted` (`_counted_key`): a column unique on the rows aggregated, whose distinct count is
    written `count(column)`: the same figure without hashing every value (~10x faster on the
    SDG page's 300 k entities at 10 M rows).
    """

    def written(expr: str) -> str:
        expr = _distinct_as_case(_expand(expr, mode))
        if counted:
            expr = re.sub(rf"count\(distinct {re.escape(counted)}\)", f"count({counted})", expr)
        return expr

    num = written(m.numerator or m.value)
    den = written(m.denominator) if m.denominator else "null"
    value = written(m.value)
    return f"({num})::double", f"({den})::double", f"({value})::double"


def _aggregates(m: Metric, mode: _Mode, counted: str | None = None) -> str:
    exprs = _aggregate_exprs(m, mode, counted)
    return ", ".join(f"{e} as {name}" for e, name in zip(exprs, _AGGREGATES, strict=True))


def _uses(m: Metric) -> str:
    return " ".join(filter(None, (m.value, m.numerator, m.denominator, m.where)))


def _metric_rows(
    m: Metric, mode: _Mode, dims: Sequence[str], *, uses: str = "", select: str = ""
) -> str:
    """Return a SELECT of the metric's rows; `uses` (narrowed rows): the text of every metric
    read from them, so that only the columns it names are selected, and a base source's rows
    in ONE select (the metric's `where` among its conditions), whose SELECT list is `select`
    if given (e.g. the aggregates: one SELECT from the relation to the figures)."""
    source = SOURCES[m.source]
    if uses and source.sql is None:
        return _rows_sql(
            m.source,
            mode,
            dims=dims,
            uses=uses,
            basis=m.time_basis,
            date_col=m.date_col,
            narrow=True,
            condition=_expand(m.where, mode),
            select=select,
        )
    if select:
        raise ValueError(f"{m.source} is a derived source: aggregate its rows in an outer SELECT")
    rows = _rows_sql(
        m.source,
        mode,
        dims=dims,
        uses=uses or _uses(m),
        basis=m.time_basis,
        date_col=m.date_col,
        narrow=bool(uses),
    )
    return f"select * from (\n{rows}\n) where {_expand(m.where, mode)}"


def kpi_computed_sql(calls: str = "") -> str:
    """Return the `computed` rows of mart.kpi_actual: one SELECT per declared KPI measure.

    Columns: call, indicator_id, measure, numerator, denominator, value. Without `calls` (the
    macro body) `call` is 0 and the rules read the macro's parameters. With `calls`, the name of a
    relation of calls (`call` plus the macro's parameters as columns), every call gets its own row
    of each KPI measure, computed in the keyed mode (module docstring): the aggregates grouped by
    the key, and a call without any row given the aggregates' value over no row.
    """
    return "\nunion all\n".join(sql for _, sql in kpi_computed_parts(calls))


def kpi_computed_parts(calls: str = "") -> list[tuple[str, str]]:
    """Return `kpi_computed_sql`'s SELECTs one by one, each with its KPI's source name:
    [(source, SELECT)], in the catalogue's order; their UNION ALL is `kpi_computed_sql(calls)`.

    An engine that cannot hold every rule's execution at once (Spark's driver) computes them in
    groups (e.g. by source) and reads the union of the groups' results in place of the text.

    Example: ``kpi_computed_parts()[0][0]`` is the source of the first KPI measure declared.
    """
    mode = dataclasses.replace(MACRO_MODE, calls=calls)
    parts = []
    for m in METRICS.values():
        if not m.indicator:
            continue
        head = f"'{m.indicator}' as indicator_id, '{m.measure}' as measure"
        rows = _metric_rows(m, mode, ())
        if not calls:
            sql = f"select 0 as call, {head}, {_aggregates(m, mode)}\nfrom (\n{rows}\n)"
            parts.append((m.source, sql))
            continue
        keys = ", ".join(_KEY_COLUMNS)
        values = ", ".join(
            f"case when g.call is null then e.{c} else g.{c} end as {c}"
            for c in ("numerator", "denominator", "value")
        )
        parts.append(
            (
                m.source,
                f"select k.call, {head}, {values}\nfrom {calls} as k\n"
                f"left join (\nselect {keys}, {_aggregates(m, mode)}\nfrom (\n{rows}\n)\n"
                f"group by {keys}\n) as g on g.call = k.call\n"
                # the aggregates over no row: what the macro yields for a call without rows
                f"cross join (\nselect {_aggregates(m, mode)}\nfrom (\n{rows}\n)\nwhere false\n) as e",
            )
        )
    return parts


def kpi_computed_query(
    filters: Filters,
    *,
    cooperation: Sequence[str] = (),
    city: Sequence[str] = (),
    measures: Sequence[str] = (),
) -> tuple[str, dict[str, Any]]:
    """Return (SQL, named parameters) of the `computed` rows of mart.kpi_actual for these
    filters as a live query (DuckDB): the rows of `kpi_computed_sql` for the macro called with
    `macro_args(filters, cooperation=..., city=...)` (call 0; the tag filters left to their
    declared defaults, as the macro leaves them).

    Unlike the macro, which takes every filter as a parameter, it knows which filters are set:
    each KPI reads the smallest relation of its source that has the columns they need, only
    those columns, and no predicate of an unset filter; KPIs whose rows are the same (same
    relation, conditions and `where`) are aggregated in ONE select, each measure still from those
    rows (never from another measure), so the statement is smaller to plan and scans each
    relation fewer times. `measures`: only the rows of these measures (e.g. "main"), if given.

    Example: ``kpi_computed_query(Filters(region=("EU",)))[1]["p_region"]`` is ``["EU"]``.
    """
    cleared: dict[str, Any] = dict.fromkeys(TAG_FIELDS, ())
    mode, params = _query_mode(dataclasses.replace(filters, **cleared), cooperation, city)
    keyed = [
        (m, {"indicator_id": f"'{m.indicator}'", "measure": f"'{m.measure}'"})
        for m in METRICS.values()
        if m.indicator and (not measures or m.measure in measures)
    ]
    sql = "\nunion all\n".join(_shared_selects(keyed, mode, lead="0 as call, "))
    return sql, _used(sql, params)


def metric_totals_query(
    metric_ids: Sequence[str],
    filters: Filters,
    *,
    cooperation: Sequence[str] = (),
    city: Sequence[str] = (),
) -> tuple[str, dict[str, Any]]:
    """Return (SQL, named parameters) giving each metric's total for these filters: one row per
    metric, columns metric_index (its position in `metric_ids`), numerator, denominator, value,
    each the total row of its `metric_query`. Metrics whose rows are the same (same relation,
    conditions and `where`) are aggregated in ONE select, each from those rows (never from
    another metric), so the rows are read once.

    Example: ``metric_totals_query(["K05.identified", "K05.unidentified"], Filters())`` reads
    mart.organisation_cube once.
    """
    mode, params = _query_mode(filters, cooperation, city)
    keyed = [(metric(i), {"metric_index": str(n)}) for n, i in enumerate(metric_ids)]
    sql = "\nunion all\n".join(_shared_selects(keyed, mode))
    return sql, _used(sql, params)


def _shared_selects(
    keyed: Sequence[tuple[Metric, dict[str, str]]], mode: _Mode, lead: str = ""
) -> list[str]:
    """Return one SELECT per group of metrics whose rows are the same, yielding a row per metric:
    `lead`, its key columns (name -> SQL literal) and its aggregates over its rows, ungrouped;
    a group's members in ONE select over the shared rows, each from those rows."""
    shared: dict[str, list[tuple[Metric, dict[str, str]]]] = {}
    for m, key in keyed:
        shared.setdefault(_metric_rows(m, mode, ()), []).append((m, key))
    parts = []
    for members in shared.values():
        m = members[0][0]
        counted = _counted_key(m, mode, ())
        if len(members) == 1:
            head = "".join(f"{v} as {k}, " for k, v in members[0][1].items())
            items = f"{lead}{head}{_aggregates(m, mode, counted)}"
        else:
            # one row of every member's aggregates, unnested to a row per member
            structs = ",\n".join(
                "{"
                + ", ".join(f"'{k}': {v}" for k, v in key.items())
                + ", "
                + ", ".join(
                    f"'{name}': {e}"
                    for e, name in zip(
                        _aggregate_exprs(k, mode, _counted_key(k, mode, ())),
                        _AGGREGATES,
                        strict=True,
                    )
                )
                + "}"
                for k, key in members
            )
            items = f"{lead}unnest([\n{structs}\n], recursive := true)"
        uses = " ".join(_uses(k) for k, _ in members)
        if SOURCES[m.source].sql is None:  # a base source: from the relation in one SELECT
            parts.append(_metric_rows(m, mode, (), uses=uses, select=items))
        else:
            parts.append(f"select {items}\nfrom (\n{_metric_rows(m, mode, (), uses=uses)}\n)")
    return parts


def kpi_computed_ids_sql() -> str:
    """Return the SQL list of the KPIs `kpi_computed_sql` computes, e.g. `'K01', 'K02'`.

    Each computed SELECT aggregates without grouping, so it always yields its row: the list is
    exactly the indicator_ids of the computed rows, known without running (or inlining) them.
    """
    ids = sorted({m.indicator for m in METRICS.values() if m.indicator})
    return ", ".join(f"'{i}'" for i in ids)


def _query_mode(
    filters: Filters, cooperation: Sequence[str], city: Sequence[str], goal: Sequence[int] = ()
) -> tuple[_Mode, dict[str, Any]]:
    start, end = period_bounds(filters)
    params: dict[str, object] = {"p_start": start, "p_end": end}
    active = set()
    for spec in FILTERS:
        values = list(getattr(filters, spec.name))
        if values:
            params[f"p_{spec.name}"] = values
            active.add(f"p_{spec.name}")
    if cooperation:
        params["p_cooperation"] = list(cooperation)
        active.add("p_cooperation")
    if city:
        params["p_city"] = list(city)
        active.add("p_city")
    if goal:
        params["p_goal"] = [int(g) for g in goal]
        active.add("p_goal")
    lengths = tuple((name, len(v)) for name, v in params.items() if isinstance(v, list))
    mode = _Mode("$", frozenset(active), one_city=len(set(city)) == 1, lengths=lengths)
    return mode, params


def metric_query(
    metric_id: str,
    filters: Filters,
    by: Sequence[str] = (),
    *,
    levels: Sequence[Sequence[str]] = (),
    cooperation: Sequence[str] = (),
    city: Sequence[str] = (),
    goal: Sequence[int] = (),
) -> tuple[str, dict[str, Any]]:
    """Return (SQL, named parameters) giving a metric per breakdown group plus a total row.

    Columns: one per breakdown (its dimension column), numerator, denominator, value, level (the
    breakdown names of the row's grouping, comma-joined; '' for the total), is_total. `levels`
    adds coarser groupings (subsets of `by`, e.g. the legend's totals of a stacked chart). Every
    level is aggregated from the source rows, never from finer rows, so a distinct count, ratio,
    median or index is recounted at each level. A STOCK metric broken down by time gives the
    running total at each period's end. `goal`: only the rows of these SDG goals (a metric
    broken down by goal), so that the figure of one goal reads its rows alone instead of being
    picked from the breakdown of every goal; the total row is then the recount over them.

    Example: ``metric_query("K04", Filters(network=("innovation",)), by=("stakeholder_type",))``
    """
    m = _checked(metric_id, by, levels, goal)
    mode, params = _query_mode(filters, cooperation, city, goal)
    parts = []
    for rows, level_or_group in _plan(m, mode, by, levels):
        if rows is None:
            parts.append(_level_sql(m, mode, by, level_or_group[0], params))
        else:
            parts.append(_grouping_sets_sql(m, mode, by, level_or_group, rows))
    sql = "\nunion all\n".join(parts)
    return sql, _used(sql, params)


def metrics_query(
    metric_ids: Sequence[str], filters: Filters, by: Sequence[str]
) -> tuple[str, dict[str, Any], list[int]]:
    """Return (SQL, named parameters, scans) giving several metrics per breakdown group plus
    their total rows, in ONE statement where the metrics whose rows are the very same (same
    relation, conditions and grouping levels) are aggregated in ONE scan: each metric's figures
    are its own aggregates over its own rows, side by side, never derived from another metric's.

    Columns: scan (the index of the SELECT the row comes from), one per breakdown, level,
    is_total, and numerator_<i>, denominator_<i>, value_<i> for the i-th metric (null on the
    rows of another scan). `scans[i]`: the scan that holds the i-th metric's rows; a scan's rows
    are `metric_query`'s rows of each of its metrics, the same groups for each.

    Example: ``metrics_query(["K04", "K05"], Filters(), ("city",))[2]  # [0, 0]``
    """
    mode, params = _query_mode(filters, (), ())
    shared: dict[tuple[str, tuple[tuple[str, ...], ...]], list[int]] = {}
    alone: list[int] = []
    for i, metric_id in enumerate(metric_ids):
        m = _checked(metric_id, by, (), ())
        plan = _plan(m, mode, by, ())
        if len(plan) == 1 and plan[0][0] is not None:
            shared.setdefault((plan[0][0], plan[0][1]), []).append(i)
        else:
            alone.append(i)
    scans = [0] * len(metric_ids)
    parts: list[str] = []
    for (rows, group), members in shared.items():
        aggregates = []
        for i in members:
            m = metric(metric_ids[i])
            counted = _counted_key(m, mode, _row_dims(m, by, group[0]))
            exprs = _aggregate_exprs(m, mode, counted)
            aggregates += [f"{e} as {name}_{i}" for e, name in zip(exprs, _AGGREGATES, strict=True)]
            scans[i] = len(parts)
        sets = _grouping_sets_sql(metric(metric_ids[members[0]]), mode, by, group, rows, aggregates)
        parts.append(f"select {len(parts)} as scan, * from (\n{sets}\n)")
    for i in alone:
        sql, _ = metric_query(metric_ids[i], filters, by)
        own = ", ".join(f"{name} as {name}_{i}" for name in _AGGREGATES)
        scans[i] = len(parts)
        parts.append(
            f"select {len(parts)} as scan, * exclude ({', '.join(_AGGREGATES)}), {own} "
            f"from (\n{sql}\n)"
        )
    sql = "\nunion all by name\n".join(parts)
    return sql, _used(sql, params), scans


def _checked(
    metric_id: str, by: Sequence[str], levels: Sequence[Sequence[str]], goal: Sequence[int]
) -> Metric:
    m = metric(metric_id)
    unknown = [d for d in by if d not in m.breakdowns]
    if unknown:
        raise ValueError(f"{metric_id} cannot be broken down by {unknown}; allowed: {m.breakdowns}")
    if goal and "goal" not in m.breakdowns:
        raise ValueError(f"{metric_id} has no SDG goal to restrict to")
    for level in levels:
        if not set(level) <= set(by):
            raise ValueError(f"level {tuple(level)} is not a subset of the breakdown {tuple(by)}")
    return m


def _used(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """Return the named parameters of `params` that `sql` refers to."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


def _plan(
    m: Metric, mode: _Mode, by: Sequence[str], levels: Sequence[Sequence[str]]
) -> list[tuple[str | None, tuple[tuple[str, ...], ...]]]:
    """Return the SELECTs of a metric's query, in order: (rows, levels) for levels aggregated
    from the very same rows in one scan (GROUPING SETS), (None, (level,)) for a level with its
    own SELECT."""
    wanted = [tuple(by), *(tuple(lv) for lv in levels if tuple(lv) != tuple(by))]
    wanted = [level for level in wanted if level or not by] + ([()] if by else [])
    # levels aggregated from the very same rows share one scan (GROUPING SETS); the others (a
    # place unnested, a running stock, a median's per-group window) keep their own SELECT. A
    # level's rows may carry the breakdown's other columns when these only
    # add a column to each row (`_row_dims`): a total then shares the scan of a by-year level.
    shared: dict[str, list[tuple[str, ...]]] = {}
    for level in wanted:
        if _shareable(m, level):
            shared.setdefault(_metric_rows(m, mode, _row_dims(m, by, level)), []).append(level)
    parts: list[tuple[str | None, tuple[tuple[str, ...], ...]]] = []
    for level in wanted:
        found = next(((r, g) for r, g in shared.items() if level in g and len(g) > 1), None)
        if found is None:
            parts.append((None, (level,)))
        elif level == found[1][0]:
            parts.append((found[0], tuple(found[1])))
    return parts


def _row_dims(m: Metric, by: Sequence[str], level: Sequence[str]) -> tuple[str, ...]:
    """Return the breakdowns whose columns a level's rows carry when the level shares a scan:
    the level's, and those of `by` that leave the rows as they are (a time grain, a derived or a
    plain column: one more column on each row), in the order of `by`. Not a place that unnests a
    list (a row per place: other rows), nor any of a derived source (its SQL groups by them).

    Example: ``_row_dims(metric("K03"), ("year",), ())  # ('year',)``
    """
    source = SOURCES[m.source]
    if source.sql is not None:
        return tuple(level)
    columns = frozenset().union(*(r.columns for r in source.relations))

    def keeps_rows(name: str) -> bool:
        dim = DIMENSIONS[name]
        if dim.time_grain:  # added, not replacing a column of the rows
            return bool(m.date_col or source.date_col) and dim.column not in columns
        return not (source.geo_shape == "list" and dim.column in LIST_COLUMNS)

    return tuple(d for d in by if d in level or keeps_rows(d))


def _shareable(m: Metric, level: Sequence[str]) -> bool:
    """Return whether a level is a plain GROUP BY of the metric's rows (no running stock)."""
    return not (m.additivity == Additivity.STOCK and any(DIMENSIONS[d].time_grain for d in level))


def _grouping_sets_sql(
    m: Metric,
    mode: _Mode,
    by: Sequence[str],
    group: Sequence[tuple[str, ...]],
    rows: str,
    aggregates: Sequence[str] = (),
) -> str:
    """Return one SELECT of several grouping levels over the same rows `rows` (GROUPING SETS):
    each row carries its level's name and is_total as `_level_sql` writes them, the other columns
    null. Each level is still aggregated from the rows themselves, never from another level.
    `aggregates`: the SELECT's aggregates in place of the metric's (several metrics' own)."""
    present = [d for d in by if any(d in level for level in group)]
    items = [
        DIMENSIONS[d].column if d in present else f"null as {DIMENSIONS[d].column}" for d in by
    ]
    mask = f"grouping({', '.join(DIMENSIONS[d].column for d in present)})"
    names = " ".join(
        f"when {sum(1 << (len(present) - 1 - i) for i, d in enumerate(present) if d not in level)} "
        f"then '{','.join(level)}'"
        for level in group
    )
    sets = ", ".join("(" + ", ".join(DIMENSIONS[d].column for d in level) + ")" for level in group)
    counted = _counted_key(m, mode, _row_dims(m, by, group[0]))  # the dims of `rows`
    figures = ", ".join(aggregates) if aggregates else _aggregates(m, mode, counted)
    return (
        f"select {', '.join(items)}, {figures}, case {mask} {names} end "
        "as level, "
        f"{mask} = {(1 << len(present)) - 1} as is_total\nfrom (\n{rows}\n)\n"
        f"group by grouping sets ({sets})"
    )


def _level_sql(
    m: Metric, mode: _Mode, by: Sequence[str], level: Sequence[str], params: dict[str, Any]
) -> str:
    """Return the SELECT of one grouping level: the level's columns set, the others null."""
    cols = [DIMENSIONS[d].column for d in level]
    items = [DIMENSIONS[d].column if d in level else f"null as {DIMENSIONS[d].column}" for d in by]
    tail = f"'{','.join(level)}' as level, {'false' if level else 'true'} as is_total"
    head = ", ".join(items) + ", " if items else ""
    rows = _metric_rows(m, mode, level)
    counted = _counted_key(m, mode, level)
    sql = f"select {head}{_aggregates(m, mode, counted)}, {tail}\nfrom (\n{rows}\n)"
    if cols:
        sql += f"\ngroup by {', '.join(cols)}"
    time_cols = [DIMENSIONS[d].column for d in level if DIMENSIONS[d].time_grain]
    if cols and m.additivity == Additivity.STOCK and time_cols:
        others = [c for c in cols if c not in time_cols]
        partition = f"partition by {', '.join(others)} " if others else ""
        window = f"over ({partition}order by {time_cols[0]})"
        outer = [c if c in cols else c for c in (DIMENSIONS[d].column for d in by)]
        sql = (
            f"select {', '.join(outer)}, sum(numerator) {window} as numerator, "
            f"null::double as denominator, sum(value) {window} as value, level, is_total "
            f"from ({sql})"
        )
        if params.get("p_start"):
            grain = next(d for d in level if DIMENSIONS[d].time_grain)
            sql = f"select * from ({sql}) where {time_cols[0]} >= date_trunc('{grain}', $p_start::date)"
    return sql


def unhonoured_filters(metric_id: str, filters: Filters) -> tuple[str, ...]:
    """Return the names of the set filters a metric's source cannot honour (it selects nothing
    under them), so a page can say so instead of showing an empty figure as if it were data.

    Example: ``unhonoured_filters("K22", Filters(challenge=("digital_transition_smart_city",)))``
    ``# ('challenge',)``
    """
    source = SOURCES[metric(metric_id).source]
    base = SOURCES[source.base] if source.base else source
    lacks = source.lacks | base.lacks
    tagged = source.tag_filters | base.tag_filters
    return tuple(
        spec.name
        for spec in FILTERS
        if getattr(filters, spec.name)
        and spec.name in lacks
        and (not spec.tag or spec.name in tagged)
    )
