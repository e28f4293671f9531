-- materialized: table
-- K25 (D9) under any review basis and tagging method: one row per not-cancelled activity
-- (tagged false, its flags null: it counts in the denominator whatever the tag filters), plus one
-- row for each of them with a primary SDG tag that is not rejected (tagged true), whose flags
-- primary_<review>_<method> say which review bases and tagging methods its primary tags have. The
-- tag filters test the flags, so an activity with several primary tags is one counted row: the
-- metric counts rows, not distinct activities.
with

activity as (
    select * from mart.activity_register
    where status <> 'cancelled'
),

primary_tag as (
    select
        entity_id as activity_id,
        bool_or(review = 'validated' and method = 'manual') as primary_validated_manual,
        bool_or(review = 'validated' and method = 'keyword') as primary_validated_keyword,
        bool_or(review = 'validated' and method = 'model') as primary_validated_model,
        bool_or(review = 'suggested' and method = 'manual') as primary_suggested_manual,
        bool_or(review = 'suggested' and method = 'keyword') as primary_suggested_keyword,
        bool_or(review = 'suggested' and method = 'model') as primary_suggested_model
    from mart.sdg_tag
    where entity_type = 'activity' and is_primary and review <> 'rejected'
    group by entity_id
),

final as (
    select
        a.activity_id,
        a.month,
        a.network_id,
        a.subtheme_id,
        a.cross_cutting_id,
        a.mode,
        a.cooperation_id,
        a.city_ids,
        a.countries,
        a.regions,
        false as tagged,
        cast(null as boolean) as primary_validated_manual,
        cast(null as boolean) as primary_validated_keyword,
        cast(null as boolean) as primary_validated_model,
        cast(null as boolean) as primary_suggested_manual,
        cast(null as boolean) as primary_suggested_keyword,
        cast(null as boolean) as primary_suggested_model
    from activity as a
    union all
    select
        a.activity_id,
        a.month,
        a.network_id,
        a.subtheme_id,
        a.cross_cutting_id,
        a.mode,
        a.cooperation_id,
        a.city_ids,
        a.countries,
        a.regions,
        true as tagged,
        p.primary_validated_manual,
        p.primary_validated_keyword,
        p.primary_validated_model,
        p.primary_suggested_manual,
        p.primary_suggested_keyword,
        p.primary_suggested_model
    from activity as a
    join primary_tag as p on p.activity_id = a.activity_id
)

select * from final
order by month, activity_id
