-- materialized: table
-- K31 inputs per city, whole programme to date (one row per city and input):
--   activities_hosted        K03 completed activities the city hosted
--   participations_per_100k  K04 participations of the city's people per 100,000 inhabitants
--                            (missing when the population is unknown)
--   action_plans             K12 joint action plans the city leads, developed or later
--   plans_taken_up           K17 action plans the city leads that were adopted
--   pilots_implemented       K18 pilots the city leads that were implemented
--   sustained_cooperation    K22 % of the city's cooperations (pairings, trios, clusters) sustained
--                            12 months after support, K22's rule (mart.cooperation_sustained) at the
--                            data's as-of date (missing while none is 12 months past support end)
-- Abandoned outputs are excluded, as in the scorecard.
with

city as (
    select * from mart.city
),

hosted as (
    select
        city_id,
        count(*)::double as n
    from mart.activity_register
    where status = 'completed' and city_id is not null
    group by city_id
),

participations as (
    select
        city_id,
        sum(participants)::double as n
    from mart.participation_cube
    group by city_id
),

outputs as (
    select
        city_id,
        count(*) filter (where output_type = 'action_plan' and is_joint and reached_developed)::double as action_plans,
        count(*) filter (where output_type = 'action_plan' and reached_adopted)::double as plans_taken_up,
        count(*) filter (where output_type = 'pilot' and reached_implemented)::double as pilots_implemented
    from mart.output_register
    where not is_abandoned and city_id is not null
    group by city_id
),

cooperation_city as (
    -- K22's rule (mart.cooperation_sustained) at the data's as-of date, per member city
    select
        unnest(city_ids) as city_id,
        eligible,
        sustained
    from mart.cooperation_sustained(mart.data_as_of())
),

sustained as (
    select
        city_id,
        100.0 * count(*) filter (where sustained) / nullif(count(*) filter (where eligible), 0) as pct
    from cooperation_city
    group by city_id
),

wide as (
    select
        c.city_id,
        coalesce(h.n, 0) as activities_hosted,
        case when c.population > 0 then 100000.0 * coalesce(p.n, 0) / c.population end as participations_per_100k,
        coalesce(o.action_plans, 0) as action_plans,
        coalesce(o.plans_taken_up, 0) as plans_taken_up,
        coalesce(o.pilots_implemented, 0) as pilots_implemented,
        s.pct as sustained_cooperation
    from city as c
    left join hosted as h on h.city_id = c.city_id
    left join participations as p on p.city_id = c.city_id
    left join outputs as o on o.city_id = c.city_id
    left join sustained as s on s.city_id = c.city_id
),

final as (
    select
        city_id,
        input_id,
        value::double as value
    from wide
    unpivot include nulls (
        value for input_id in (
            activities_hosted,
            participations_per_100k,
            action_plans,
            plans_taken_up,
            pilots_implemented,
            sustained_cooperation
        )
    )
)

select * from final
order by city_id, input_id
