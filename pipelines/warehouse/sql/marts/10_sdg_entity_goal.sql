-- materialized: table
-- one row per (tagged entity, goal) for the SDG profile (K25):
-- primary-only: an entity counts once, for a goal it has a validated primary tag on;
-- fractional: an entity with n validated goals gives weight 1/n to each of them.
-- Suggested-only goals (no validated tag) are kept with weight null, shown apart.
-- (count(case ...) over: a windowed FILTER clause does not run on Spark)
-- tag_<review>_<method> / primary_<review>_<method>: the entity has a (primary) tag on the goal of
-- that review basis and tagging method, so the SDG page's figures under any tag filters are tests
-- on these columns, not a grouping of every tag per request.
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
        bool_or(review = 'validated' and method = 'manual') as tag_validated_manual,
        bool_or(review = 'validated' and method = 'keyword') as tag_validated_keyword,
        bool_or(review = 'validated' and method = 'model') as tag_validated_model,
        bool_or(review = 'suggested' and method = 'manual') as tag_suggested_manual,
        bool_or(review = 'suggested' and method = 'keyword') as tag_suggested_keyword,
        bool_or(review = 'suggested' and method = 'model') as tag_suggested_model,
        bool_or(is_primary and review = 'validated' and method = 'manual') as primary_validated_manual,
        bool_or(is_primary and review = 'validated' and method = 'keyword') as primary_validated_keyword,
        bool_or(is_primary and review = 'validated' and method = 'model') as primary_validated_model,
        bool_or(is_primary and review = 'suggested' and method = 'manual') as primary_suggested_manual,
        bool_or(is_primary and review = 'suggested' and method = 'keyword') as primary_suggested_keyword,
        bool_or(is_primary and review = 'suggested' and method = 'model') as primary_suggested_model,
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
