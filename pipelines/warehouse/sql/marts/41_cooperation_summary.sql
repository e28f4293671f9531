-- materialized: table
-- one row per cooperation: members, activities, participations, outputs by lifecycle stage,
-- funding leveraged (EUR) and primary SDG goals (validated tags on the cooperation, its activities
-- and outputs)
with

cooperation as (
    select * from mart.cooperation_register
),

activities as (
    select
        cooperation_id,
        sum(activities) filter (where status = 'completed')::bigint as activities_completed,
        sum(activities) filter (where status = 'planned')::bigint as activities_planned,
        sum(participants) filter (where status = 'completed')::bigint as participations
    from mart.activity_cube
    where cooperation_id is not null
    group by cooperation_id
),

outputs as (
    select
        cooperation_id,
        count(*)::bigint as outputs,
        count(*) filter (where status = 'planned')::bigint as outputs_planned,
        count(*) filter (where status = 'developed')::bigint as outputs_developed,
        count(*) filter (where status = 'implemented')::bigint as outputs_implemented,
        count(*) filter (where status = 'adopted')::bigint as outputs_adopted,
        count(*) filter (where status = 'abandoned')::bigint as outputs_abandoned,
        sum(funding_eur) as funding_eur
    from mart.output_register
    where cooperation_id is not null
    group by cooperation_id
),

goals as (
    select
        cooperation_id,
        list(distinct goal order by goal) filter (where is_primary) as primary_goals
    from mart.sdg_entity_goal
    where cooperation_id is not null and is_validated
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
        c.n_members,
        c.n_countries,
        c.city_ids,
        c.countries,
        c.regions,
        coalesce(a.activities_completed, 0) as activities_completed,
        coalesce(a.activities_planned, 0) as activities_planned,
        coalesce(a.participations, 0) as participations,
        coalesce(o.outputs, 0) as outputs,
        coalesce(o.outputs_planned, 0) as outputs_planned,
        coalesce(o.outputs_developed, 0) as outputs_developed,
        coalesce(o.outputs_implemented, 0) as outputs_implemented,
        coalesce(o.outputs_adopted, 0) as outputs_adopted,
        coalesce(o.outputs_abandoned, 0) as outputs_abandoned,
        coalesce(o.funding_eur, 0) as funding_eur,
        coalesce(g.primary_goals, []) as primary_goals
    from cooperation as c
    left join activities as a on a.cooperation_id = c.cooperation_id
    left join outputs as o on o.cooperation_id = c.cooperation_id
    left join goals as g on g.cooperation_id = c.cooperation_id
)

select * from final
order by cooperation_id
