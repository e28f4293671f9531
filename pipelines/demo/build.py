"""Deterministic demo programme: generate realistic input files and load them through ingestion.

`generate_demo()` writes the files a programme officer would send (CSV, XLSX, JSON) to
`data/raw/demo/`; `build_demo()` also loads them with `pipelines.ingest.run.ingest_files` into a fresh
warehouse and publishes it atomically. The same seed and scale give byte-identical files.

The generator lives in small modules: `demo_programme` (real cities and pairings, synthetic trios,
clusters and a global network), `demo_activities` (activities and participations, vectorised),
`demo_results` (outputs, funding, SDG tags, city context), `demo_kpis` (targets, observations),
`demo_bad` (the planted bad rows) and `demo_files` (writers).
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipelines import config
from pipelines.demo import bad
from pipelines.demo.activities import Participations, build_activities, build_participations
from pipelines.demo.files import (
    PARTICIPATION_COLUMNS,
    PlantedRow,
    insert_row,
    line_of,
    write_frame,
    write_participations,
)
from pipelines.demo.kpis import build_observations, build_targets
from pipelines.demo.programme import build_programme
from pipelines.demo.ref import load_demo_ref
from pipelines.demo.results import (
    build_adoptions,
    build_city_context,
    build_funding,
    build_outputs,
    build_sdg_alignments,
)
from pipelines.demo.sdg_tags import demo_sdg_tags
from pipelines.ingest.run import SYNTHETIC_MARKER
from pipelines.warehouse.db import one_row
from schemas import ENTITIES

DEFAULT_SEED = 2023
DEFAULT_SCALE = 20_000
MIN_SCALE = 100

# entity -> (file stem, format), in load order
FILES: dict[str, tuple[str, str]] = {
    "city": ("cities", "csv"),
    "cooperation": ("cooperations", "csv"),
    "cooperation_member": ("cooperation_members", "csv"),
    "activity": ("activities", "csv"),
    "participation": ("participations", "csv"),
    "output": ("outputs", "xlsx"),
    "funding": ("funding", "json"),
    "target": ("targets", "xlsx"),
    "observation": ("observations", "csv"),
    "sdg_alignment": ("sdg_alignments", "csv"),
    "city_context": ("city_context", "json"),
    "output_adoption": ("output_adoptions", "csv"),
}


@dataclasses.dataclass
class DemoData:
    """The generated programme: one frame per entity, participations as compact arrays."""

    frames: dict[str, pd.DataFrame]
    participations: Participations


@dataclasses.dataclass
class DemoFiles:
    """What `generate_demo` wrote: paths in load order, good rows per entity, planted rows."""

    out_dir: Path
    paths: list[Path]
    rows: dict[str, int]
    planted: list[PlantedRow]
    seconds: float


@dataclasses.dataclass
class DemoReport:
    """What `build_demo` did: files, rows per core table, quarantine found vs planted, timings."""

    files: DemoFiles
    db: Path
    table_rows: dict[str, int]
    quarantined: list[tuple[str, int]]  # (file name, line) found in ops.quarantine
    ingest_exit_code: int
    generate_s: float
    load_s: float
    problems: list[str]

    @property
    def ok(self) -> bool:
        """True when the warehouse was built and only the planted rows were quarantined."""
        return not self.problems

    @property
    def exit_code(self) -> int:
        """Return 0 when ok, else 1."""
        return 0 if self.ok else 1


def generate_data(
    seed: int = DEFAULT_SEED, scale: int = DEFAULT_SCALE, reference_dir: Path | None = None
) -> DemoData:
    """Return the demo programme for a seed with exactly `scale` participation rows."""
    if scale < MIN_SCALE:
        raise ValueError(f"scale must be at least {MIN_SCALE} participation rows")
    ref = load_demo_ref(reference_dir)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(10)]
    prog = build_programme(ref, streams[0])
    acts, meta, draw = build_activities(ref, prog, scale, streams[1])
    parts = build_participations(ref, prog, acts, meta, draw["rows"], streams[2])
    outputs = build_outputs(ref, prog, acts, meta, streams[3])
    funding = build_funding(ref, prog, outputs, streams[4])
    sdg = build_sdg_alignments(ref, prog, acts, outputs, streams[5])
    sdg = demo_sdg_tags(sdg, acts, outputs, streams[5])  # automatic tags: the SDG tagger
    frames = {
        "city": prog.cities,
        "cooperation": prog.coops,
        "cooperation_member": prog.members,
        "activity": acts,
        "output": outputs,
        "funding": funding,
        "target": build_targets(ref, acts, parts, outputs, funding, sdg, streams[6]),
        "observation": build_observations(ref, funding, streams[7]),
        "sdg_alignment": sdg,
        "city_context": build_city_context(prog, streams[8]),
        "output_adoption": build_adoptions(prog, outputs, streams[9]),
    }
    frames = {name: frame[ENTITIES[name].columns] for name, frame in frames.items()}
    return DemoData(frames=frames, participations=parts)


BAD_ROWS = {
    "activity": bad.bad_activities,
    "output": bad.bad_outputs,
    "funding": bad.bad_funding,
    "target": bad.bad_targets,
    "sdg_alignment": bad.bad_sdg,
}


# Written beside the files: `iurc ingest` marks every run from this folder synthetic, wherever the
# folder is, and every page then says the data is not real.
SYNTHETIC_NOTE = """# Synthetic data

