-- materialized: scalar_macro(p_network, p_subtheme, p_region, p_country, p_mode, p_challenge, p_cooperation, p_city)
-- The id of the target/observation scope of mart.kpi_scope_type: the programme's, the one
-- network's, cooperation's or city's; null with the type.
case mart.kpi_scope_type(p_network, p_subtheme, p_region, p_country, p_mode, p_challenge, p_cooperation, p_city)
    when 'programme' then 'iurc-na'
    when 'network' then p_network[1]
    when 'cooperation' then p_cooperation[1]
    when 'city' then p_city[1]
end
