-- materialized: table
-- participations of completed activities by activity type and modality (no city, no stakeholder):
-- the "by activity type and modality" views; country/region = the participants' city
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
        c.country_iso2,
        c.region,
        a.activity_type,
        a.modality,
        sum(p.participants)::bigint as participants,
        coalesce(sum(p.women), 0)::bigint as women,
        sum(case when p.women is not null then p.participants else 0 end)::bigint as participants_gender_declared,
        sum(p.participants::bigint * a.duration_days)::bigint as person_days
    from participation as p
    join activity as a on a.activity_id = p.activity_id
    left join city as c on c.city_id = p.city_id
    group by all
)

select * from final
order by month, network_id
