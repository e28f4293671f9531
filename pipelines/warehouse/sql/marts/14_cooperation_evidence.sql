-- materialized: table
-- K22 sustained cooperation (KPI-CATALOGUE D1, D3): the evidence part of the rule, which does not
-- depend on the evaluation date. One row per cooperation of mode pairing, trio or cluster (D1: the
-- global network is not a cooperation):
--   sustained_from       support_end_date + 12 calendar months (null without a support end date)
--   first_evidence_date  the earliest evidence on or after sustained_from: a completed joint
--                        activity's END date, or an agreement (not abandoned) adopted; dates are
--                        compared as dates, never as months
-- A cooperation is sustained at a date when both sustained_from and first_evidence_date are not
-- after it (mart.cooperation_sustained_at): exactly "some evidence lies between sustained_from and
-- the date". mart.cooperation_sustained evaluates it at one date; the keyed scorecard at each
-- stored call's own date (the K22 source of pipelines/metrics/catalogue.py).
with

cooperation as (
    select
        cooperation_id,
        network_id,
        mode,
        city_ids,
        countries,
        regions,
        support_end_date,
        (support_end_date + interval 12 month)::date as sustained_from
    from mart.cooperation_register
    where mode in ('pairing', 'trio', 'cluster')
),

joint_activity as (
    select
        cooperation_id,
        end_date as evidence_date
    from core.activity
    where status = 'completed'
      and cooperation_id is not null
),

agreement as (
    select
        cooperation_id,
        adopted_date as evidence_date
    from core.output
    where output_type = 'agreement'
      and status <> 'abandoned'
      and adopted_date is not null
      and cooperation_id is not null
),

evidence as (
    select
        c.cooperation_id,
        min(e.evidence_date) as first_evidence_date
    from cooperation as c
    join (
        select * from joint_activity
        union all
        select * from agreement
    ) as e
      on e.cooperation_id = c.cooperation_id
     and e.evidence_date >= c.sustained_from
    group by c.cooperation_id
),

final as (
    select
        c.*,
        e.first_evidence_date
    from cooperation as c
    left join evidence as e on e.cooperation_id = c.cooperation_id
)

select * from final
order by cooperation_id
