-- materialized: macro(p_start, p_end, p_network, p_subtheme, p_region, p_country, p_mode, p_cooperation, p_city)
-- Every KPI for one filter combination: (scope_type, scope_id, indicator_id, measure, value_kind, source, numerator,
-- denominator, value). measure 'main' is the scorecard value; other measures are the secondary
-- figures the catalogue asks for (e.g. K10 % completing). Empty lists mean no restriction;
-- p_start/p_end are inclusive dates (the query layer passes whole months).
-- Cumulative KPIs (ref.indicator.is_cumulative: K12-K21) are running totals to the period end:
-- the period start does not apply to them and they are never summed across periods.
-- Aggregation rules: counts and sums are summed; distinct counts are recounted; percentages are
-- recomputed from numerator and denominator, never averaged. Reported observations (source
-- 'reported') feed only KPIs not computed from facts (e.g. K23) and every forecast; cumulative or
-- non-summable observations take the latest value in the period, never a sum across periods.
-- scope: the target/observation scope the filters amount to (programme, one network, one
-- cooperation, one city); null when other filters make the selection a subset no target covers.
with

pc as (
    select * from mart.participation_cube
    where mart.in_period(month, p_start, p_end)
      and mart.in_scope(network_id, subtheme_id, mode, cooperation_id, city_id, country_iso2, region,
                        p_network, p_subtheme, p_mode, p_cooperation, p_city, p_country, p_region)
),

ac as (
    select * from mart.activity_cube
    where mart.in_period(month, p_start, p_end)
      and mart.in_scope(network_id, subtheme_id, mode, cooperation_id, city_id, country_iso2, region,
                        p_network, p_subtheme, p_mode, p_cooperation, p_city, p_country, p_region)
),

tl as (
    select * from mart.timeliness_cube
    where mart.in_period(month, p_start, p_end)
      and mart.in_scope(network_id, subtheme_id, mode, cooperation_id, city_id, country_iso2, region,
                        p_network, p_subtheme, p_mode, p_cooperation, p_city, p_country, p_region)
),

oc as (
    select * from mart.output_register
    where mart.in_scope(network_id, subtheme_id, mode, cooperation_id, city_id, country_iso2, region,
                        p_network, p_subtheme, p_mode, p_cooperation, p_city, p_country, p_region)
),

fr as (
    select * from mart.funding_register
    where mart.in_period(committed_date, null, p_end)
      and mart.in_scope(network_id, subtheme_id, mode, cooperation_id, city_id, country_iso2, region,
                        p_network, p_subtheme, p_mode, p_cooperation, p_city, p_country, p_region)
),

-- SDG tags through their cubes (targets, primary goals, review status): same counts as
-- mart.sdg_tag, a fraction of its rows
tt as (
    select * from mart.sdg_target_cube
    where mart.in_period(month, p_start, p_end)
      and mart.in_scope(network_id, subtheme_id, mode, cooperation_id, city_id, country_iso2, region,
                        p_network, p_subtheme, p_mode, p_cooperation, p_city, p_country, p_region)
),

tp as (
    select * from mart.sdg_primary_cube
    where mart.in_period(month, p_start, p_end)
      and mart.in_scope(network_id, subtheme_id, mode, cooperation_id, city_id, country_iso2, region,
                        p_network, p_subtheme, p_mode, p_cooperation, p_city, p_country, p_region)
),

tr as (
    select * from mart.sdg_review_cube
    where mart.in_period(month, p_start, p_end)
      and mart.in_scope(network_id, subtheme_id, mode, cooperation_id, city_id, country_iso2, region,
                        p_network, p_subtheme, p_mode, p_cooperation, p_city, p_country, p_region)
),

-- K22 (D1, D3): mart.cooperation_sustained evaluated at the period end, or the data's as-of date
-- when earlier (D4); cooperations match region/country/city filters through any member; a
-- subtheme filter leaves K22 undefined (cooperations have no subtheme)
cr as (
    select *
    from mart.cooperation_sustained(least(coalesce(p_end::date, mart.data_as_of()), mart.data_as_of()))
    where len(p_subtheme) = 0
      and mart.keep(network_id, p_network)
      and mart.keep(mode, p_mode)
      and mart.keep(cooperation_id, p_cooperation)
      and (len(p_city) = 0 or list_has_any(city_ids, p_city))
      and (len(p_country) = 0 or list_has_any(countries, p_country))
      and (len(p_region) = 0 or list_has_any(regions, p_region))
),

