-- materialized: table
-- SDG tags with a target, at the grain of the filters: per (entity type, goal, target) and
-- filter cell, the entities with a validated tag and with a suggested-only tag on it. An
-- entity's dimensions are fixed, so each entity falls in one cell and the distinct counts add up
-- across cells (target drill-down, coverage K24).
with

tag as (
    select * from mart.sdg_tag
    where target_id is not null
),

final as (
    select
        entity_type,
        goal,
        target_id,
        month,
        network_id,
        subtheme_id,
        cross_cutting_id,
        mode,
        cooperation_id,
        city_ids,
        countries,
        regions,
        count(distinct entity_id) filter (where is_validated)::bigint as validated_entities,
        count(distinct entity_id) filter (where is_suggested_only)::bigint as suggested_entities
    from tag
    group by all
)

select * from final
order by goal, target_id, month
