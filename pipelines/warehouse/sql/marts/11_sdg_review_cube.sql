-- materialized: table
-- SDG tag counts by method and review status at the grain of the filters (K26 inputs, the
-- review chart); mart.sdg_tag has one row per tag (~1 million at 10 million participation rows).
with

tag as (
    select * from mart.sdg_tag
),

final as (
    select
        method,
        status,
        month,
        network_id,
        subtheme_id,
        cross_cutting_id,
        mode,
        cooperation_id,
        city_ids,
        countries,
        regions,
        count(*)::bigint as tags
    from tag
    group by all
)

select * from final
order by method, status, month
