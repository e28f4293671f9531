-- materialized: table
-- one row per (tagged entity, goal) for the SDG profile (K25):
-- primary-only: an entity counts once, for a goal it has a validated primary tag on;
-- fractional: an entity with n validated goals gives weight 1/n to each of them.
-- Suggested-only goals (no validated tag) are kept with weight null, shown apart.
-- (count(case ...) over: a windowed FILTER clause does not run on Spark)
with

tag as (
    select * from mart.sdg_tag
),

entity_goal as (
    select
        entity_type,
        entity_id,
        goal,
        bool_or(is_validated) as is_validated,
        bool_or(is_validated and is_primary) as is_primary,
        bool_or(is_suggested_only) as has_suggestion,
        any_value(month) as month,
        any_value(network_id) as network_id,
        any_value(subtheme_id) as subtheme_id,
        any_value(cross_cutting_id) as cross_cutting_id,
        any_value(mode) as mode,
        any_value(cooperation_id) as cooperation_id,
        any_value(city_ids) as city_ids,
        any_value(countries) as countries,
        any_value(regions) as regions
    from tag
    group by entity_type, entity_id, goal
),

final as (
    select
        *,
        case
            when is_validated
                then 1.0 / count(case when is_validated then 1 end) over (partition by entity_type, entity_id)
        end as weight
    from entity_goal
)

select * from final
order by entity_type, goal
