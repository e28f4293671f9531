-- materialized: scalar_macro(p_network, p_subtheme, p_region, p_country, p_mode, p_challenge, p_cooperation, p_city)
-- The type of the one target/observation scope a filter combination amounts to, from the filters
-- alone: 'programme', 'network' (one network), 'cooperation' (one) or 'city' (one); null when
-- other filters make the selection a subset no target covers. Its id: mart.kpi_scope_id. A scalar
-- macro, so that the keyed scorecard computes it from each call's parameter columns.
case
    when array_length(p_subtheme) + array_length(p_challenge) + array_length(p_region) + array_length(p_country) + array_length(p_mode) > 0 then null
    when array_length(p_network) + array_length(p_cooperation) + array_length(p_city) = 0 then 'programme'
    when array_length(p_network) = 1 and array_length(p_cooperation) + array_length(p_city) = 0 then 'network'
    when array_length(p_cooperation) = 1 and array_length(p_network) + array_length(p_city) = 0 then 'cooperation'
    when array_length(p_city) = 1 and array_length(p_network) + array_length(p_cooperation) = 0 then 'city'
end
