-- materialized: table
-- peer-group membership: (peer_group_type, peer_group_id, city_id).
--   partners         group of city X (id = X): X and every city sharing a cooperation with X
--   network          cities in a cooperation of the network (a city may be in several)
--   region           EU | NA
--   population_band  lt_250k | 250k_1m | 1m_5m | gt_5m (cities without population: none)
with

city as (
    select * from mart.city
),

member as (
    select
        cooperation_id,
        network_id,
        unnest(city_ids) as city_id
    from mart.cooperation_register
),

partners as (
    select distinct
        'partners' as peer_group_type,
        a.city_id as peer_group_id,
        b.city_id
    from member as a
    join member as b on b.cooperation_id = a.cooperation_id
),

final as (
    select * from partners
    union all
    select distinct 'network', network_id, city_id from member
    union all
    select 'region', region, city_id from city where region is not null
    union all
    select 'population_band', population_band, city_id from city where population_band is not null
)

select * from final
order by peer_group_type, peer_group_id, city_id
