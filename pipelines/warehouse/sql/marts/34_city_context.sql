-- materialized: view
-- context indicators (K33): external values for benchmarking context, never scored
with

context as (
    select * from core.city_context
),

final as (
    select
        city_id,
        metric,
        year,
        value,
        unit,
        source
    from context
)

select * from final
