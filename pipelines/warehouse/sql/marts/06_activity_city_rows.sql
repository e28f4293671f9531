-- materialized: table
-- One city's activities (the city profile's activities delivered, K03, by year): the activity
-- cube's rows with their city list unnested, one row per city of the list (each activity counts
-- at every city of its list, D12), with the filter columns (the country and region lists
-- included) and the status and count K03 reads, sorted by city. The metric layer reads it for a
-- query scoped to ONE city (Relation.place), whose rows it then finds together instead of
-- testing every cube row's city list. Never a figure over several cities: an activity is in the
-- row of each of its cities.
with

city_row as (
    select
        unnest(city_ids) as city_id,
        month,
        network_id,
        subtheme_id,
        cross_cutting_id,
        mode,
        cooperation_id,
        countries,
        regions,
        status,
        activities
    from mart.activity_cube
),

final as (
    select * from city_row
)

select * from final
order by city_id, month
