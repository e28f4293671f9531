-- materialized: table
-- mart.participation_cube summed over cooperation and participant city (country and region
-- kept for the filters): the stakeholder views (over time, mix, gender) at the grain of the
-- global filters plus stakeholder type.
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
        country_iso2,
        region,
        stakeholder_type,
        sum(participants)::bigint as participants,
        sum(women)::bigint as women,
        sum(participants_gender_declared)::bigint as participants_gender_declared,
        sum(organisations_sum)::bigint as organisations_sum
    from cube
    group by all
)

select * from final
order by month, network_id
