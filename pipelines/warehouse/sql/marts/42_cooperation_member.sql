-- materialized: table
-- one row per cooperation and member city: the member's own city and region, and the
-- cooperation's member lists (city_ids, countries, regions) that the geographic filters match (a
-- cooperation matches a region/country/city filter when any member does, as on the network map).
-- The metric layer counts cooperations and member cities from it, recounted at every level.
with

member as (
    select
        cooperation_id,
        unnest(city_ids) as member_city_id
    from mart.cooperation_register
),

final as (
    select
        r.cooperation_id,
        r.network_id,
        r.mode,
        r.n_members,
        r.city_ids,
        r.countries,
        r.regions,
        m.member_city_id,
        c.region as member_region
    from member as m
    join mart.cooperation_register as r on r.cooperation_id = m.cooperation_id
    left join core.city as c on c.city_id = m.member_city_id
)

select * from final
order by cooperation_id, member_city_id
