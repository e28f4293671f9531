-- materialized: scalar_macro()
-- K31/K32: the fewest scored cities (the city included) a peer group needs before any score or
-- rank band is given; below it a score would rank a city among too few peers to mean anything
-- (SDSN: 2-3 rank differences are noise). One named constant, read by mart.city_benchmark_score
-- and shown by the page.
5
