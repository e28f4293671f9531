-- materialized: table
-- every SDG tag with the dimensions of the entity it tags (activities: not cancelled; outputs: all;
-- cooperations: their member cities).
-- validated: accepted by a reviewer, or entered manually and not rejected.
-- suggested_only: an automatic (keyword/model) suggestion nobody has reviewed yet.
-- review: the tag's review basis, the `review` filter's codes: 'validated' | 'suggested'
-- (suggested only) | 'rejected' (never counted).
with

tag as (
    select * from core.sdg_alignment
),

entity as (
    select
        'activity' as entity_type,
        activity_id as entity_id,
        month,
        network_id,
        subtheme_id,
        cross_cutting_id,
        mode,
        cooperation_id,
        city_ids,
        countries,
        regions
    from mart.activity_register
    where status <> 'cancelled'
    union all
    select
        'output',
        output_id,
        month,
        network_id,
        subtheme_id,
        cross_cutting_id,
        mode,
        cooperation_id,
        city_ids,
        countries,
        regions
    from mart.output_register
    union all
    select
        'cooperation',
        cooperation_id,
        month,
        network_id,
        null,
        null,
        mode,
        cooperation_id,
        city_ids,
        countries,
        regions
    from mart.cooperation_register
),

final as (
    select
        t.entity_type,
        t.entity_id,
        t.goal,
        t.target_id,
        t.is_primary,
        t.method,
        t.score,
        t.status,
        t.status = 'accepted' or (t.method = 'manual' and t.status <> 'rejected') as is_validated,
        t.status = 'suggested' and t.method <> 'manual' as is_suggested_only,
        case
            when t.status = 'accepted' or (t.method = 'manual' and t.status <> 'rejected')
                then 'validated'
            when t.status = 'suggested' then 'suggested'
            else 'rejected'
        end as review,
        e.month,
        e.network_id,
        e.subtheme_id,
        e.cross_cutting_id,
        e.mode,
        e.cooperation_id,
        e.city_ids,
        e.countries,
        e.regions
    from tag as t
    join entity as e on e.entity_type = t.entity_type and e.entity_id = t.entity_id
)

select * from final
order by entity_type, goal
