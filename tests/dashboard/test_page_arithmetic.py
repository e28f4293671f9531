"""No page computes a figure: an AST scan of dashboard/pages for aggregations of frames.

Every figure a page shows comes from the metric layer (pipelines.metrics / pipelines.queries): a
distinct count, ratio, median or stock added up in a callback is how wrong numbers came back
before (issue #12). The allow-list names each remaining call and why it is not a figure.
"""

from __future__ import annotations

import ast
from pathlib import Path

PAGES = Path(__file__).resolve().parents[2] / "dashboard" / "pages"
AGGREGATES = {
    "sum",
    "nunique",
    "mean",
    "median",
    "agg",
    "aggregate",
    "value_counts",
    "cumsum",
    "quantile",
    "std",
    "var",
    "count",
    "size",
}
# (page module, enclosing function, method) -> why it is not a figure
ALLOWED: dict[tuple[str, str, str], str] = {}


def _calls(path: Path) -> list[tuple[str, str, int]]:
    """Return (enclosing function, method, line) of every aggregate method call in a module."""
    found: list[tuple[str, str, int]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = child.name
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr in AGGREGATES
            ):
                found.append((name, child.func.attr, child.lineno))
            if (  # groupby(...).agg(x=("col", "nunique")): a named aggregation
                isinstance(child, ast.Tuple)
                and len(child.elts) == 2
                and isinstance(child.elts[1], ast.Constant)
                and child.elts[1].value in AGGREGATES
            ):
                found.append((name, str(child.elts[1].value), child.lineno))
            visit(child, name)

    visit(ast.parse(path.read_text(encoding="utf-8")), "<module>")
    return found


def test_pages_compute_no_aggregates():
    offenders = [
        f"{path.name}:{line} {function}() calls .{method}()"
        for path in sorted(PAGES.glob("*.py"))
        for function, method, line in _calls(path)
        if (path.stem, function, method) not in ALLOWED
    ]
    assert not offenders, "figures come from the metric layer, not a page:\n" + "\n".join(offenders)


def test_the_scan_finds_an_aggregate(tmp_path):
    """The scan is not vacuous: the old cooperation summary would be caught."""
    page = tmp_path / "page.py"
    page.write_text(
        "def summary(edges, nodes):\n"
        "    return edges['cooperation_id'].nunique(), int((nodes['region'] == 'EU').sum())\n"
        "def table(edges):\n"
        "    return edges.groupby('c').agg(members=('city_b', 'nunique'))\n",
        encoding="utf-8",
    )
    assert [(f, m) for f, m, _ in _calls(page)] == [
        ("summary", "nunique"),
        ("summary", "sum"),
        ("table", "agg"),
        ("table", "nunique"),
    ]
