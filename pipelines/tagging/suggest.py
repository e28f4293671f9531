"""Suggestions for one text: goals (and their best target) whose calibrated score passes the floor."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.tagging.calibrate import (
    MODEL_CALIBRATION_FILE,
    Calibration,
    goal_features,
    load_calibration,
)
from pipelines.tagging.model_scorer import ModelScorer, is_english, model_features
from pipelines.tagging.rules import match_rules
from pipelines.tagging.scorer import Index, TextScores, default_index, score_text

METHOD = "keyword"
MODEL_METHOD = "model"
#: a target is named only when the text is this close to its wording (cosine) and it is the
#: goal's closest target
TARGET_MIN_COSINE = 0.12
MAX_EVIDENCE = 6


@dataclass(frozen=True)
class Suggestion:
    """A suggested goal for a text, with its best target (or None), score, strength and evidence."""

    goal: int
    target_id: str | None
    score: float
    strong: bool
    evidence: tuple[str, ...]
    method: str
    version: str


@dataclass(frozen=True)
class ModelUse:
    """The model method for English texts: its scorer and the calibration of the combined score."""

    scorer: ModelScorer
    cal: Calibration


def model_use(scorer: ModelScorer, cal: Calibration | None = None) -> ModelUse:
    """Return a ModelUse with the committed combined calibration unless one is passed in."""
    return ModelUse(scorer, cal or load_calibration(MODEL_CALIBRATION_FILE))


def goal_scores(
    text: str,
    index: Index | None = None,
    cal: Calibration | None = None,
    model_row: np.ndarray | None = None,
) -> tuple[np.ndarray, TextScores, dict[int, list[str]]]:
    """Return (calibrated score of goals 1-17 as an array, TextScores, rule hits) for a text.

    With `model_row` (the text's model features, shape (17, 3)) they are appended to the
    keyword features, and `cal` must be the combined calibration.
    """
    index = index or default_index()
    cal = cal or load_calibration()
    scores = score_text(text, index)
    hits = match_rules(text)
    feats = np.array([goal_features(scores, hits, g, index) for g in range(1, 18)])
    if model_row is not None:
        feats = np.hstack([feats, model_row])
    return cal.score(feats), scores, hits


def suggest(
    text: str,
    index: Index | None = None,
    cal: Calibration | None = None,
    model: ModelUse | None = None,
    text_vector: np.ndarray | None = None,
) -> list[Suggestion]:
    """Return the suggestions for a text, best first: every goal scoring at least the floor.

    With `model`, an English text is scored by the model method (keyword and model features,
    one combined calibration; `text_vector` is its embedding when already computed); any
    other text, or without `model`, by the keyword method.
    """
    index = index or default_index()
    cal = cal or load_calibration()
    method, model_row = METHOD, None
    if model is not None and is_english(text):
        vec = text_vector if text_vector is not None else model.scorer.vectors_of([text])[0]
        model_row = model_features(vec, model.scorer.vectors)[0]
        method, cal = MODEL_METHOD, model.cal
    calibrated, scores, hits = goal_scores(text, index, cal, model_row)
    out = []
    for g in np.argsort(-calibrated, kind="stable") + 1:
        score = float(calibrated[g - 1])
        if score < cal.floor:
            break
        goal = int(g)
        evidence = list(hits.get(goal, []))
        evidence += [w for w in scores.goal_words.get(goal, []) if w not in evidence]
        targets = [(s, t) for t, s in scores.target.items() if index.target_goal[t] == goal]
        best = max(targets, default=(0.0, None))
        out.append(
            Suggestion(
                goal=goal,
                target_id=best[1] if best[0] >= TARGET_MIN_COSINE else None,
                score=round(score, 3),
                strong=score >= cal.strong,
                evidence=tuple(evidence[:MAX_EVIDENCE]),
                method=method,
                version=cal.version,
            )
        )
    return out
