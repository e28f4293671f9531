-- materialized: table
-- one row per tagged entity (entity_type, entity_id): the flags of mart.sdg_entity_goal or-ed over
-- the entity's goals (tag_<review>_<method> / primary_<review>_<method>: the entity has a (primary)
-- tag of that review basis and tagging method on some goal) and its dimensions (the same on every
-- goal row of the entity). The SDG page's counts of entities (sdg.activities_primary,
-- sdg.activities_fractional) read it when they are not broken down by goal: an entity passes the
-- tag filters on one of its goals iff it passes them here, so the distinct count of the entities
-- over the (entity, goal) rows is a count of these rows.
with

entity_goal as (
    select * from mart.sdg_entity_goal
),

final as (
    select
        entity_type,
        entity_id,
        bool_or(tag_validated_manual) as tag_validated_manual,
        bool_or(tag_validated_keyword) as tag_validated_keyword,
        bool_or(tag_validated_model) as tag_validated_model,
        bool_or(tag_suggested_manual) as tag_suggested_manual,
        bool_or(tag_suggested_keyword) as tag_suggested_keyword,
        bool_or(tag_suggested_model) as tag_suggested_model,
        bool_or(primary_validated_manual) as primary_validated_manual,
        bool_or(primary_validated_keyword) as primary_validated_keyword,
        bool_or(primary_validated_model) as primary_validated_model,
        bool_or(primary_suggested_manual) as primary_suggested_manual,
        bool_or(primary_suggested_keyword) as primary_suggested_keyword,
        bool_or(primary_suggested_model) as primary_suggested_model,
        any_value(month) as month,
        any_value(network_id) as network_id,
        any_value(subtheme_id) as subtheme_id,
        any_value(cross_cutting_id) as cross_cutting_id,
        any_value(mode) as mode,
        any_value(cooperation_id) as cooperation_id,
        any_value(city_ids) as city_ids,
        any_value(countries) as countries,
        any_value(regions) as regions
    from entity_goal
    group by entity_type, entity_id
)

select * from final
order by entity_type, month
