-- materialized: table
-- K29 per table: filled cells / all cells of the loaded columns (run_id excluded), split into
-- required (not null in the contract) and optional columns
with

cells as (
    select 'activity' as table_name, 9 * count(*) as required_total, 9 * count(*) as required_filled,
        5 * count(*) as optional_total,
        count(nullif(trim(description), '')) + count(subtheme_id) + count(cross_cutting_id)
            + count(cooperation_id) + count(host_city_id) as optional_filled
    from core.activity
    union all
    select 'participation', 4 * count(*), 4 * count(*), 3 * count(*),
        count(women) + count(organisations) + count(completions)
    from core.participation
    union all
    select 'city', 4 * count(*), 4 * count(*), 5 * count(*),
        count(population) + count(population_year) + count(lat) + count(lon) + count(geonames_id)
    from core.city
    union all
    select 'cooperation', 6 * count(*), 6 * count(*), 2 * count(*), count(phase) + count(support_end_date)
    from core.cooperation
    union all
    select 'output', 5 * count(*), 5 * count(*), 9 * count(*),
        count(cooperation_id) + count(city_id) + count(activity_id) + count(framework_id)
            + count(planned_date) + count(developed_date) + count(implemented_date) + count(adopted_date)
            + count(nullif(trim(evidence_url), ''))
    from core.output
    union all
    select 'funding', 7 * count(*), 7 * count(*), 0, 0 from core.funding
    union all
    select 'target', 5 * count(*), 5 * count(*), count(*), count(baseline) from core.target
    union all
    select 'observation', 7 * count(*), 7 * count(*), 0, 0 from core.observation
    union all
    select 'sdg_alignment', 6 * count(*), 6 * count(*), 2 * count(*), count(target_id) + count(score)
    from core.sdg_alignment
    union all
    select 'city_context', 5 * count(*), 5 * count(*), count(*), count(unit) from core.city_context
),

final as (
    select
        table_name,
        required_total::bigint as required_total,
        required_filled::bigint as required_filled,
        optional_total::bigint as optional_total,
        optional_filled::bigint as optional_filled,
        100.0 * (required_filled + optional_filled) / nullif(required_total + optional_total, 0) as pct_filled,
        100.0 * optional_filled / nullif(optional_total, 0) as pct_optional_filled
    from cells
)

select * from final
