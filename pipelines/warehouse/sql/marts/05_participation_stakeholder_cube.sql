-- materialized: table
-- mart.participation_cube summed over cooperation and participant city (country and region
-- kept for the filters): the stakeholder views (over time, mix, gender) at the grain of the
-- global filters plus stakeholder type. With the joint activities' organisations (K09) and the
-- capacity-building participations (K10): the live scorecard and the K10 trend read these
-- rows, not the cube's three times as many.
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
        sum(organisations_sum)::bigint as organisations_sum,
        sum(joint_organisations_sum)::bigint as joint_organisations_sum,
        sum(cb_participants)::bigint as cb_participants
    from cube
    group by all
)

select * from final
order by month, network_id
