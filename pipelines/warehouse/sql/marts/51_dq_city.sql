-- materialized: table
-- Data quality per city besides K29/K30 (which the metric layer gives per city): women declared in
-- its participation rows, its own record, the last report of the activities it counts for (D12)
with

city as (
    select * from mart.city
),

participation as (
    select
        city_id,
        sum(participation_rows)::bigint as participation_rows,
        sum(participants)::bigint as participants,
        sum(participants_gender_declared)::bigint as participants_gender_declared
    from mart.participation_cube
    group by city_id
),

last_report as (
    select
        city_id,
        max(reported_date) as last_reported_date
    from (select unnest(city_ids) as city_id, reported_date from mart.activity_register)
    group by city_id
),

final as (
    select
        c.city_id,
        c.name,
        c.country_iso2,
        c.region,
        coalesce(p.participants, 0) as participants,
        coalesce(p.participants_gender_declared, 0) as participants_gender_declared,
        (c.population is not null)::int + (c.lat is not null)::int + (c.lon is not null)::int as city_fields_filled,
        3 as city_fields_total,
        100.0 * p.participants_gender_declared / nullif(p.participants, 0) as pct_gender_declared,
        r.last_reported_date
    from city as c
    left join participation as p on p.city_id = c.city_id
    left join last_report as r on r.city_id = c.city_id
)

select * from final
order by city_id
