-- materialized: macro(p_start, p_end, p_network, p_subtheme, p_region, p_country, p_mode, p_challenge, p_cooperation, p_city)
-- The KPI scorecard for one filter combination: every KPI value of mart.kpi_actual with its target,
-- % achieved (direction-aware) and RAG status, plus K28 (share of rated KPIs on green).
-- Target: for the scope the filters amount to (programme, one network, one cooperation mode, one
-- cooperation or one city), the target whose period_end (deadline) is the latest within the
-- selected period: a yearly milestone for a year filter; no period: the latest target, i.e.
-- progress to date towards the final target. Targets are never pro-rated (no KPI's rule allows
-- it yet). Targets and RAG apply to measure 'main' of actual values; forecasts get % achieved but
-- no RAG. An actual 'main' row without a target says why, in codes the page puts in words:
--   unrated_reason  no_scope      the filters amount to no target scope (e.g. a subtheme, 2 networks)
--                   no_milestone  a period is selected and the scope has no target due in it
--                   no_target     no period; the scope has no target for the KPI
--                   no_data       a target but no actual value
--                   unusable_target  a target of 0 for a higher-is-better KPI
--   fallback_target_value, fallback_target_period_end, fallback_scope_type, fallback_scope_id:
--                   the target the reader can look at instead: the scope's own final (latest)
--                   target, else the programme's (e.g. "no 2024 milestone for Innovation;
--                   programme target 86 by end-2025"); null when there is none
-- Keyed, like mart.kpi_actual: the parameters come from the relation scorecard_call (one row per
-- call, `call` and the parameters as columns; here the macro's one call), every step carries the
-- call key and groups by it, and marts.scorecard_keyed_sql runs this same text for every stored
-- call at once, with mart.kpi_actual's keyed text as its rows.
with

scorecard_call as (
{{ kpi_calls }}
),

computed_or_reported as (
{{ kpi_actual_rows }}
),

-- the target scope the filters amount to: kpi_actual's (mart.kpi_scope_type, kpi_scope_id) plus
-- one cooperation mode.
-- Each CTE below reads computed_or_reported at most once: Spark inlines a CTE at every reference,
-- so each extra reference would plan every KPI rule again (one call used to plan them 64 times).
scope as (
    select
        call,
        p_start as p_start,
        p_end as p_end,
        case
            when array_length(p_mode) = 1
                 and array_length(p_subtheme) + array_length(p_challenge) + array_length(p_region) + array_length(p_country) + array_length(p_network)
                     + array_length(p_cooperation) + array_length(p_city) = 0 then 'mode'
            else mart.kpi_scope_type(
                p_network, p_subtheme, p_region, p_country, p_mode, p_challenge, p_cooperation, p_city
            )
        end as scope_type,
        case
            when array_length(p_mode) = 1
                 and array_length(p_subtheme) + array_length(p_challenge) + array_length(p_region) + array_length(p_country) + array_length(p_network)
                     + array_length(p_cooperation) + array_length(p_city) = 0 then p_mode[1]
            else mart.kpi_scope_id(
                p_network, p_subtheme, p_region, p_country, p_mode, p_challenge, p_cooperation, p_city
            )
        end as scope_id
    from scorecard_call
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
-- (benchmark KPIs K31-K33 live in mart.city_benchmark; K28 is added below): a placeholder row
-- per KPI, kept only when the KPI has no actual value (a window, not a second read of the rows)
candidate as (
    select
        s.call,
        s.scope_type,
        s.scope_id,
        c.indicator_id,
        c.measure,
        c.value_kind,
        c.source,
        c.numerator,
        c.denominator,
        c.value,
        false as placeholder
    from computed_or_reported as c
    join scope as s on s.call = c.call
    union all
    select
        s.call,
        s.scope_type,
        s.scope_id,
        i.indicator_id,
        'main',
        'actual',
        'reported',
        null,
        null,
        null,
        true
    from indicator as i
    cross join scope as s
    where i.family <> 'benchmarking'
      and i.indicator_id <> 'K28'
),

actual as (
    select
        call,
        scope_type,
        scope_id,
        indicator_id,
        measure,
        value_kind,
        source,
        numerator,
        denominator,
        value
    from (
        select
            *,
            count(case when value_kind = 'actual' and not placeholder then 1 end)
                over (partition by call, indicator_id) as actual_rows
        from candidate
    )
    where not placeholder or actual_rows = 0
),

target as (
    select
        s.call,
        t.indicator_id,
        max(t.period_end) as target_period_end,
        arg_max(t.target_value, t.period_end) as target_value,
        arg_max(t.baseline, t.period_end) as baseline
    from core.target as t
    join scope as s on s.scope_type = t.scope_type and s.scope_id = t.scope_id
    where mart.in_period(t.period_end, s.p_start, s.p_end)
    group by s.call, t.indicator_id
),

-- what to show beside an unrated card: the scope's own final target, else the programme's
fallback as (
    select
        s.call,
        t.indicator_id,
        arg_max(t.target_value, (t.scope_type <> 'programme', t.period_end)) as fallback_target_value,
        arg_max(t.period_end, (t.scope_type <> 'programme', t.period_end)) as fallback_target_period_end,
        arg_max(t.scope_type, (t.scope_type <> 'programme', t.period_end)) as fallback_scope_type,
        arg_max(t.scope_id, (t.scope_type <> 'programme', t.period_end)) as fallback_scope_id
    from core.target as t
    cross join scope as s
    where (t.scope_type = s.scope_type and t.scope_id = s.scope_id)
       or (t.scope_type = 'programme' and t.scope_id = 'iurc-na')
    group by s.call, t.indicator_id
),

scored as (
    select
        a.call,
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
        case when a.measure = 'main' then mart.pct_achieved(a.value, t.target_value, i.direction) end as pct_achieved,
        f.fallback_target_value,
        f.fallback_target_period_end,
        f.fallback_scope_type,
        f.fallback_scope_id,
        s.p_start,
        s.p_end
    from actual as a
    join scope as s on s.call = a.call
    left join indicator as i on i.indicator_id = a.indicator_id
    left join target as t on t.call = a.call and t.indicator_id = a.indicator_id
    left join fallback as f on f.call = a.call and f.indicator_id = a.indicator_id
),

rated as (
    select
        * exclude (
            fallback_target_value, fallback_target_period_end, fallback_scope_type,
            fallback_scope_id, p_start, p_end
        ),
        case
            when measure = 'main' and value_kind = 'actual'
                then mart.rag(pct_achieved, target_value, value)
        end as rag,
        case
            when measure <> 'main' or value_kind <> 'actual' then null
            when target_value is not null and value is null then 'no_data'
            when target_value is not null and pct_achieved is null then 'unusable_target'
            when target_value is not null then null
            when scope_type is null then 'no_scope'
            when p_start is not null or p_end is not null then 'no_milestone'
            else 'no_target'
        end as unrated_reason,
        case when measure = 'main' and value_kind = 'actual' and target_value is null
            then fallback_target_value end as fallback_target_value,
        case when measure = 'main' and value_kind = 'actual' and target_value is null
            then fallback_target_period_end end as fallback_target_period_end,
        case when measure = 'main' and value_kind = 'actual' and target_value is null
            then fallback_scope_type end as fallback_scope_type,
        case when measure = 'main' and value_kind = 'actual' and target_value is null
            then fallback_scope_id end as fallback_scope_id
    from scored
),

-- every call's share, 0 of 0 for a call without a rated row (the count over no row)
k28 as (
    select
        s.call,
        count(*) filter (where r.rag = 'green')::double as numerator,
        count(*) filter (where r.rag in ('green', 'amber', 'red'))::double as denominator
    from scope as s
    left join rated as r on r.call = s.call
    group by s.call
),

k28_scored as (
    select
        s.call,
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
            as pct_achieved,
        s.p_start,
        s.p_end
    from k28 as k
    join scope as s on s.call = k.call
    left join indicator as i on i.indicator_id = 'K28'
    left join target as t on t.call = k.call and t.indicator_id = 'K28'
),

scorecard_rows as (
    select * from rated
    union all
    select
        * exclude (p_start, p_end),
        mart.rag(pct_achieved, target_value, value) as rag,
        case
            when target_value is not null and value is null then 'no_data'
            when target_value is not null and pct_achieved is null then 'unusable_target'
            when target_value is not null then null
            when scope_type is null then 'no_scope'
            when p_start is not null or p_end is not null then 'no_milestone'
            else 'no_target'
        end as unrated_reason,
        null::double as fallback_target_value,
        null::date as fallback_target_period_end,
        null::varchar as fallback_scope_type,
        null::varchar as fallback_scope_id
    from k28_scored
),

final as (
    select {{ call_out }} from scorecard_rows
)

select * from final
order by sort_order nulls last, indicator_id, value_kind, measure
