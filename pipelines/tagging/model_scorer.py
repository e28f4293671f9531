"""The model method: embedding similarity of an English text to each goal's and target's wording.

Each goal is embedded from its official English label and title, each target from its English
text (data/reference/sdg_goal.csv, sdg_target.csv). A text's model features for a goal are its
cosine with the goal (x10), that cosine relative to the text's best goal, and its best cosine with
one of the goal's targets (x10). They are appended to the TF-IDF and rule features and the
whole is calibrated as one score (`calibration_model.json`), for English texts only: the
packaged model is English, so French and Spanish texts keep the keyword method.

The embedding function is passed in (texts -> unit-length rows), so the combination is tested
with a tiny stand-in embedding and runs for real with the sdg-model extra (embedding.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from pipelines import config
from pipelines.tagging.calibrate import FEATURES
from pipelines.tagging.embedding import Embed

MODEL_FEATURES = ("model_goal_cosine_x10", "model_goal_relative", "model_target_cosine_x10")
COMBINED_FEATURES = FEATURES + MODEL_FEATURES
GOALS = tuple(range(1, 18))

_WORD = re.compile(r"[^\W\d_]+")
_EN_TEXT = "the and of to in for with on is are by this that from as be was an"
_FR_ES_TEXT = """le la les des du et en pour dans une sur est au aux avec par
    el los las del y para con una por que se su al como"""
_EN = frozenset(_EN_TEXT.split())
_FR_ES = frozenset(_FR_ES_TEXT.split())


def is_english(text: str) -> bool:
    """Return True when a text's function words are mostly English (not French or Spanish)."""
    words = [w.lower() for w in _WORD.findall(text or "")]
    en = sum(w in _EN for w in words)
    other = sum(w in _FR_ES for w in words)
    return en > 0 and en >= other


@dataclass(frozen=True)
class GoalVectors:
    """Unit-length embeddings of the 17 goals and of every target, and each target's goal."""

    goals: np.ndarray
    targets: np.ndarray
    target_ids: tuple[str, ...]
    target_goal: np.ndarray


def reference_texts(reference_dir: Path | None = None) -> tuple[list[str], list[str], list[str]]:
    """Return (English text of goals 1-17, target ids, English text of each target)."""
    ref = Path(reference_dir or config.REFERENCE_DIR)
    goals = pd.read_csv(ref / "sdg_goal.csv", dtype=str, keep_default_na=False)
    targets = pd.read_csv(ref / "sdg_target.csv", dtype=str, keep_default_na=False)
    by_goal = {int(r.goal): f"{r.label_en}. {r.title_en}" for r in cast(Any, goals.itertuples())}
    return (
        [by_goal[g] for g in GOALS],
        targets["target_id"].tolist(),
        targets["label_en"].tolist(),
    )


def build_vectors(embed: Embed, reference_dir: Path | None = None) -> GoalVectors:
    """Return the GoalVectors of the official English wording under an embedding function."""
    goal_text, target_ids, target_text = reference_texts(reference_dir)
    goal_of = [int(t.split(".")[0]) for t in target_ids]
    return GoalVectors(
        goals=np.asarray(embed(goal_text), dtype=float),
        targets=np.asarray(embed(target_text), dtype=float),
        target_ids=tuple(target_ids),
        target_goal=np.asarray(goal_of),
    )


def model_features(text_vectors: np.ndarray, vectors: GoalVectors) -> np.ndarray:
    """Return the MODEL_FEATURES of every (text, goal): an array (texts, 17, 3)."""
    text_vectors = np.atleast_2d(np.asarray(text_vectors, dtype=float))
    goal_cos = text_vectors @ vectors.goals.T
    target_cos = text_vectors @ vectors.targets.T
    # a goal without targets (only in hand-made fixtures) has 0 as its best target cosine
    columns = [target_cos[:, vectors.target_goal == g] for g in GOALS]
    best_target = np.stack(
        [c.max(axis=1) if c.shape[1] else np.zeros(len(c)) for c in columns], axis=1
    )
    best = np.maximum(goal_cos.max(axis=1, keepdims=True), 1e-9)
    return np.stack([goal_cos * 10, goal_cos / best, best_target * 10], axis=2)


def best_targets(text_vector: np.ndarray, vectors: GoalVectors) -> dict[int, tuple[str, float]]:
    """Return goal -> (its target closest to one text's embedding, that cosine)."""
    cos = vectors.targets @ np.asarray(text_vector, dtype=float)
    out: dict[int, tuple[str, float]] = {}
    for i, g in enumerate(vectors.target_goal):
        if int(g) not in out or cos[i] > out[int(g)][1]:
            out[int(g)] = (vectors.target_ids[i], float(cos[i]))
    return out


@dataclass(frozen=True)
class ModelScorer:
    """An embedding function with the goal and target vectors it produced, and its version."""

    embed: Embed
    vectors: GoalVectors
    version: str

    def vectors_of(self, texts: Sequence[str]) -> np.ndarray:
        """Return the unit-length embeddings of texts, one row each."""
        return np.asarray(self.embed(list(texts)), dtype=float)


def model_scorer(embed: Embed | None = None, version: str | None = None) -> ModelScorer:
    """Return a ModelScorer: the packaged model unless an embedding function is passed in.

    Raises embedding.ModelMissing ("install the sdg-model extra") when the model is asked for
    and the extra is not installed.
    """
    from pipelines.tagging import embedding

    if embed is None:
        embed = embedding.model_embed()
        version = version or embedding.model_version()
    return ModelScorer(embed, build_vectors(embed), version or "custom")
