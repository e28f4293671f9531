-- materialized: scalar_macro()
-- "Data as of" (KPI-CATALOGUE D4): the latest reported_date of any activity in the published data;
-- everything "to date" is evaluated at this date, never at the clock's. Null on an empty warehouse.
(select max(reported_date) from core.activity)
