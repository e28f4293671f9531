-- materialized: table
-- one row per output with a validated SDG tag: its validated goals in order (the goals the
-- best-practice showcase lists for an output), sorted by output, so the goals of one page of
-- outputs are read from the few row groups holding them instead of from every validated output
-- tag of mart.sdg_tag.
with

tag as (
    select * from mart.sdg_tag
    where entity_type = 'output' and is_validated
),

final as (
    select
        entity_id as output_id,
        list(distinct goal order by goal) as goals
    from tag
    group by entity_id
)

select * from final
order by output_id
