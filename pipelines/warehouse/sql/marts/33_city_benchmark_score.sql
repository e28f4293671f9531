-- materialized: table
-- K31 engagement score and K32 rank band per city and peer group.
-- Inputs that do not discriminate in the group (mart.city_benchmark.input_status
-- 'not_discriminating') are left out of both the score and the missing-data rule:
--   n_inputs   discriminating inputs; n_missing: of them, those the city has no value for;
--   n_not_discriminating: inputs left out.
-- provisional score: equal-weight mean of the discriminating input scores, unless more than 20 %
-- of them are missing (n_missing > 0.2 * n_inputs: with 6 inputs, at most 1) or none discriminates.
-- score and rank band are given only when at least mart.benchmark_min_scored_peers() cities of
-- the group (the city included) have a provisional score; otherwise no_score_reason says why:
--   too_few_peers (the group, or its scored part, is smaller than the minimum) |
--   no_discriminating_inputs | too_many_missing   (null when scored)
-- peer_count: cities in the group; n_scored_cities: cities with a provisional score.
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
        count(*) filter (where input_status <> 'not_discriminating') as n_inputs,
        count(*) filter (where input_status = 'missing') as n_missing,
        count(*) filter (where input_status = 'not_discriminating') as n_not_discriminating,
        count(score) as n_scored_inputs,
        case
            when count(*) filter (where input_status <> 'not_discriminating') = 0 then null
            when count(*) filter (where input_status = 'missing')
                 > 0.2 * count(*) filter (where input_status <> 'not_discriminating') then null
            else avg(score)
        end as provisional_score
    from scores
    group by all
),

counted as (
    select
        *,
        count(*) over (partition by peer_group_type, peer_group_id) as peer_count,
        count(provisional_score) over (partition by peer_group_type, peer_group_id) as n_scored_cities,
        mart.benchmark_min_scored_peers() as min_scored_peers
    from composite
),

reasoned as (
    select
        * exclude (provisional_score),
        case
            when peer_count < min_scored_peers then 'too_few_peers'
            when n_inputs = 0 then 'no_discriminating_inputs'
            when provisional_score is null then 'too_many_missing'
            when n_scored_cities < min_scored_peers then 'too_few_peers'
        end as no_score_reason,
        case when n_scored_cities >= min_scored_peers then provisional_score end as score
    from counted
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
        end as rank_band
    from reasoned
),

final as (
    select
        *,
        case rank_band when 1 then 'top' when 2 then 'middle' when 3 then 'bottom' end as rank_band_label
    from banded
)

select * from final
order by peer_group_type, peer_group_id, score desc nulls last
