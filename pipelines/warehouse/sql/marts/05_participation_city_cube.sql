-- materialized: table
-- mart.participation_cube summed over cooperation and stakeholder type: the per-city views (map,
-- top cities, EU vs North America balance, network breakdown) at the grain of the global filters
-- plus the participant city. At 10 million participation rows it is ~6x smaller than the
-- participation cube, and distinct-city counts stay exact (city_id is kept).
with

cube as (
    select * from mart.participation_cube
),

final as (
    select
        month,
        network_id,
        subtheme_id,
        cross_cutting_id,
        mode,
        city_id,
        country_iso2,
        region,
        sum(participants)::bigint as participants,
        sum(women)::bigint as women,
        sum(participants_gender_declared)::bigint as participants_gender_declared,
        sum(organisations_sum)::bigint as organisations_sum,
        sum(person_days)::bigint as person_days
    from cube
    group by all
)

select * from final
order by month, network_id
