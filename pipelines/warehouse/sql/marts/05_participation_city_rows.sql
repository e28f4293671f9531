-- materialized: table
-- One city's participations (the city profile's participations, by year and by stakeholder type,
-- and its organisation participations): mart.participation_cube's rows with the columns those
-- figures and the filters read, sorted by participant city. The metric layer reads it for a
-- query scoped to ONE city (Relation.place), whose rows it then finds together (the scan reads
-- the city's row groups only) instead of testing the city of every row of a cube sorted by
-- region or month. The same rows as the cube: any figure over them is the cube's.
with

cube as (
    select * from mart.participation_cube
),

final as (
    select
        city_id,
        month,
        network_id,
        subtheme_id,
        cross_cutting_id,
        mode,
        cooperation_id,
        country_iso2,
        region,
        stakeholder_type,
        participants,
        women,
        participants_gender_declared,
        organisations_sum,
        person_days
    from cube
)

select * from final
order by city_id, month
