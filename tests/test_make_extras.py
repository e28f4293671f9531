"""`make` keeps the optional extras a developer installed: `uv sync` is exact, so every sync the
Makefile runs (install, lint, test ...) adds `--extra NAME` for each optional extra whose packages
are all in the venv already (e.g. pyspark after `make test-spark`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
def test_syncs_keep_the_extras_already_installed(tmp_path: Path) -> None:
    # a project whose extras are: installed (pytest), partly installed, missing, and the two
    # every sync names anyway
    (tmp_path / "pyproject.toml").write_text(
        "[project.optional-dependencies]\n"
        'test = ["pytest"]\nreport = ["jinja2"]\n'
        'have = ["pytest>=1", "duckdb; python_version >= \'3\'"]\n'
        'partly = ["pytest", "no-such-package-iurc"]\n'
        'missing = ["no-such-package-iurc[x]>=1"]\n',
        encoding="utf-8",
    )
    flags = subprocess.run(
        ["make", "-s", "-f", str(ROOT / "Makefile"), "installed-extras", f"PY={sys.executable}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    assert flags == ["--extra", "have"]
    dry = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "-f", str(ROOT / "Makefile"), "install"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "KEEP_EXTRAS_PY" in dry  # the sync asks which extras to keep
