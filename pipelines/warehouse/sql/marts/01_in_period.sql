-- materialized: scalar_macro(d, p_start, p_end)
-- true when date d lies in the inclusive period; an open bound is no restriction. Under a bound, a
-- null d is out of the period.
(p_start is null or d >= p_start::date) and (p_end is null or d <= p_end::date)
