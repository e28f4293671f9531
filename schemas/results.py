"""Results: outputs and their funding, KPI targets and observations, SDG tags, city context."""

from __future__ import annotations

import pandera.pandas as pa

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
from schemas.types import Bool, DateCol, Float, Int, Text

SCOPE_TYPES = ["programme", "network", "mode", "cooperation", "city"]


class Output(pa.DataFrameModel):
    """A tangible result: action plan, pilot, solution, agreement, ... (core.output)."""

    output_id: Text = SlugId(description="Stable identifier of the output.")
    output_type: Text = Code(
        description="Type from ref.output_type (action_plan, pilot, solution, agreement, knowledge_product, policy_change)."
    )
    title: Text = Name(description="Title of the output.")
    status: Text = Code(
        description="Lifecycle status from ref.output_status (planned, developed, implemented, adopted, abandoned)."
    )
    cooperation_id: Text = SlugId(
        nullable=True, description="Cooperation that produced it (core.cooperation)."
    )
    city_id: Text = SlugId(nullable=True, description="Lead city (core.city).")
    network_id: Text = Code(description="Thematic network from ref.network.")
    activity_id: Text = SlugId(
        nullable=True, description="Activity it stems from, if any (core.activity)."
    )
    framework_id: Text = Code(
        nullable=True, description="Policy framework it contributes to, from ref.framework."
    )
    planned_date: DateCol = Date(
        nullable=True, description="Date it was planned; required from status planned on."
    )
    developed_date: DateCol = Date(
        nullable=True,
        description="Date it was developed; required from status developed on; not in the future.",
    )
    implemented_date: DateCol = Date(
        nullable=True,
        description="Date it was implemented; required from status implemented on; not in the future.",
    )
    adopted_date: DateCol = Date(
        nullable=True,
        description="Date it was formally adopted; required for status adopted; not in the future.",
    )
    evidence_url: Text = Url(
        nullable=True, description="Public link to evidence (document, decision, web page)."
    )
    description: Text = LongText(
        nullable=True,
        description="What the output is, in a few sentences (the showcase's catalogue text).",
    )

    class Config:
        strict = True
        coerce = True
        description = "Outputs and their lifecycle."


class OutputAdoption(pa.DataFrameModel):
    """Take-up of an output by another city: the city adopted the practice (core.output_adoption)."""

    output_id: Text = SlugId(description="Output taken up; must exist in core.output.")
    city_id: Text = SlugId(
        description="Adopting city (core.city): not the output's own city nor one of its "
        "cooperation's cities."
    )
    adopted_date: DateCol = Date(
        description="Date the city formally adopted the practice; not in the future."
    )
    evidence_url: Text = Url(
        nullable=True,
        description="Public link to evidence of the take-up (decision, plan, web page).",
    )

    class Config:
        strict = True
        coerce = True
        description = "Cities that took up an output (the showcase's take-up)."


class Funding(pa.DataFrameModel):
    """Funds leveraged for an output (core.funding)."""

    funding_id: Text = SlugId(description="Stable identifier of the funding commitment.")
    output_id: Text = SlugId(description="Output funded; must exist in core.output.")
    amount: Float = pa.Field(ge=0, le=1e12, description="Amount in the original currency.")
    currency: Text = Currency(
        description="ISO 4217 currency code: EUR or a currency in ref.fx_rate."
    )
    amount_eur: Float = pa.Field(
        nullable=True,
        ge=0,
        le=1e12,
        description="Amount in euro; computed from ref.fx_rate (annual rate of the commitment year) when empty, else checked within 5 % of it.",
    )
    source_type: Text = Code(
        description="Source of funds from ref.funding_source (eu, public, private, public_private)."
    )
    committed_date: DateCol = Date(description="Date the funds were committed; not in the future.")

    class Config:
        strict = True
        coerce = True
        description = "Funding leveraged per output."


