"""No metric rule is written twice: each metric's rule lives in its declaration, and only there."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from pipelines.metrics.catalogue import METRICS

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "pipelines" / "metrics" / "catalogue.py"
ELSEWHERE = [
    *sorted((ROOT / "pipelines" / "warehouse" / "sql" / "marts").glob("*.sql")),
    *sorted((ROOT / "pipelines" / "queries").glob("*.py")),
    *sorted((ROOT / "dashboard").rglob("*.py")),
]
# bare counts: the rule is in the metric's `where` and source (checked), not in the aggregate
TRIVIAL = {"count(*)", "true", "count(distinct entity_id)"}
# The Spark translator rewrites DuckDB functions (quantile_disc -> percentile_disc): it names the
# function it translates, not a metric's rule.
DIALECT = ROOT / "pipelines" / "warehouse" / "spark" / "translate.py"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


# helpers that declare a KPI's family of measures (`K05` -> K05.identified, K05.unidentified ...)
FAMILY_HELPERS = ("_organisation_counts(",)


def place_of(metric_id: str) -> str:
    """Return 'pipelines/metrics/catalogue.py:LINE' where the metric is declared."""
    lines = CATALOGUE.read_text(encoding="utf-8").splitlines()
    kpi = metric_id.split(".")[0]
    for number, (before, line) in enumerate(zip(lines, lines[1:], strict=False), 1):
        # Metric( or a helper that declares one (e.g. _take_up()
        if before.strip().endswith("(") and line.strip().startswith(f'"{metric_id}",'):
            return f"{CATALOGUE.relative_to(ROOT)}:{number + 1}"
        # a family helper, on one line or with the KPI id on the next
        for helper in FAMILY_HELPERS:
            if f'{helper}"{kpi}",' in before or (
                before.strip().endswith(helper) and line.strip().startswith(f'"{kpi}",')
            ):
                return f"{CATALOGUE.relative_to(ROOT)}:{number}"
    raise AssertionError(f"{metric_id} is not declared in {CATALOGUE}")


def test_no_definition_is_written_twice():
    """Metrics that share wording (K05's and K09's organisation measures) come from one helper:
    no sentence of the catalogue is typed twice."""
    tree = ast.parse(CATALOGUE.read_text(encoding="utf-8"))
    sentences = Counter(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and len(node.value) > 40
        and node.value.rstrip().endswith(".")
    )
    assert [text for text, n in sentences.items() if n > 1] == []


@pytest.mark.parametrize("metric_id", sorted(METRICS))
def test_metric_rule_lives_in_one_place(metric_id):
    """The formula (value) and any specific row rule (a long `where`) appear nowhere else; plain
    parts such as sum(women) are the cubes' roll-ups, not rules."""
    m = METRICS[metric_id]
    assert place_of(metric_id).startswith("pipelines/metrics/catalogue.py:")
    texts = {path: _norm(path.read_text(encoding="utf-8")) for path in ELSEWHERE}
    rules = [m.value] + ([m.where] if len(m.where) > 40 else [])
    for expression in rules:
        if _norm(expression) in TRIVIAL:
            continue
        for path, text in texts.items():
            assert _norm(expression) not in text, f"{metric_id}'s rule is repeated in {path}"


@pytest.mark.parametrize(
    ("fragment", "home"),
    [
        # K30 median (D5): a weighted lower median over the timeliness cube's (lag, count) rows
        ("2 * lag_running >= lag_count", "pipelines/metrics/catalogue.py"),
        ("cum >= total / 2", None),  # the old hand-made median: nowhere
        (
            "e.evidence_date >= c.sustained_from",
            "pipelines/warehouse/sql/marts/14_cooperation_evidence.sql",
        ),
        ("1 - sum(n * n)", "pipelines/metrics/catalogue.py"),  # K07
        ("current_date", None),  # nothing "to date" is evaluated at the clock's date (D4)
    ],
)
def test_known_rules_have_one_home(fragment, home):
    files = [
        path
        for path in [*ELSEWHERE, CATALOGUE, *sorted((ROOT / "pipelines").rglob("*.py"))]
        if path != DIALECT and fragment in path.read_text(encoding="utf-8")
    ]
    found = sorted({str(p.relative_to(ROOT)) for p in files})
    assert found == ([home] if home else []), found
