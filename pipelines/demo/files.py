"""Write the demo input files (CSV, XLSX, JSON) and plant the deliberately bad rows.

Each bad row is an extra row with its own key that nothing else references, so ingestion
quarantines exactly that row and loads the rest of its file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import itertools
import json
import math
import zipfile
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pipelines.demo.activities import Participations

XLSX_MAX_ROWS = 20_000  # above this a programme officer would not e-mail a workbook: CSV instead
FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = dt.datetime(2025, 1, 1)
PARTICIPATION_CHUNK = 1_000_000

PARTICIPATION_COLUMNS = [
    "activity_id",
    "city_id",
    "stakeholder_type",
    "participants",
    "women",
    "organisations",
    "completions",
    "organisation_id",
]


@dataclasses.dataclass(frozen=True)
class PlantedRow:
    """A deliberately bad row: where it is and which rule it breaks."""

    file_name: str
    line: int  # CSV: physical line (header = 1); XLSX: sheet row; JSON: array index + 1
    entity: str
    key: str
    rule: str


def _csv_options() -> pacsv.WriteOptions:
    return pacsv.WriteOptions(include_header=True, quoting_style="needed")


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame as UTF-8 CSV with ISO dates and empty cells for nulls (pyarrow, fast)."""
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    pacsv.write_csv(table, str(path), write_options=_csv_options())


def _json_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    if isinstance(value, np.generic):
        return value.item()
    return value


def write_json(frame: pd.DataFrame, path: Path) -> None:
    """Write a frame as a JSON array of records (ISO dates, null for missing values)."""
    columns = list(frame.columns)
    records = [
        {c: _json_value(v) for c, v in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _xlsx_value(value: object) -> object:
    """Return a cell value: dates stay dates (real date cells), missing values become empty."""
    return value if isinstance(value, dt.date) else _json_value(value)


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """Write a frame as a one-sheet workbook with date cells; byte-identical for the same data."""
    wb = openpyxl.Workbook(write_only=True)
    wb.properties.created = FIXED_DOC_TIME
    wb.properties.modified = FIXED_DOC_TIME
    wb.properties.creator = "iurc demo"
    ws = wb.create_sheet(sheet)
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        ws.append([_xlsx_value(v) for v in row])
    raw = io.BytesIO()
    wb.save(raw)
    _normalise_zip(raw.getvalue(), path)


def _normalise_zip(data: bytes, path: Path) -> None:
    """Rewrite an XLSX zip with fixed timestamps (openpyxl stamps the current time)."""
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _strip_modified(body)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)


def _strip_modified(body: bytes) -> bytes:
    """openpyxl rewrites 'modified' with now() on save: pin it to the fixed time."""
    text = body.decode("utf-8")
    stamp = FIXED_DOC_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    start = text.find("<dcterms:modified")
    if start >= 0:
        gt = text.find(">", start) + 1
        end = text.find("</dcterms:modified>", gt)
        text = text[:gt] + stamp + text[end:]
    return text.encode("utf-8")


def write_frame(frame: pd.DataFrame, out_dir: Path, stem: str, fmt: str) -> Path:
    """Write a frame as out_dir/<stem>.<fmt> (csv, xlsx or json); return the path."""
    if fmt == "xlsx" and len(frame) > XLSX_MAX_ROWS:
        fmt = "csv"
    path = out_dir / f"{stem}.{fmt}"
    if fmt == "csv":
        write_csv(frame, path)
    elif fmt == "xlsx":
        write_xlsx(frame, path, sheet=stem)
    else:
        write_json(frame, path)
    return path


def line_of(fmt: str, position: int) -> int:
    """Return the line number ingestion reports for the row at 0-based `position`."""
    return position + 1 if fmt == "json" else position + 2


def insert_row(frame: pd.DataFrame, row: dict[Hashable, Any], position: int) -> pd.DataFrame:
    """Return frame with `row` inserted at 0-based `position` (columns kept, dtypes kept)."""
    extra = pd.DataFrame([row], columns=frame.columns).astype(
        frame.dtypes.to_dict(), errors="ignore"
    )
    return pd.concat([frame.iloc[:position], extra, frame.iloc[position:]], ignore_index=True)


def _organisation_ids(parts: Participations, lo: int, hi: int) -> pa.Array[Any]:
    """Return the rows' organisation slugs, null where the row names none."""
    index = parts.organisation[lo:hi]
    slugs = pa.array(parts.organisation_ids.astype(str)).take(pa.array(np.maximum(index, 0)))
    out: pa.Array[Any] = pc.if_else(pa.array(index < 0), pa.scalar(None, pa.string()), slugs)
    return out


def _participation_table(parts: Participations, lo: int, hi: int) -> pa.Table:
    def ids(values: np.ndarray, idx: np.ndarray) -> pa.Array[Any]:
        taken: pa.Array[Any] = pa.array(values.astype(str)).take(pa.array(idx))
        return taken

    def nullable(a: np.ndarray) -> pa.Array[Any]:
        return pa.array(a, mask=a < 0, type=pa.int32())

    return pa.table(
        {
            "activity_id": ids(parts.activity_ids, parts.activity[lo:hi]),
            "city_id": ids(parts.city_ids, parts.city[lo:hi]),
            "stakeholder_type": ids(parts.stakeholder_ids, parts.stakeholder[lo:hi]),
            "participants": pa.array(parts.participants[lo:hi], type=pa.int32()),
            "women": nullable(parts.women[lo:hi]),
            "organisations": pa.array(parts.organisations[lo:hi], type=pa.int32()),
            "completions": nullable(parts.completions[lo:hi]),
            "organisation_id": _organisation_ids(parts, lo, hi),
        }
    )


def write_participations(
    parts: Participations, bad: pd.DataFrame, position: int, path: Path
) -> None:
    """Stream the participation rows to CSV in chunks, with the bad rows at `position`."""
    bad_table = pa.table(
        {
            c: pa.array(
                bad[c].tolist(), type=pa.string() if i < 3 or c == "organisation_id" else pa.int32()
            )
            for i, c in enumerate(PARTICIPATION_COLUMNS)
        }
    )
    n = len(parts)
    bounds = sorted({0, position, n, *range(0, n, PARTICIPATION_CHUNK)})
    with pacsv.CSVWriter(str(path), bad_table.schema, write_options=_csv_options()) as writer:
        for lo, hi in itertools.pairwise(bounds):
            if lo == position:
                writer.write_table(bad_table)
            writer.write_table(_participation_table(parts, lo, hi).cast(bad_table.schema))
        if position >= n:
            writer.write_table(bad_table)
