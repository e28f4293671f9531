-- materialized: scalar_macro(v_actual, v_target, v_direction)
-- % of target achieved, direction-aware. higher is better: actual / target (not capped: over-
-- achievement is shown). lower is better: target / actual, capped at 200 (an actual near 0 would
-- explode the ratio; an actual <= 0 counts as 200). null without a target, an actual or a
-- usable (non-zero) target for higher-is-better KPIs.
case
    when v_actual is null or v_target is null then null
    when v_direction = 'lower' then
        case
            when v_actual <= 0 then 200.0
            else least(200.0, 100.0 * v_target / v_actual)
        end
    when v_target = 0 then null
    else 100.0 * v_actual / v_target
end
