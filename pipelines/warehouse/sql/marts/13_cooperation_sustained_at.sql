-- materialized: scalar_macro(sustained_from, first_evidence_date, eval_date)
-- K22's numerator (KPI-CATALOGUE D3): eligible at eval_date, and its first evidence on or after
-- sustained_from (mart.cooperation_evidence) not after eval_date, i.e. some evidence lies between.
coalesce(sustained_from <= eval_date and first_evidence_date <= eval_date, false)
