"""Results: outputs and their funding, KPI targets and observations, SDG tags, city context."""

from __future__ import annotations

from schemas.columns import BOOL, FLOAT, INT, TEXT, Contract, column
from schemas.fields import (
    SDG_TARGET_PATTERN,
    Code,
    Currency,
    Date,
    IndicatorId,
    LongText,
    Name,
    SlugId,
    Url,
    Year,
)

SCOPE_TYPES = ["programme", "network", "mode", "cooperation", "city"]


#: A tangible result: action plan, pilot, solution, agreement, ... (core.output).
OUTPUT = Contract(
    "Outputs and their lifecycle.",
    (
        SlugId("output_id", description="Stable identifier of the output."),
        Code(
            "output_type",
            description="Type from ref.output_type (action_plan, pilot, solution, agreement, knowledge_product, policy_change).",
        ),
        Name("title", description="Title of the output."),
        Code(
            "status",
            description="Lifecycle status from ref.output_status (planned, developed, implemented, adopted, abandoned).",
        ),
        SlugId(
            "cooperation_id",
            nullable=True,
            description="Cooperation that produced it (core.cooperation).",
        ),
        SlugId("city_id", nullable=True, description="Lead city (core.city)."),
        Code("network_id", description="Thematic network from ref.network."),
        SlugId(
            "activity_id",
            nullable=True,
            description="Activity it stems from, if any (core.activity).",
        ),
        Code(
            "framework_id",
            nullable=True,
            description="Policy framework it contributes to, from ref.framework.",
        ),
        Date(
            "planned_date",
            nullable=True,
            description="Date it was planned; required from status planned on.",
        ),
        Date(
            "developed_date",
            nullable=True,
            description="Date it was developed; required from status developed on; not in the future.",
        ),
        Date(
            "implemented_date",
            nullable=True,
            description="Date it was implemented; required from status implemented on; not in the future.",
        ),
        Date(
            "adopted_date",
            nullable=True,
            description="Date it was formally adopted; required for status adopted; not in the future.",
        ),
        Url(
            "evidence_url",
            nullable=True,
            description="Public link to evidence (document, decision, web page).",
        ),
        LongText(
            "description",
            nullable=True,
            description="What the output is, in a few sentences (the showcase's catalogue text).",
        ),
    ),
)


#: Take-up of an output by another city: the city adopted the practice (core.output_adoption).
OUTPUT_ADOPTION = Contract(
    "Cities that took up an output (the showcase's take-up).",
    (
        SlugId("output_id", description="Output taken up; must exist in core.output."),
        SlugId(
            "city_id",
            description="Adopting city (core.city): not the output's own city nor one of its "
            "cooperation's cities.",
        ),
        Date(
            "adopted_date",
            description="Date the city formally adopted the practice; not in the future.",
        ),
        Url(
            "evidence_url",
            nullable=True,
            description="Public link to evidence of the take-up (decision, plan, web page).",
        ),
    ),
)


#: Funds leveraged for an output (core.funding).
FUNDING = Contract(
    "Funding leveraged per output.",
    (
        SlugId("funding_id", description="Stable identifier of the funding commitment."),
        SlugId("output_id", description="Output funded; must exist in core.output."),
        column("amount", FLOAT, ge=0, le=1e12, description="Amount in the original currency."),
        Currency(
            "currency", description="ISO 4217 currency code: EUR or a currency in ref.fx_rate."
        ),
        column(
            "amount_eur",
            FLOAT,
            nullable=True,
            ge=0,
            le=1e12,
            description="Amount in euro; computed from ref.fx_rate (annual rate of the commitment year) when empty, else checked within 5 % of it.",
        ),
        Code(
            "source_type",
            description="Source of funds from ref.funding_source (eu, public, private, public_private).",
        ),
        Date("committed_date", description="Date the funds were committed; not in the future."),
    ),
)


