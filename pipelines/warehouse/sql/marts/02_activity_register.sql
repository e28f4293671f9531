-- materialized: table
-- one row per activity with every filter dimension resolved (month = month of end_date); serves the /activities register
-- (server-side search, sort and paging) and feeds the activity cubes.
-- mode: the cooperation's mode, 'global_network' for activities without a cooperation.
-- city_id/country/region: of the host city (null without a host); city_ids/countries/regions: the
-- cities the activity counts for (D12).
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
        count(distinct c.region)::bigint as participant_regions,
        list(distinct p.city_id order by p.city_id) as participant_city_ids,
        list(distinct c.country_iso2 order by c.country_iso2) filter (where c.country_iso2 is not null)
            as participant_countries_list,
        list(distinct c.region order by c.region) filter (where c.region is not null) as participant_regions_list
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
        -- D12 geography: the host city; an activity without a host counts where its participants
        -- come from
        case when a.host_city_id is not null then [a.host_city_id] else coalesce(p.participant_city_ids, []) end
            as city_ids,
        case when a.host_city_id is not null then [h.country_iso2] else coalesce(p.participant_countries_list, []) end
            as countries,
        case when a.host_city_id is not null then [h.region] else coalesce(p.participant_regions_list, []) end
            as regions,
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
        -- K29 (D10): every input column of the activity contract (generated from schemas/)
        {{ activity_fields_total }} as fields_total,
        {{ activity_fields_filled }} as fields_filled,
        lower(concat_ws(' ', a.activity_id, a.title, h.city_name, c.cooperation_name)) as search_text
    from activity as a
    left join cooperation as c on c.cooperation_id = a.cooperation_id
    left join host as h on h.city_id = a.host_city_id
    left join activity_type as t on t.activity_type_id = a.activity_type
    left join participation as p on p.activity_id = a.activity_id
)

select * from final
order by month, activity_id
