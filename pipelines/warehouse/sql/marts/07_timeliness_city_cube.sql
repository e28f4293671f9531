-- materialized: table
-- K30 per city: the timeliness cube's completed activities by reporting lag with its city list
-- unnested, one row per city of the list (each activity counts at every city of its list, D12),
-- by month, network, mode and region list only: the metric layer reads it for a breakdown by
-- city when no other filter is set (Relation.place), in place of unnesting the cube's lists at
-- every query. Never a figure over several cities: an activity is in the row of each of its
-- cities.
with

city_row as (
    select
        unnest(city_ids) as city_id,
        month,
        network_id,
        mode,
        regions,
        report_lag_days,
        activities
    from mart.timeliness_cube
),

final as (
    select
        city_id,
        month,
        network_id,
        mode,
        regions,
        report_lag_days,
        sum(activities)::bigint as activities
    from city_row
    group by all
)

select * from final
order by city_id, month
