-- materialized: scalar_macro(v_pct, v_target, v_actual)
-- RAG status: green >= 90 %, amber 60-89 %, red < 60 %; 'not_rated' without a (usable) target;
-- 'no_data' with a target but no actual value
case
    when v_target is null then 'not_rated'
    when v_actual is null then 'no_data'
    when v_pct is null then 'not_rated'
    when v_pct >= 90 then 'green'
    when v_pct >= 60 then 'amber'
    else 'red'
end
