-- materialized: table
-- participations of completed activities pre-aggregated at the grain every participation chart
-- and KPI filters on: (month, network, subtheme, activity type, modality, mode, cooperation,
-- participant city, its country and region, stakeholder type). A few hundred thousand rows at
-- 10 million participation rows, so any filter combination scans a small table.
-- organisations: the warehouse has per-row organisation counts, not identities; organisations_max
-- (max over activities) gives a lower-bound estimate of distinct organisations per city and type.
with

participation as (
    select * from core.participation
),

activity as (
    select * from mart.activity_register
    where status = 'completed'
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
        a.month,
        a.network_id,
        a.subtheme_id,
        a.activity_type,
        a.modality,
        a.mode,
        a.cooperation_id,
        a.is_capacity_building,
        a.is_joint,
        a.is_eu_na,
        p.city_id,
        c.country_iso2,
        c.region,
        p.stakeholder_type,
        sum(p.participants)::bigint as participants,
        coalesce(sum(p.women), 0)::bigint as women,
        sum(case when p.women is not null then p.participants else 0 end)::bigint as participants_gender_declared,
        coalesce(sum(p.organisations), 0)::bigint as organisations_sum,
        max(p.organisations)::bigint as organisations_max,
        coalesce(sum(p.completions), 0)::bigint as completions,
        sum(case when p.completions is not null then p.participants else 0 end)::bigint as participants_completion_declared,
        sum(p.participants::bigint * a.duration_days)::bigint as person_days,
        count(*)::bigint as participation_rows
    from participation as p
    join activity as a on a.activity_id = p.activity_id
    left join city as c on c.city_id = p.city_id
    group by all
)

select * from final
order by month, network_id