stakeholder as (
    select
        stakeholder_type,
        sum(participants)::double as n
    from pc
    group by stakeholder_type
),

-- K07 groups: government (local + regional), academia, business, civil society; 'other' excluded
stakeholder_group as (
    select
        case
            when stakeholder_type in ('local_government', 'regional_government') then 'government'
            else stakeholder_type
        end as stakeholder_group,
        sum(n) as n
    from stakeholder
    where stakeholder_type <> 'other'
    group by 1
),

-- lower-bound estimate of distinct organisations: per city and stakeholder type, the most
-- organisations seen at any one activity (K05 over all activities, K09 over joint ones)
org_lower_bound as (
    select
        city_id,
        stakeholder_type,
        max(organisations_max)::double as organisations
    from pc
    group by all
),

joint_org_lower_bound as (
    select
        city_id,
        stakeholder_type,
        max(joint_organisations_max)::double as organisations
    from pc
    group by all
),

lag as (
    select
        report_lag_days,
        sum(activities)::double as n
    from tl
    group by report_lag_days
),

lag_cum as (
    select
        report_lag_days,
        sum(n) over (order by report_lag_days) as cum,
        sum(n) over () as total
    from lag
),

quarters as (
    select
        datediff(
            'quarter',
            date_trunc('quarter', coalesce(p_start::date, min(month))),
            date_trunc('quarter', coalesce(p_end::date, max(month)))
        ) + 1 as n_quarters
    from ac
    where status = 'completed'
),

sustained as (
    select
        count(*) filter (where eligible)::double as eligible,
        count(*) filter (where sustained)::double as sustained
    from cr
),

