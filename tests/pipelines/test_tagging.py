"""SDG tagging: scorer and rules (EN/FR/ES), calibration split, evaluation, `iurc tag`."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from iurc.cli import app
from pipelines.tagging.calibrate import (
    Calibration,
    choose_thresholds,
    fit_calibration,
    load_calibration,
    stratified_half,
)
from pipelines.tagging.evaluate import (
    binary_metrics,
    check_against,
    evaluate_benchmark,
    evaluate_labelled,
    load_benchmark,
)
from pipelines.tagging.rules import match_rules
from pipelines.tagging.run import tag_texts
from pipelines.tagging.scorer import score_text
from pipelines.tagging.suggest import suggest
from tests.fixtures.ingest import fixture_paths

ROOT = Path(__file__).resolve().parents[2]
SDG_FIXTURES = ROOT / "tests" / "fixtures" / "sdg"
runner = CliRunner()

OBVIOUS = [
    ("Workshop on renewable energy and the energy efficiency of public buildings.", 7),
    ("Atelier sur la rénovation énergétique des bâtiments et les énergies renouvelables.", 7),
    ("Taller sobre energías renovables y eficiencia energética en edificios públicos.", 7),
    ("Study visit on drinking water supply and wastewater treatment.", 6),
    ("Visite d'étude sur l'assainissement et le traitement des eaux usées.", 6),
    ("Visita de estudio sobre saneamiento y tratamiento de aguas residuales.", 6),
]


@pytest.mark.parametrize(("text", "goal"), OBVIOUS)
def test_scorer_finds_the_obvious_goal_in_each_language(text: str, goal: int) -> None:
    scores = score_text(text)
    assert max(scores.goal, key=scores.goal.get) == goal
    assert scores.goal_words[goal], "the TF-IDF score names the words behind it"
    found = suggest(text)
    assert found and found[0].goal == goal
    assert found[0].evidence and found[0].method == "keyword" and found[0].version
    assert 0 < found[0].score <= 1


def test_rules_return_the_phrase_as_written() -> None:
    hits = match_rules("Atelier : Rénovation énergétique et Économie circulaire à Lyon")
    assert hits[7] == ["Rénovation énergétique"]
    assert hits[12] == ["Économie circulaire"]


def test_rules_match_at_word_start_only() -> None:
    assert 7 not in match_rules("the nonsolar panelist")  # 'solar panel' inside other words
    assert match_rules("solar panels on schools")[7] == ["solar panels"]


def test_suggestion_names_a_target_of_its_goal() -> None:
    found = suggest("Expanding public transport and safe cycling routes for all residents.")
    assert found[0].goal == 11
    assert found[0].target_id is None or found[0].target_id.startswith("11.")


def test_calibration_split_is_fixed_by_seed_and_halves_each_goal() -> None:
    goals = np.repeat(np.arange(1, 18), 7)
    first, again = stratified_half(goals, 15), stratified_half(goals, 15)
    assert (first == again).all()
    assert not (first == stratified_half(goals, 16)).all()
    for g in range(1, 18):
        assert first[goals == g].sum() == 3


def test_thresholds_floor_by_accuracy_strong_by_precision() -> None:
    score = np.array([0.1, 0.2, 0.3, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95] * 3)
    truth = np.array([0, 0, 0, 1, 0, 1, 1, 1, 1, 1] * 3, dtype=bool)
    floor, strong = choose_thresholds(score, truth)
    assert 0.3 < floor <= 0.45
    assert 0.5 < strong <= 0.6


def test_fit_calibration_orders_scores_by_the_features() -> None:
    rng = np.random.default_rng(1)
    x = rng.random((400, 5))
    y = x[:, 0] + 0.1 * rng.standard_normal(400) > 0.5
    cal = fit_calibration(x, y)
    low, high = cal.score(np.array([[0.1, 0.5, 0.5, 0.5, 0.5], [0.9, 0.5, 0.5, 0.5, 0.5]]))
    assert low < 0.5 < high
    assert cal.floor <= cal.strong


def test_committed_calibration_is_loadable() -> None:
    cal = load_calibration()
    assert isinstance(cal, Calibration) and len(cal.weights) == 6
    assert 0 < cal.floor <= cal.strong < 1


def test_binary_metrics_by_hand() -> None:
    goal = np.array([1, 1, 1, 1, 2, 2])
    truth = np.array([1, 1, 0, 0, 1, 0], dtype=bool)
    pred = np.array([1, 0, 1, 0, 1, 0], dtype=bool)
    m = binary_metrics(goal, truth, pred)
    assert m["accuracy"] == pytest.approx(100 * 4 / 6, abs=0.01)
    assert m["per_goal"]["1"] == {
        "n": 4,
        "accuracy": 50.0,
        "precision": 50.0,
        "recall": 50.0,
        "f1": 0.5,
    }
    assert m["per_goal"]["2"]["f1"] == 1.0
    assert m["macro_f1"] == 0.75


def test_evaluate_benchmark_on_a_sample_holds_out_half() -> None:
    frame = load_benchmark()
    assert len(frame) == 1251 and frame["sdg"].nunique() == 17
    sample = frame.groupby("sdg").head(8).reset_index(drop=True)
    cal, held = evaluate_benchmark(sample, seed=15)
    assert held["n"] + held["train_rows"] == len(sample) and held["train_rows"] == 68
    assert set(held["per_goal"]) == {str(g) for g in range(1, 18)}
    assert held["accuracy"] > 60  # a smoke floor; the full figure comes from `make eval-sdg`
    assert cal.floor == held["floor"]


def test_check_against_the_recorded_accuracy() -> None:
    recorded = {"benchmark": {"accuracy": 83.0}}
    assert check_against(recorded, 82.5) is None
    assert "below the recorded" in check_against(recorded, 81.9)
    assert check_against({}, 10.0) is None


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_labelled_sets_keep_their_accuracy(lang: str) -> None:
    result = evaluate_labelled(SDG_FIXTURES / f"labelled_{lang}.csv")
    assert result["n"] == 60
    assert result["top1_accuracy"] >= 78  # 83.3 when written; see benchmarks/results/sdg_eval.json


def test_tag_texts_keeps_reviewed_tags_and_one_primary() -> None:
    texts = pd.DataFrame(
        {
            "entity_type": ["activity", "activity"],
            "entity_id": ["a1", "a2"],
            "text": [
                "Workshop on renewable energy and energy efficiency in schools.",
                "Workshop on renewable energy and energy efficiency in schools.",
            ],
        }
    )
    existing = pd.DataFrame(
        {
            "entity_type": ["activity"],
            "entity_id": ["a1"],
            "goal": [7],
            "target_id": [None],
            "method": ["keyword"],
            "status": ["rejected"],
            "is_primary": [False],
        }
    )
    rows, strong, skipped = tag_texts(texts, existing)
    a1 = rows[rows["entity_id"] == "a1"]
    a2 = rows[rows["entity_id"] == "a2"]
    assert skipped == 1 and strong >= 2
    assert not ((a1["goal"] == 7) & a1["target_id"].isna()).any()
    assert a2.loc[a2["target_id"].isna() & (a2["goal"] == 7), "is_primary"].tolist() == [True]
    assert rows["is_primary"].sum() <= 2
    assert (rows["status"] == "suggested").all() and (rows["method"] == "keyword").all()
    assert rows["evidence"].str.len().gt(0).all() and rows["method_version"].notna().all()


@pytest.fixture
def tiny_wh(tmp_path: Path) -> Path:
    wh = tmp_path / "wh.duckdb"
    result = runner.invoke(app, ["ingest", *map(str, fixture_paths()), "--db", str(wh)])
    assert result.exit_code == 0, result.output
    return wh


def _tags(wh: Path) -> pd.DataFrame:
    with duckdb.connect(str(wh), read_only=True) as con:
        return con.execute("select * from core.sdg_alignment").df()


def test_cli_tag_dry_run_writes_nothing(tiny_wh: Path) -> None:
    before = _tags(tiny_wh)
    result = runner.invoke(app, ["tag", "--dry-run", "--db", str(tiny_wh)])
    assert result.exit_code == 0, result.output
    assert "goal suggestion" in result.output and "dry run: nothing was written" in result.output
    assert "[dry_run]" in result.output
    assert len(_tags(tiny_wh)) == len(before)


def test_cli_tag_loads_suggestions_once(tiny_wh: Path, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr("pipelines.tagging.run.OUT_DIR", tmp_path / "tagging")
    before = _tags(tiny_wh)
    result = runner.invoke(app, ["tag", "--entity", "activity", "--db", str(tiny_wh)])
    assert result.exit_code == 0, result.output
    after = _tags(tiny_wh)
    new = after[after["method_version"].notna()]
    assert len(new) > 0 and set(new["entity_type"]) == {"activity"}
    assert (new["status"] == "suggested").all() and new["evidence"].notna().all()
    # the manual, accepted tags are untouched
    manual = before[before["method"] == "manual"].drop(columns="run_id")
    kept = after[after["method"] == "manual"].drop(columns="run_id")
    assert len(kept) == len(manual)
    # a second run finds nothing untagged or changed
    again = runner.invoke(app, ["tag", "--entity", "activity", "--db", str(tiny_wh)])
    assert again.exit_code == 0 and again.output.startswith("0 text(s)")
    assert len(_tags(tiny_wh)) == len(after)


def test_output_text_is_its_title_and_description() -> None:
    """`iurc tag` reads an output's description as well as its title (an activity's already)."""
    import duckdb

    from pipelines.tagging.run import texts_to_tag
    from tests.pipelines.conftest import build_fixture_warehouse

    con = build_fixture_warehouse(duckdb.connect())
    con.execute(
        "update core.output set description = 'Solar panels on schools.' where output_id = 'o2'"
    )
    texts = texts_to_tag(con, "output").set_index("entity_id")["text"]
    con.close()
    assert texts["o2"] == "Plan B. Solar panels on schools."
    assert texts["o3"] == "Pilot B"  # no description: the title alone
