-- materialized: table
-- completed activities by reporting lag (days from end to reported_date), for a median that
-- respects every filter (K30); city = host city
with

activity as (
    select * from mart.activity_register
    where status = 'completed'
),

final as (
    select
        month,
        network_id,
        subtheme_id,
        cross_cutting_id,
        mode,
        cooperation_id,
        city_ids,
        countries,
        regions,
        report_lag_days,
        count(*)::bigint as activities,
        max(reported_date) as last_reported_date
    from activity
    group by all
)

select * from final
order by month