computed as (
    select 'K01' as indicator_id, 'main' as measure,
        count(distinct cooperation_id)::double as numerator, null::double as denominator,
        count(distinct cooperation_id)::double as value
    from ac where status = 'completed' and cooperation_id is not null
    union all
    select 'K02', 'main', count(distinct city_id), null, count(distinct city_id)
    from pc where participants > 0
    union all
    select 'K03', 'main', coalesce(sum(activities) filter (where status = 'completed'), 0), null,
        coalesce(sum(activities) filter (where status = 'completed'), 0)
    from ac
    union all
    select 'K03', 'pct_of_plan', sum(activities) filter (where status = 'completed'),
        sum(activities) filter (where status in ('completed', 'planned')),
        100.0 * sum(activities) filter (where status = 'completed')
            / nullif(sum(activities) filter (where status in ('completed', 'planned')), 0)
    from ac
    union all
    select 'K04', 'main', coalesce(sum(participants), 0), null, coalesce(sum(participants), 0)
    from pc
    union all
    select 'K05', 'main', coalesce(sum(organisations_sum), 0), null, coalesce(sum(organisations_sum), 0)
    from pc
    union all
    select 'K05', 'lower_bound', coalesce(sum(organisations), 0), null, coalesce(sum(organisations), 0)
    from org_lower_bound
    union all
    select 'K06', 'main',
        sum(n) filter (where stakeholder_type not in ('local_government', 'regional_government')),
        sum(n),
        100.0 * sum(n) filter (where stakeholder_type not in ('local_government', 'regional_government'))
            / nullif(sum(n), 0)
    from stakeholder
    union all
    select 'K07', 'main', null, sum(n),
        case when sum(n) > 0 then 1 - sum(n * n) / (sum(n) * sum(n)) end
    from stakeholder_group
    union all
    select 'K08', 'main', sum(women), sum(participants_gender_declared),
        100.0 * sum(women) / nullif(sum(participants_gender_declared), 0)
    from pc
    union all
    select 'K08', 'pct_undeclared', sum(participants) - sum(participants_gender_declared), sum(participants),
        100.0 * (sum(participants) - sum(participants_gender_declared)) / nullif(sum(participants), 0)
    from pc
    union all
    select 'K09', 'main', coalesce(sum(joint_organisations_sum), 0), null, coalesce(sum(joint_organisations_sum), 0)
    from pc
    union all
    select 'K09', 'lower_bound', coalesce(sum(organisations), 0), null, coalesce(sum(organisations), 0)
    from joint_org_lower_bound
    union all
    select 'K10', 'main', coalesce(sum(cb_participants), 0), null, coalesce(sum(cb_participants), 0)
    from pc
    union all
    select 'K10', 'pct_completed', sum(cb_completions), sum(cb_participants_completion_declared),
        100.0 * sum(cb_completions) / nullif(sum(cb_participants_completion_declared), 0)
    from pc
    union all
    select 'K11', 'main',
        (select coalesce(sum(activities), 0) from ac where status = 'completed' and is_eu_na),
        (select count(distinct cooperation_id) from ac where status = 'completed' and cooperation_id is not null)
            * (select n_quarters from quarters),
        (select coalesce(sum(activities), 0) from ac where status = 'completed' and is_eu_na)
            / nullif((select count(distinct cooperation_id) from ac where status = 'completed' and cooperation_id is not null)
                * (select n_quarters from quarters), 0)
    union all
    select 'K11', 'study_visit_person_days', coalesce(sum(study_visit_person_days), 0), null,
        coalesce(sum(study_visit_person_days), 0)
    from pc
    union all
    select 'K12', 'main', count(*), null, count(*)
    from oc where not is_abandoned and output_type = 'action_plan' and is_joint and reached_developed
        and mart.in_period(developed_date, null, p_end)
    union all
    select 'K13', 'main', count(*), null, count(*)
    from oc where not is_abandoned and output_type = 'pilot' and reached_developed and mart.in_period(developed_date, null, p_end)
    union all
    select 'K14', 'main', count(*), null, count(*)
    from oc where not is_abandoned and output_type = 'solution' and reached_developed and mart.in_period(developed_date, null, p_end)
    union all
    select 'K15', 'main', count(*), null, count(*)
    from oc where not is_abandoned and output_type = 'agreement' and reached_adopted and mart.in_period(adopted_date, null, p_end)
    union all
    select 'K16', 'main', count(*), null, count(*)
    from oc where not is_abandoned and output_type = 'knowledge_product' and reached_developed
        and mart.in_period(developed_date, null, p_end)
    union all
    select 'K17', 'main', count(*), null, count(*)
    from oc where not is_abandoned and output_type = 'action_plan' and reached_adopted and mart.in_period(adopted_date, null, p_end)
    union all
    -- cohort: joint plans developed by the period end, and how many of them were adopted by then
    select 'K17', 'pct_of_k12',
        count(*) filter (where reached_adopted and mart.in_period(adopted_date, null, p_end)),
        count(*),
        100.0 * count(*) filter (where reached_adopted and mart.in_period(adopted_date, null, p_end))
            / nullif(count(*), 0)
    from oc where not is_abandoned and output_type = 'action_plan' and is_joint and reached_developed
        and mart.in_period(developed_date, null, p_end)
    union all
    select 'K18', 'main', count(*), null, count(*)
    from oc where not is_abandoned and output_type = 'pilot' and reached_implemented and mart.in_period(implemented_date, null, p_end)
    union all
    select 'K18', 'pct_of_k13',
        count(*) filter (where reached_implemented and mart.in_period(implemented_date, null, p_end)),
        count(*),
        100.0 * count(*) filter (where reached_implemented and mart.in_period(implemented_date, null, p_end))
            / nullif(count(*), 0)
    from oc where not is_abandoned and output_type = 'pilot' and reached_developed and mart.in_period(developed_date, null, p_end)
    union all
    select 'K19', 'main', count(*), null, count(*)
    from oc where not is_abandoned and output_type = 'solution' and reached_adopted and mart.in_period(adopted_date, null, p_end)
    union all
    select 'K20', 'main', coalesce(sum(amount_eur), 0), null, coalesce(sum(amount_eur), 0)
    from fr
    union all
    select 'K21', 'main', count(*), null, count(*)
    from oc where not is_abandoned and output_type = 'policy_change' and reached_adopted
        and nullif(trim(evidence_url), '') is not null
        and mart.in_period(adopted_date, null, p_end)
    union all
    select 'K22', 'main', sustained, eligible, 100.0 * sustained / nullif(eligible, 0)
    from sustained
    union all
    select 'K24', 'main', count(distinct target_id), null, count(distinct target_id)
    from tt where validated_entities > 0
    union all
    select 'K25', 'main',
        (select coalesce(sum(primary_entities), 0) from tp where entity_type = 'activity'),
        (select coalesce(sum(activities), 0) from ac where status <> 'cancelled'),
        100.0 * (select coalesce(sum(primary_entities), 0) from tp where entity_type = 'activity')
            / nullif((select sum(activities) from ac where status <> 'cancelled'), 0)
    union all
    select 'K26', 'main',
        coalesce(sum(tags) filter (where status in ('accepted', 'rejected')), 0),
        coalesce(sum(tags), 0),
        100.0 * coalesce(sum(tags) filter (where status in ('accepted', 'rejected')), 0) / nullif(sum(tags), 0)
    from tr where method in ('keyword', 'model')
    union all
    select 'K26', 'agreement_rate',
        coalesce(sum(tags) filter (where status = 'accepted'), 0),
        coalesce(sum(tags) filter (where status in ('accepted', 'rejected')), 0),
        100.0 * coalesce(sum(tags) filter (where status = 'accepted'), 0)
            / nullif(sum(tags) filter (where status in ('accepted', 'rejected')), 0)
    from tr where method in ('keyword', 'model')
    union all
    select 'K27', 'main', count(*) filter (where framework_id is not null), count(*),
        100.0 * count(*) filter (where framework_id is not null) / nullif(count(*), 0)
    from oc where not is_abandoned and mart.in_period(reference_date, p_start, p_end)
    union all
    select 'K29', 'main', sum(fields_filled), sum(fields_total),
        100.0 * sum(fields_filled) / nullif(sum(fields_total), 0)
    from ac
    union all
    -- lower weighted median of the reporting lag
    select 'K30', 'main', sum(report_lag_days * n), sum(n), sum(report_lag_days * n) / nullif(sum(n), 0)
    from lag
    union all
    select 'K30', 'median', null, max(total), min(report_lag_days) filter (where cum >= total / 2.0)
    from lag_cum
),

