-- materialized: table
-- cooperation links between member cities: one row per cooperation and pair of member cities
-- (city_a < city_b); a pairing gives 1 edge, a trio 3, a cluster of n cities n(n-1)/2.
-- Joint activities are counted per period by the query layer from mart.activity_cube.
with

member as (
    select
        cooperation_id,
        name,
        mode,
        network_id,
        unnest(city_ids) as city_id
    from mart.cooperation_register
),

final as (
    select
        a.cooperation_id,
        a.name as cooperation_name,
        a.mode,
        a.network_id,
        a.city_id as city_a,
        b.city_id as city_b
    from member as a
    join member as b on b.cooperation_id = a.cooperation_id and a.city_id < b.city_id
)

select * from final
order by cooperation_id, city_a, city_b
