-- materialized: macro(p_start, p_end, p_network, p_subtheme, p_region, p_country, p_mode, p_challenge, p_cooperation, p_city)
-- Every KPI for one filter combination: (scope_type, scope_id, indicator_id, measure, value_kind,
-- source, numerator, denominator, value). measure 'main' is the scorecard value; other measures are
-- the secondary figures the catalogue asks for (e.g. K10 % completing). Empty lists mean no
-- restriction; p_start/p_end are inclusive dates (the query layer passes whole months).
-- The computed rows are generated from the metric declarations (pipelines/metrics/catalogue.py):
-- each KPI's rule, additivity and geography basis live there, once. Reported observations (source
-- 'reported') feed only KPIs not computed from facts (e.g. K23) and every forecast; cumulative or
-- non-summable observations take the latest value in the period, never a sum across periods.
-- scope: the target/observation scope the filters amount to (mart.kpi_scope_type, kpi_scope_id).
-- Keyed: the body reads its parameters from the relation actual_call (one row per call: `call`
-- and the parameters as columns; here the macro's one call, 0), carries the call key through
-- every step and groups by it, so that marts.scorecard_keyed_sql runs the same text for every
-- stored call at once (its placeholders filled for them).
with

actual_call as (
{{ kpi_calls }}
),

computed as (
{{ kpi_computed }}
),

actual_scope as (
    select
        call,
        mart.kpi_scope_type(
            p_network, p_subtheme, p_region, p_country, p_mode, p_challenge, p_cooperation, p_city
        ) as scope_type,
        mart.kpi_scope_id(
            p_network, p_subtheme, p_region, p_country, p_mode, p_challenge, p_cooperation, p_city
        ) as scope_id,
        p_start as p_start,
        p_end as p_end
    from actual_call
),

observation as (
    select
        s.call,
        s.p_start,
        s.p_end,
        o.*,
        i.aggregation,
        i.is_cumulative
    from core.observation as o
    join actual_scope as s on s.scope_type = o.scope_type and s.scope_id = o.scope_id
    join ref.indicator as i on i.indicator_id = o.indicator_id
    where mart.in_period(o.period_end, s.p_start, s.p_end)
),

reported as (
    select
        call,
        indicator_id,
        value_kind,
        -- a sum only of non-cumulative sums and counts lying wholly in the period
        case
            when not any_value(is_cumulative) and any_value(aggregation) in ('sum', 'count')
                then sum(value) filter (where mart.in_period(period_start, p_start, p_end))
            else arg_max(value, period_end)
        end as value
    from observation
    group by call, indicator_id, value_kind
),

actual_rows as (
    select
        s.call,
        s.scope_type,
        s.scope_id,
        c.indicator_id,
        c.measure,
        'actual' as value_kind,
        'computed' as source,
        c.numerator::double as numerator,
        c.denominator::double as denominator,
        c.value::double as value
    from computed as c
    join actual_scope as s on s.call = c.call
    union all
    select
        s.call,
        s.scope_type,
        s.scope_id,
        r.indicator_id,
        'main',
        r.value_kind,
        'reported',
        null,
        null,
        r.value
    from reported as r
    join actual_scope as s on s.call = r.call
    where r.value_kind = 'forecast'
       -- the KPIs `computed` yields (each always yields its row): never `computed` again,
       -- which an engine inlining CTEs (Spark) would plan twice
       or r.indicator_id not in ({{ kpi_computed_ids }})
),

final as (
    select {{ call_out }} from actual_rows
)

select * from final
