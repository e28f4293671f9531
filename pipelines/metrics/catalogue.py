"""Every metric the product shows, declared once (ARCHITECTURE.md §5; KPI-CATALOGUE.md D1-D12).

The KPI card, the chart, its summary sentence, the stored scorecard, exports, notebooks, report
and API all build their SQL from these declarations (`pipelines.metrics.build`); nothing else
holds a metric's rule. `tests/metrics/test_one_place.py` checks that.
"""

from __future__ import annotations

from pipelines.metrics.filters import TAG_METHODS, WITH_SUGGESTIONS
from pipelines.metrics.model import (
    Additivity,
    Dimension,
    Geography,
    Metric,
    Relation,
    Source,
    TimeBasis,
)

_FILTER_COLS = {"month", "network_id", "subtheme_id", "cross_cutting_id", "mode"}
_GEO = {"city_id", "country_iso2", "region"}
_GEO_LISTS = {"city_ids", "countries", "regions"}
_PARTICIPATION_SUMS = {"participants", "women", "participants_gender_declared", "organisations_sum"}

# cooperation modes that are cooperations (D1): the global network is reported apart
COOPERATION_MODES = "('pairing', 'trio', 'cluster')"

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "participation",
            Geography.PARTICIPANT,
            relations=(
                # one city's rows (a query scoped to one city): the cube's rows sorted by city
                Relation(
                    "mart.participation_city_rows",
                    frozenset(
                        _FILTER_COLS
                        | _GEO
                        | {"cooperation_id", "stakeholder_type", "participants", "women"}
                        | {"participants_gender_declared", "organisations_sum", "person_days"}
                    ),
                    place="city_id",
                ),
                Relation(
                    "mart.participation_stakeholder_cube",
                    frozenset(
                        _FILTER_COLS
                        | {"country_iso2", "region", "stakeholder_type"}
                        | {"joint_organisations_sum", "cb_participants"}
                        | _PARTICIPATION_SUMS
                    ),
                ),
                Relation(
                    "mart.participation_city_cube",
                    frozenset(_FILTER_COLS | _GEO | _PARTICIPATION_SUMS | {"person_days"}),
                ),
                Relation(
                    "mart.participation_type_cube",
                    frozenset(
                        _FILTER_COLS
                        | {"country_iso2", "region", "activity_type", "modality"}
                        | {"participants", "women", "participants_gender_declared", "person_days"}
                    ),
                ),
                Relation(
                    "mart.participation_cube",
                    frozenset(
                        _FILTER_COLS
                        | _GEO
                        | _PARTICIPATION_SUMS
                        | {
                            "cooperation_id",
                            "stakeholder_type",
                            "organisations_max",
                            "joint_organisations_sum",
                            "joint_organisations_max",
                            "cb_participants",
                            "cb_completions",
                            "cb_participants_completion_declared",
                            "person_days",
                            "study_visit_person_days",
                            "participation_rows",
                        }
                    ),
                ),
            ),
        ),
        Source(
            "activity",
            Geography.HOST,
            geo_shape="list",
            relations=(
                # K29 per city: the cube's cells with its city list unnested (no country list)
                Relation(
                    "mart.activity_city_cube",
                    frozenset(
                        _FILTER_COLS | {"city_id", "regions", "fields_filled", "fields_total"}
                    ),
                    place="city_id",
                ),
                # one city's activities (K03 for one city): the cube's rows with its city list
                # unnested, the country and region lists kept (every filter but the tags)
                Relation(
                    "mart.activity_city_rows",
                    frozenset(
                        _FILTER_COLS
                        | {"city_id", "countries", "regions", "cooperation_id"}
                        | {"status", "activities"}
                    ),
                    place="city_id",
                ),
                Relation(
                    "mart.activity_cube",
                    frozenset(
                        _FILTER_COLS
                        | _GEO_LISTS
                        | {
                            "activity_type",
                            "modality",
                            "cooperation_id",
                            "is_eu_na",
                            "status",
                            "activities",
                            "participants",
                            "study_visit_person_days",
                            "fields_filled",
                            "fields_total",
                        }
                    ),
                ),
            ),
        ),
        Source(
            "timeliness",
            Geography.HOST,
            geo_shape="list",
            relations=(
                # K30 per city: the cube's lags with its city list unnested (fewer filter columns)
                Relation(
                    "mart.timeliness_city_cube",
                    frozenset(
                        {"month", "network_id", "mode", "city_id", "regions"}
                        | {"report_lag_days", "activities"}
                    ),
                    place="city_id",
                ),
                Relation(
                    "mart.timeliness_cube",
                    frozenset(
                        _FILTER_COLS
                        | _GEO_LISTS
                        | {"cooperation_id", "report_lag_days", "activities"}
                    ),
                ),
            ),
        ),
        Source(
            "output",
            Geography.MEMBER,
            geo_shape="list",
            date_col=None,  # each output metric names the stage date it is counted at
            relations=(
                Relation(
                    "mart.output_register",
                    frozenset(
                        _FILTER_COLS
                        | _GEO_LISTS
                        | {
                            "output_id",
                            "output_type",
                            "status",
                            "cooperation_id",
                            "framework_id",
                            "evidence_url",
                            "has_evidence",
                            "reference_date",
                            "developed_date",
                            "implemented_date",
                            "adopted_date",
                            "is_joint",
                            "is_abandoned",
                            "reached_planned",
                            "reached_developed",
                            "reached_implemented",
                            "reached_adopted",
                        }
                    ),
                ),
            ),
        ),
        # take-up (core.output_adoption): the output's dimensions, the adopting city's geography
        Source(
            "output_adoption",
            Geography.ADOPTER,
            relations=(
                Relation(
                    "mart.output_adoption",
                    frozenset(
                        _FILTER_COLS
                        | _GEO
                        | {"output_id", "output_type", "cooperation_id", "adopted_date"}
                    ),
                ),
            ),
        ),
        Source(
            "funding",
            Geography.MEMBER,
            geo_shape="list",
            date_col="committed_date",
            relations=(
                Relation(
                    "mart.funding_register",
                    frozenset(
                        _FILTER_COLS
                        | _GEO_LISTS
                        | {"cooperation_id", "committed_date", "amount_eur", "source_type"}
                    ),
                ),
            ),
        ),
        Source(
            "sdg_target",
            Geography.HOST,
            geo_shape="list",
            # one row per tag: any review basis and method counts its distinct targets right
            tag_filters=frozenset({"review", "method"}),
            relations=(
                # one city's tags (a query scoped to one city): the tags naming a target, a row
                # per city of a tag's list, without the entity's columns: for a metric of tags
                # with a target that needs no entity (K24)
                Relation(
                    "mart.sdg_tag_city",
                    frozenset(
                        _FILTER_COLS
                        | {"countries", "regions", "city_id"}
                        | {"goal", "target_id", "cooperation_id", "review", "method"}
                    ),
                    place="city_id",
                ),
                # every tag, sorted by cooperation, with the columns of a count of the tagged
                # items without filters but a cooperation's (sdg.items_tagged)
                Relation(
                    "mart.sdg_tag_cooperation",
                    frozenset({"month", "cooperation_id", "entity_type", "entity_id"})
                    | {"review", "method"},
                ),
                Relation(
                    "mart.sdg_tag",
                    frozenset(
                        _FILTER_COLS
                        | _GEO_LISTS
                        | {"entity_type", "entity_id", "goal", "target_id", "cooperation_id"}
                        | {"review", "method", "is_primary"}
                    ),
                ),
            ),
        ),
        # one row per entity and goal (mart.sdg_entity_goal): the SDG profile's counts of
        # entities without grouping the tags; the tag filters test its flag columns, `tag_*`
        # (any tag) for sdg_goal, `primary_*` (a primary tag) for sdg_goal_primary
        *(
            Source(
                name,
                Geography.HOST,
                geo_shape="list",
                tag_filters=frozenset({"review", "method"}),
                tag_flags=kind,
                relations=(
                    # one row per entity, its flags or-ed over its goals: what a figure not
                    # broken down by goal reads (a count of its rows, not a distinct count)
                    Relation(
                        "mart.sdg_entity",
                        frozenset(
                            _FILTER_COLS
                            | _GEO_LISTS
                            | {"entity_type", "entity_id", "cooperation_id"}
                            | {
                                f"{kind}_{review}_{method}"
                                for review in WITH_SUGGESTIONS
                                for method in TAG_METHODS
                            }
                        ),
                        key=("entity_type", "entity_id"),
                    ),
                    Relation(
                        "mart.sdg_entity_goal",
                        frozenset(
                            _FILTER_COLS
                            | _GEO_LISTS
                            | {"entity_type", "entity_id", "goal", "cooperation_id"}
                            | {
                                f"{kind}_{review}_{method}"
                                for review in WITH_SUGGESTIONS
                                for method in TAG_METHODS
                            }
                        ),
                    ),
                ),
            )
            for name, kind in (("sdg_goal", "tag"), ("sdg_goal_primary", "primary"))
        ),
        Source(
            "sdg_activity",
            Geography.HOST,
            geo_shape="list",
            # an activity row (tagged false, flags null) plus, for a tagged activity, one row
            # whose flags say which primary tags it has (see the mart): the tag filters test them
            tag_filters=frozenset({"review", "method"}),
            tag_flags="primary",
            entity_rows=True,
            relations=(
                Relation(
                    "mart.sdg_activity",
                    frozenset(
                        _FILTER_COLS
                        | _GEO_LISTS
                        | {"cooperation_id", "activity_id", "tagged"}
                        | {
                            f"primary_{review}_{method}"
                            for review in WITH_SUGGESTIONS
                            for method in TAG_METHODS
                        }
                    ),
                ),
            ),
        ),
        Source(
            "sdg_review",
            Geography.HOST,
            geo_shape="list",
            # K26 is about the review of every suggestion: the review basis does not restrict it
            tag_filters=frozenset({"method"}),
            relations=(
                Relation(
                    "mart.sdg_review_cube",
                    frozenset(
                        _FILTER_COLS | _GEO_LISTS | {"method", "status", "cooperation_id", "tags"}
                    ),
                ),
            ),
        ),
        Source(
            "cooperation",
            Geography.MEMBER,
            geo_shape="list",
            date_col=None,
            lacks=frozenset({"subtheme", "challenge"}),
            relations=(
                Relation(
                    "mart.cooperation_register",
                    frozenset(
                        {"network_id", "mode", "cooperation_id"}
                        | _GEO_LISTS
                        | {"support_end_date", "sustained_from"}
                    ),
                ),
            ),
        ),
        # the cooperation network: one row per cooperation and member city; the geographic
        # filters match a cooperation through any member (its lists), as the map does
        Source(
            "cooperation_member",
            Geography.MEMBER,
            geo_shape="list",
            date_col=None,
            lacks=frozenset({"subtheme", "challenge"}),
            relations=(
                Relation(
                    "mart.cooperation_member",
                    frozenset(
                        {"network_id", "mode", "cooperation_id", "n_members"}
                        | _GEO_LISTS
                        | {"member_city_id", "member_region"}
                    ),
                ),
            ),
        ),
        # K22 (D3): one row per cooperation (D1) with its eligibility and sustained flag at the
        # evaluation date (a row's own, so that the keyed scorecard evaluates each call at its
        # date); the rule lives in mart.cooperation_evidence and the two macros it names
        Source(
            "sustained",
            Geography.MEMBER,
            base="cooperation",
            sql="""
                select
                    {dims}
                    mart.cooperation_eligible_at(c.sustained_from, {eval}) as eligible,
                    mart.cooperation_sustained_at(c.sustained_from, e.first_evidence_date, {eval})
                        as sustained
                from {src} as c
                join (
                    select cooperation_id, first_evidence_date from mart.cooperation_evidence
                ) as e using (cooperation_id)
            """,
        ),
        # K05/K09 (D6): organisations by identifier where the data has one; the participations
        # of unidentified organisations beside them (mart.organisation_cube)
        Source(
            "organisation",
            Geography.PARTICIPANT,
            relations=(
                Relation(
                    "mart.organisation_cube",
                    frozenset(
                        _FILTER_COLS
                        | _GEO
                        | {"cooperation_id", "stakeholder_type", "is_joint", "organisation_id"}
                        | {"identified_participations", "unidentified_participations"}
                    ),
                ),
            ),
        ),
        # K07 (Gini-Simpson) groups: government (local + regional), academia, business, civil
        # society; 'other' is left out. The rows are summed per stakeholder type first, then the
        # few types per group: the same sums (of integers), without a CASE on every cube row
        # (K07 at 10 M: ~3x faster)
        Source(
            "stakeholder_group",
            Geography.PARTICIPANT,
            base="participation",
            sql="""
                select
                    {dims}
                    case
                        when stakeholder_type in ('local_government', 'regional_government')
                            then 'government'
                        else stakeholder_type
                    end as stakeholder_group,
                    sum(n)::double as n
                from (
                    select {dims} stakeholder_type, sum(participants) as n
                    from {src}
                    where stakeholder_type <> 'other'
                    group by all
                )
                group by all
            """,
        ),
        # lower bound of distinct organisations: per city and stakeholder type, the most
        # organisations seen at any one activity (all activities, and joint ones for K09)
        Source(
            "organisation_bound",
            Geography.PARTICIPANT,
            base="participation",
            sql="""
                select
                    {dims}
                    city_id,
                    stakeholder_type,
                    max(organisations_max)::double as organisations,
                    max(joint_organisations_max)::double as joint_organisations
                from {src}
                group by all
            """,
        ),
        # K30 (D5): the timeliness cube's (lag, count) rows per lag, each with the running count
        # of activities up to and including its lag (`lag_running`) and the count of activities
        # with a lag (`lag_count`), per breakdown group: the lower median is the smallest lag
        # whose running count reaches half, with no row per activity (the cube's counts are
        # never unnested). Partitioning by "has a lag" keeps a missing lag out of both counts.
        Source(
            "report_lag",
            Geography.HOST,
            base="timeliness",
            sql="""
                select
                    {dims}
                    report_lag_days,
                    activities,
                    sum(activities) over (
                        partition by {dims} report_lag_days is not null
                        order by report_lag_days
                    ) as lag_running,
                    sum(activities) over (
                        partition by {dims} report_lag_days is not null
                    ) as lag_count
                from (
                    select {dims} report_lag_days, sum(activities) as activities
                    from {src}
                    group by all
                )
            """,
        ),
        # K30's mean: the lags weighted by the cube's counts (no unnesting, unlike the median)
        Source(
            "report_lag_weighted",
            Geography.HOST,
            base="timeliness",
            sql="""
                select {dims} report_lag_days, activities
                from {src}
            """,
        ),
        # K11 (D11): the quarters of the period, or those the completed activities span
        Source(
            "exchange",
            Geography.HOST,
            base="activity",
            one_row=True,
            sql="""
                select
                    {dims}
                    coalesce(sum(activities) filter (where exchanged and is_eu_na), 0)::double
                        as eu_na_activities,
                    count(distinct case when exchanged then cooperation_id end)::double
                        as cooperations,
                    datediff(
                        'quarter',
                        date_trunc(
                            'quarter', coalesce({period_start}, min(month) filter (where exchanged))
                        ),
                        date_trunc(
                            'quarter', coalesce({period_end}, max(month) filter (where exchanged))
                        )
                    ) + 1 as quarters
                from (
                    select *, status = 'completed' and mode in """
            + COOPERATION_MODES
            + """ as exchanged
                    from {src}
                )
                group by all
            """,
        ),
    )
}

