"""City benchmark (K31/K32) against a worked example on the fixture warehouse."""

from __future__ import annotations

import duckdb
import pytest

from pipelines import queries as q
from pipelines.warehouse import marts
from tests.pipelines.conftest import build_fixture_warehouse


def test_benchmark_region_na_worked_example(cur):
    """Peer group region NA = austin, toronto, merida. Bounds: lower 0, upper = mean of top-3 values.

    input                    austin   toronto   merida   upper                 scores a / t / m
    activities_hosted        1        1         0        (1+1+0)/3 = 0.667     100 / 100 / 0 (censored)
    participations_per_100k  1.875    0.2857    missing  (1.875+0.2857)/2      100 / 26.446 / -
                             (18/960k) (8/2.8M) (no population)  = 1.0804
    action_plans             0        0         0        all equal             not discriminating
    plans_taken_up           0        0         0        all equal             not discriminating
    pilots_implemented       0        1         0        1/3                   0 / 100 / 0
    sustained_cooperation    100      missing   missing  one value only        not discriminating
                             (coop-a) (coop-b support ends 2030)
    3 discriminating inputs; not-discriminating ones are nobody's missing data:
    austin  = (100 + 100 + 0) / 3 = 66.667             0 of 3 missing
    toronto = (100 + 26.446 + 100) / 3 = 75.482        0 of 3 missing
    merida  = none                                     1 of 3 missing (33 % > 20 %)
    3 cities < 5 (mart.benchmark_min_scored_peers): no score or band for anyone ('too_few_peers').
    """
    per_100k_upper = (1.875 + 8 / 28) / 2
    toronto_per_100k = 100 * (8 / 28) / per_100k_upper
    toronto = q.city_benchmark(cur, "toronto-ca", "region").set_index("input_id")
    assert toronto.loc["participations_per_100k", "score"] == pytest.approx(toronto_per_100k)
    assert toronto.loc["activities_hosted", "score"] == 100
    assert not toronto.loc["action_plans", "is_informative"]
    assert toronto.loc["action_plans", "input_status"] == "not_discriminating"
    assert toronto.loc["sustained_cooperation", "input_status"] == "not_discriminating"
    assert toronto.loc["pilots_implemented", "input_status"] == "scored"
    k31 = toronto.loc["K31"]
    assert (k31["n_inputs"], k31["n_missing"], k31["n_not_discriminating"]) == (3, 0, 3)
    assert (k31["peer_count"], k31["min_scored_peers"]) == (3, 5)
    assert k31["no_score_reason"] == "too_few_peers"
    assert pd_isna(k31["score"]) and pd_isna(k31["rank_band"])

    austin = q.city_benchmark(cur, "austin-us", "region").set_index("input_id")
    assert austin.loc["pilots_implemented", "score"] == 0
    assert austin.loc["K31", "no_score_reason"] == "too_few_peers"


def test_benchmark_scores_once_the_group_is_big_enough():
    """The worked example above with the minimum lowered to 2 peers: toronto 75.482 top, austin
    66.667 middle, merida no score (1 of 3 discriminating inputs missing)."""
    con = duckdb.connect(":memory:")
    build_fixture_warehouse(con)
    con.execute("create or replace macro mart.benchmark_min_scored_peers() as 2")
    path = next(f for f in marts.mart_files() if f.name.endswith("_city_benchmark_score.sql"))
    con.execute(marts._statement(path)[1])
    per_100k = 100 * (8 / 28) / ((1.875 + 8 / 28) / 2)
    toronto = q.city_benchmark(con, "toronto-ca", "region").set_index("input_id").loc["K31"]
    assert toronto["score"] == pytest.approx((100 + per_100k + 100) / 3)
    assert toronto["rank_band_label"] == "top" and pd_isna(toronto["no_score_reason"])
    austin = q.city_benchmark(con, "austin-us", "region").set_index("input_id").loc["K31"]
    assert austin["score"] == pytest.approx(200 / 3)
    assert austin["rank_band_label"] == "middle"
    merida = q.city_benchmark(con, "merida-mx", "region").set_index("input_id").loc["K31"]
    assert merida["no_score_reason"] == "too_many_missing"
    assert pd_isna(merida["score"]) and merida["n_missing"] == 1
    con.close()


def test_benchmark_no_score_when_more_than_20_percent_missing(cur):
    merida = q.city_benchmark(cur, "merida-mx", "region").set_index("input_id")
    assert merida.loc["K31", "n_missing"] == 1  # of 3 discriminating inputs: 33 % > 20 %
    assert merida.loc["participations_per_100k", "input_status"] == "missing"
    assert merida.loc["K31", "no_score_reason"] == "too_few_peers"  # the group decides first
    assert pd_isna(merida.loc["K31", "score"])
    assert pd_isna(merida.loc["K31", "rank_band"])


def test_benchmark_city_alone_in_its_band_gets_no_score(cur):
    """toronto is alone in the 1-5 M band (as New York is in the > 5 M band of the demo)."""
    k31 = q.city_benchmark(cur, "toronto-ca", "population_band").set_index("input_id").loc["K31"]
    assert (k31["peer_count"], k31["no_score_reason"]) == (1, "too_few_peers")
    assert pd_isna(k31["score"]) and pd_isna(k31["rank_band"])
    ranking = q.benchmark_ranking(cur, "toronto-ca", "population_band")
    assert ranking["score"].isna().all()
    assert list(ranking["no_score_reason"]) == ["too_few_peers"]


def test_benchmark_ranking_lists_peer_group(cur):
    ranking = q.benchmark_ranking(cur, "toronto-ca", "region")
    # no scores (3 cities < 5): every city listed, by name
    assert list(ranking["city_id"]) == ["austin-us", "merida-mx", "toronto-ca"]
    assert ranking.set_index("city_id").loc["toronto-ca", "is_selected"]
    assert set(ranking["peer_count"]) == {3}


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
