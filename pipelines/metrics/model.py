"""The shapes of the metric layer's declarations: sources, dimensions and metrics.

A **source** is a relation a metric reads: a mart cube (with smaller roll-ups of it) or a
derived relation written over another source. Its **geography basis** says whose city its
geographic columns hold; a source whose rows count for several cities (an activity without a host
counts where its participants come from, D12) holds them as lists.

A **metric** is one figure's rule, written once: an aggregate expression over a source, with its
additivity, unit, time basis and the breakdowns it allows. Every query of a figure — a KPI card,
a chart, its summary sentence, an export, the stored scorecard — is built from it by
`pipelines.metrics.build`.
"""

from __future__ import annotations

import dataclasses
from enum import StrEnum


class Additivity(StrEnum):
    """How a metric combines across a dimension: only SUM may be added up."""

    SUM = "sum"  # counts and amounts: the sum over any one dimension equals the total
    DISTINCT = "distinct_count"  # recounted at every level, never summed
    RATIO = "ratio"  # a ratio of sums, recomputed from numerator and denominator
    STOCK = "stock"  # cumulative to the period end; summed across space, never across time
    MEDIAN = "median"  # a quantile of a distribution, recomputed
    INDEX = "index"  # a non-linear index (e.g. Gini-Simpson), recomputed
    BOUND = "bound"  # a bound built from maxima per group (e.g. fewest distinct organisations)


class Geography(StrEnum):
    """Whose city a source's geographic columns hold (D12)."""

    HOST = "host_city"  # the activity's host city; without one, its participants' cities
    PARTICIPANT = "participant_city"  # the participant's city
    MEMBER = "cooperation_member"  # the cities of the output's cooperation, or its own city
    ADOPTER = "adopting_city"  # the city that took up an output (another city than its own)
    NONE = "none"


class TimeBasis(StrEnum):
    """Which rows of a period a metric reads."""

    PERIOD = "period"  # rows dated inside the period
    TO_DATE = "to_date"  # rows dated up to the period end (stocks, running totals)
    AS_OF = "as_of"  # evaluated at the period end or the data's as-of date, whichever is earlier


@dataclasses.dataclass(frozen=True)
class Relation:
    """One materialised relation of a source and the columns it has."""

    name: str  # e.g. mart.participation_city_cube
    columns: frozenset[str]
    # the columns that identify a row (no two rows share their values), if declared: a distinct
    # count of the last of them over rows where the others are fixed counts the rows
    # (`pipelines.metrics.build` then writes `count(x)`, which needs no hash of every value)
    key: tuple[str, ...] = ()
    # a relation of a list-geography source with one row per place of its list: the scalar
    # column (e.g. city_id) of that place. It is read only for a level broken down by that place
    # (its rows then need no unnest), never for a figure over several places, whose rows it
    # repeats (`pipelines.metrics.build._base_relation`). For a scalar-geography source,
    # "city_id" marks the source's rows sorted by city, read for a query scoped to one city only
    place: str | None = None


@dataclasses.dataclass(frozen=True)
class Source:
    """A relation metrics read, with its filterable columns and geography basis.

    A base source lists relations, the full one last; the query builder reads the first that
    has every column a query needs. A derived source is `sql` over another source (`base`),
    written with `{src}` for the filtered base rows and `{dims}` for the breakdown columns it
    must carry through (empty or ending in a comma).
    """

    name: str
    geography: Geography
    relations: tuple[Relation, ...] = ()
    date_col: str | None = "month"  # the column the period applies to (None: no period)
    geo_shape: str = "scalar"  # 'scalar' columns city_id/country_iso2/region, or 'list'
    base: str | None = None
    sql: str | None = None
    # filters this source cannot honour (it has no such column): a query with one of them set
    # selects nothing of it, and `pipelines.metrics.build.unhonoured_filters` names them
    lacks: frozenset[str] = frozenset()
    # the tag filters (FilterSpec.tag: review basis, method) that restrict this source's rows;
    # a source that carries no tags, or whose figure is about every tag (K26), ignores the others
    tag_filters: frozenset[str] = frozenset()
    # a source with one row per entity and goal rather than per tag: its tags are flag columns
    # `<tag_flags>_<review>_<method>` (does the entity have such a tag on the goal), which the
    # tag filters test in place of the `review` and `method` columns
    tag_flags: str | None = None
    # a source of flag columns that also has a row per entity whose flags are null: the entity
    # itself (no tag), which passes every tag filter as a row whose tag column is null does (it
    # counts in a denominator, e.g. K25's)
    entity_rows: bool = False
    # a derived source whose `sql` aggregates its rows with no group but `{dims}`: one row even
    # when no base row is selected. Its conditions are aggregate filters, not a WHERE, so that
    # the keyed mode (pipelines.metrics.build) can feed it a null row for a call without rows
    one_row: bool = False

    @property
    def derived(self) -> bool:
        """Return True for a source defined as SQL over another source."""
        return self.base is not None


@dataclasses.dataclass(frozen=True)
class Dimension:
    """A breakdown: its column, and where its labels come from."""

    name: str
    column: str
    ref: str | None = None  # table with labels (label_en/fr/es) keyed by `key`
    key: str | None = None
    label_expr: str | None = None  # label column when the table has no label_xx (e.g. city name)
    time_grain: str | None = None  # month | quarter | year: derived from the source's date column
    expr: str | None = None  # SQL over the source's columns when the dimension is derived


@dataclasses.dataclass(frozen=True)
class Metric:
    """One figure's rule, declared once.

    `value` is an aggregate SQL expression over the source's rows (for a RATIO, `numerator` and
    `denominator` are, and value is 100 x their quotient unless given); `where` restricts the rows
    before aggregation and may use `{start}`, `{end}` and `{eval}` (the period bounds and the
    evaluation date) as SQL values.
    """

    id: str  # K04, or K03.pct_of_plan for a secondary measure, or a chart measure name
    label: str  # short English label; translated by the dashboard's catalogue
    definition: str
    unit: str  # count | percent | eur | days | index | person_days | quarter_rate
    additivity: Additivity
    source: str
    value: str
    numerator: str | None = None
    denominator: str | None = None
    where: str = "true"
    time_basis: TimeBasis = TimeBasis.PERIOD
    date_col: str | None = None  # overrides the source's date column for the period test
    direction: str | None = None  # higher | lower: which way is better (None: neither)
    breakdowns: tuple[str, ...] = ()
    indicator: str | None = None  # the ref.indicator id (K01..K30) this metric reports
    measure: str = "main"  # 'main' is the scorecard value; others are secondary figures
    decision: str | None = None  # the catalogue decision (D1..D12) that settles the rule
