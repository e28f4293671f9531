-- materialized: table
-- K29 and K30 per city: completeness of the activities it hosts, women declared in its
-- participation rows and its own record; timeliness of the completed activities it hosts
-- (mean and lower median of days from end to reported_date, last reported date)
with

city as (
    select * from mart.city
),

activity as (
    select
        city_id,
        sum(fields_filled)::bigint as activity_fields_filled,
        sum(fields_total)::bigint as activity_fields_total
    from mart.activity_cube
    where city_id is not null
    group by city_id
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

lag as (
    select
        city_id,
        report_lag_days,
        sum(activities) as n,
        max(last_reported_date) as last_reported_date
    from mart.timeliness_cube
    where city_id is not null
    group by city_id, report_lag_days
),

lag_cum as (
    select
        *,
        sum(n) over (partition by city_id order by report_lag_days) as cum,
        sum(n) over (partition by city_id) as total
    from lag
),

timeliness as (
    select
        city_id,
        sum(n)::bigint as completed_activities,
        sum(report_lag_days * n) / nullif(sum(n), 0) as mean_lag_days,
        min(report_lag_days) filter (where cum >= total / 2.0) as median_lag_days,
        max(last_reported_date) as last_reported_date
    from lag_cum
    group by city_id
),

final as (
    select
        c.city_id,
        c.name,
        c.country_iso2,
        c.region,
        coalesce(a.activity_fields_filled, 0) as activity_fields_filled,
        coalesce(a.activity_fields_total, 0) as activity_fields_total,
        coalesce(p.participants, 0) as participants,
        coalesce(p.participants_gender_declared, 0) as participants_gender_declared,
        (c.population is not null)::int + (c.lat is not null)::int + (c.lon is not null)::int as city_fields_filled,
        3 as city_fields_total,
        100.0 * (coalesce(a.activity_fields_filled, 0) + (c.population is not null)::int
                 + (c.lat is not null)::int + (c.lon is not null)::int)
            / (coalesce(a.activity_fields_total, 0) + 3) as pct_filled,
        100.0 * p.participants_gender_declared / nullif(p.participants, 0) as pct_gender_declared,
        coalesce(t.completed_activities, 0) as completed_activities,
        t.mean_lag_days,
        t.median_lag_days,
        t.last_reported_date
    from city as c
    left join activity as a on a.city_id = c.city_id
    left join participation as p on p.city_id = c.city_id
    left join timeliness as t on t.city_id = c.city_id
)

select * from final
order by city_id
