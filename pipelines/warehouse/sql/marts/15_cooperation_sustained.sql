-- materialized: macro(p_eval_date)
-- K22 sustained cooperation (D1, D3), the one place of the rule: one row per cooperation (pairing,
-- trio, cluster; the global network is reported apart) with
--   eligible:  support ended at least 12 calendar months before the evaluation date;
--   sustained: eligible, and a completed joint activity ending, or an agreement adopted, on or
--              after the date 12 months after support ended (dates, not months), and not after the
--              evaluation date.
with

cooperation as (
    select * from mart.cooperation_register
    where mode in ('pairing', 'trio', 'cluster')
      and support_end_date is not null
),

joint_activity as (
    select cooperation_id, end_date as on_date
    from mart.activity_register
    where status = 'completed' and cooperation_id is not null
),

agreement as (
    select cooperation_id, adopted_date as on_date
    from core.output
    where output_type = 'agreement' and adopted_date is not null and cooperation_id is not null
),

evidence as (
    select * from joint_activity
    union all
    select * from agreement
),

final as (
    select
        c.cooperation_id,
        c.sustained_from <= p_eval_date::date as eligible,
        c.sustained_from <= p_eval_date::date and exists (
            select 1 from evidence as e
            where e.cooperation_id = c.cooperation_id
              and e.on_date >= c.sustained_from
              and e.on_date <= p_eval_date::date
        ) as sustained
    from cooperation as c
)

select * from final
