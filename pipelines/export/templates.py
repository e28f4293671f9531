"""Input-file templates, one CSV and one XLSX per entity, generated from the Pandera schemas.

* CSV: the header row only, so a filled template loads as it is (a description row would be read
  as data). The column descriptions, rules and codes go in a Markdown sidecar
  `README-<prefix>.md` written beside it.
* XLSX: a data sheet named after the entity (the sheet ingestion reads) with the header, a
  "Descriptions" sheet (column, type, required, rules, description), a "Codes" sheet (column,
  code, label) and list validation (a dropdown) on every coded column, pointing at its codes.

`template_bytes(entity, fmt)` returns a template as bytes (the dashboard's download button);
`write_templates(entity, out_dir, fmt)` writes files (`iurc template`).
"""

from __future__ import annotations

import io
from pathlib import Path

import duckdb

from pipelines.export.dictionary import ColumnSpec, entity_columns, reference_connection
from schemas import ENTITIES, Entity

FORMATS = ("csv", "xlsx")
VALIDATED_ROWS = 5000  # data rows that get the dropdowns


def get_entity(name: str) -> Entity:
    """Return the entity by name or file-name prefix (raises ValueError listing the choices)."""
    key = name.strip().lower()
    for entity in ENTITIES.values():
        if key == entity.name or key in entity.prefixes:
            return entity
    raise ValueError(f"unknown entity {name!r}; choose one of: {', '.join(ENTITIES)}")


def template_file_name(entity: str, fmt: str = "xlsx") -> str:
    """Return the template's file name, e.g. 'activities_template.xlsx' (ingest reads the prefix).

    Example: ``template_file_name("activity", "csv")  # 'activities_template.csv'``
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    return f"{get_entity(entity).prefixes[0]}_template.{fmt}"


def csv_template(entity: Entity) -> bytes:
    """Return the CSV template: the header row, UTF-8, CRLF-free."""
    return (",".join(entity.columns) + "\n").encode("utf-8")


def readme_text(entity: Entity, specs: list[ColumnSpec]) -> str:
    """Return the Markdown description of a CSV template's columns, rules and codes."""
    lines = [
        f"# {template_file_name(entity.name, 'csv')}: {entity.name} (core.{entity.name})",
        "",
        (
            "Fill one row per record below the header; leave optional cells empty. Dates are YYYY-MM-DD, "
            "true/false for yes-no columns. Load with `iurc ingest FILE --dry-run` first."
        ),
        "",
        "| column | type | required | rules | description |",
        "|---|---|---|---|---|",
    ]
    for s in specs:
        lines.append(
            f"| {s.name} | {s.type_label} | {'yes' if s.required else 'no'} | "
            f"{'; '.join(s.rules)} | {s.description} |"
        )
    for s in specs:
        if s.codes:
            lines += ["", f"## {s.name}: allowed codes ({s.codes.source})", ""]
            lines += [
                f"- `{code}`" + (f" {label}" if label else "") for code, label in s.codes.values
            ]
    return "\n".join(lines) + "\n"


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def xlsx_template(entity: Entity, specs: list[ColumnSpec]) -> bytes:
    """Return the XLSX template: data sheet with dropdowns, Descriptions and Codes sheets."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    data = wb.active
    if not isinstance(data, Worksheet):  # a new workbook starts with one plain worksheet
        raise TypeError(f"unexpected first sheet: {data!r}")
    data.title = entity.name
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for i, s in enumerate(specs, start=1):
        cell = data.cell(row=1, column=i, value=s.name)
        cell.font = bold
        if s.required:
            cell.fill = required_fill
        cell.comment = Comment(f"{s.description}\nRules: {'; '.join(s.rules)}", "IURC Impact")
        data.column_dimensions[_column_letter(i)].width = max(12, len(s.name) + 4)
    data.freeze_panes = "A2"

    desc = wb.create_sheet("Descriptions")
    desc.append(["column", "type", "required", "rules", "description"])
    for s in specs:
        desc.append(
            [s.name, s.type_label, "yes" if s.required else "no", "; ".join(s.rules), s.description]
        )
    for cell in desc[1]:
        cell.font = bold
    for letter, width in zip("ABCDE", (22, 18, 10, 70, 70), strict=True):
        desc.column_dimensions[letter].width = width

    codes = wb.create_sheet("Codes")
    codes.append(["column", "code", "label"])
    for cell in codes[1]:
        cell.font = bold
    row = 2
    for i, s in enumerate(specs, start=1):
        if not s.codes:
            continue
        first = row
        for code, label in s.codes.values:
            codes.cell(row=row, column=1, value=s.name)
            codes.cell(row=row, column=2, value=code)
            codes.cell(row=row, column=3, value=label)
            row += 1
        dv = DataValidation(
            type="list",
            formula1=f"=Codes!$B${first}:$B${row - 1}",
            allow_blank=not s.required,
            showErrorMessage=True,
            errorTitle=f"{s.name}: unknown code",
            error=f"Choose a code of {s.codes.source} (see the Codes sheet).",
        )
        data.add_data_validation(dv)
        letter = _column_letter(i)
        dv.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
    for letter, width in zip("ABC", (22, 28, 60), strict=True):
        codes.column_dimensions[letter].width = width

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template_bytes(
    entity: str, fmt: str = "xlsx", con: duckdb.DuckDBPyConnection | None = None
) -> bytes:
    """Return the template of an entity as bytes: CSV (header) or XLSX (with descriptions, codes).

    `con` is any connection with the `ref.*` tables (the dashboard's read-only cursor); without it
    an in-memory copy of the reference data is used.

    Example: ``template_bytes("participation", "xlsx")`` → the bytes of participations_template.xlsx
    """
    found = get_entity(entity)
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    if fmt == "csv":
        return csv_template(found)
    own = con is None
    con = con or reference_connection()
    try:
        return xlsx_template(found, entity_columns(found, con))
    finally:
        if own:
            con.close()


def write_templates(entity: str, out_dir: str | Path, fmt: str | None = None) -> list[Path]:
    """Write the templates of one entity (or 'all') to out_dir; return the paths written.

    Without `fmt` both formats are written; a CSV template comes with its README-<prefix>.md.

    Example: ``write_templates("all", "templates/", "xlsx")``
    """
    entities = list(ENTITIES.values()) if entity == "all" else [get_entity(entity)]
    formats = FORMATS if fmt is None else (fmt,)
    if any(f not in FORMATS for f in formats):
        raise ValueError(f"format must be one of {FORMATS}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    con = reference_connection()
    try:
        for found in entities:
            specs = entity_columns(found, con)
            for f in formats:
                path = out / template_file_name(found.name, f)
                if f == "csv":
                    path.write_bytes(csv_template(found))
                    readme = out / f"README-{found.prefixes[0]}.md"
                    readme.write_text(readme_text(found, specs), encoding="utf-8")
                    written += [path, readme]
                else:
                    path.write_bytes(xlsx_template(found, specs))
                    written.append(path)
    finally:
        con.close()
    return written
