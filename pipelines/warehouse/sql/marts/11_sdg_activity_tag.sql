-- materialized: table
-- K25 (D9) under any review basis and tagging method: one row per not-cancelled activity with
-- review and method null (it counts in the denominator whatever the tag filters), plus one row
-- per primary SDG tag of it that is not rejected, with the tag's review basis and method. The
-- metric counts distinct activities, so an activity with several primary tags counts once.
with

activity as (
    select * from mart.activity_register
    where status <> 'cancelled'
),

primary_tag as (
    select distinct entity_id as activity_id, review, method
    from mart.sdg_tag
    where entity_type = 'activity' and is_primary and review <> 'rejected'
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
        cast(null as varchar) as review,
        cast(null as varchar) as method
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
        p.review,
        p.method
    from activity as a
    join primary_tag as p on p.activity_id = a.activity_id
)

select * from final
order by month, activity_id
