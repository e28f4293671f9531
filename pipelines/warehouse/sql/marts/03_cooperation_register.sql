-- materialized: table
-- one row per cooperation with its members' cities, countries and regions as lists (a cooperation
-- matches a region/country/city filter when any member does) and K22 "sustained" inputs.
with

cooperation as (
    select * from core.cooperation
),

member as (
    select
        m.cooperation_id,
        m.city_id,
        m.role,
        c.country_iso2,
        c.region
    from core.cooperation_member as m
    left join core.city as c on c.city_id = m.city_id
),

members as (
    select
        cooperation_id,
        count(*)::bigint as n_members,
        list(distinct city_id order by city_id) as city_ids,
        list(distinct country_iso2 order by country_iso2) filter (where country_iso2 is not null) as countries,
        list(distinct region order by region) filter (where region is not null) as regions,
        count(distinct country_iso2)::bigint as n_countries
    from member
    group by cooperation_id
),

joint_activity_months as (
    select
        cooperation_id,
        list(distinct month order by month) as activity_months
    from mart.activity_register
    where status = 'completed'
      and cooperation_id is not null
    group by cooperation_id
),

agreement_dates as (
    select
        cooperation_id,
        list(distinct adopted_date order by adopted_date) as agreement_dates
    from core.output
    where output_type = 'agreement'
      and adopted_date is not null
      and cooperation_id is not null
    group by cooperation_id
),

final as (
    select
        c.cooperation_id,
        c.name,
        c.mode,
        c.network_id,
        c.phase,
        c.start_date,
        c.support_end_date,
        date_trunc('month', c.start_date)::date as month,
        coalesce(m.n_members, 0) as n_members,
        coalesce(m.n_countries, 0) as n_countries,
        coalesce(m.city_ids, []) as city_ids,
        coalesce(m.countries, []) as countries,
        coalesce(m.regions, []) as regions,
        -- K22: the cooperation counts as sustained at date D when support ended >= 12 months
        -- before D and a joint activity (month granularity) or an agreement falls in
        -- [support_end + 12 months, D]
        (c.support_end_date + interval 12 month)::date as sustained_from,
        coalesce(j.activity_months, []) as activity_months,
        coalesce(g.agreement_dates, []) as agreement_dates
    from cooperation as c
    left join members as m on m.cooperation_id = c.cooperation_id
    left join joint_activity_months as j on j.cooperation_id = c.cooperation_id
    left join agreement_dates as g on g.cooperation_id = c.cooperation_id
)

select * from final
order by cooperation_id
