"""Imports go one way (ARCHITECTURE.md §1-2): a layer imports only from layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# lower rank = lower layer; a module may import from its own rank or below
LAYERS = [
    ("schemas", 0),
    ("pipelines", 1),  # the package itself: a docstring, no imports
    ("pipelines.config", 1),
    ("pipelines.textsafe", 1),  # safe rendering of user text; imports nothing from the project
    ("pipelines.metrics", 2),
    ("pipelines.warehouse", 3),
    ("pipelines.ingest", 4),
    ("pipelines.queries", 5),
    ("pipelines.export", 6),
    ("pipelines.demo", 6),
    ("pipelines.tagging", 6),
    ("pipelines.app", 6),  # the web app's users, submissions and audit log
    ("pipelines.report", 7),
    ("pipelines.iati", 7),
    ("dashboard", 8),
    ("iurc", 9),
]


def rank(module: str) -> int | None:
    """Return the layer rank of a project module (longest matching prefix), None for others."""
    best: tuple[int, int] | None = None
    for prefix, value in LAYERS:
        if (module == prefix or module.startswith(prefix + ".")) and (
            best is None or len(prefix) > best[0]
        ):
            best = (len(prefix), value)
    return best[1] if best else None


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Return (line, module) for every import statement in a file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.lineno, node.module))
            out.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return out


def project_modules() -> list[tuple[str, Path]]:
    """Return (dotted name, path) of every module of the layered packages."""
    mods = []
    for top in ("schemas", "pipelines", "dashboard", "iurc"):
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            mods.append((".".join(parts), path))
    return mods


def test_every_module_has_a_layer() -> None:
    unranked = [name for name, _ in project_modules() if rank(name) is None]
    assert unranked == [], f"modules outside the layer map: {unranked}"


@pytest.mark.parametrize(("name", "path"), project_modules(), ids=lambda v: str(v))
def test_imports_go_one_way(name: str, path: Path) -> None:
    own = rank(name)
    assert own is not None
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for line, module in imports_of(path)
        if (r := rank(module)) is not None and r > own
    ]
    assert upward == []


def test_the_layer_map_catches_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from dashboard import app\nimport iurc.cli\n", encoding="utf-8")
    found = [
        m for _, m in imports_of(bad) if (r := rank(m)) is not None and r > rank("pipelines.ingest")
    ]
    assert found == ["dashboard", "dashboard.app", "iurc.cli"]
