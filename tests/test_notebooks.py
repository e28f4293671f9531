"""The analyst notebooks run top to bottom (nbmake) against a demo warehouse, and are committed
without outputs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PUBLIC_IMPORTS = (
    "from pipelines import",
    "from pipelines.metrics.filters import",
    "from pipelines.warehouse import db",
    "from pipelines.ingest.run import",
    "import ",
)


def test_notebooks_exist_and_are_numbered() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert len(names) == 5
    assert [n[:3] for n in names] == ["01_", "02_", "03_", "04_", "05_"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_committed_without_outputs(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{path.name}: strip outputs"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_only_the_public_api(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            if line.startswith(("from ", "import ")) and (
                "pipelines" in line or "dashboard" in line
            ):
                assert line.startswith(PUBLIC_IMPORTS[:4]), line
                assert "dashboard" not in line and "._" not in line, line


@pytest.mark.slow
def test_notebooks_run_top_to_bottom(demo_db: Path) -> None:
    before = demo_db.stat().st_mtime_ns
    env = {**os.environ, "IURC_DB": str(demo_db)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbmake",
            "--nbmake-timeout=300",
            "-p",
            "no:cacheprovider",
            "-q",
            *[str(p) for p in NOTEBOOKS],
        ],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert f"{len(NOTEBOOKS)} passed" in proc.stdout
    assert demo_db.stat().st_mtime_ns == before, "a notebook wrote to the warehouse"