class Target(pa.DataFrameModel):
    """A KPI target for a scope and period (core.target).

    A yearly milestone is simply a target of the same KPI and scope with an earlier period_end.
    """

    indicator_id: Text = IndicatorId(description="KPI from ref.indicator, e.g. 'K01'.")
    scope_type: Text = pa.Field(
        isin=SCOPE_TYPES,
        description="programme, network, mode (cooperation mode), cooperation or city.",
    )
    scope_id: Text = SlugId(
        description="The programme id ('iurc-na'), a network, a cooperation mode (ref.cooperation_mode), a cooperation or a city, as scope_type says."
    )
    period_end: DateCol = Date(
        description="Deadline: last day of the period the target is for; a yearly milestone is a target with an earlier period_end (e.g. 2024-12-31 before 2025-12-31)."
    )
    baseline: Float = pa.Field(
        nullable=True, description="Value at the start (same unit as the indicator)."
    )
    target_value: Float = pa.Field(
        description="Value to reach by period_end (same unit as the indicator)."
    )

    class Config:
        strict = True
        coerce = True
        description = "KPI targets."


class Observation(pa.DataFrameModel):
    """A reported KPI value for a scope and period (core.observation)."""

    indicator_id: Text = IndicatorId(description="KPI from ref.indicator, e.g. 'K01'.")
    scope_type: Text = pa.Field(
        isin=SCOPE_TYPES,
        description="programme, network, mode (cooperation mode), cooperation or city.",
    )
    scope_id: Text = SlugId(
        description="The programme id ('iurc-na'), a network, a cooperation mode, a cooperation or a city, as scope_type says."
    )
    period_start: DateCol = Date(
        description="First day of the reporting period; an actual value cannot start after today."
    )
    period_end: DateCol = Date(
        description="Last day of the reporting period; not before period_start."
    )
    value: Float = pa.Field(description="Reported value (same unit as the indicator).")
    value_kind: Text = pa.Field(isin=["actual", "forecast"], description="actual or forecast.")

    class Config:
        strict = True
        coerce = True
        description = "Reported KPI values."


class SdgAlignment(pa.DataFrameModel):
    """A tag linking an activity, output or cooperation to an SDG goal or target (core.sdg_alignment)."""

    entity_type: Text = pa.Field(
        isin=["activity", "output", "cooperation"],
        description="Kind of thing tagged: activity, output or cooperation.",
    )
    entity_id: Text = SlugId(
        description="Identifier of the tagged activity, output or cooperation; must exist."
    )
    goal: Int = pa.Field(ge=1, le=17, description="SDG goal number 1-17.")
    target_id: Text = pa.Field(
        nullable=True,
        str_matches=SDG_TARGET_PATTERN,
        description="SDG target code such as '11.2' from ref.sdg_target; must belong to goal; empty for a goal-level tag.",
    )
    is_primary: Bool = pa.Field(
        description="true for the one primary goal of the entity (at most one per entity), else false."
    )
    method: Text = pa.Field(
        isin=["manual", "keyword", "model"],
        description="How the tag was made: manual, keyword or model.",
    )
    score: Float = pa.Field(
        nullable=True, ge=0, le=1, description="Confidence 0-1 for keyword or model tags."
    )
    status: Text = pa.Field(
        isin=["suggested", "accepted", "rejected"],
        description="Review status: suggested, accepted or rejected.",
    )
    evidence: Text = pa.Field(
        nullable=True,
        str_length={"max_value": 500},
        description="For keyword or model tags: the phrases of the text that matched, '; '-separated.",
    )
    method_version: Text = pa.Field(
        nullable=True,
        str_length={"max_value": 64},
        description="Version of the tagger that made a keyword or model tag (e.g. 'tfidf-1+rules-1').",
    )

    class Config:
        strict = True
        coerce = True
        description = "SDG alignment tags."


class CityContext(pa.DataFrameModel):
    """An external context value about a city, for benchmarking (core.city_context)."""

    city_id: Text = SlugId(description="City described; must exist in core.city.")
    metric: Text = Code(
        description="Context metric, snake_case (e.g. 'population_density', 'gdp_per_capita')."
    )
    year: Int = Year(description="Year the value refers to.")
    value: Float = pa.Field(description="The value of the metric for the city and year, in unit.")
    unit: Text = pa.Field(
        nullable=True,
        str_length={"max_value": 64},
        description="Unit of the value (e.g. 'people/km2').",
    )
    source: Text = Name(description="Where the value comes from (publisher, dataset).")

    class Config:
        strict = True
        coerce = True
        description = "Context indicators per city and year."


__all__ = [
    "SCOPE_TYPES",
    "CityContext",
    "Funding",
    "Observation",
    "Output",
    "SdgAlignment",
    "Target",
]
