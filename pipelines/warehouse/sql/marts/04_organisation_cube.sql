-- materialized: table
-- organisations taking part in completed activities (K05, K09; decision D6): one row per filter
-- cell (month, network, subtheme, challenge, mode, cooperation, participant city, its country and
-- region, stakeholder type), joint flag and organisation identifier. A row with an
-- organisation_id is one organisation (its participations: the rows); rows without one hold only
-- a count of organisations (organisation participations, identities unknown) under a null id.
-- The metric layer counts identified organisations exactly (count distinct organisation_id) and
-- states the unidentified participations beside them, so a partly identified scope is a range.
with

participation as (
    select * from core.participation
),

activity as (
    select * from mart.activity_register
    where status = 'completed'
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
        coalesce(a.is_joint, false) as is_joint,
        p.organisation_id,
        -- identified: one organisation per row; unidentified: the rows' organisation counts
        count(*) filter (where p.organisation_id is not null)::bigint as identified_participations,
        coalesce(sum(p.organisations) filter (where p.organisation_id is null), 0)::bigint
            as unidentified_participations
    from participation as p
    join activity as a on a.activity_id = p.activity_id
    left join core.city as c on c.city_id = p.city_id
    group by all
)

select * from final
order by region, mode, network_id, month
