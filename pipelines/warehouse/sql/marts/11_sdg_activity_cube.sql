-- materialized: table
-- K25 (D9): the period's not-cancelled activities and how many of them have a validated primary
-- SDG goal, at the grain of the filters (geography per D12)
with

activity as (
    select * from mart.activity_register
    where status <> 'cancelled'
),

primary_tag as (
    select distinct entity_id as activity_id
    from mart.sdg_tag
    where entity_type = 'activity' and is_validated and is_primary
),

final as (
    select
        a.month,
        a.network_id,
        a.subtheme_id,
        a.cross_cutting_id,
        a.mode,
        a.cooperation_id,
        a.city_ids,
        a.countries,
        a.regions,
        count(*)::bigint as activities,
        count(p.activity_id)::bigint as primary_activities
    from activity as a
    left join primary_tag as p on p.activity_id = a.activity_id
    group by all
)

select * from final
order by month
