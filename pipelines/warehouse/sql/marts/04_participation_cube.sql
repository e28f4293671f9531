-- materialized: table
-- participations of completed activities pre-aggregated at the grain the filters and the
-- participation KPIs need: (month, network, subtheme, mode, cooperation, participant city, its
-- country and region, stakeholder type). Activity type and modality live in
-- mart.participation_type_cube, and the capacity-building, joint and study-visit figures are
-- sum columns rather than dimensions, so the cube stays small (at 1 million participation rows it
-- is a few percent of the fact table) and any filter combination scans little.
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
        a.cross_cutting_id,
        a.mode,
        a.cooperation_id,
        p.city_id,
        c.country_iso2,
        c.region,
        p.stakeholder_type,
        sum(p.participants)::bigint as participants,
        coalesce(sum(p.women), 0)::bigint as women,
        sum(case when p.women is not null then p.participants else 0 end)::bigint as participants_gender_declared,
        coalesce(sum(p.organisations), 0)::bigint as organisations_sum,
        max(p.organisations)::bigint as organisations_max,
        -- joint activities (K09): a cooperation's activity with participants from >= 2 countries
        coalesce(sum(p.organisations) filter (where a.is_joint), 0)::bigint as joint_organisations_sum,
        max(p.organisations) filter (where a.is_joint)::bigint as joint_organisations_max,
        -- capacity building (K10)
        coalesce(sum(p.participants) filter (where a.is_capacity_building), 0)::bigint as cb_participants,
        coalesce(sum(p.completions) filter (where a.is_capacity_building), 0)::bigint as cb_completions,
        coalesce(sum(p.participants) filter (where a.is_capacity_building and p.completions is not null), 0)::bigint
            as cb_participants_completion_declared,
        sum(p.participants::bigint * a.duration_days)::bigint as person_days,
        coalesce(sum(p.participants::bigint * a.duration_days) filter (where a.activity_type = 'study_visit'), 0)::bigint
            as study_visit_person_days,
        count(*)::bigint as participation_rows
    from participation as p
    join activity as a on a.activity_id = p.activity_id
    left join city as c on c.city_id = p.city_id
    group by all
)

select * from final
-- most-filtered low-cardinality columns first, so row-group min/max statistics skip most of the
-- cube under a region or mode filter (2-3x faster scans at 10 M rows; period filters lose a little)
order by region, mode, network_id, month
