"""`iurc export`: every mart and core table as CSV or Parquet, codes and labels, formulas
neutralised, a README describing each file."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.export import files as export
from pipelines.warehouse import db
from tests.pipelines.conftest import build_fixture_warehouse

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> Path:
    """A file warehouse from the tiny mart fixture, with city names that look like formulas."""
    path = tmp_path_factory.mktemp("export") / "wh.duckdb"
    con = duckdb.connect(str(path))
    build_fixture_warehouse(con)
    con.execute("update core.city set name = ? where city_id = 'turin-it'", [HOSTILE[0]])
    con.execute("update core.city set name = ? where city_id = 'lyon-fr'", [HOSTILE[1]])
    con.execute("update core.activity set title = ? where activity_id = 'a1'", [HOSTILE[2]])
    con.execute("update core.activity set title = ? where activity_id = 'a2'", [HOSTILE[3]])
    con.execute("update core.activity set title = ? where activity_id = 'a3'", [HOSTILE[4]])
    con.execute("update core.activity set title = ? where activity_id = 'a6'", [HOSTILE[5]])
    con.close()
    return path


@pytest.fixture(scope="module")
def csv_export(fixture_db: Path, tmp_path_factory) -> tuple[Path, list[export.ExportedFile]]:
    out = tmp_path_factory.mktemp("csv")
    return out, export.export_path(fixture_db, out, fmt="csv", lang="fr")


def test_export_writes_every_mart_and_core_relation(fixture_db: Path, csv_export) -> None:
    _out, files = csv_export
    con = db.connect_readonly(fixture_db)
    expected = {
        f"{s}.{n}"
        for s, n in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('mart', 'core')"
        ).fetchall()
    }
    assert {f.relation for f in files} == expected
    for f in files:
        assert f.path.exists()
        with f.path.open(newline="", encoding="utf-8") as fh:
            assert sum(1 for _ in csv.reader(fh)) - 1 == f.rows
        assert f.rows == con.execute(f"select count(*) from {f.relation}").fetchone()[0]
    con.close()


def test_export_csv_neutralises_formula_cells(csv_export) -> None:
    out, _ = csv_export
    with (out / "core.city.csv").open(newline="", encoding="utf-8") as fh:
        names = {r["city_id"]: r["name"] for r in csv.DictReader(fh)}
    assert names["turin-it"] == "'" + HOSTILE[0]
    assert names["lyon-fr"] == "'" + HOSTILE[1]
    assert names["austin-us"] == "Austin"
    with (out / "core.activity.csv").open(newline="", encoding="utf-8") as fh:
        titles = {r["activity_id"]: r["title"] for r in csv.DictReader(fh)}
    assert titles["a1"] == "'" + HOSTILE[2]
    assert titles["a2"] == "'" + HOSTILE[3]
    assert titles["a3"] == "'" + HOSTILE[4]
    assert titles["a6"] == "'" + HOSTILE[5]
    assert titles["a7"] == "Follow-up webinar"  # a dash inside a cell is harmless
    for path in out.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not cell or cell[0] not in "=+@\t\r", (path.name, cell)


def test_export_csv_negative_numbers_stay_numbers(csv_export) -> None:
    out, _ = csv_export
    with (out / "core.city.csv").open(newline="", encoding="utf-8") as fh:
        lons = {r["city_id"]: r["lon"] for r in csv.DictReader(fh)}
    assert float(lons["austin-us"]) == pytest.approx(-97.74)


def test_export_codes_and_labels_in_language(csv_export) -> None:
    out, _ = csv_export
    with (out / "core.activity.csv").open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header.index("network_id_label") == header.index("network_id") + 1
    assert "activity_type_label" in header and "modality_label" in header
    con = duckdb.connect()
    row = con.execute(
        "select network_id, network_id_label from read_csv(?) where network_id = 'innovation' "
        "limit 1",
        [str(out / "mart.activity_register.csv")],
    ).fetchone()
    ref = duckdb.connect()
    db.prepare(ref, with_marts=False)
    label_fr = ref.execute(
        "select label_fr from ref.network where network_id = 'innovation'"
    ).fetchone()[0]
    assert row == ("innovation", label_fr)


def test_export_readme_describes_each_file(csv_export) -> None:
    out, files = csv_export
    text = (out / "README.md").read_text(encoding="utf-8")
    for f in files:
        assert f"## {f.relation}" in text
        assert f"File `{f.path.name}`, {f.rows:,} rows." in text
    assert "| `network_id_label` |" in text
    assert "Participation in activities" in text  # the core.participation model's description


def test_export_parquet_keeps_types_and_values(fixture_db: Path, tmp_path: Path) -> None:
    files = export.export_path(fixture_db, tmp_path, fmt="parquet")
    con = duckdb.connect()
    city = tmp_path / "core.city.parquet"
    assert city in [f.path for f in files]
    names = dict(con.execute("select city_id, name from read_parquet(?)", [str(city)]).fetchall())
    assert names["turin-it"] == HOSTILE[0]  # typed file: not a spreadsheet, kept verbatim
    dtype = con.execute(
        "select typeof(population) from read_parquet(?) limit 1", [str(city)]
    ).fetchone()[0]
    assert dtype in ("BIGINT", "INTEGER")
    assert (tmp_path / "README.md").exists()


def test_export_rejects_unknown_format(fixture_db: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        export.export_path(fixture_db, tmp_path, fmt="xls")


def test_export_cli(fixture_db: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "iurc.cli",
            "export",
            "--db",
            str(fixture_db),
            "--out",
            str(tmp_path),
            "--format",
            "parquet",
            "--lang",
            "es",
        ],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "mart.participation_cube.parquet").exists()
    assert "README.md" in proc.stdout and "datapackage.json" in proc.stdout


def test_export_parquet_writes_a_valid_datapackage(fixture_db: Path, tmp_path: Path) -> None:
    """datapackage.json: valid Frictionless metadata; every file a resource whose Table Schema
    names its columns in order with their types, descriptions from the contracts, keys."""
    import json

    from frictionless import Package

    files = export.export_path(fixture_db, tmp_path, fmt="parquet", lang="fr")
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert list(Package.metadata_validate(descriptor)) == []
    assert descriptor["licenses"] and descriptor["sources"]
    resources = {r["path"]: r for r in descriptor["resources"]}
    assert set(resources) == {f.path.name for f in files}
    con = duckdb.connect()
    kinds = {"VARCHAR": "string", "BIGINT": "integer", "INTEGER": "integer", "DATE": "date"}
    for f in files:
        fields = resources[f.path.name]["schema"]["fields"]
        described = con.execute("describe select * from read_parquet(?)", [str(f.path)]).fetchall()
        assert [x["name"] for x in fields] == [c[0] for c in described], f.relation
        for field, column in zip(fields, described, strict=True):
            if column[1] in kinds:
                assert field["type"] == kinds[column[1]], (f.relation, field)
    activity = resources["core.activity.parquet"]["schema"]
    assert activity["primaryKey"] == ["activity_id"]
    title = next(x for x in activity["fields"] if x["name"] == "title")
    assert title["description"] == "Title of the activity."
    assert resources["core.activity.parquet"]["hash"].startswith("sha256:")
    assert "datapackage.json" in (tmp_path / "README.md").read_text(encoding="utf-8")


def test_export_csv_has_no_datapackage(csv_export) -> None:
    out, _ = csv_export
    assert not (out / "datapackage.json").exists()
