-- materialized: table
-- entities with a validated primary SDG tag, counted at the grain of the filters (K25): an
-- entity's dimensions are fixed, so it falls in exactly one cell and the counts add up.
with

tag as (
    select * from mart.sdg_tag
    where is_validated and is_primary
),

final as (
    select
        entity_type,
        month,
        network_id,
        subtheme_id,
        cross_cutting_id,
        mode,
        cooperation_id,
        city_ids,
        countries,
        regions,
        count(distinct entity_id)::bigint as primary_entities
    from tag
    group by all
)

select * from final
order by entity_type, month
