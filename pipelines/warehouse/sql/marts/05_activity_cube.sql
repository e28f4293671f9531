-- materialized: table
-- activities (every status) pre-aggregated by the filter dimensions; city = host city
with

activity as (
    select * from mart.activity_register
),

final as (
    select
        month,
        network_id,
        subtheme_id,
        activity_type,
        modality,
        mode,
        cooperation_id,
        is_eu_na,
        city_ids,
        countries,
        regions,
        status,
        count(*)::bigint as activities,
        sum(participants)::bigint as participants,
        sum(fields_filled)::bigint as fields_filled,
        sum(fields_total)::bigint as fields_total
    from activity
    group by all
)

select * from final
order by month, network_id
