-- materialized: table
-- one row per activity with every filter dimension resolved (month = month of end_date); serves the /activities register
-- (server-side search, sort and paging) and feeds the activity cubes.
-- mode: the cooperation's mode, 'global_network' for activities without a cooperation.
-- country/region: of the host city (null for activities without a host, e.g. online).
with

activity as (
    select * from core.activity
),

cooperation as (
    select
        cooperation_id,
        mode,
        name as cooperation_name
    from core.cooperation
),

host as (
    select
        city_id,
        name as city_name,
        country_iso2,
        region
    from core.city
),

activity_type as (
    select
        activity_type_id,
        is_capacity_building
    from ref.activity_type
),

participation as (
    select
        p.activity_id,
        sum(p.participants)::bigint as participants,
        sum(p.women)::bigint as women,
        count(*)::bigint as participation_rows,
        count(distinct c.country_iso2)::bigint as participant_countries,
        count(distinct c.region)::bigint as participant_regions
    from core.participation as p
    left join core.city as c on c.city_id = p.city_id
    group by p.activity_id
),

final as (
    select
        a.activity_id,
        a.title,
        a.description,
        a.activity_type,
        a.modality,
        a.status,
        a.start_date,
        a.end_date,
        -- an activity belongs to the month it ends in (delivered then)
        date_trunc('month', a.end_date)::date as month,
        a.network_id,
        a.subtheme_id,
        a.cross_cutting_id,
        a.cooperation_id,
        coalesce(c.mode, 'global_network') as mode,
        c.cooperation_name,
        a.host_city_id as city_id,
        h.city_name,
        h.country_iso2,
        h.region,
        a.reported_date,
        -- reported before the end counts as on time: lag 0
        case
            when a.status = 'completed'
                then greatest(datediff('day', a.end_date, a.reported_date), 0)
        end as report_lag_days,
        datediff('day', a.start_date, a.end_date) + 1 as duration_days,
        coalesce(t.is_capacity_building, false) as is_capacity_building,
        coalesce(p.participants, 0)::bigint as participants,
        p.women,
        coalesce(p.participation_rows, 0)::bigint as participation_rows,
        -- joint (K09): a cooperation's activity with participants from >= 2 countries;
        -- EU-NA (K11): a cooperation's activity with participants from both regions
        a.cooperation_id is not null and coalesce(p.participant_countries, 0) >= 2 as is_joint,
        a.cooperation_id is not null and coalesce(p.participant_regions, 0) >= 2 as is_eu_na,
        -- K29: 9 required fields (always filled after validation) + 5 optional ones
        14 as fields_total,
        9
            + (nullif(trim(a.description), '') is not null)::int
            + (a.subtheme_id is not null)::int
            + (a.cross_cutting_id is not null)::int
            + (a.cooperation_id is not null)::int
            + (a.host_city_id is not null)::int as fields_filled,
        lower(concat_ws(' ', a.activity_id, a.title, h.city_name, c.cooperation_name)) as search_text
    from activity as a
    left join cooperation as c on c.cooperation_id = a.cooperation_id
    left join host as h on h.city_id = a.host_city_id
    left join activity_type as t on t.activity_type_id = a.activity_type
    left join participation as p on p.activity_id = a.activity_id
)

select * from final
order by month, activity_id
