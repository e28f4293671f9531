"""Evaluate the tagger on the SDG Classification Benchmark and on small FR/ES labelled sets.

The benchmark (data/reference/sdg_benchmark/benchmark.csv, MIT) holds (text, sdg, label) rows:
label says whether the text addresses that SDG. A row is predicted true when the text's calibrated
score for the SDG reaches the floor. The calibration is fitted on one half (fixed split by seed)
and every figure reported is on the other half. The FR/ES sets hold (text, goal) rows: the goal
the text is mainly about; they report how often it is the top suggestion and how often it is
among the suggestions.

Run: python -m pipelines.tagging.evaluate [--write-calibration] [--check] [--labelled FILE...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipelines import config
from pipelines.tagging.calibrate import (
    CALIBRATION_FILE,
    DEFAULT_SEED,
    Calibration,
    fit_calibration,
    goal_features,
    load_calibration,
    save_calibration,
    stratified_half,
)
from pipelines.tagging.rules import match_rules
from pipelines.tagging.scorer import Index, default_index, score_text
from pipelines.tagging.suggest import suggest

BENCHMARK_CSV = config.REFERENCE_DIR / "sdg_benchmark" / "benchmark.csv"
RESULTS_JSON = config.ROOT / "benchmarks" / "results" / "sdg_eval.json"
#: how far below the recorded accuracy (in points) `--check` tolerates
TOLERANCE_POINTS = 1.0


def load_benchmark(path: Path = BENCHMARK_CSV) -> pd.DataFrame:
    """Return the benchmark rows: id, text, sdg (int), label (bool)."""
    frame = pd.read_csv(path, dtype={"id": str, "text": str})
    frame["sdg"] = frame["sdg"].astype(int)
    frame["label"] = frame["label"].astype(str).str.lower().eq("true")
    return frame


def featurise(texts: pd.Series, goals: pd.Series, index: Index | None = None) -> np.ndarray:
    """Return the calibration features of each (text, goal) pair."""
    index = index or default_index()
    cache: dict[str, tuple[Any, ...]] = {}
    rows = []
    for text, goal in zip(texts, goals, strict=True):
        if text not in cache:
            cache[text] = (score_text(text, index), match_rules(text))
        scores, hits = cache[text]
        rows.append(goal_features(scores, hits, int(goal), index))
    return np.array(rows, dtype=float).reshape(len(rows), -1)


def binary_metrics(goal: np.ndarray, truth: np.ndarray, pred: np.ndarray) -> dict[str, Any]:
    """Return accuracy, macro-F1 and per-goal n/precision/recall/F1 (percent, F1 0-1)."""
    per_goal = {}
    f1s = []
    for g in sorted(np.unique(goal)):
        m = goal == g
        tp = int((truth[m] & pred[m]).sum())
        fp = int((~truth[m] & pred[m]).sum())
        fn = int((truth[m] & ~pred[m]).sum())
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        per_goal[str(int(g))] = {
            "n": int(m.sum()),
            "accuracy": round(100 * float((truth[m] == pred[m]).mean()), 1),
            "precision": round(100 * precision, 1),
            "recall": round(100 * recall, 1),
            "f1": round(f1, 3),
        }
    return {
        "n": int(len(truth)),
        "accuracy": round(100 * float((truth == pred).mean()), 2),
        "macro_f1": round(float(np.mean(f1s)), 3) if f1s else 0.0,
        "per_goal": per_goal,
    }


def evaluate_benchmark(
    frame: pd.DataFrame, seed: int = DEFAULT_SEED, index: Index | None = None
) -> tuple[Calibration, dict[str, Any]]:
    """Return (calibration fitted on the training half, metrics on the held-out half)."""
    x = featurise(frame["text"], frame["sdg"], index)
    y = frame["label"].to_numpy(dtype=bool)
    goals = frame["sdg"].to_numpy()
    train = stratified_half(goals, seed)
    cal = fit_calibration(x[train], y[train], seed)
    score = cal.score(x[~train])
    held = binary_metrics(goals[~train], y[~train], score >= cal.floor)
    strong = score >= cal.strong
    held["strong"] = {
        "threshold": cal.strong,
        "share_of_true_found": round(
            100 * float((strong & y[~train]).sum() / max(1, y[~train].sum())), 1
        ),
        "precision": round(100 * float(y[~train][strong].mean()), 1) if strong.any() else None,
    }
    held["floor"] = cal.floor
    held["train_rows"] = int(train.sum())
    return cal, held


def evaluate_labelled(
    path: Path, index: Index | None = None, cal: Calibration | None = None
) -> dict[str, Any]:
    """Return top-1 and any-suggestion accuracy (percent) on a (text, goal) labelled CSV."""
    frame = pd.read_csv(path, dtype={"text": str})
    top1 = hit = 0
    for text, goal in zip(frame["text"], frame["goal"].astype(int), strict=True):
        goals = [s.goal for s in suggest(text, index, cal)]
        top1 += bool(goals) and goals[0] == goal
        hit += goal in goals
    n = len(frame)
    return {
        "n": n,
        "top1_accuracy": round(100 * top1 / n, 1) if n else 0.0,
        "found_accuracy": round(100 * hit / n, 1) if n else 0.0,
    }


def check_against(
    recorded: dict[str, Any], accuracy: float, tolerance: float = TOLERANCE_POINTS
) -> str | None:
    """Return a failure message when accuracy is more than `tolerance` points below the record."""
    before = recorded.get("benchmark", {}).get("accuracy")
    if before is not None and accuracy < before - tolerance:
        return f"SDG benchmark accuracy {accuracy:.2f} % is more than {tolerance} point below the recorded {before:.2f} %"
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation, print a summary, write the results JSON; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--benchmark", type=Path, default=BENCHMARK_CSV)
    parser.add_argument("--labelled", type=Path, nargs="*", default=[])
    parser.add_argument("--results", type=Path, default=RESULTS_JSON)
    parser.add_argument("--check", action="store_true", help="fail on a drop against --results")
    parser.add_argument(
        "--write-calibration", action="store_true", help=f"write {CALIBRATION_FILE.name}"
    )
    args = parser.parse_args(argv)
    index = default_index()
    cal, held = evaluate_benchmark(load_benchmark(args.benchmark), args.seed, index)
    if args.write_calibration:
        save_calibration(cal)
    committed = load_calibration()
    if committed.weights != tuple(round(w, 6) for w in cal.weights):
        print("note: the committed calibration differs from this fit (see --write-calibration)")
    labelled = {p.stem: evaluate_labelled(p, index, committed) for p in args.labelled}
    result = {
        "benchmark": {
            "source": "sdgclassification-benchmark 1.0.0 (MIT)",
            "seed": args.seed,
            **held,
        },
        "labelled": labelled,
        "method_version": cal.version,
    }
    print(
        f"SDG benchmark, held-out half ({held['n']} rows): accuracy {held['accuracy']:.2f} %, "
        f"macro-F1 {held['macro_f1']:.3f}; floor {cal.floor}, strong {cal.strong} "
        f"(precision {held['strong']['precision']} %, {held['strong']['share_of_true_found']} % of true found)"
    )
    for name, res in labelled.items():
        print(
            f"{name}: {res['n']} texts, top-1 {res['top1_accuracy']} %, found {res['found_accuracy']} %"
        )
    failure = None
    if args.check and args.results.exists():
        failure = check_against(
            json.loads(args.results.read_text(encoding="utf-8")), held["accuracy"]
        )
    if failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        return 1
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
