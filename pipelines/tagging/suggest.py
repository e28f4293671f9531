"""Suggestions for one text: goals (and their best target) whose calibrated score passes the floor."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.tagging.calibrate import Calibration, goal_features, load_calibration
from pipelines.tagging.rules import match_rules
from pipelines.tagging.scorer import Index, TextScores, default_index, score_text

METHOD = "keyword"
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


def goal_scores(
    text: str, index: Index | None = None, cal: Calibration | None = None
) -> tuple[np.ndarray, TextScores, dict[int, list[str]]]:
    """Return (calibrated score of goals 1-17 as an array, TextScores, rule hits) for a text."""
    index = index or default_index()
    cal = cal or load_calibration()
    scores = score_text(text, index)
    hits = match_rules(text)
    feats = np.array([goal_features(scores, hits, g, index) for g in range(1, 18)])
    return cal.score(feats), scores, hits


def suggest(
    text: str, index: Index | None = None, cal: Calibration | None = None
) -> list[Suggestion]:
    """Return the suggestions for a text, best first: every goal scoring at least the floor."""
    index = index or default_index()
    cal = cal or load_calibration()
    calibrated, scores, hits = goal_scores(text, index, cal)
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
                method=METHOD,
                version=cal.version,
            )
        )
    return out
