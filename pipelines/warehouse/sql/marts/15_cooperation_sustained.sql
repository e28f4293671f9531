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
-- filter through any member). The evidence and the date rule: mart.cooperation_evidence,
-- mart.cooperation_eligible_at, mart.cooperation_sustained_at.
with

evaluation as (
    select coalesce(p_eval_date::date, mart.data_as_of()) as eval_date
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
        mart.cooperation_eligible_at(c.sustained_from, v.eval_date) as eligible,
        mart.cooperation_sustained_at(c.sustained_from, c.first_evidence_date, v.eval_date)
            as sustained
    from mart.cooperation_evidence as c
    cross join evaluation as v
)

select * from final
order by cooperation_id
