-- materialized: scalar_macro(sustained_from, eval_date)
-- K22's denominator (KPI-CATALOGUE D3): a cooperation is eligible at eval_date when its
-- sustained_from (support end + 12 months, mart.cooperation_evidence) is not after it.
coalesce(sustained_from <= eval_date, false)
