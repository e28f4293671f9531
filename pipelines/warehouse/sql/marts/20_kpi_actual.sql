-- materialized: macro(p_start, p_end, p_network, p_subtheme, p_region, p_country, p_mode, p_challenge, p_cooperation, p_city)
-- Every KPI for one filter combination: (scope_type, scope_id, indicator_id, measure, value_kind,
-- source, numerator, denominator, value). measure 'main' is the scorecard value; other measures are
-- the secondary figures the catalogue asks for (e.g. K10 % completing). Empty lists mean no
-- restriction; p_start/p_end are inclusive dates (the query layer passes whole months).
-- The computed rows are generated from the metric declarations (pipelines/metrics/catalogue.py):
-- each KPI's rule, additivity and geography basis live there, once. Reported observations (source
-- 'reported') feed only KPIs not computed from facts (e.g. K23) and every forecast; cumulative or
-- non-summable observations take the latest value in the period, never a sum across periods.
-- scope: the target/observation scope the filters amount to (mart.kpi_scope).
with

computed as (
{{ kpi_computed }}
),

scope as (
    select * from mart.kpi_scope(
        p_network, p_subtheme, p_region, p_country, p_mode, p_challenge, p_cooperation, p_city
    )
),

observation as (
    select
        o.*,
        i.aggregation,
        i.is_cumulative
    from core.observation as o
    join scope as s on s.scope_type = o.scope_type and s.scope_id = o.scope_id
    join ref.indicator as i on i.indicator_id = o.indicator_id
    where mart.in_period(o.period_end, p_start, p_end)
),

reported as (
    select
        indicator_id,
        value_kind,
        -- a sum only of non-cumulative sums and counts lying wholly in the period
        case
            when not any_value(is_cumulative) and any_value(aggregation) in ('sum', 'count')
                then sum(value) filter (where mart.in_period(period_start, p_start, p_end))
            else arg_max(value, period_end)
        end as value
    from observation
    group by indicator_id, value_kind
),

final as (
    select
        (select scope_type from scope) as scope_type,
        (select scope_id from scope) as scope_id,
        indicator_id,
        measure,
        'actual' as value_kind,
        'computed' as source,
        numerator::double as numerator,
        denominator::double as denominator,
        value::double as value
    from computed
    union all
    select
        (select scope_type from scope),
        (select scope_id from scope),
        indicator_id,
        'main',
        value_kind,
        'reported',
        null,
        null,
        value
    from reported
    where value_kind = 'forecast'
       -- the KPIs `computed` yields (each always yields its row): never `computed` again,
       -- which an engine inlining CTEs (Spark) would plan twice
       or indicator_id not in ({{ kpi_computed_ids }})
)

select * from final
