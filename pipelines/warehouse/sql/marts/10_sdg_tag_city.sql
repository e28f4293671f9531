-- materialized: table
-- SDG tags naming a target, per city: mart.sdg_tag's rows with a target and their city list
-- unnested, one row per tag and city of the list (an activity counts at its host, or without one
-- at its participants' cities, D12), for one city's figures (the city profile's SDG targets, K24,
-- by goal): the metric layer reads it for a query scoped to ONE city (Relation.place), whose rows
-- it then finds together (sorted by city) instead of testing every tag's city list. Only the
-- tags with a target, and without the entity's columns: read only by a metric of tags with a
-- target that needs no entity (K24; tests/metrics/test_city_scope.py checks every metric that
-- may read it); never a figure over several cities.
with

tag as (
    select * from mart.sdg_tag
    where target_id is not null
),

final as (
    select
        unnest(city_ids) as city_id,
        goal,
        target_id,
        review,
        method,
        month,
        network_id,
        subtheme_id,
        cross_cutting_id,
        mode,
        cooperation_id,
        countries,
        regions
    from tag
)

select * from final
order by city_id, goal
