-- materialized: macro(p_network, p_subtheme, p_region, p_country, p_mode, p_challenge, p_cooperation, p_city)
-- The one target/observation scope a filter combination amounts to, from the filters alone (one
-- row): the programme, one network, one cooperation or one city; null when other filters make the
-- selection a subset no target covers. mart.kpi_actual and mart.kpi_scorecard_for read it here
-- rather than from each other's rows, so neither query inlines the KPI rules a second time.
with

final as (
    select
        case
            when array_length(p_subtheme) + array_length(p_challenge) + array_length(p_region) + array_length(p_country) + array_length(p_mode) > 0 then null
            when array_length(p_network) + array_length(p_cooperation) + array_length(p_city) = 0 then 'programme'
            when array_length(p_network) = 1 and array_length(p_cooperation) + array_length(p_city) = 0 then 'network'
            when array_length(p_cooperation) = 1 and array_length(p_network) + array_length(p_city) = 0 then 'cooperation'
            when array_length(p_city) = 1 and array_length(p_network) + array_length(p_cooperation) = 0 then 'city'
        end as scope_type,
        case
            when array_length(p_subtheme) + array_length(p_challenge) + array_length(p_region) + array_length(p_country) + array_length(p_mode) > 0 then null
            when array_length(p_network) + array_length(p_cooperation) + array_length(p_city) = 0 then 'iurc-na'
            when array_length(p_network) = 1 and array_length(p_cooperation) + array_length(p_city) = 0 then p_network[1]
            when array_length(p_cooperation) = 1 and array_length(p_network) + array_length(p_city) = 0 then p_cooperation[1]
            when array_length(p_city) = 1 and array_length(p_network) + array_length(p_cooperation) = 0 then p_city[1]
        end as scope_id
)

select * from final
