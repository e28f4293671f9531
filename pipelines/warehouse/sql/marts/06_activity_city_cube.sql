-- materialized: table
-- K29 per city: the activity cube's filled and total cells with its city list unnested, one row
-- per city of the list (each activity counts at every city of its list, D12) and the filter
-- columns but the country and city lists: the metric layer reads it for a breakdown by city
-- when no country, city or cooperation filter is set (Relation.place), in place of unnesting
-- the cube's lists at every query. Never a figure over several cities: an activity's cells
-- are in the row of each of its cities.
with

city_row as (
    select
        unnest(city_ids) as city_id,
        month,
        network_id,
        subtheme_id,
        cross_cutting_id,
        mode,
        regions,
        fields_filled,
        fields_total
    from mart.activity_cube
),

final as (
    select
        city_id,
        month,
        network_id,
        subtheme_id,
        cross_cutting_id,
        mode,
        regions,
        sum(fields_filled)::bigint as fields_filled,
        sum(fields_total)::bigint as fields_total
    from city_row
    group by all
)

select * from final
order by city_id, month
