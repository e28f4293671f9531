"""Input templates: generated from the schemas, filled with demo values they load with exit 0; a
broken value gives a quarantine row whose reason names the column and the rule."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines.export import templates
from pipelines.ingest.run import ingest_files
from schemas import ENTITIES

ROWS_PER_ENTITY = 3

# entity -> (column, broken value, words the quarantine reason must contain)
BROKEN = {
    "city": ("country_iso2", "XX", "unknown country"),
    "cooperation": ("mode", "rowing_boat", "unknown cooperation mode"),
    "cooperation_member": ("role", "boss", "must be one of lead, partner"),
    "activity": ("modality", "telepathy", "unknown modality"),
    "participation": ("participants", "-3", "must be >= 0"),
    "output": ("output_type", "spaceship", "unknown output type"),
    "funding": ("amount", "lots", "must be a number"),
    "target": ("scope_type", "galaxy", "must be one of programme"),
    "observation": ("value_kind", "guess", "must be one of actual, forecast"),
    "sdg_alignment": ("goal", "18", "must be <= 17"),
    "city_context": ("year", "3000", "must be <= 2100"),
    "output_adoption": ("city_id", "atlantis-xx", "unknown city"),
}


def demo_rows(db: Path, entity: str) -> tuple[list[str], list[tuple]]:
    """Return (columns, rows) of the first demo rows of an entity, as the warehouse holds them."""
    ent = ENTITIES[entity]
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = ", ".join(f'"{c}"' for c in ent.columns)
        order = ", ".join(f'"{k}"' for k in ent.key)
        rows = con.execute(
            f"select {cols} from core.{entity} order by {order} limit {ROWS_PER_ENTITY}"
        ).fetchall()
    finally:
        con.close()
    return ent.columns, rows


def as_text(value: object) -> str:
    """Return a cell as a provider would type it in a CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def fill(out: Path, entity: str, fmt: str, rows: list[tuple], columns: list[str]) -> Path:
    """Write the entity's template filled with rows (in the template's column order)."""
    path = out / templates.template_file_name(entity, fmt)
    blob = templates.template_bytes(entity, fmt)
    if fmt == "csv":
        header = next(csv.reader(io.StringIO(blob.decode("utf-8"))))
        index = [columns.index(h) for h in header]
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            for row in rows:
                writer.writerow([as_text(row[i]) for i in index])
    else:
        wb = openpyxl.load_workbook(io.BytesIO(blob))
        ws = wb[ENTITIES[entity].name]
        header = [c.value for c in ws[1]]
        index = [columns.index(h) for h in header]
        for row in rows:
            ws.append([row[i] for i in index])
        wb.save(path)
    return path


def break_row(rows: list[tuple], columns: list[str], column: str, value: str) -> list[tuple]:
    """Return rows with the first row's `column` set to `value`."""
    first = list(rows[0])
    first[columns.index(column)] = value
    return [tuple(first), *rows[1:]]


@pytest.fixture(scope="module", params=templates.FORMATS)
def loaded(request, demo_db: Path, tmp_path_factory) -> dict:
    """Fill every template (good and broken) in one format and ingest them into copies of the demo."""
    fmt = request.param
    root = tmp_path_factory.mktemp(f"templates-{fmt}")
    good_dir, bad_dir = root / "good", root / "bad"
    good_dir.mkdir()
    bad_dir.mkdir()
    good_files, bad_files = {}, {}
    for name in ENTITIES:
        columns, rows = demo_rows(demo_db, name)
        assert rows, f"the demo has no {name} rows"
        good_files[name] = fill(good_dir, name, fmt, rows, columns)
        column, value, _ = BROKEN[name]
        bad_files[name] = fill(bad_dir, name, fmt, break_row(rows, columns, column, value), columns)
    good_db, bad_db = root / "good.duckdb", root / "bad.duckdb"
    shutil.copyfile(demo_db, good_db)
    shutil.copyfile(demo_db, bad_db)
    good = ingest_files(list(good_files.values()), db=good_db)
    bad = ingest_files(list(bad_files.values()), db=bad_db)
    con = duckdb.connect(str(bad_db), read_only=True)
    quarantine = con.execute(
        "select file_name, line, reasons, first_column, first_rule from ops.quarantine "
        "where run_id in (select unnest(?::varchar[]))",
        [[r.run_id for r in bad.files if r.run_id]],
    ).fetchall()
    con.close()
    return {
        "fmt": fmt,
        "good": good,
        "bad": bad,
        "quarantine": quarantine,
        "good_files": good_files,
        "bad_files": bad_files,
    }


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_templates_filled_with_demo_values_load_with_exit_0(loaded: dict, entity: str) -> None:
    report = next(r for r in loaded["good"].files if r.entity == entity)
    assert report.exit_code == 0, [str(p) for p in report.problems]
    assert report.rows_read == ROWS_PER_ENTITY
    assert report.rows_loaded == ROWS_PER_ENTITY
    assert report.rows_quarantined == 0