#: A KPI target for a scope and period (core.target).
#:
#: A yearly milestone is simply a target of the same KPI and scope with an earlier period_end.
TARGET = Contract(
    "KPI targets.",
    (
        IndicatorId("indicator_id", description="KPI from ref.indicator, e.g. 'K01'."),
        column(
            "scope_type",
            TEXT,
            isin=SCOPE_TYPES,
            description="programme, network, mode (cooperation mode), cooperation or city.",
        ),
        SlugId(
            "scope_id",
            description="The programme id ('iurc-na'), a network, a cooperation mode (ref.cooperation_mode), a cooperation or a city, as scope_type says.",
        ),
        Date(
            "period_end",
            description="Deadline: last day of the period the target is for; a yearly milestone is a target with an earlier period_end (e.g. 2024-12-31 before 2025-12-31).",
        ),
        column(
            "baseline",
            FLOAT,
            nullable=True,
            description="Value at the start (same unit as the indicator).",
        ),
        column(
            "target_value",
            FLOAT,
            description="Value to reach by period_end (same unit as the indicator).",
        ),
    ),
)


#: A reported KPI value for a scope and period (core.observation).
OBSERVATION = Contract(
    "Reported KPI values.",
    (
        IndicatorId("indicator_id", description="KPI from ref.indicator, e.g. 'K01'."),
        column(
            "scope_type",
            TEXT,
            isin=SCOPE_TYPES,
            description="programme, network, mode (cooperation mode), cooperation or city.",
        ),
        SlugId(
            "scope_id",
            description="The programme id ('iurc-na'), a network, a cooperation mode, a cooperation or a city, as scope_type says.",
        ),
        Date(
            "period_start",
            description="First day of the reporting period; an actual value cannot start after today.",
        ),
        Date(
            "period_end", description="Last day of the reporting period; not before period_start."
        ),
        column("value", FLOAT, description="Reported value (same unit as the indicator)."),
        column("value_kind", TEXT, isin=["actual", "forecast"], description="actual or forecast."),
    ),
)


#: A tag linking an activity, output or cooperation to an SDG goal or target (core.sdg_alignment).
SDG_ALIGNMENT = Contract(
    "SDG alignment tags.",
    (
        column(
            "entity_type",
            TEXT,
            isin=["activity", "output", "cooperation"],
            description="Kind of thing tagged: activity, output or cooperation.",
        ),
        SlugId(
            "entity_id",
            description="Identifier of the tagged activity, output or cooperation; must exist.",
        ),
        column("goal", INT, ge=1, le=17, description="SDG goal number 1-17."),
        column(
            "target_id",
            TEXT,
            nullable=True,
            str_matches=SDG_TARGET_PATTERN,
            description="SDG target code such as '11.2' from ref.sdg_target; must belong to goal; empty for a goal-level tag.",
        ),
        column(
            "is_primary",
            BOOL,
            description="true for the one primary goal of the entity (at most one per entity), else false.",
        ),
        column(
            "method",
            TEXT,
            isin=["manual", "keyword", "model"],
            description="How the tag was made: manual, keyword or model.",
        ),
        column(
            "score",
            FLOAT,
            nullable=True,
            ge=0,
            le=1,
            description="Confidence 0-1 for keyword or model tags.",
        ),
        column(
            "status",
            TEXT,
            isin=["suggested", "accepted", "rejected"],
            description="Review status: suggested, accepted or rejected.",
        ),
        column(
            "evidence",
            TEXT,
            nullable=True,
            str_length={"max_value": 500},
            description="For keyword or model tags: the phrases of the text that matched, '; '-separated.",
        ),
        column(
            "method_version",
            TEXT,
            nullable=True,
            str_length={"max_value": 64},
            description="Version of the tagger that made a keyword or model tag (e.g. 'tfidf-1+rules-1').",
        ),
    ),
)


#: An external context value about a city, for benchmarking (core.city_context).
CITY_CONTEXT = Contract(
    "Context indicators per city and year.",
    (
        SlugId("city_id", description="City described; must exist in core.city."),
        Code(
            "metric",
            description="Context metric, snake_case (e.g. 'population_density', 'gdp_per_capita').",
        ),
        Year("year", description="Year the value refers to."),
        column(
            "value", FLOAT, description="The value of the metric for the city and year, in unit."
        ),
        column(
            "unit",
            TEXT,
            nullable=True,
            str_length={"max_value": 64},
            description="Unit of the value (e.g. 'people/km2').",
        ),
        Name("source", description="Where the value comes from (publisher, dataset)."),
    ),
)

__all__ = [
    "CITY_CONTEXT",
    "FUNDING",
    "OBSERVATION",
    "OUTPUT",
    "OUTPUT_ADOPTION",
    "SCOPE_TYPES",
    "SDG_ALIGNMENT",
    "TARGET",
]