_TIME = ("month", "quarter", "year")
_PLACE = ("network", "subtheme", "challenge", "mode", "region", "country")
PARTICIPATION_BREAKDOWNS = (
    *_TIME,
    *_PLACE,
    "country_group",
    "city",
    "stakeholder_type",
    "activity_type",
    "modality",
)
ACTIVITY_BREAKDOWNS = (
    *_TIME,
    "network",
    "subtheme",
    "challenge",
    "mode",
    "activity_type",
    "modality",
)
# outputs and funding: by their activity's cross-cutting challenge too (one per activity)
OUTPUT_BREAKDOWNS = ("network", "mode", "challenge")

DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension("month", "month", time_grain="month"),
        Dimension("quarter", "quarter", time_grain="quarter"),
        Dimension("year", "year", time_grain="year"),
        Dimension("network", "network_id", "ref.network", "network_id"),
        Dimension("subtheme", "subtheme_id", "ref.subtheme", "subtheme_id"),
        # one per activity (nullable): rows without one form their own (null) group
        Dimension("challenge", "cross_cutting_id", "ref.cross_cutting", "cross_cutting_id"),
        Dimension("mode", "mode", "ref.cooperation_mode", "mode_id"),
        Dimension("region", "region"),
        # a cooperation member city's own region (the network's EU / North America balance)
        Dimension("member_region", "member_region"),
        # Europe as one group, North America by country (the programme's balance)
        Dimension(
            "country_group",
            "country_group",
            "ref.country",
            "country_iso2",
            expr="case when region = 'EU' then 'EU' else country_iso2 end",
        ),
        Dimension("country", "country_iso2", "ref.country", "country_iso2"),
        Dimension("city", "city_id", "mart.city", "city_id", label_expr="name"),
        Dimension(
            "stakeholder_type", "stakeholder_type", "ref.stakeholder_type", "stakeholder_type_id"
        ),
        Dimension("activity_type", "activity_type", "ref.activity_type", "activity_type_id"),
        Dimension("modality", "modality", "ref.modality", "modality_id"),
        Dimension("output_type", "output_type", "ref.output_type", "output_type_id"),
        Dimension("output_status", "status", "ref.output_status", "status_id"),
        Dimension("goal", "goal", "ref.sdg_goal", "goal"),
        Dimension("method", "method"),
        Dimension("review_status", "status"),
    )
}

