-- materialized: table
-- K31 engagement score and K32 rank band per city and peer group.
-- score: equal-weight mean of the informative input scores; no score when more than 20 % of the
-- inputs are missing (n_missing / n_inputs > 0.2: with 6 inputs, at most 1 may be missing).
-- rank band among the scored cities of the group: 1 top, 2 middle, 3 bottom third (ntile(3) by
-- score; bands rather than ranks because small groups make 2-3 rank differences noise).
with

scores as (
    select * from mart.city_benchmark
),

composite as (
    select
        peer_group_type,
        peer_group_id,
        city_id,
        count(*) as n_inputs,
        count(*) filter (where value is null) as n_missing,
        count(score) as n_scored_inputs,
        case
            when count(*) filter (where value is null) > 0.2 * count(*) then null
            else avg(score)
        end as score
    from scores
    group by all
),

banded as (
    select
        *,
        case
            when score is not null
                then ntile(3) over (
                    partition by peer_group_type, peer_group_id, (score is null)
                    order by score desc, city_id
                )
        end as rank_band,
        count(score) over (partition by peer_group_type, peer_group_id) as n_scored_cities
    from composite
),

final as (
    select
        *,
        case rank_band when 1 then 'top' when 2 then 'middle' when 3 then 'bottom' end as rank_band_label
    from banded
)

select * from final
order by peer_group_type, peer_group_id, score desc nulls last
