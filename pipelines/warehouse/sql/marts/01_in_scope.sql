-- materialized: scalar_macro(v_network, v_subtheme, v_mode, v_cooperation, v_city, v_country, v_region, p_network, p_subtheme, p_mode, p_cooperation, p_city, p_country, p_region)
-- the global filters (and the cooperation/city scope of the scorecard) applied to one row
mart.keep(v_network, p_network)
and mart.keep(v_subtheme, p_subtheme)
and mart.keep(v_mode, p_mode)
and mart.keep(v_cooperation, p_cooperation)
and mart.keep(v_city, p_city)
and mart.keep(v_country, p_country)
and mart.keep(v_region, p_region)
