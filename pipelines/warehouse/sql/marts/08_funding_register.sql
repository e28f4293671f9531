-- materialized: table
-- funding leveraged (K20) with the dimensions of the output it supports
with

funding as (
    select * from core.funding
),

output as (
    select * from mart.output_register
),

final as (
    select
        f.funding_id,
        f.output_id,
        o.output_type,
        o.cooperation_id,
        o.mode,
        o.network_id,
        o.subtheme_id,
        o.cross_cutting_id,
        o.city_id,
        o.country_iso2,
        o.region,
        o.city_ids,
        o.countries,
        o.regions,
        f.amount,
        f.currency,
        f.amount_eur,
        f.source_type,
        f.committed_date,
        date_trunc('month', f.committed_date)::date as month
    from funding as f
    left join output as o on o.output_id = f.output_id
)

select * from final
order by committed_date
