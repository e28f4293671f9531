-- materialized: view
-- one row per city with the peer-group keys: region (EU | NA), country group for K02 and population band
with

city as (
    select * from core.city
),

final as (
    select
        city_id,
        name,
        country_iso2,
        region,
        case when region = 'EU' then 'EU' else country_iso2 end as country_group,
        population,
        population_year,
        lat,
        lon,
        geonames_id,
        case
            when population is null or population <= 0 then null
            when population < 250000 then 'lt_250k'
            when population < 1000000 then '250k_1m'
            when population < 5000000 then '1m_5m'
            else 'gt_5m'
        end as population_band
    from city
)

select * from final
