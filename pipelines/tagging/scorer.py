"""A transparent TF-IDF scorer: a text against the official SDG goal and target wording (EN/FR/ES).

Each goal is one document (its short label, full title and every target's text, in the three
languages); each target is one document too. A text scores the cosine of its TF-IDF vector with
each goal's (and target's). The evidence of a score is the text's own words that weigh most in it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import pandas as pd

from pipelines import config
from pipelines.tagging.text import tokens

LANGS = ("en", "fr", "es")


@dataclass(frozen=True)
class Index:
    """TF-IDF vectors of goal and target documents (stem -> weight, unit length)."""

    goals: dict[int, dict[str, float]]
    targets: dict[str, dict[str, float]]
    target_goal: dict[str, int]
    goal_idf: dict[str, float]
    target_idf: dict[str, float]
    goal_postings: dict[str, list[tuple[int, float]]]
    target_postings: dict[str, list[tuple[str, float]]]


def _vector(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """Return the unit-length sublinear TF-IDF vector of term counts (terms without idf dropped)."""
    vec = {t: (1 + math.log(c)) * idf[t] for t, c in counts.items() if t in idf}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def _idf(docs: list[Counter[str]]) -> dict[str, float]:
    """Return the smoothed inverse document frequency of every term of the documents."""
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    n = len(docs)
    return {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}


def build_index(reference_dir: Path | None = None) -> Index:
    """Return the goal and target TF-IDF index built from sdg_goal.csv and sdg_target.csv."""
    ref = Path(reference_dir or config.REFERENCE_DIR)
    goals = pd.read_csv(ref / "sdg_goal.csv", dtype=str, keep_default_na=False)
    targets = pd.read_csv(ref / "sdg_target.csv", dtype=str, keep_default_na=False)
    target_text = {
        row.target_id: " ".join(getattr(row, f"label_{lang}") for lang in LANGS)
        for row in cast(Any, targets.itertuples())  # fields typed as any scalar by the stubs
    }
    target_goal: dict[str, int] = {
        row.target_id: int(row.goal) for row in cast(Any, targets.itertuples())
    }
    goal_text: dict[int, str] = {}
    for row in cast(Any, goals.itertuples()):
        g = int(row.goal)
        head = " ".join(
            f"{getattr(row, f'label_{lang}')} {getattr(row, f'title_{lang}')}" for lang in LANGS
        )
        # the goal's own words count twice: they say what the goal is about
        body = " ".join(t for tid, t in target_text.items() if target_goal[tid] == g)
        goal_text[g] = f"{head} {head} {body}"
    goal_counts = {g: Counter(s for s, _ in tokens(t)) for g, t in goal_text.items()}
    target_counts = {tid: Counter(s for s, _ in tokens(t)) for tid, t in target_text.items()}
    goal_idf = _idf(list(goal_counts.values()))
    target_idf = _idf(list(target_counts.values()))
    goal_vecs = {g: _vector(c, goal_idf) for g, c in goal_counts.items()}
    target_vecs = {t: _vector(c, target_idf) for t, c in target_counts.items()}
    return Index(
        goals=goal_vecs,
        targets=target_vecs,
        target_goal=target_goal,
        goal_idf=goal_idf,
        target_idf=target_idf,
        goal_postings=_postings(goal_vecs),
        target_postings=_postings(target_vecs),
    )


@lru_cache(maxsize=4)
def default_index(reference_dir: str | None = None) -> Index:
    """Return the (cached) index of the committed reference files."""
    return build_index(Path(reference_dir) if reference_dir else None)


@dataclass(frozen=True)
class TextScores:
    """Cosine similarity of one text with every goal and target, and the words behind each."""

    goal: dict[int, float]
    target: dict[str, float]
    goal_words: dict[int, list[str]]
    target_words: dict[str, list[str]]


def _cosines(
    counts: Counter[str],
    idf: dict[str, float],
    postings: dict[str, list[tuple[Any, float]]],
    surface: dict[str, str],
    top: int,
) -> tuple[dict[Any, float], dict[Any, list[str]]]:
    """Return (doc -> cosine, doc -> the text's words that weigh most) for one text vector."""
    vec = _vector(counts, idf)
    parts: dict[Any, list[tuple[float, str]]] = {}
    for term, weight in vec.items():
        for key, doc_weight in postings.get(term, ()):
            parts.setdefault(key, []).append((weight * doc_weight, term))
    sims = {key: sum(p for p, _ in ps) for key, ps in parts.items()}
    evidence = {
        key: [surface[t] for _, t in sorted(ps, reverse=True)[:top]] for key, ps in parts.items()
    }
    return sims, evidence


def _postings(docs: dict[Any, dict[str, float]]) -> dict[str, list[tuple[Any, float]]]:
    """Return term -> [(doc key, weight)] for document vectors."""
    out: dict[str, list[tuple[Any, float]]] = {}
    for key, doc in docs.items():
        for term, weight in doc.items():
            out.setdefault(term, []).append((key, weight))
    return out


def score_text(text: str, index: Index | None = None, top_words: int = 5) -> TextScores:
    """Return the cosine similarity of a text with every goal and target and the matching words."""
    index = index or default_index()
    toks = tokens(text or "")
    counts = Counter(s for s, _ in toks)
    surface: dict[str, str] = {}
    for s, w in toks:
        surface.setdefault(s, w)
    goal, goal_words = _cosines(counts, index.goal_idf, index.goal_postings, surface, top_words)
    target, target_words = _cosines(
        counts, index.target_idf, index.target_postings, surface, top_words
    )
    goal = {g: goal.get(g, 0.0) for g in index.goals}
    return TextScores(goal=goal, target=target, goal_words=goal_words, target_words=target_words)
