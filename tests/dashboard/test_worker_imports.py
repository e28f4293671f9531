"""What a dashboard worker imports: data-contract metadata without Pandera (issue 13, memory)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_dashboard_app_does_not_import_pandera() -> None:
    # a fresh interpreter, as a gunicorn worker starts: the app (with its API, submissions and
    # data-quality pages) reads table metadata from schemas.columns; Pandera is for validation
    # only, and the ingest runner is imported when a submitted file is handled
    code = (
        "import sys, dashboard.app, schemas; "
        "print(sorted(m for m in ('pandera', 'schemas.pandera_schema', 'pipelines.ingest.run') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
