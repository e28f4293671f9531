-- materialized: table
-- K29 per table: filled cells / all cells of the loaded columns (run_id excluded), split into
-- required (not null in the contract) and optional columns
with

cells as (
    -- generated from the contracts in schemas/ (pipelines/metrics/completeness.py)
{{ table_completeness }}
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
