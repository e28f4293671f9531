-- materialized: macro(p_eval_date)
-- K22 sustained cooperation, the one definition (KPI-CATALOGUE D1, D3), evaluated at p_eval_date
-- (null: the data's as-of date, mart.data_as_of()). One row per cooperation of mode pairing, trio
-- or cluster (D1: the global network is not a cooperation):
--   sustained_from  support_end_date + 12 calendar months (null without a support end date)
--   eligible        sustained_from <= evaluation date (the K22 denominator)
--   sustained       eligible, and a completed joint activity ENDING on or after sustained_from, or
--                   an agreement (not abandoned) adopted on or after it, both not after the
--                   evaluation date; dates are compared as dates, never as months (the K22 numerator)
-- Callers pass the period end, or the as-of date when earlier, e.g. K22 programme-wide:
--   select count(*) filter (where eligible), count(*) filter (where sustained)
--   from mart.cooperation_sustained(least(?::date, mart.data_as_of()))
-- and filter on network_id, mode, city_ids, countries, regions (a cooperation matches a geographic
-- filter through any member).
with

evaluation as (
    select coalesce(p_eval_date::date, mart.data_as_of()) as eval_date
),

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
        bool_or(e.evidence_date is not null) as has_evidence
    from cooperation as c
    cross join evaluation as v
    join (
        select * from joint_activity
        union all
        select * from agreement
    ) as e
      on e.cooperation_id = c.cooperation_id
     and e.evidence_date >= c.sustained_from
     and e.evidence_date <= v.eval_date
    group by c.cooperation_id
),

final as (
    select
        c.cooperation_id,
        c.network_id,
        c.mode,
        c.city_ids,
        c.countries,
        c.regions,
        c.support_end_date,
        c.sustained_from,
        v.eval_date,
        coalesce(c.sustained_from <= v.eval_date, false) as eligible,
        coalesce(c.sustained_from <= v.eval_date and e.has_evidence, false) as sustained
    from cooperation as c
    cross join evaluation as v
    left join evidence as e on e.cooperation_id = c.cooperation_id
)

select * from final
order by cooperation_id