# euros summed as decimals (cents are exact at 6 places): exact and independent of the order
# the rows are added in, where a DOUBLE sum run in parallel changes its last digits with the plan
_EUR_SUM = "coalesce(sum(cast(amount_eur as decimal(38, 6))), 0)"
_OUT = "not is_abandoned and output_type = "
_DEV = " and reached_developed and developed_date <= {end}"
_ADOPT = " and reached_adopted and adopted_date <= {end}"
_IMPL = " and reached_implemented and implemented_date <= {end}"


def _pct(num: str, den: str) -> str:
    return f"100.0 * ({num}) / nullif({den}, 0)"


def _take_up(metric_id: str, label: str, definition: str, counted: str) -> Metric:
    """Return a take-up metric: the distinct `counted` ids of mart.output_adoption, to date."""
    return Metric(
        metric_id,
        label,
        definition,
        "count",
        Additivity.DISTINCT,
        "output_adoption",
        f"count(distinct {counted})",
        time_basis=TimeBasis.TO_DATE,
        direction="higher",
        breakdowns=(*OUTPUT_BREAKDOWNS, "output_type", "country", "region", *_TIME),
    )


def _organisation_counts(
    kpi: str, label: str, activities: str, *, where: str = "true"
) -> tuple[Metric, ...]:
    """Return the organisation metrics of one KPI from mart.organisation (D6), ids `kpi.identified`,
    `.unidentified`, `.upper_bound` and `.pct_identified`: the exact distinct count of identified
    organisations taking part in `activities`, the participations without an identifier, their
    sum (the most distinct organisations the data allows) and the identifier coverage."""
    identified = "sum(identified_participations)"
    participations = "sum(identified_participations) + sum(unidentified_participations)"
    return (
        Metric(
            f"{kpi}.identified",
            f"{label}, identified",
            "Distinct organisations with an identifier (organisation_id) taking part in "
            f"{activities}: an exact distinct count.",
            "count",
            Additivity.DISTINCT,
            "organisation",
            "count(distinct organisation_id)",
            direction="higher",
            where=where,
            breakdowns=("year", "region"),
            decision="D6",
        ),
        Metric(
            f"{kpi}.unidentified",
            f"{label}, participations without identifier",
            "Organisation participations recorded without an identifier (counts of organisations "
            "per participation row): the most distinct organisations they can add.",
            "count",
            Additivity.SUM,
            "organisation",
            "coalesce(sum(unidentified_participations), 0)",
            where=where,
            breakdowns=("year", "region"),
            decision="D6",
        ),
        Metric(
            f"{kpi}.upper_bound",
            f"{label}, at most",
            "Identified organisations plus the organisation participations without an identifier "
            "(each counted as a different organisation): the most distinct organisations the data "
            "allows.",
            "count",
            Additivity.BOUND,
            "organisation",
            "count(distinct organisation_id) + coalesce(sum(unidentified_participations), 0)",
            where=where,
            breakdowns=("year", "region"),
            decision="D6",
        ),
        Metric(
            f"{kpi}.pct_identified",
            f"{label}: identifier coverage",
            "Share of organisation participations that carry an organisation identifier.",
            "percent",
            Additivity.RATIO,
            "organisation",
            _pct(identified, participations),
            numerator=identified,
            denominator=participations,
            where=where,
            breakdowns=("year", "region"),
            decision="D6",
        ),
    )


