-- materialized: table
-- take-up: one row per output and city that adopted it (another city than the output's own),
-- with the output's filter dimensions (network, subtheme, challenge, mode) and the adopting
-- city's geography (city, country, region); month is the month of adoption.
with

adoption as (
    select * from core.output_adoption
),

output as (
    select * from mart.output_register
),

city as (
    select
        city_id,
        country_iso2,
        region
    from core.city
),

final as (
    select
        a.output_id,
        o.output_type,
        o.cooperation_id,
        o.mode,
        o.network_id,
        o.subtheme_id,
        o.cross_cutting_id,
        a.city_id,
        c.country_iso2,
        c.region,
        a.adopted_date,
        date_trunc('month', a.adopted_date)::date as month,
        a.evidence_url
    from adoption as a
    inner join output as o on o.output_id = a.output_id
    left join city as c on c.city_id = a.city_id
)

select * from final
order by adopted_date, output_id, city_id