The files in this folder were generated by `iurc demo`: invented activities, participants, outputs
and figures around the programme's real cities and pairings. They are not real programme data.
Loading them marks the warehouse synthetic; the dashboard says so on every page.
"""


def _clear(out_dir: Path) -> None:
    """Remove earlier demo files (only the names this generator writes)."""
    for stem, _ in FILES.values():
        for suffix in (".csv", ".xlsx", ".json"):
            (out_dir / f"{stem}{suffix}").unlink(missing_ok=True)


def write_demo_files(data: DemoData, out_dir: Path) -> tuple[list[Path], list[PlantedRow]]:
    """Write every entity's file with its planted bad rows; return (paths, planted rows)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _clear(out_dir)
    (out_dir / SYNTHETIC_MARKER).write_text(SYNTHETIC_NOTE, encoding="utf-8")
    paths: list[Path] = []
    planted: list[PlantedRow] = []
    for entity, (stem, fmt) in FILES.items():
        if entity == "participation":
            rows = bad.bad_participations(data.participations)
            position = bad.mid(len(data.participations))
            path = out_dir / f"{stem}.csv"
            write_participations(
                data.participations, bad.as_frame(rows, PARTICIPATION_COLUMNS), position, path
            )
            planted += [
                PlantedRow(path.name, line_of("csv", position + k), entity, key, rule)
                for k, (_, key, rule) in enumerate(rows)
            ]
            paths.append(path)
            continue
        frame = data.frames[entity]
        rows = BAD_ROWS[entity](frame) if entity in BAD_ROWS else []
        position = bad.mid(len(frame))
        for k, (row, _, _) in enumerate(rows):
            frame = insert_row(frame, row, position + k)
        path = write_frame(frame, out_dir, stem, fmt)
        real_fmt = path.suffix.lstrip(".")
        planted += [
            PlantedRow(path.name, line_of(real_fmt, position + k), entity, key, rule)
            for k, (_, key, rule) in enumerate(rows)
        ]
        paths.append(path)
    return paths, planted


def generate_demo(
    out_dir: str | os.PathLike[str] | None = None,
    seed: int = DEFAULT_SEED,
    scale: int = DEFAULT_SCALE,
    reference_dir: Path | None = None,
    log: Callable[[str], None] | None = None,
) -> DemoFiles:
    """Generate the demo and write its input files to `out_dir` (default data/raw/demo/);
    `log` (e.g. print) receives a line per step."""
    say = log or (lambda _message: None)
    started = time.perf_counter()
    out = Path(out_dir) if out_dir else config.DEMO_DIR
    say(f"generating the demo programme: seed {seed}, {scale:,} participation rows")
    data = generate_data(seed, scale, reference_dir)
    say(f"writing input files to {out} ({time.perf_counter() - started:.1f} s so far)")
    paths, planted = write_demo_files(data, out)
    rows = {name: len(frame) for name, frame in data.frames.items()}
    rows["participation"] = len(data.participations)
    return DemoFiles(out, paths, rows, planted, time.perf_counter() - started)


