-- materialized: table
-- mart.sdg_entity_goal summed over entities at the grain of the filters (SDG profile and network
-- x goal heatmap): an entity's dimensions are fixed, so each entity falls in exactly one cell
-- and these sums equal the per-entity sums for any filter. At 10 million participation rows
-- the per-entity table has ~700 k rows; this cube has a small fraction of them.
with

entity_goal as (
    select * from mart.sdg_entity_goal
),

final as (
    select
        entity_type,
        goal,
        month,
        network_id,
        subtheme_id,
        cross_cutting_id,
        mode,
        cooperation_id,
        city_ids,
        countries,
        regions,
        -- primary-only: 1 for the validated primary goal; fractional: 1/n over validated goals
        sum(case when is_primary then 1.0 else 0.0 end) as primary_value,
        sum(coalesce(weight, 0.0)) as fractional_value,
        count(*) filter (where has_suggestion and not is_validated)::bigint as suggested
    from entity_goal
    group by all
)

select * from final
order by entity_type, goal, month
