"""Build (or reuse) the scaled demo warehouse the benchmarks read, through the real `iurc demo`."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import DATA_DIR, ROOT


@dataclass
class Built:
    """Where the benchmark warehouse and its input files are, and what building them cost."""

    db: Path
    raw_dir: Path
    scale: int
    demo_s: float | None  # None when an earlier build was reused
    marts_s: float  # republishing the marts (copy, build, checkpoint, rename)


def paths_for(scale: int, data_dir: Path = DATA_DIR) -> tuple[Path, Path]:
    """Return (warehouse file, input-file folder) of the benchmark build at `scale`."""
    return data_dir / f"iurc-{scale}.duckdb", data_dir / f"raw-{scale}"


def republish_marts(db: Path) -> float:
    """Rebuild every mart of `db` through a writer session (copy, build, publish); return seconds."""
    from pipelines.warehouse import db as dbmod

    start = time.perf_counter()
    dbmod.refresh_marts(db, force=True)
    return time.perf_counter() - start


def build(scale: int, *, reuse: bool = False, data_dir: Path = DATA_DIR, log=print) -> Built:
    """Return the benchmark warehouse at `scale`: built by `iurc demo --scale`, or reused.

    With `reuse` and an earlier build of the same scale, only the marts are rebuilt (so mart
    changes are measured without regenerating the data). Raises RuntimeError if the demo fails.
    """
    db, raw = paths_for(scale, data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    demo_s = None
    if not (reuse and db.exists() and (raw / "participations.csv").exists()):
        log(f"building the demo warehouse: {scale:,} participation rows -> {db}")
        start = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "iurc.cli",
                "demo",
                "--db",
                str(db),
                "--scale",
                str(scale),
                "--out",
                str(raw),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        demo_s = time.perf_counter() - start
        if proc.returncode != 0:
            raise RuntimeError(
                f"iurc demo failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
            )
    else:
        log(f"reusing {db}")
    marts_s = republish_marts(db)
    log(f"marts republished in {marts_s:.1f} s")
    return Built(db, raw, scale, demo_s, marts_s)