def test_templates_good_batch_exit_0(loaded: dict) -> None:
    assert loaded["good"].exit_code == 0


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_templates_broken_value_quarantined_naming_column_and_rule(
    loaded: dict, entity: str
) -> None:
    column, _value, rule = BROKEN[entity]
    name = loaded["bad_files"][entity].name
    report = next(r for r in loaded["bad"].files if r.entity == entity)
    assert report.exit_code == 1
    assert report.rows_quarantined == 1
    assert report.rows_loaded == ROWS_PER_ENTITY - 1
    rows = [q for q in loaded["quarantine"] if q[0] == name]
    assert len(rows) == 1
    _, line, reasons, first_column, _ = rows[0]
    assert line == 2  # the first data row, below the header
    assert f"{column}: {rule}" in reasons, reasons
    assert column in {first_column} | {part.split(":")[0].strip() for part in reasons.split(";")}


def test_templates_xlsx_has_descriptions_codes_and_dropdowns() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(templates.template_bytes("activity", "xlsx")))
    assert wb.sheetnames == ["activity", "Descriptions", "Codes"]
    header = [c.value for c in wb["activity"][1]]
    assert header == ENTITIES["activity"].columns
    described = {r[0]: r for r in wb["Descriptions"].iter_rows(min_row=2, values_only=True)}
    assert set(described) == set(header)
    assert described["modality"][2] == "yes" and "unknown modality" in described["modality"][3]
    codes = [r for r in wb["Codes"].iter_rows(min_row=2, values_only=True) if r[0] == "modality"]
    assert {r[1] for r in codes} >= {"in_person", "online", "hybrid"}
    validations = {
        str(dv.sqref).split(":")[0]: dv for dv in wb["activity"].data_validations.dataValidation
    }
    modality = validations[f"{openpyxl.utils.get_column_letter(header.index('modality') + 1)}2"]
    assert modality.type == "list"
    first, last = (int(part.split("$")[-1]) for part in modality.formula1.split(":"))
    listed = [wb["Codes"].cell(row=r, column=2).value for r in range(first, last + 1)]
    assert listed == [r[1] for r in codes]
    # free-text columns get no dropdown
    assert f"{openpyxl.utils.get_column_letter(header.index('title') + 1)}2" not in validations


def test_templates_csv_is_header_only() -> None:
    text = templates.template_bytes("participation", "csv").decode("utf-8")
    assert text.splitlines() == [",".join(ENTITIES["participation"].columns)]


def test_templates_write_all_writes_every_entity(tmp_path: Path) -> None:
    paths = templates.write_templates("all", tmp_path)
    names = {p.name for p in paths}
    for entity in ENTITIES.values():
        assert f"{entity.prefixes[0]}_template.csv" in names
        assert f"{entity.prefixes[0]}_template.xlsx" in names
        assert f"README-{entity.prefixes[0]}.md" in names


def test_templates_unknown_entity_raises() -> None:
    with pytest.raises(ValueError, match="unknown entity"):
        templates.template_bytes("unicorns", "csv")


def test_templates_cli_writes_files(tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "iurc.cli",
            "template",
            "activity",
            "--format",
            "csv",
            "--out",
            str(tmp_path),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "activities_template.csv").exists()
    assert (tmp_path / "README-activities.md").exists()
    bad = subprocess.run(
        [sys.executable, "-m", "iurc.cli", "template", "unicorns"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert bad.returncode == 2 and "unknown entity" in bad.stderr
