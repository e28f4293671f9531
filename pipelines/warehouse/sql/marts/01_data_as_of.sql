-- materialized: scalar_macro()
-- D4 "data as of": the latest reported_date of any activity in the published data; everything
-- "to date" is evaluated at this date, never at the clock's
(select max(reported_date) from core.activity)
