"""Fixtures of the reliability suite: a small warehouse built once per module from the fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.ingest.run import ingest_files
from tests.fixtures.ingest import fixture_paths


@pytest.fixture(scope="module")
def small_wh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a warehouse file holding every hand-written fixture (read-only: copy it first)."""
    path = tmp_path_factory.mktemp("reliability-base") / "wh.duckdb"
    summary = ingest_files(fixture_paths(), db=path)
    assert summary.exit_code == 0, [str(p) for f in summary.files for p in f.problems]
    return path


@pytest.fixture
def wh(small_wh: Path, tmp_path: Path) -> Path:
    """Return a private copy of the small warehouse for one test."""
    path = tmp_path / "wh" / "iurc.duckdb"
    path.parent.mkdir()
    shutil.copyfile(small_wh, path)
    return path
