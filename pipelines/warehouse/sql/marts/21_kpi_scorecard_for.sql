-- materialized: macro(p_start, p_end, p_network, p_subtheme, p_region, p_country, p_mode, p_cooperation, p_city)
-- The KPI scorecard for one filter combination: every KPI value of mart.kpi_actual with its target,
-- % achieved (direction-aware) and RAG status, plus K28 (share of rated KPIs on green).
-- Target: for the scope the filters amount to, the latest target due within the selected period
-- (no period: the latest target, i.e. progress to date towards the final target). Targets and
-- RAG apply to measure 'main' of actual values; forecasts get % achieved but no RAG.
with

computed_or_reported as (
    select * from mart.kpi_actual(
        p_start, p_end, p_network, p_subtheme, p_region, p_country, p_mode, p_cooperation, p_city
    )
),

scope as (
    select distinct
        scope_type,
        scope_id
    from computed_or_reported
),

indicator as (
    select
        indicator_id,
        family,
        direction,
        unit,
        aggregation,
        is_cumulative,
        sort_order
    from ref.indicator
),

-- every scorecard KPI gets a row, 'no data' when neither computed nor reported
-- (benchmark KPIs K31-K33 live in mart.city_benchmark; K28 is added below)
actual as (
    select * from computed_or_reported
    union all
    select
        (select any_value(scope_type) from computed_or_reported),
        (select any_value(scope_id) from computed_or_reported),
        i.indicator_id,
        'main',
        'actual',
        'reported',
        null,
        null,
        null
    from indicator as i
    where i.family <> 'benchmarking'
      and i.indicator_id <> 'K28'
      and i.indicator_id not in (select indicator_id from computed_or_reported where value_kind = 'actual')
),

target as (
    select
        t.indicator_id,
        max(t.period_end) as target_period_end,
        arg_max(t.target_value, t.period_end) as target_value,
        arg_max(t.baseline, t.period_end) as baseline
    from core.target as t
    join scope as s on s.scope_type = t.scope_type and s.scope_id = t.scope_id
    where mart.in_period(t.period_end, p_start, p_end)
    group by t.indicator_id
),

scored as (
    select
        a.scope_type,
        a.scope_id,
        a.indicator_id,
        a.measure,
        a.value_kind,
        a.source,
        a.numerator,
        a.denominator,
        a.value,
        case when a.measure = 'main' then t.target_value end as target_value,
        case when a.measure = 'main' then t.baseline end as baseline,
        case when a.measure = 'main' then t.target_period_end end as target_period_end,
        i.direction,
        i.unit,
        i.sort_order,
        case when a.measure = 'main' then mart.pct_achieved(a.value, t.target_value, i.direction) end as pct_achieved
    from actual as a
    left join indicator as i on i.indicator_id = a.indicator_id
    left join target as t on t.indicator_id = a.indicator_id
),

rated as (
    select
        *,
        case
            when measure = 'main' and value_kind = 'actual'
                then mart.rag(pct_achieved, target_value, value)
        end as rag
    from scored
),

k28 as (
    select
        count(*) filter (where rag = 'green')::double as numerator,
        count(*) filter (where rag in ('green', 'amber', 'red'))::double as denominator
    from rated
),

k28_scored as (
    select
        s.scope_type,
        s.scope_id,
        'K28' as indicator_id,
        'main' as measure,
        'actual' as value_kind,
        'computed' as source,
        k.numerator,
        k.denominator,
        100.0 * k.numerator / nullif(k.denominator, 0) as value,
        t.target_value,
        t.baseline,
        t.target_period_end,
        coalesce(i.direction, 'higher') as direction,
        coalesce(i.unit, 'percent') as unit,
        i.sort_order,
        mart.pct_achieved(100.0 * k.numerator / nullif(k.denominator, 0), t.target_value, coalesce(i.direction, 'higher'))
            as pct_achieved
    from k28 as k
    cross join scope as s
    left join indicator as i on i.indicator_id = 'K28'
    left join target as t on t.indicator_id = 'K28'
),

final as (
    select * from rated
    union all
    select
        *,
        mart.rag(pct_achieved, target_value, value) as rag
    from k28_scored
)

select * from final
order by sort_order nulls last, indicator_id, value_kind, measure
