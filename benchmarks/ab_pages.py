"""Two servers' page timers side by side, interleaved so both see the same machine load.

`python -m benchmarks.ab_pages URL_A URL_B [--rounds N] [--lang en fr] [--pages / /sdg]` (every
page unless given) runs the page timer of `make bench` (`benchmarks.serving.page_loads`: every
page in headless Chromium, cold, second and warm visits, until every graph is drawn) against A,
then B, then A … for N rounds each, with the default filters in each language given, and prints
per page the median of the runs, per visit, for A and B. Start the two servers first (e.g. the main branch's checkout and a feature branch's
over one warehouse, each with `benchmarks.serving.gunicorn`). Figures only; nothing is written.
"""

from __future__ import annotations

import argparse
import json
import statistics
from typing import Any

from benchmarks import callbacks as cbmod
from benchmarks import serving
from pipelines.metrics.filters import Filters

KINDS = (
    "cold_fully_drawn",
    "second_fully_drawn",
    "warm_fully_drawn",
    "cold_first_chart",
    "warm_first_chart",
)


def compare(
    urls: dict[str, str], rounds: int, langs: list[str], pages: list[str] | None = None
) -> dict[str, Any]:
    """Return {page: {kind: {label: median ms over the rounds}}} for the servers `urls`
    ({label: base URL}), measured in turn within each round, on `pages` (default: every page)."""
    pages = pages or [path for path, _ in cbmod.page_layouts()]
    combos = [(Filters(), lang) for lang in langs]
    runs: dict[str, dict[str, dict[str, list[float]]]] = {}
    for _ in range(rounds):
        for label, url in urls.items():
            result = serving.page_loads(url, pages, combos)
            for path, kinds in result["pages"].items():
                for kind, summary in kinds.items():
                    runs.setdefault(path, {}).setdefault(kind, {}).setdefault(label, []).append(
                        summary["p50_ms"]
                    )
    return {
        path: {
            kind: {label: round(statistics.median(v)) for label, v in by_label.items()}
            for kind, by_label in kinds.items()
        }
        for path, kinds in runs.items()
    }


def main(argv: list[str] | None = None) -> None:
    """Command line: print the comparison as a table, then as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url_a")
    parser.add_argument("url_b")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lang", nargs="+", default=["en"])
    parser.add_argument("--pages", nargs="+", default=None)
    args = parser.parse_args(argv)
    table = compare({"A": args.url_a, "B": args.url_b}, args.rounds, args.lang, args.pages)
    print(f"{'page':<16}" + "".join(f"{kind + ' A/B':>28}" for kind in KINDS))
    for path, kinds in table.items():
        cells = [
            f"{kinds[k]['A']:>13} / {kinds[k]['B']:<12}" if k in kinds else " " * 28 for k in KINDS
        ]
        print(f"{path:<16}" + "".join(cells))
    print(json.dumps(table, indent=1))


if __name__ == "__main__":
    main()
