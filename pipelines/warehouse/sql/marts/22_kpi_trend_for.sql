-- materialized: macro(p_period_type, p_start, p_end, p_network, p_subtheme, p_region, p_country, p_mode)
-- KPI values per month | quarter | year for any filter combination, set-based over the cubes, for
-- the KPIs a trend line makes sense of: K02 distinct cities, K03 completed activities, K04
-- participations, K08 % women (recomputed per period), K10 capacity-building participations, K20
-- funding leveraged (cumulative: running total to each period end, including commitments before
-- the period filter starts). Same definitions as mart.kpi_actual for one period; a test checks it.
with

pc as (
    select
        date_trunc(p_period_type, month)::date as period_start,
        *
    from mart.participation_cube
    where mart.in_period(month, p_start, p_end)
      and mart.in_scope(network_id, subtheme_id, mode, cooperation_id, city_id, country_iso2, region,
                        p_network, p_subtheme, p_mode, [], [], p_country, p_region)
),

ac as (
    select
        date_trunc(p_period_type, month)::date as period_start,
        *
    from mart.activity_cube
    where status = 'completed'
      and mart.in_period(month, p_start, p_end)
      and mart.in_scope(network_id, subtheme_id, mode, cooperation_id, city_id, country_iso2, region,
                        p_network, p_subtheme, p_mode, [], [], p_country, p_region)
),

funding as (
    select
        date_trunc(p_period_type, month)::date as period_start,
        sum(amount_eur) as amount_eur
    from mart.funding_register
    where mart.in_period(committed_date, null, p_end)
      and mart.in_scope(network_id, subtheme_id, mode, cooperation_id, city_id, country_iso2, region,
                        p_network, p_subtheme, p_mode, [], [], p_country, p_region)
    group by 1
),

funding_running as (
    select
        period_start,
        sum(amount_eur) over (order by period_start) as amount_eur
    from funding
),

final as (
    select
        period_start,
        'K02' as indicator_id,
        count(distinct city_id)::double as numerator,
        null::double as denominator,
        count(distinct city_id)::double as value
    from pc
    where participants > 0
    group by 1
    union all
    select period_start, 'K03', sum(activities), null, sum(activities)
    from ac
    group by 1
    union all
    select period_start, 'K04', sum(participants), null, sum(participants)
    from pc
    group by 1
    union all
    select period_start, 'K08', sum(women), sum(participants_gender_declared),
        100.0 * sum(women) / nullif(sum(participants_gender_declared), 0)
    from pc
    group by 1
    union all
    select period_start, 'K10', sum(cb_participants), null, sum(cb_participants)
    from pc
    group by 1
    union all
    -- every running-total period up to the period end, so a caller can carry the latest forward
    select period_start, 'K20', amount_eur, null, amount_eur
    from funding_running
)

select * from final
