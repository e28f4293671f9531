"""Benchmarking page and figures: too few peers, inputs that do not discriminate, every city named."""

from __future__ import annotations

import pandas as pd

from dashboard import figures
from dashboard.app import app  # noqa: F401  (pages register on the app)
from dashboard.i18n import t
from dashboard.pages import benchmarking


def _k31(**values) -> dict:
    row = {
        "input_id": "K31",
        "label": "Engagement score",
        "score": None,
        "n_missing": 0,
        "n_inputs": 4,
        "rank_band": None,
        "n_scored_cities": 3,
        "peer_count": 3,
        "min_scored_peers": 5,
        "no_score_reason": "too_few_peers",
        "peer_median_score": None,
    }
    return {**row, **values}


def _inputs() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"input_id": "a", "label": "Hosted", "score": 80.0, "input_status": "scored"},
            {"input_id": "b", "label": "Plans", "score": None, "input_status": "missing"},
            {
                "input_id": "c",
                "label": "Pilots",
                "score": None,
                "input_status": "not_discriminating",
            },
        ]
    ).assign(peer_min_score=0.0, peer_median_score=50.0, peer_max_score=100.0)


def test_verdict_gives_no_score_below_the_minimum_group_and_says_why() -> None:
    df = pd.DataFrame([_k31()])
    text = benchmarking.verdict(df, "New York", "en")
    assert "New York" in text and "no engagement score" in text
    assert "3 of the 3 cities" in text and "at least 5" in text
    other = benchmarking.verdict(
        pd.DataFrame([_k31(no_score_reason="too_many_missing")]), "X", "en"
    )
    assert "20 %" in other


def test_not_discriminating_inputs_are_not_called_missing() -> None:
    df = pd.concat([_inputs(), pd.DataFrame([_k31()])], ignore_index=True)
    fig = figures.benchmark_scores(
        df,
        "en",
        city_label="Turin",
        median_label="Median",
        range_label="Range",
        missing_label="missing",
        not_discriminating_label="not discriminating",
        no_score_label="no score",
    )
    by_name = {tr.name: list(tr.y) for tr in fig.data}
    assert by_name["missing"] == ["Plans"]
    assert by_name["not discriminating"] == ["Pilots"]
    assert by_name["no score"] == ["Engagement score"]
    summary = benchmarking.inputs_summary(df, "en")
    assert "Not discriminating in this group" in summary and "Pilots" in summary


def test_inputs_summary_compares_scored_inputs_with_their_median_only() -> None:
    # by hand: Hosted 80 > 50 above; Plans 20 < 50 below; Pilots has no score and Talks no
    # median (neither side); the composite row (90 > 50) is not an input
    df = pd.DataFrame(
        {
            "input_id": ["a", "b", "c", "d", "K31"],
            "label": ["Hosted", "Plans", "Pilots", "Talks", "Engagement score"],
            "score": [80.0, 20.0, None, 70.0, 90.0],
            "peer_median_score": [50.0, 50.0, 50.0, None, 50.0],
        }
    )
    # no input_status column: nothing is said about inputs that do not discriminate
    expected = t("sum.bench_inputs", "en", above="Hosted", below="Plans")
    assert benchmarking.inputs_summary(df, "en") == expected
    # two composite rows: the first is the one read (scored 90, not the second's no score)
    twice = pd.concat([df, pd.DataFrame([_k31()])], ignore_index=True)
    assert "engagement score 90 out of 100" in benchmarking.verdict(twice, "Turin", "en")
    assert benchmarking.verdict(df.iloc[:0], "Turin", "en") == t("card.empty_hint", "en")


def test_ranking_names_every_city_and_is_tall_enough() -> None:
    names = [f"City {i:02d}" for i in range(36)]
    df = pd.DataFrame(
        {
            "name": names,
            "score": [float(i) for i in range(36)],
            "is_selected": [i == 7 for i in range(36)],
        }
    )
    fig = figures.benchmark_ranking(
        df, "en", selected_label="selected", others_label="others", missing_label="no score"
    )
    assert fig.layout.yaxis.tickmode == "array"
    assert len(fig.layout.yaxis.tickvals) == 36 == len(set(fig.layout.yaxis.ticktext))
    assert "▶ City 07" in fig.layout.yaxis.tickvals
    assert figures.ranking_height(36) >= 36 * figures.RANKING_ROW_PX
    assert figures.ranking_height(2) >= 320


def test_ranking_summary_shows_the_group_size_and_the_minimum() -> None:
    df = pd.DataFrame(
        {
            "name": ["New York"],
            "score": [None],
            "rank_band": [None],
            "is_selected": [True],
            "peer_count": [1],
            "n_scored_cities": [0],
            "min_scored_peers": [5],
        }
    )
    text = benchmarking.ranking_summary(df, "en")
    assert text.startswith("1 city in this peer group, 0 of them scored")
    assert "at least 5" in text
