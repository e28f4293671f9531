"""City benchmark (K31/K32) against a worked example on the fixture warehouse."""

from __future__ import annotations

import pytest

from pipelines import queries as q


def test_benchmark_region_na_worked_example(cur):
    """Peer group region NA = austin, toronto, merida. Bounds: lower 0, upper = mean of top-3 values.

    input                    austin   toronto   merida   upper                 scores a / t / m
    activities_hosted        1        1         0        (1+1+0)/3 = 0.667     100 / 100 / 0 (censored)
    participations_per_100k  1.875    0.2857    missing  (1.875+0.2857)/2      100 / 26.446 / -
                             (18/960k) (8/2.8M) (no population)  = 1.0804
    action_plans             0        0         0        0 -> uninformative    - / - / -
    plans_taken_up           0        0         0        0 -> uninformative    - / - / -
    pilots_implemented       0        1         0        1/3                   0 / 100 / 0
    sustained_cooperation    100      missing   missing  100                   100 / - / -
                             (coop-a) (coop-b support ends 2030)
    austin  = (100 + 100 + 0 + 100) / 4 = 75           0 of 6 missing
    toronto = (100 + 26.446 + 100) / 3 = 75.482        1 of 6 missing (16.7 % <= 20 %)
    merida  = no score                                 2 of 6 missing (33 % > 20 %)
    bands among the 2 scored: toronto top, austin middle.
    """
    per_100k_upper = (1.875 + 8 / 28) / 2
    toronto_per_100k = 100 * (8 / 28) / per_100k_upper
    toronto = q.city_benchmark(cur, "toronto-ca", "region").set_index("input_id")
    assert toronto.loc["participations_per_100k", "score"] == pytest.approx(toronto_per_100k)
    assert toronto.loc["activities_hosted", "score"] == 100
    assert not toronto.loc["action_plans", "is_informative"]
    assert toronto.loc["K31", "score"] == pytest.approx((100 + toronto_per_100k + 100) / 3)
    assert toronto.loc["K31", "n_missing"] == 1
    assert toronto.loc["K31", "rank_band_label"] == "top"

    austin = q.city_benchmark(cur, "austin-us", "region").set_index("input_id")
    assert austin.loc["pilots_implemented", "score"] == 0
    assert austin.loc["K31", "score"] == pytest.approx(75)
    assert austin.loc["K31", "rank_band_label"] == "middle"


def test_benchmark_no_score_when_more_than_20_percent_missing(cur):
    merida = q.city_benchmark(cur, "merida-mx", "region").set_index("input_id")
    assert merida.loc["K31", "n_missing"] == 2
    assert pd_isna(merida.loc["K31", "score"])
    assert pd_isna(merida.loc["K31", "rank_band"])


def test_benchmark_ranking_lists_peer_group(cur):
    ranking = q.benchmark_ranking(cur, "toronto-ca", "region")
    assert list(ranking["city_id"]) == ["toronto-ca", "austin-us", "merida-mx"]
    assert ranking.set_index("city_id").loc["toronto-ca", "is_selected"]


def test_benchmark_peer_groups_of_a_city(cur):
    groups = q.benchmark_peer_groups(cur, "toronto-ca")
    got = {(r.peer_group_type, r.peer_group_id, r.n_cities) for r in groups.itertuples()}
    assert got == {
        ("partners", "toronto-ca", 3),  # lyon, toronto, merida
        ("network", "urban_renewal", 3),
        ("region", "NA", 3),
        ("population_band", "1m_5m", 1),
    }


def test_benchmark_context_kept_apart_latest_year(cur):
    ctx = q.city_context(cur, "toronto-ca").set_index("metric")
    assert ctx.loc["gdp_per_capita", "value"] == 64000  # 2022, not the 2021 value
    assert ctx.loc["population", "value"] == 2800000


def test_benchmark_rejects_unknown_peer_group_type(cur):
    with pytest.raises(ValueError):
        q.city_benchmark(cur, "toronto-ca", "galaxy")


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))