METRICS: dict[str, Metric] = {
    m.id: m
    for m in (
        # --- B1 reach and participation ------------------------------------------------------
        Metric(
            "K01",
            "Active cooperations",
            "Pairings, trios and clusters with at least one completed joint activity in the period "
            "(the global network is reported apart).",
            "count",
            Additivity.DISTINCT,
            "activity",
            "count(distinct cooperation_id)",
            where=f"status = 'completed' and mode in {COOPERATION_MODES}",
            direction="higher",
            breakdowns=(*OUTPUT_BREAKDOWNS, *_TIME),
            indicator="K01",
            decision="D1, D2",
        ),
        Metric(
            "K02",
            "Participating cities",
            "Distinct cities with at least one participation in a completed activity of the period.",
            "count",
            Additivity.DISTINCT,
            "participation",
            "count(distinct city_id)",
            where="participants > 0",
            direction="higher",
            breakdowns=(*_TIME, *_PLACE, "country_group", "stakeholder_type"),
            indicator="K02",
        ),
        Metric(
            "K03",
            "Activities delivered",
            "Completed activities in the period, counted at their host city (without one, where "
            "their participants come from).",
            "count",
            Additivity.SUM,
            "activity",
            "coalesce(sum(activities), 0)",
            where="status = 'completed'",
            direction="higher",
            breakdowns=ACTIVITY_BREAKDOWNS,
            indicator="K03",
            decision="D12",
        ),
        Metric(
            "K03.pct_of_plan",
            "Activities delivered, % of plan",
            "Completed ÷ (completed + planned) activities; cancelled activities leave the plan.",
            "percent",
            Additivity.RATIO,
            "activity",
            _pct(
                "sum(activities) filter (where status = 'completed')",
                "sum(activities) filter (where status in ('completed', 'planned'))",
            ),
            numerator="sum(activities) filter (where status = 'completed')",
            denominator="sum(activities) filter (where status in ('completed', 'planned'))",
            direction="higher",
            breakdowns=ACTIVITY_BREAKDOWNS,
            indicator="K03",
            measure="pct_of_plan",
            decision="D8",
        ),
        Metric(
            "K04",
            "Participations",
            "Person-attendances (one person at one activity) in completed activities.",
            "count",
            Additivity.SUM,
            "participation",
            "coalesce(sum(participants), 0)",
            direction="higher",
            breakdowns=PARTICIPATION_BREAKDOWNS,
            indicator="K04",
        ),
        Metric(
            "K05",
            "Organisation participations",
            "Organisations taking part, summed over activities: an organisation at two activities "
            "counts twice (the data holds counts, not identities). The lower bound beside it is "
            "the distinct organisations the data proves.",
            "count",
            Additivity.SUM,
            "participation",
            "coalesce(sum(organisations_sum), 0)",
            direction="higher",
            breakdowns=(*_TIME, *_PLACE, "country_group", "city", "stakeholder_type"),
            indicator="K05",
            decision="D6",
        ),
        Metric(
            "K05.lower_bound",
            "Organisations, at least",
            "Per city and stakeholder type the most organisations seen at any one activity, added "
            "over cities and types: the fewest distinct organisations the data allows.",
            "count",
            Additivity.BOUND,
            "organisation_bound",
            "coalesce(sum(organisations), 0)",
            breakdowns=("network", "mode", "region", "country", "city", "stakeholder_type"),
            indicator="K05",
            measure="lower_bound",
            decision="D6",
        ),
        *_organisation_counts("K05", "Organisations", "completed activities"),
        *_organisation_counts(
            "K09",
            "Organisations in joint activities",
            "completed joint activities",
            where="is_joint",
        ),
        Metric(
            "K06",
            "Non-government share",
            "Share of participations from academia, business, civil society and other (not local "
            "or regional government).",
            "percent",
            Additivity.RATIO,
            "participation",
            _pct(
                "sum(participants) filter (where stakeholder_type not in "
                "('local_government', 'regional_government'))",
                "sum(participants)",
            ),
            numerator="sum(participants) filter (where stakeholder_type not in "
            "('local_government', 'regional_government'))",
            denominator="sum(participants)",
            direction="higher",
            breakdowns=(*_TIME, *_PLACE),
            indicator="K06",
        ),
        Metric(
            "K07",
            "Stakeholder diversity index",
            "1 − Σ p² over government, academia, business and civil society (Gini–Simpson).",
            "index",
            Additivity.INDEX,
            "stakeholder_group",
            "case when sum(n) > 0 then 1 - sum(n * n) / (sum(n) * sum(n)) end",
            denominator="sum(n)",
            direction="higher",
            breakdowns=("network", "mode", "region", "country", "city"),
            indicator="K07",
        ),
        Metric(
            "K08",
            "Women among participants",
            "Share of women among participations whose gender was declared.",
            "percent",
            Additivity.RATIO,
            "participation",
            _pct("sum(women)", "sum(participants_gender_declared)"),
            numerator="sum(women)",
            denominator="sum(participants_gender_declared)",
            breakdowns=PARTICIPATION_BREAKDOWNS,
            indicator="K08",
        ),
        Metric(
            "K08.pct_undeclared",
            "Gender not declared",
            "Share of participations whose gender was not declared.",
            "percent",
            Additivity.RATIO,
            "participation",
            _pct("sum(participants) - sum(participants_gender_declared)", "sum(participants)"),
            numerator="sum(participants) - sum(participants_gender_declared)",
            denominator="sum(participants)",
            direction="lower",
            breakdowns=PARTICIPATION_BREAKDOWNS,
            indicator="K08",
            measure="pct_undeclared",
        ),
        Metric(
            "K09",
            "Organisation participations in joint activities",
            "Organisations taking part in joint activities (a cooperation's activity with "
            "participants from two or more countries), summed over activities.",
            "count",
            Additivity.SUM,
            "participation",
            "coalesce(sum(joint_organisations_sum), 0)",
            direction="higher",
            breakdowns=(*_TIME, *_PLACE, "city", "stakeholder_type"),
            indicator="K09",
            decision="D2, D6",
        ),
        Metric(
            "K09.lower_bound",
            "Organisations in joint activities, at least",
            "Per city and stakeholder type the most organisations seen at any one joint activity, "
            "added over cities and types.",
            "count",
            Additivity.BOUND,
            "organisation_bound",
            "coalesce(sum(joint_organisations), 0)",
            breakdowns=("network", "mode", "region", "country", "city", "stakeholder_type"),
            indicator="K09",
            measure="lower_bound",
            decision="D6",
        ),
        Metric(
            "K10",
            "Capacity-building participations",
            "Participations in trainings and capacity-building activities.",
            "count",
            Additivity.SUM,
            "participation",
            "coalesce(sum(cb_participants), 0)",
            direction="higher",
            breakdowns=(*_TIME, *_PLACE, "city", "stakeholder_type"),
            indicator="K10",
        ),
        Metric(
            "K10.pct_completed",
            "Capacity building completed",
            "Share completing, among capacity-building participations with completion declared.",
            "percent",
            Additivity.RATIO,
            "participation",
            _pct("sum(cb_completions)", "sum(cb_participants_completion_declared)"),
            numerator="sum(cb_completions)",
            denominator="sum(cb_participants_completion_declared)",
            direction="higher",
            breakdowns=(*_TIME, *_PLACE, "city", "stakeholder_type"),
            indicator="K10",
            measure="pct_completed",
        ),
        Metric(
            "K11",
            "Exchange intensity",
            "Completed EU–North America activities per active cooperation per quarter.",
            "quarter_rate",
            Additivity.RATIO,
            "exchange",
            "sum(eu_na_activities) / nullif(sum(cooperations) * max(quarters), 0)",
            numerator="sum(eu_na_activities)",
            denominator="sum(cooperations) * max(quarters)",
            direction="higher",
            breakdowns=(),
            indicator="K11",
            decision="D1, D11",
        ),
        Metric(
            "K11.study_visit_person_days",
            "Study-visit person-days",
            "Participants × days of completed study visits.",
            "person_days",
            Additivity.SUM,
            "activity",
            "coalesce(sum(study_visit_person_days), 0)",
            where="status = 'completed'",
            direction="higher",
            breakdowns=ACTIVITY_BREAKDOWNS,
            indicator="K11",
            measure="study_visit_person_days",
        ),
        Metric(
            "person_days",
            "Person-days",
            "Participants × days of completed activities.",
            "person_days",
            Additivity.SUM,
            "participation",
            "coalesce(sum(person_days), 0)",
            direction="higher",
            breakdowns=(*_TIME, *_PLACE, "city", "activity_type", "modality"),
        ),
        # --- B2/B3 outputs and outcomes: stocks to the period end -----------------------------
        Metric(
            "outputs",
            "Outputs",
            "Outputs (action plans, pilots, solutions, agreements, knowledge products, policy "
            "changes) whose first stage is dated by the period end, whatever their current "
            "status (abandoned included), to date.",
            "count",
            Additivity.STOCK,
            "output",
            "count(*)",
            where="reference_date <= {end}",
            time_basis=TimeBasis.TO_DATE,
            breakdowns=(*OUTPUT_BREAKDOWNS, "output_type", "output_status", "city"),
        ),
        Metric(
            "K12",
            "Joint action plans",
            "Action plans developed with partners from two or more countries, to date.",
            "count",
            Additivity.STOCK,
            "output",
            "count(*)",
            where=_OUT + "'action_plan' and is_joint" + _DEV,
            time_basis=TimeBasis.TO_DATE,
            direction="higher",
            breakdowns=OUTPUT_BREAKDOWNS,
            indicator="K12",
            decision="D7",
        ),
        Metric(
            "K13",
            "Pilots designed",
            "Pilot projects developed, to date.",
            "count",
            Additivity.STOCK,
            "output",
            "count(*)",
            where=_OUT + "'pilot'" + _DEV,
            time_basis=TimeBasis.TO_DATE,
            direction="higher",
            breakdowns=OUTPUT_BREAKDOWNS,
            indicator="K13",
        ),
        Metric(
            "K14",
            "Jointly developed solutions",
            "Solutions developed, to date.",
            "count",
            Additivity.STOCK,
            "output",
            "count(*)",
            where=_OUT + "'solution'" + _DEV,
            time_basis=TimeBasis.TO_DATE,
            direction="higher",
            breakdowns=OUTPUT_BREAKDOWNS,
            indicator="K14",
        ),
        Metric(
            "K15",
            "Formal agreements",
            "Agreements signed (adopted), to date.",
            "count",
            Additivity.STOCK,
            "output",
            "count(*)",
            where=_OUT + "'agreement'" + _ADOPT,
            time_basis=TimeBasis.TO_DATE,
            direction="higher",
            breakdowns=OUTPUT_BREAKDOWNS,
            indicator="K15",
        ),
        Metric(
            "K16",
            "Knowledge products",
            "Knowledge products published, to date; abandoned ones excluded.",
            "count",
            Additivity.STOCK,
            "output",
            "count(*)",
            where=_OUT + "'knowledge_product'" + _DEV,
            time_basis=TimeBasis.TO_DATE,
            direction="higher",
            breakdowns=OUTPUT_BREAKDOWNS,
            indicator="K16",
            decision="D7",
        ),
        # the report's "new outputs": outputs of every type developed inside the period (not a
        # stock): the difference between two stocks is never taken by hand
        Metric(
            "outputs_new",
            "New outputs",
            "Outputs of every type (plans, pilots, solutions, agreements, knowledge products, "
            "policy changes) that reached the developed stage in the period; abandoned ones excluded.",
            "count",
            Additivity.SUM,
            "output",
            "count(*)",
            where="not is_abandoned and reached_developed",
            date_col="developed_date",
            direction="higher",
            breakdowns=("network", "mode"),
            decision="D7",
        ),
        # the output funnel: outputs placed in the period by their first dated stage (the month
        # of reference_date), counted at each lifecycle stage they reached; by output type
        Metric(
            "outputs.planned",
            "Outputs planned",
            "Outputs whose first stage is dated in the period that reached the planned stage (abandoned ones keep the stages they reached).",
            "count",
            Additivity.SUM,
            "output",
            "count(*)",
            where="reached_planned",
            date_col="month",
            breakdowns=("output_type", "network", "mode"),
        ),
        Metric(
            "outputs.developed",
            "Outputs developed",
            "Outputs whose first stage is dated in the period that reached the developed stage (abandoned ones keep the stages they reached).",
            "count",
            Additivity.SUM,
            "output",
            "count(*)",
            where="reached_developed",
            date_col="month",
            breakdowns=("output_type", "network", "mode"),
        ),
        Metric(
            "outputs.implemented",
            "Outputs implemented",
            "Outputs whose first stage is dated in the period that reached the implemented stage (abandoned ones keep the stages they reached).",
            "count",
            Additivity.SUM,
            "output",
            "count(*)",
            where="reached_implemented",
            date_col="month",
            breakdowns=("output_type", "network", "mode"),
        ),
        Metric(
            "outputs.adopted",
            "Outputs adopted",
            "Outputs whose first stage is dated in the period that reached the adopted stage (abandoned ones keep the stages they reached).",
            "count",
            Additivity.SUM,
            "output",
            "count(*)",
            where="reached_adopted",
            date_col="month",
            breakdowns=("output_type", "network", "mode"),
        ),
        Metric(
            "outputs.pct_adopted",
            "Outputs adopted, % of planned",
            "Of the outputs of the period that reached the planned stage, the share that reached "
            "the adopted stage.",
            "percent",
            Additivity.RATIO,
            "output",
            _pct(
                "count(*) filter (where reached_adopted)", "count(*) filter (where reached_planned)"
            ),
            numerator="count(*) filter (where reached_adopted)",
            denominator="count(*) filter (where reached_planned)",
            date_col="month",
            direction="higher",
            breakdowns=("output_type", "network", "mode"),
        ),
        # the cooperation network map: cooperations and their member cities, whatever their
        # activity in the period (the map draws every cooperation matching the filters)
        Metric(
            "cooperations",
            "Cooperations",
            "Pairings, trios, clusters and global networks matching the filters (a cooperation "
            "matches a place when any of its member cities is there), whatever their activity.",
            "count",
            Additivity.DISTINCT,
            "cooperation_member",
            "count(distinct cooperation_id)",
            breakdowns=("network", "mode", "member_region"),
        ),
        Metric(
            "member_cities",
            "Member cities",
            "Distinct cities that are members of the cooperations matching the filters; by region, "
            "the member city's own region.",
            "count",
            Additivity.DISTINCT,
            "cooperation_member",
            "count(distinct member_city_id)",
            breakdowns=("network", "mode", "member_region"),
        ),
        Metric(
            "K17",
            "Action plans taken up",
            "Action plans adopted, to date.",
            "count",
            Additivity.STOCK,
            "output",
            "count(*)",
            where=_OUT + "'action_plan'" + _ADOPT,
            time_basis=TimeBasis.TO_DATE,
            direction="higher",
            breakdowns=OUTPUT_BREAKDOWNS,
            indicator="K17",
        ),
        Metric(
            "K17.pct_of_k12",
            "Joint action plans taken up",
            "Of the joint action plans developed to date, the share adopted to date.",
            "percent",
            Additivity.RATIO,
            "output",
            _pct("count(*) filter (where reached_adopted and adopted_date <= {end})", "count(*)"),
            numerator="count(*) filter (where reached_adopted and adopted_date <= {end})",
            denominator="count(*)",
            where=_OUT + "'action_plan' and is_joint" + _DEV,
            time_basis=TimeBasis.TO_DATE,
            direction="higher",
            breakdowns=OUTPUT_BREAKDOWNS,
            indicator="K17",
            measure="pct_of_k12",
        ),
        Metric(
            "K18",
            "Pilots implemented",
            "Pilots implemented, to date; abandoned ones excluded.",
            "count",
            Additivity.STOCK,
            "output",
            "count(*)",
            where=_OUT + "'pilot'" + _IMPL,
            time_basis=TimeBasis.TO_DATE,
            direction="higher",
            breakdowns=OUTPUT_BREAKDOWNS,
            indicator="K18",
            decision="D7",
        ),
        Metric(
            "K18.pct_of_k13",
            "Pilots implemented, % of designed",
            "Of the pilots developed to date, the share implemented to date.",
            "percent",
            Additivity.RATIO,
            "output",
            _pct(
                "count(*) filter (where reached_implemented and implemented_date <= {end})",
                "count(*)",
            ),
            numerator="count(*) filter (where reached_implemented and implemented_date <= {end})",
            denominator="count(*)",
            where=_OUT + "'pilot'" + _DEV,
            time_basis=TimeBasis.TO_DATE,
            direction="higher",
            breakdowns=OUTPUT_BREAKDOWNS,
            indicator="K18",
            measure="pct_of_k13",
        ),
        Metric(
            "K19",
            "Solutions taken up",
            "Solutions adopted beyond the pilot, to date.",
            "count",
            Additivity.STOCK,
            "output",
            "count(*)",
            where=_OUT + "'solution'" + _ADOPT,
            time_basis=TimeBasis.TO_DATE,
            direction="higher",
            breakdowns=OUTPUT_BREAKDOWNS,
            indicator="K19",
        ),
        Metric(
            "K20",
            "Funding leveraged",
            "Funds committed to actions stemming from the cooperation, in euros, to date.",
            "eur",
            Additivity.STOCK,
            "funding",
            _EUR_SUM,
            time_basis=TimeBasis.TO_DATE,
            direction="higher",
            breakdowns=(*OUTPUT_BREAKDOWNS, *_TIME),
            indicator="K20",
        ),
        # the cooperation page's funding card: commitments dated in the period (a flow, where
        # K20 is the stock to date)
        Metric(
            "funding.committed",
            "Funding committed in the period",
            "Funds committed in the period to actions stemming from the cooperation, in euros.",
            "eur",
            Additivity.SUM,
            "funding",
            _EUR_SUM,
            direction="higher",
        ),
        Metric(
            "funding.commitments",
            "Funding commitments",
            "Funding commitments dated in the period.",
            "count",
            Additivity.SUM,
            "funding",
            "count(*)",
        ),
        # take-up (issue 20): distinct counts, recounted at every level, never added up
        _take_up(
            "practices_taken_up",
            "Practices taken up",
            "Outputs adopted by at least one city other than their own, to date (by the place of "
            "the adopting city).",
            "output_id",
        ),
        _take_up(
            "adopting_cities",
            "Cities adopting",
            "Cities that adopted at least one output of another city, to date.",
            "city_id",
        ),
        Metric(
            "K21",
            "Policy changes influenced",
            "Policy changes adopted with an evidence link, to date.",
            "count",
            Additivity.STOCK,
            "output",
            "count(*)",
            where=_OUT + "'policy_change'" + _ADOPT + " and has_evidence",
            time_basis=TimeBasis.TO_DATE,
            direction="higher",
            breakdowns=OUTPUT_BREAKDOWNS,
            indicator="K21",
        ),
        Metric(
            "K22",
            "Sustained cooperation",
            "Of the cooperations whose support ended at least 12 months before the evaluation "
            "date, the share with a completed joint activity or an agreement on or after the "
            "12-month anniversary.",
            "percent",
            Additivity.RATIO,
            "sustained",
            _pct("count(*) filter (where sustained)", "count(*) filter (where eligible)"),
            numerator="count(*) filter (where sustained)",
            denominator="count(*) filter (where eligible)",
            time_basis=TimeBasis.AS_OF,
            direction="higher",
            breakdowns=("network", "mode"),
            indicator="K22",
            decision="D1, D3, D4",
        ),
        # --- B4 SDG alignment ----------------------------------------------------------------
        Metric(
            "K24",
            "SDG targets addressed",
            "Distinct SDG targets addressed by validated tags (with suggestions: by validated or "
            "unreviewed suggested tags).",
            "count",
            Additivity.DISTINCT,
            "sdg_target",
            "count(distinct target_id)",
            where="target_id is not null and review <> 'rejected'",
            direction="higher",
            breakdowns=("network", "mode", "goal", *_TIME),
            indicator="K24",
        ),
        Metric(
            "K25",
            "Activities with a primary SDG",
            "Share of the period's not-cancelled activities with a validated primary SDG goal "
            "(with suggestions: a validated or unreviewed suggested one).",
            "percent",
            Additivity.RATIO,
            "sdg_activity",
            # each activity has one untagged row (it passes every tag filter) and, if it has
            # primary tags, one tagged row (passing the filters if one of its tags does): both
            # are counts of rows, no distinct count
            _pct("count(*) filter (where tagged)", "count(*) filter (where not tagged)"),
            numerator="count(*) filter (where tagged)",
            denominator="count(*) filter (where not tagged)",
            direction="higher",
            breakdowns=("network", "mode", *_TIME),
            indicator="K25",
            decision="D9",
        ),
        # the SDG page's profile: activities per validated goal, primary-only or fractional
        Metric(
            "sdg.activities_primary",
            "Activities with a primary SDG goal",
            "The period's activities with a primary SDG goal among the counted tags (validated by "
            "default; with suggestions, validated or unreviewed suggested), each counted once.",
            "count",
            Additivity.DISTINCT,
            "sdg_goal_primary",
            "count(distinct entity_id)",
            where="entity_type = 'activity'",
            breakdowns=("goal", "network"),
        ),
        Metric(
            "sdg.activities_fractional",
            "Activities with an SDG goal",
            "The period's activities with at least one counted SDG tag (validated by default), "
            "each counted once: the SDG profile shares each of them equally between its goals.",
            "count",
            Additivity.DISTINCT,
            "sdg_goal",
            "count(distinct entity_id)",
            where="entity_type = 'activity'",
            breakdowns=("goal", "network"),
        ),
        # the SDG target drill-down's total: activities tagged with any target of a goal
        Metric(
            "sdg.activities_with_target",
            "Activities tagged with an SDG target",
            "The period's activities with at least one counted SDG tag naming a target (validated "
            "by default; with suggestions, validated or unreviewed suggested), each counted once: "
            "by goal, the activities the goal's target drill-down is about.",
            "count",
            Additivity.DISTINCT,
            "sdg_target",
            "count(distinct entity_id)",
            where="entity_type = 'activity' and target_id is not null and review <> 'rejected'",
            breakdowns=("goal", "network"),
        ),
        # the cooperation page's SDG profile: the cooperation, its activities and outputs
        # (each item's fractional weights add up to 1, so the profile's weights total this)
        Metric(
            "sdg.items_tagged",
            "Items with an SDG goal",
            "Items (a cooperation, an activity, an output) with at least one counted SDG tag "
            "(validated by default; with suggestions, validated or unreviewed suggested), each "
            "counted once.",
            "count",
            Additivity.DISTINCT,
            "sdg_target",
            "count(distinct concat(entity_type, ':', entity_id))",
            where="review <> 'rejected'",
            breakdowns=("goal", "network"),
        ),
        Metric(
            "K26",
            "SDG tags reviewed",
            "Share of suggested (keyword or model) SDG tags a person accepted or rejected.",
            "percent",
            Additivity.RATIO,
            "sdg_review",
            _pct(
                "coalesce(sum(tags) filter (where status in ('accepted', 'rejected')), 0)",
                "sum(tags)",
            ),
            numerator="coalesce(sum(tags) filter (where status in ('accepted', 'rejected')), 0)",
            denominator="coalesce(sum(tags), 0)",
            where="method in ('keyword', 'model')",
            direction="higher",
            breakdowns=("network", "mode", "method", *_TIME),
            indicator="K26",
        ),
        Metric(
            "sdg.tags",
            "SDG tags",
            "SDG tags recorded, by tagging method and review status (suggested, accepted or "
            "rejected), whatever the review basis.",
            "count",
            Additivity.SUM,
            "sdg_review",
            "coalesce(sum(tags), 0)",
            breakdowns=("method", "review_status", "network", "mode", *_TIME),
        ),
        Metric(
            "K26.agreement_rate",
            "Suggested SDG tags accepted",
            "Of the reviewed suggested tags, the share accepted.",
            "percent",
            Additivity.RATIO,
            "sdg_review",
            _pct(
                "coalesce(sum(tags) filter (where status = 'accepted'), 0)",
                "sum(tags) filter (where status in ('accepted', 'rejected'))",
            ),
            numerator="coalesce(sum(tags) filter (where status = 'accepted'), 0)",
            denominator="coalesce(sum(tags) filter (where status in ('accepted', 'rejected')), 0)",
            where="method in ('keyword', 'model')",
            breakdowns=("network", "mode", "method", *_TIME),
            indicator="K26",
            measure="agreement_rate",
        ),
        Metric(
            "K27",
            "Framework alignment",
            "Share of the period's outputs mapped to an EU policy framework.",
            "percent",
            Additivity.RATIO,
            "output",
            _pct("count(*) filter (where framework_id is not null)", "count(*)"),
            numerator="count(*) filter (where framework_id is not null)",
            denominator="count(*)",
            where="not is_abandoned",
            date_col="reference_date",
            direction="higher",
            breakdowns=OUTPUT_BREAKDOWNS,
            indicator="K27",
        ),
        # --- B5 data quality ------------------------------------------------------------------
        Metric(
            "K29",
            "Data completeness",
            "Filled cells ÷ all cells of the period's activity records, over every input column "
            "of the activity template.",
            "percent",
            Additivity.RATIO,
            "activity",
            _pct("sum(fields_filled)", "sum(fields_total)"),
            numerator="sum(fields_filled)",
            denominator="sum(fields_total)",
            direction="higher",
            breakdowns=(*ACTIVITY_BREAKDOWNS, "city", "country", "region"),
            indicator="K29",
            decision="D10",
        ),
        Metric(
            "K30",
            "Reporting delay (median)",
            "Median days from a completed activity's end to its record (the lower middle value).",
            "days",
            Additivity.MEDIAN,
            "report_lag",
            # the lower middle value: the median position of n lags is ceil(n / 2)
            "min(report_lag_days) filter (where 2 * lag_running >= lag_count)",
            denominator="coalesce(sum(activities), 0)",  # the activities (0 when none)
            direction="lower",
            breakdowns=("network", "mode", "city", "country", "region", *_TIME),
            indicator="K30",
            decision="D5",
        ),
        Metric(
            "K30.mean",
            "Reporting delay (mean)",
            "Mean days from a completed activity's end to its record.",
            "days",
            Additivity.RATIO,
            "report_lag_weighted",
            "sum(report_lag_days * activities) / nullif(sum(activities), 0)",
            numerator="sum(report_lag_days * activities)",
            denominator="sum(activities)",
            direction="lower",
            breakdowns=("network", "mode", "city", "country", "region", *_TIME),
            indicator="K30",
            measure="mean",
            decision="D5",
        ),
    )
}


def additive_over(m: Metric, dimension: str) -> bool:
    """Return True when the metric's groups over `dimension` add up to its total.

    Only SUM metrics add up, and not over a place when their source counts a row in several
    places (D12), nor a STOCK over time (a running total is not a flow).
    """
    dim = DIMENSIONS[dimension]
    source = SOURCES[m.source]
    base = SOURCES[source.base] if source.base else source
    if m.additivity not in (Additivity.SUM, Additivity.STOCK):
        return False
    if m.additivity == Additivity.STOCK and dim.time_grain:
        return False
    return not (base.geo_shape == "list" and dim.column in {"city_id", "country_iso2", "region"})


def metric(metric_id: str) -> Metric:
    """Return the declared metric `metric_id` (ValueError naming the known ids otherwise)."""
    try:
        return METRICS[metric_id]
    except KeyError:
        raise ValueError(f"unknown metric {metric_id!r}; known: {sorted(METRICS)}") from None


def kpi_metrics() -> list[Metric]:
    """Return the metrics that report a catalogue KPI, in declaration order."""
    return [m for m in METRICS.values() if m.indicator]
