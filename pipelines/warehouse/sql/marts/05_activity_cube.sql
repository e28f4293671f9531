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
        cross_cutting_id,
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
        -- K11 person-days of study visits, counted where the activity is (D12)
        coalesce(sum(participants * duration_days) filter (where activity_type = 'study_visit'), 0)::bigint
            as study_visit_person_days,
        sum(fields_filled)::bigint as fields_filled,
        sum(fields_total)::bigint as fields_total
    from activity
    group by all
)

select * from final
order by month, network_id
