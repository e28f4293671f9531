"""One calibrated 0-1 score per (text, goal) from the TF-IDF similarity and the rule hits.

A logistic regression over five transparent features, fitted on one half of the SDG
Classification Benchmark (a fixed split by seed, stratified by goal); the floor (below it a
suggestion is dropped) maximises accuracy on that half, and the strong threshold is the lowest
score whose precision on that half reaches `STRONG_PRECISION`. The fitted numbers are committed
in `calibration.json` beside this module and written by `make eval-sdg`.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipelines.tagging.rules import RULES_VERSION
from pipelines.tagging.scorer import Index, TextScores

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")
#: the calibration of the model method (FEATURES + the model's; see model_scorer.py)
MODEL_CALIBRATION_FILE = Path(__file__).with_name("calibration_model.json")
FEATURES = ("goal_cosine_x10", "goal_relative", "log_rule_hits", "rule_hit", "target_cosine_x10")
STRONG_PRECISION = 0.9
DEFAULT_SEED = 15
SCORER_VERSION = "tfidf-1"


@dataclass(frozen=True)
class Calibration:
    """Fitted weights (intercept first, then FEATURES), thresholds and where they came from."""

    weights: tuple[float, ...]
    floor: float
    strong: float
    seed: int
    trained_rows: int
    version: str
    features: tuple[str, ...] = FEATURES

    def score(self, features: np.ndarray) -> np.ndarray:
        """Return the calibrated 0-1 score of each row of a (n, len(FEATURES)) feature array."""
        w = np.asarray(self.weights)
        z = w[0] + np.asarray(features, dtype=float) @ w[1:]
        scores: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return scores


def goal_features(
    scores: TextScores, hits: dict[int, list[str]], goal: int, index: Index
) -> list[Any]:
    """Return the FEATURES of one goal for a scored text (see the module docstring)."""
    best = max(scores.goal.values()) or 1.0
    cos = scores.goal.get(goal, 0.0)
    n_hits = len(hits.get(goal, []))
    target = max(
        (scores.target.get(t, 0.0) for t, g in index.target_goal.items() if g == goal), default=0.0
    )
    return [cos * 10, cos / best, math.log1p(n_hits), float(n_hits > 0), target * 10]


def stratified_half(goals: np.ndarray, seed: int = DEFAULT_SEED) -> np.ndarray:
    """Return a boolean mask: True for the training half (half of each goal's rows, by seed)."""
    rng = np.random.default_rng(seed)
    train = np.zeros(len(goals), dtype=bool)
    for goal in np.unique(goals):
        rows = np.flatnonzero(goals == goal)
        rng.shuffle(rows)
        train[rows[: len(rows) // 2]] = True
    return train


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> np.ndarray:
    """Return logistic-regression weights (intercept first) fitted by Newton steps with L2."""
    design = np.column_stack([np.ones(len(x)), x])
    w = np.zeros(design.shape[1])
    penalty = l2 * np.eye(len(w))
    penalty[0, 0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-design @ w))
        grad = design.T @ (p - y) + penalty @ w
        hess = (design.T * (p * (1 - p))) @ design + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


def choose_thresholds(score: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Return (floor maximising accuracy, lowest threshold with precision >= STRONG_PRECISION)."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    acc = [((score >= t) == y).mean() for t in grid]
    floor = float(grid[int(np.argmax(acc))])
    strong = 0.95
    for t in grid:
        picked = score >= t
        if picked.sum() >= 10 and y[picked].mean() >= STRONG_PRECISION:
            strong = float(t)
            break
    return floor, max(strong, floor)


def fit_calibration(
    x: np.ndarray,
    y: np.ndarray,
    seed: int = DEFAULT_SEED,
    features: tuple[str, ...] = FEATURES,
    model: str | None = None,
) -> Calibration:
    """Return the Calibration fitted on feature rows x (columns: features) with boolean labels y."""
    if x.shape[1] != len(features):
        raise ValueError(f"{x.shape[1]} feature columns for {len(features)} feature names")
    w = fit_logistic(x, y.astype(float))
    weights = tuple(float(v) for v in w)
    cal = Calibration(weights, 0.5, 0.9, seed, len(y), version(model), features)
    floor, strong = choose_thresholds(cal.score(x), y.astype(bool))
    return Calibration(weights, floor, strong, seed, len(y), version(model), features)


def version(model: str | None = None) -> str:
    """Return the method version written on every suggestion (scorer + rules [+ model])."""
    base = f"{SCORER_VERSION}+{RULES_VERSION}"
    return f"{base}+{model}" if model else base


def save_calibration(cal: Calibration, path: Path = CALIBRATION_FILE) -> None:
    """Write a Calibration as JSON (rounded, stable key order)."""
    data = asdict(cal)
    data["weights"] = [round(v, 6) for v in cal.weights]
    data["features"] = list(cal.features)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    """Return the committed Calibration."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"] = tuple(data.get("features", FEATURES))
    data["weights"] = tuple(data["weights"])
    return Calibration(**data)
