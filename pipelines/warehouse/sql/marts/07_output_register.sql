-- materialized: table
-- one row per output with its filter dimensions and lifecycle: a stage counts as reached when its
-- date is filled or the status is at or past it (abandoned outputs keep the stages they dated).
-- reference_date (first dated stage) places an output in a period for stock measures (funnel, K27);
-- stage KPIs use their own stage date. is_joint: its cooperation spans >= 2 countries (K12).
-- has_evidence: an evidence link that is not blank (K21), tested here once per output at publish
-- rather than trimming every output's link in each live scorecard.
with

output as (
    select * from core.output
),

status as (
    select
        status_id,
        stage
    from ref.output_status
),

activity as (
    select
        activity_id,
        subtheme_id,
        cross_cutting_id
    from core.activity
),

cooperation as (
    select
        cooperation_id,
        mode,
        n_countries,
        city_ids,
        countries,
        regions
    from mart.cooperation_register
),

city as (
    select
        city_id,
        country_iso2,
        region
    from core.city
),

funding as (
    select
        output_id,
        sum(amount_eur) as funding_eur
    from core.funding
    group by output_id
),

final as (
    select
        o.output_id,
        o.output_type,
        o.title,
        o.status,
        s.stage,
        o.cooperation_id,
        case when o.cooperation_id is null then 'global_network' else c.mode end as mode,
        o.city_id,
        ci.country_iso2,
        ci.region,
        -- D12 geography: the output's own city, else the cities of its cooperation
        case when o.city_id is not null then [o.city_id] else coalesce(c.city_ids, []) end as city_ids,
        case when o.city_id is not null then [ci.country_iso2] else coalesce(c.countries, []) end as countries,
        case when o.city_id is not null then [ci.region] else coalesce(c.regions, []) end as regions,
        o.network_id,
        a.subtheme_id,
        a.cross_cutting_id,
        o.activity_id,
        o.framework_id,
        o.planned_date,
        o.developed_date,
        o.implemented_date,
        o.adopted_date,
        o.evidence_url,
        nullif(trim(o.evidence_url), '') is not null as has_evidence,
        o.description,
        coalesce(o.planned_date, o.developed_date, o.implemented_date, o.adopted_date) as reference_date,
        date_trunc('month', coalesce(o.planned_date, o.developed_date, o.implemented_date, o.adopted_date))::date as month,
        coalesce(c.n_countries, 0) >= 2 as is_joint,
        true as reached_planned,
        o.developed_date is not null
            or o.status in ('developed', 'implemented', 'adopted') as reached_developed,
        o.implemented_date is not null
            or o.status in ('implemented', 'adopted') as reached_implemented,
        o.adopted_date is not null or o.status = 'adopted' as reached_adopted,
        o.status = 'abandoned' as is_abandoned,
        coalesce(f.funding_eur, 0) as funding_eur
    from output as o
    left join status as s on s.status_id = o.status
    left join activity as a on a.activity_id = o.activity_id
    left join cooperation as c on c.cooperation_id = o.cooperation_id
    left join city as ci on ci.city_id = o.city_id
    left join funding as f on f.output_id = o.output_id
)

select * from final
order by output_id
