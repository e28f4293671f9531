-- materialized: table
-- mart.sdg_entity_goal counted at the grain of the page filters, for the SDG profile and heatmap
-- under the default tag filters (validated tags of every method): per entity type, goal, network
-- and filter dimensions, the (entity, goal) rows with a validated primary tag, the rows whose
-- only tags are unreviewed suggestions, and the sum of the rows' fractional weights as exact
-- decimals (so a sum of cells is the sum of their rows, whatever their order). Each (entity,
-- goal) row is in one cell: adding cells counts rows, never a distinct count over cells. Other
-- tag filters change which rows count and their weights: they read mart.sdg_entity_goal.
with

entity_goal as (
    select * from mart.sdg_entity_goal
),

final as (
    select
        entity_type,
        goal,
        network_id,
        month,
        subtheme_id,
        cross_cutting_id,
        mode,
        countries,
        regions,
        count(
            case
                when primary_validated_manual or primary_validated_keyword or primary_validated_model
                    then 1
            end
        )::bigint as primary_entities,
        count(
            case
                when (tag_suggested_manual or tag_suggested_keyword or tag_suggested_model)
                    and not (tag_validated_manual or tag_validated_keyword or tag_validated_model)
                    then 1
            end
        )::bigint as suggested_entities,
        sum(cast(weight as decimal(38, 24))) as weight
    from entity_goal
    group by all
)

select * from final
order by entity_type, goal