scope as (
    select
        case
            when len(p_subtheme) + len(p_region) + len(p_country) + len(p_mode) > 0 then null
            when len(p_network) + len(p_cooperation) + len(p_city) = 0 then 'programme'
            when len(p_network) = 1 and len(p_cooperation) + len(p_city) = 0 then 'network'
            when len(p_cooperation) = 1 and len(p_network) + len(p_city) = 0 then 'cooperation'
            when len(p_city) = 1 and len(p_network) + len(p_cooperation) = 0 then 'city'
        end as scope_type,
        case
            when len(p_subtheme) + len(p_region) + len(p_country) + len(p_mode) > 0 then null
            when len(p_network) + len(p_cooperation) + len(p_city) = 0 then 'iurc-na'
            when len(p_network) = 1 and len(p_cooperation) + len(p_city) = 0 then p_network[1]
            when len(p_cooperation) = 1 and len(p_network) + len(p_city) = 0 then p_cooperation[1]
            when len(p_city) = 1 and len(p_network) + len(p_cooperation) = 0 then p_city[1]
        end as scope_id
),

observation as (
    select
        o.*,
        i.aggregation,
        i.is_cumulative
    from core.observation as o
    join scope as s on s.scope_type = o.scope_type and s.scope_id = o.scope_id
    join ref.indicator as i on i.indicator_id = o.indicator_id
    where mart.in_period(o.period_end, p_start, p_end)
),

reported as (
    select
        indicator_id,
        value_kind,
        -- a sum only of non-cumulative sums and counts lying wholly in the period
        case
            when not any_value(is_cumulative) and any_value(aggregation) in ('sum', 'count')
                then sum(value) filter (where mart.in_period(period_start, p_start, p_end))
            else arg_max(value, period_end)
        end as value
    from observation
    group by indicator_id, value_kind
),

final as (
    select
        (select scope_type from scope) as scope_type,
        (select scope_id from scope) as scope_id,
        indicator_id,
        measure,
        'actual' as value_kind,
        'computed' as source,
        numerator::double as numerator,
        denominator::double as denominator,
        value::double as value
    from computed
    union all
    select
        (select scope_type from scope),
        (select scope_id from scope),
        indicator_id,
        'main',
        value_kind,
        'reported',
        null,
        null,
        value
    from reported
    where value_kind = 'forecast'
       or indicator_id not in (select indicator_id from computed)
)

select * from final
