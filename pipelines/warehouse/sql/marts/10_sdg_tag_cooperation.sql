-- materialized: table
-- mart.sdg_tag's rows (every tag) with only the columns a count of tagged items per cooperation
-- reads when no other filter is set (source sdg_target: sdg.items_tagged, the total of a
-- cooperation's SDG profile), sorted by cooperation: the scan of one cooperation's tags reads
-- about 6 narrow columns of its row groups instead of every column of mart.sdg_tag's.
with

tag as (
    select * from mart.sdg_tag
),

final as (
    select
        cooperation_id,
        entity_type,
        entity_id,
        review,
        method,
        month
    from tag
)

select * from final
order by cooperation_id, entity_type, entity_id
