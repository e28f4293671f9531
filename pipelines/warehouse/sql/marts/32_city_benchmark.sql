-- materialized: table
-- K31 input scores per peer group: each input rescaled 0-100 between
--   lower bound = 0 (every input is a non-negative count or rate whose zero means "no engagement";
--                 with peer groups of 2-30 cities a 2.5th percentile is just the minimum, which would
--                 score the weakest city 0 by construction)
--   upper bound = best-performer mean: the mean of the (up to) 3 highest values in the peer group
--                 (SDSN uses the top-5 mean over ~150 units; no city-level targets exist for these)
-- and censored to [0, 100]. Missing (null) values get no score. An input on which every peer with
-- a value has the same value (or fewer than 2 peers have one) does not discriminate in the group:
-- is_informative = false, input_status 'not_discriminating', no score for anyone, and it is not a
-- city's missing data. input_status: 'scored' | 'missing' (the city has no value for an input
-- that discriminates) | 'not_discriminating'.
with

member as (
    select * from mart.city_peer_group
),

input as (
    select * from mart.city_benchmark_input
),

peer_value as (
    select
        m.peer_group_type,
        m.peer_group_id,
        m.city_id,
        i.input_id,
        i.value
    from member as m
    join input as i on i.city_id = m.city_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by peer_group_type, peer_group_id, input_id
            order by value desc nulls last
        ) as value_rank
    from peer_value
),

bounds as (
    select
        peer_group_type,
        peer_group_id,
        input_id,
        0.0 as lower_bound,
        avg(value) filter (where value_rank <= 3 and value is not null) as upper_bound,
        median(value) as peer_median,
        min(value) as peer_min,
        max(value) as peer_max,
        count(value) as n_with_value,
        count(*) as n_cities
    from ranked
    group by all
),

final as (
    select
        v.peer_group_type,
        v.peer_group_id,
        v.city_id,
        v.input_id,
        v.value,
        b.lower_bound,
        b.upper_bound,
        b.peer_median,
        b.peer_min,
        b.peer_max,
        b.n_with_value,
        b.n_cities,
        coalesce(b.peer_max > b.peer_min and b.upper_bound > b.lower_bound, false) as is_informative,
        case
            when not coalesce(b.peer_max > b.peer_min and b.upper_bound > b.lower_bound, false)
                then 'not_discriminating'
            when v.value is null then 'missing'
            else 'scored'
        end as input_status,
        case
            when v.value is null or not coalesce(b.peer_max > b.peer_min and b.upper_bound > b.lower_bound, false)
                then null
            else least(100.0, greatest(0.0, 100.0 * (v.value - b.lower_bound) / (b.upper_bound - b.lower_bound)))
        end as score
    from peer_value as v
    join bounds as b using (peer_group_type, peer_group_id, input_id)
)

select * from final
order by peer_group_type, peer_group_id, city_id, input_id