def _inspect(db: Path) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Return (rows per core table, (file, line) of every quarantined row) of a warehouse file."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = {name: one_row(con, f"select count(*) from core.{name}")[0] for name in ENTITIES}
        quarantined = [
            (str(f), int(line))
            for f, line in con.execute(
                "select file_name, line from ops.quarantine order by file_name, line"
            ).fetchall()
        ]
    finally:
        con.close()
    return counts, quarantined


def _publish(build: Path, db: Path) -> None:
    """Replace the published warehouse by the freshly built one (atomic rename, under the lock)."""
    from pipelines.warehouse.db import publish_lock

    with publish_lock(db):
        os.replace(build, db)
        fd = os.open(db.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def build_demo(
    db: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    seed: int = DEFAULT_SEED,
    scale: int = DEFAULT_SCALE,
    progress: bool = False,
    log: Callable[[str], None] | None = None,
) -> DemoReport:
    """Generate the demo files, load them into a fresh warehouse and publish it at `db`.

    The warehouse is built beside `db` and renamed over it only when every file loaded (no
    whole-file rejection), so readers never see a half-built demo. The report lists the rows
    quarantined and any difference from the rows planted on purpose."""
    from pipelines.ingest.run import ingest_files

    target = config.warehouse_path(db)
    files = generate_demo(out_dir, seed, scale, log=log)
    if log:
        log(f"loading {len(files.paths)} files through ingestion into a fresh warehouse")
    target.parent.mkdir(parents=True, exist_ok=True)
    build = target.with_name(target.name + ".demo-build")
    for leftover in (build, build.with_name(build.name + ".wal")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    summary = ingest_files(files.paths, db=build, progress=progress)
    load_s = time.perf_counter() - started
    problems: list[str] = []
    counts: dict[str, int] = {}
    quarantined: list[tuple[str, int]] = []
    rejected = [r for r in summary.files if r.exit_code == 2]
    if rejected or not build.exists():
        problems += [f"{r.file_name}: rejected: {'; '.join(r.messages)}" for r in rejected]
        problems.append(f"the demo warehouse was not built; {target} is unchanged")
    else:
        counts, quarantined = _inspect(build)
        _publish(build, target)
        expected = sorted((p.file_name, p.line) for p in files.planted)
        if quarantined != expected:
            extra = sorted(set(quarantined) - set(expected))
            missing = sorted(set(expected) - set(quarantined))
            if extra:
                problems.append(f"unplanned rows quarantined: {extra[:10]}")
            if missing:
                problems.append(f"planted rows not quarantined: {missing[:10]}")
        empty = [name for name, n in counts.items() if n == 0]
        if empty:
            problems.append(f"empty core tables: {', '.join(empty)}")
    build.with_name(build.name + ".lock").unlink(missing_ok=True)
    return DemoReport(
        files, target, counts, quarantined, summary.exit_code, files.seconds, load_s, problems
    )


def format_report(report: DemoReport) -> str:
    """Return the plain-text summary `iurc demo` prints."""
    files = report.files
    lines = [
        f"Demo files in {files.out_dir} (generated in {report.generate_s:.1f} s)",
        f"Warehouse {report.db} (loaded in {report.load_s:.1f} s)",
        "",
        f"{'table':<22}{'rows':>12}",
    ]
    for name in ENTITIES:
        lines.append(f"{'core.' + name:<22}{report.table_rows.get(name, 0):>12,}")
    lines += [
        "",
        (
            f"Planted bad rows: {len(files.planted)}; quarantined: "
            f"{len(report.quarantined)} (ingest exit {report.ingest_exit_code}: "
            "1 = some rows quarantined, as planned)"
        ),
    ]
    for p in files.planted:
        lines.append(f"  {p.file_name}:{p.line}  {p.key}  ({p.rule})")
    if report.problems:
        lines += ["", "PROBLEMS:"] + [f"  {p}" for p in report.problems]
    else:
        lines += ["", "OK: every core table is filled and only the planted rows were quarantined."]
    return "\n".join(lines)
