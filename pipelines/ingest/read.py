"""Read an input file (CSV, XLSX or JSON) into a DuckDB staging table, as text.

IATI activity files (.xml) hold several entities: `pipelines.ingest.iati` reads them, one entity
at a time, into the same `stage` table (with `stage_location` holding each record's element path).

Every value is staged as text (nothing guesses types: validation types them), in a table or view
`stage` with the file's model columns, `_line` (CSV: the physical line where the record starts;
XLSX: the sheet row; JSON: the array index + 1) and `_read_reasons` (row problems found while
reading, e.g. a CSV row with the wrong number of fields or an XLSX formula).

Whole-file rejections raise `FileRejected` (exit status 2; nothing is written): unreadable,
empty, binary, undecodable, unknown file type or entity, missing required columns, unknown
(extra) columns, duplicate or empty column names, more than `MAX_COLUMNS` columns, a field over
`MAX_FIELD_CHARS`, an unterminated quote, a JSON document that is not a list of objects, an XLSX
that is not a zip or would inflate beyond the limits. Decisions:

* A file with a header and no data rows reads 0 rows: it is valid and loads nothing (exit 0).
* Extra columns reject the file: a misspelt column would otherwise silently drop its data.
* Blank lines (CSV) and empty rows (XLSX) are skipped and not counted as rows.
* XLSX formulas are never evaluated and their cached results are not trusted: a formula cell
  quarantines its row ("formula not accepted"); paste values instead.

Big CSV files are read by DuckDB's own parallel `read_csv` (all text); files DuckDB's strict
parser refuses, or whose physical line count does not match (blank lines, bare CR line ends),
are re-read by Python's `csv` module in bounded batches, which keeps exact line numbers.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipelines.warehouse.db import one_row, q
from schemas import ENTITIES, Entity, entity_for_file_name

MAX_COLUMNS = 200
MAX_FIELD_CHARS = 1_048_576
MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_XLSX_ENTRIES = 10_000
BATCH_ROWS = 50_000
SNIFF_BYTES = 1 << 20
CHUNK_BYTES = 8 << 20

FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".json": "json",
    ".xml": "iati",  # an IATI activity file: several entities (pipelines.ingest.iati)
}
DELIMITERS = [",", ";", "\t"]
READ_REASONS_TYPE = 'STRUCT("column" VARCHAR, "rule" VARCHAR, "value" VARCHAR)[]'
_REASON_ARROW = pa.list_(
    pa.struct([("column", pa.string()), ("rule", pa.string()), ("value", pa.string())])
)


class FileRejected(Exception):
    """The file as a whole cannot be loaded (exit status 2)."""

    def __init__(self, message: str, line: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class ReadResult:
    """What was staged: the entity, format, columns present, row count and reading notes."""

    entity: Entity
    file_format: str
    columns: list[str]
    rows: int
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    warnings: list[str] = field(default_factory=list)


def resolve_entity(path: Path, entity: str | None) -> Entity:
    """Return the entity named by `entity`, else by the file name's longest prefix."""
    if entity:
        found = ENTITIES.get(entity.strip().lower())
        if found is None:
            raise FileRejected(f"unknown entity '{entity}'; expected one of: {', '.join(ENTITIES)}")
        return found
    if path.suffix.lower() == ".xml":
        from pipelines.ingest.iati import entities_in

        # an IATI file holds several entities: `ingest_files` loads each; reading it here
        # raises the reason a broken file is refused
        return ENTITIES[entities_in(path)[0]]
    found = entity_for_file_name(path.name)
    if found is None:
        prefixes = ", ".join(p for e in ENTITIES.values() for p in e.prefixes[:1])
        raise FileRejected(
            f"cannot tell the entity from the file name '{path.name}': start it with one of "
            f"{prefixes} (e.g. activities_2024.csv) or pass --entity"
        )
    return found


def file_format(path: Path) -> str:
    """Return 'csv', 'xlsx' or 'json' from the file suffix (raises FileRejected)."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        hint = " (save old .xls workbooks as .xlsx)" if path.suffix.lower() == ".xls" else ""
        raise FileRejected(
            f"unsupported file type '{path.suffix}'{hint}: use CSV, XLSX, JSON or IATI XML"
        )
    return fmt


def check_header(entity: Entity, header: list[str]) -> list[str]:
    """Normalise and check column names; return them (raises FileRejected)."""
    names = [h.replace("\ufeff", "").strip().lower() for h in header]
    if len(names) > MAX_COLUMNS:
        raise FileRejected(f"too many columns ({len(names)}; at most {MAX_COLUMNS})", line=1)
    for index, name in enumerate(names, start=1):
        if not name:
            raise FileRejected(f"column {index} has no name in the header", line=1)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise FileRejected(f"column '{name}' appears twice in the header", line=1, column=name)
        seen.add(name)
    known = entity.columns
    unknown = [n for n in names if n not in known]
    if unknown:
        raise FileRejected(
            f"unknown column(s) {', '.join(repr(u) for u in unknown[:10])} for entity "
            f"{entity.name}; allowed: {', '.join(known)}",
            line=1,
            column=unknown[0],
        )
    missing = [c for c in entity.required_columns if c not in names]
    if missing:
        raise FileRejected(
            f"missing required column(s) {', '.join(repr(m) for m in missing)} for entity "
            f"{entity.name}",
            line=1,
            column=missing[0],
        )
    return names


# ---------------------------------------------------------------- staging from Python batches


def _drop_temp(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop temp view or table `name` (an internal constant), whichever it is."""
    kinds = con.execute(
        "SELECT 'VIEW' FROM duckdb_views() WHERE view_name = $n AND temporary "
        "UNION ALL SELECT 'TABLE' FROM duckdb_tables() WHERE table_name = $n AND temporary",
        {"n": name},
    ).fetchall()
    for (kind,) in kinds:
        con.execute(f"DROP {kind} IF EXISTS temp.{name}")


def _create_stage_table(con: duckdb.DuckDBPyConnection, columns: list[str]) -> None:
    cols = ", ".join(f"{q(c)} VARCHAR" for c in columns)
    drop_stage(con)
    con.execute(
        f"CREATE TEMP TABLE stage (_line BIGINT, {cols}, _read_reasons {READ_REASONS_TYPE})"
    )


def _stage_batches(
    con: duckdb.DuckDBPyConnection,
    columns: list[str],
    rows: Iterable[tuple[int, list[str | None], list[dict[str, str | None]]]],
) -> int:
    """Insert (line, values, reasons) rows into `stage` in batches; return the row count."""
    _create_stage_table(con, columns)
    count = 0
    batch: list[tuple[int, list[str | None], list[dict[str, str | None]]]] = []

    def flush() -> None:
        if not batch:
            return
        data: dict[str, Any] = {"_line": pa.array([b[0] for b in batch], pa.int64())}
        for i, col in enumerate(columns):
            data[col] = pa.array([b[1][i] for b in batch], pa.string())
        data["_read_reasons"] = pa.array([b[2] or None for b in batch], _REASON_ARROW)
        con.register("stage_batch", pa.table(data))
        con.execute("INSERT INTO stage SELECT * FROM stage_batch")
        con.unregister("stage_batch")
        batch.clear()

    for row in rows:
        batch.append(row)
        count += 1
        if len(batch) >= BATCH_ROWS:
            flush()
    flush()
    return count


# ---------------------------------------------------------------- CSV


def _detect_encoding(path: Path, head: bytes) -> str:
    """Return the encoding of a text file from its BOM and content (raises FileRejected)."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise FileRejected("UTF-32 files are not supported: save the file as UTF-8")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise FileRejected(
            "binary file (it contains NUL bytes): expected a text CSV saved as UTF-8"
        )
    controls = sum(1 for b in head[:65536] if b < 32 and b not in (9, 10, 13))
    if controls > max(8, len(head[:65536]) // 100):
        raise FileRejected("binary file (it contains control characters): expected a text CSV")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return "utf-8"


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))


def _check_binary(path: Path) -> None:
    """Reject a text file holding a NUL byte, or a chunk dense with control bytes, anywhere.

    The head is checked by `_detect_encoding`; this scans every chunk, so a NUL after the first
    MiB cannot slip into the warehouse (raises FileRejected naming the line).
    """
    lines = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            nul = chunk.find(b"\x00")
            if nul >= 0:
                line = lines + chunk.count(b"\n", 0, nul) + 1
                raise FileRejected(
                    f"binary content: a NUL byte on line {line:,} (expected a text CSV saved "
                    "as UTF-8)",
                    line=line,
                )
            controls = len(chunk) - len(chunk.translate(None, _CONTROL_BYTES))
            if controls > max(8, len(chunk) // 100):
                raise FileRejected(
                    "binary content: the file contains many control characters after line "
                    f"{lines + 1:,} (expected a text CSV)",
                    line=lines + 1,
                )
            lines += chunk.count(b"\n")


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as fh:
        try:
            while chunk := fh.read(CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _legacy_encoding(path: Path) -> str:
    """Return 'cp1252' when the non-UTF-8 file decodes as Windows-1252, else 'latin-1'."""
    decoder = codecs.getincrementaldecoder("cp1252")()
    with open(path, "rb") as fh:
        try:
            while chunk := fh.read(CHUNK_BYTES):
                decoder.decode(chunk)
        except UnicodeDecodeError:
            return "latin-1"
    return "cp1252"


def _transcode(path: Path, encoding: str, workdir: Path) -> Path:
    """Write a UTF-8 copy of the file (streaming) and return its path."""
    out = workdir / (path.stem + ".utf8.csv")
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with open(path, "rb") as src, open(out, "w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(CHUNK_BYTES):
                dst.write(decoder.decode(chunk))
            dst.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as exc:
        raise FileRejected(f"the file is not valid {encoding} text: {exc.reason}") from exc
    return out


def _sniff_delimiter(first_line: str) -> str:
    """Return the delimiter (',', ';' or tab) occurring most often outside quotes in a line."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv_header(text_path: Path) -> tuple[list[str], str, int]:
    """Return (header fields, delimiter, physical lines the header spans)."""
    # column names are ASCII: undecodable bytes (a Latin-1 file, found out later) don't matter here
    with open(text_path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head.strip():
        raise FileRejected("empty file: no header and no data")
    first_line = head.splitlines()[0] if head.splitlines() else head
    if len(first_line) >= SNIFF_BYTES - 1:
        raise FileRejected(f"the header line is longer than {SNIFF_BYTES} characters", line=1)
    delimiter = _sniff_delimiter(first_line)
    if first_line.count(delimiter) >= MAX_COLUMNS:
        raise FileRejected(
            f"too many columns ({first_line.count(delimiter) + 1}; at most {MAX_COLUMNS})", line=1
        )
    reader = csv.reader(io.StringIO(head), delimiter=delimiter, quotechar='"', doublequote=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise FileRejected(f"cannot read the header line: {exc}", line=1) from exc
    return header, delimiter, reader.line_num


def _count_newlines(path: Path) -> tuple[int, bool]:
    """Return (number of LF bytes, whether the file ends with one)."""
    count = 0
    last = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count, last == b"\n"


def _stage_csv_duckdb(
    con: duckdb.DuckDBPyConnection,
    text_path: Path,
    header: list[str],
    delimiter: str,
    header_lines: int,
) -> int | None:
    """Stage with DuckDB's read_csv; return the row count, or None when the exact line numbers
    cannot be known this way (the caller then re-reads with Python's csv module)."""
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in header) + "}"
    drop_stage(con)
    try:
        con.execute(
            f"""
            CREATE TEMP TABLE stage_raw AS SELECT * FROM read_csv(
                $path, auto_detect = false, header = false, skip = $skip, columns = {columns},
                delim = $delim, quote = '"', escape = '"', comment = '',
                max_line_size = $max_line, strict_mode = true, encoding = 'utf-8')
            """,
            {
                "path": str(text_path),
                "skip": header_lines,
                "delim": delimiter,
                "max_line": MAX_FIELD_CHARS,
            },
        )
    except duckdb.Error:
        return None
    rows = int(one_row(con, "SELECT count(*) FROM stage_raw")[0])
    newlines, final_newline = _count_newlines(text_path)
    physical = newlines + (0 if final_newline else 1)
    base = header_lines + 1  # line of the first data record
    reasons = f"CAST(NULL AS {READ_REASONS_TYPE}) AS _read_reasons"
    cols = ", ".join(q(c) for c in header)
    if physical == header_lines + rows:
        con.execute(
            f"CREATE TEMP VIEW stage AS SELECT rowid + {int(base)} AS _line, {cols}, {reasons} "
            "FROM stage_raw"
        )
        return rows
    embedded_sql = " + ".join(
        f"coalesce(length({q(c)}) - length(replace({q(c)}, chr(10), '')), 0)" for c in header
    )
    embedded = one_row(con, f"SELECT coalesce(sum({embedded_sql}), 0) FROM stage_raw")[0]
    if physical != header_lines + rows + embedded:
        return None  # blank lines or bare CR line ends: only a line-aware reader is exact
    con.execute(
        f"""
        CREATE TEMP TABLE stage AS
        SELECT CAST(rowid + {int(base)}
                 + coalesce(sum({embedded_sql}) OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED
                                                       PRECEDING AND 1 PRECEDING), 0) AS BIGINT)
               AS _line,
               {cols}, {reasons}
        FROM stage_raw ORDER BY rowid
        """
    )
    con.execute("DROP TABLE stage_raw")
    return rows


def _csv_rows(
    text_path: Path, header: list[str], delimiter: str
) -> Iterator[tuple[int, list[str | None], list[dict[str, str | None]]]]:
    """Yield (line, values, reasons) with Python's csv module, exact physical line numbers."""
    csv.field_size_limit(MAX_FIELD_CHARS)
    width = len(header)
    with open(text_path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
        try:
            next(reader)
        except StopIteration:
            return
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                text = str(exc)
                if "field larger than field limit" in text:
                    raise FileRejected(
                        f"a field is larger than the {MAX_FIELD_CHARS:,}-character limit",
                        line=start,
                    ) from exc
                raise FileRejected(f"malformed CSV ({text})", line=start) from exc
            if not record or (len(record) == 1 and record[0] == "" and width > 1):
                continue  # a blank line
            reasons: list[dict[str, str | None]] = []
            if len(record) != width:
                reasons.append(
                    {
                        "column": None,
                        "rule": f"expected {width} fields, found {len(record)}",
                        "value": delimiter.join(record)[:80],
                    }
                )
            values = [v if v != "" else None for v in record[:width]]
            values += [None] * (width - len(values))
            yield start, values, reasons


def stage_csv(
    con: duckdb.DuckDBPyConnection, path: Path, entity: Entity, workdir: Path
) -> ReadResult:
    """Stage a CSV file; return what was read (raises FileRejected)."""
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head:
        raise FileRejected("empty file (0 bytes)")
    encoding = _detect_encoding(path, head)
    text_path = path
    if encoding == "utf-16":
        text_path = _transcode(path, "utf-16", workdir)
    _check_binary(text_path)
    header, delimiter, header_lines = _read_csv_header(text_path)
    columns = check_header(entity, header)
    rows = _stage_csv_duckdb(con, text_path, columns, delimiter, header_lines)
    if rows is None and encoding.startswith("utf-8") and not _is_utf8(text_path):
        encoding = _legacy_encoding(path)
        text_path = _transcode(path, encoding, workdir)
        rows = _stage_csv_duckdb(con, text_path, columns, delimiter, header_lines)
    if rows is None:
        rows = _stage_batches(con, columns, _csv_rows(text_path, columns, delimiter))
    warnings = []
    if encoding in ("cp1252", "latin-1"):
        warnings.append(f"the file is not UTF-8; read it as {encoding}")
    return ReadResult(
        entity, "csv", columns, rows, encoding=encoding, delimiter=delimiter, warnings=warnings
    )


# ---------------------------------------------------------------- XLSX


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File (encrypted or old .xls)
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def _is_encrypted_workbook(path: Path) -> bool | None:
    """Return True for a password-protected workbook, False for another OLE compound file
    (an old binary .xls), None when the file is not an OLE compound file at all."""
    with open(path, "rb") as fh:
        if fh.read(len(OLE_MAGIC)) != OLE_MAGIC:
            return None
        fh.seek(0)
        tail = b""
        while chunk := fh.read(CHUNK_BYTES):
            if _ENCRYPTED_STREAM in tail + chunk:
                return True
            tail = chunk[-len(_ENCRYPTED_STREAM) :]
    return False


def _check_zip(path: Path) -> None:
    """Reject files that are not an XLSX zip or would inflate beyond the limits (zip bombs)."""
    encrypted = _is_encrypted_workbook(path)
    if encrypted:
        raise FileRejected(
            "the workbook is encrypted (password-protected): save a copy without a password"
        )
    if encrypted is False:
        raise FileRejected("not an XLSX workbook (an old binary Excel file?): save it as .xlsx")
    if not zipfile.is_zipfile(path):
        raise FileRejected("not an XLSX workbook (the file is not a zip archive)")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileRejected(f"not a readable XLSX workbook ({exc})") from exc
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise FileRejected("not an XLSX workbook (no spreadsheet inside the zip)")
    if len(infos) > MAX_XLSX_ENTRIES:
        raise FileRejected(f"the workbook has too many parts ({len(infos)})")
    total = sum(i.file_size for i in infos)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise FileRejected(
            f"the workbook would inflate to {total:,} bytes (limit {MAX_XLSX_UNCOMPRESSED:,})"
        )
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > MAX_XLSX_RATIO * max(
            info.compress_size, 1
        ):
            raise FileRejected(
                f"the workbook part {info.filename} is compressed {info.file_size // max(info.compress_size, 1)}:1 "
                "(a zip bomb?)"
            )


def _cell_text(value: Any) -> str | None:
    """Return a cell value as text: integers without '.0', dates as ISO, booleans as true/false."""
    import datetime as dt

    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


def _sheet_rows(ws: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Yield (row number, cells present) of a read-only sheet, straight from its XML.

    Only the cells the file holds are produced: the declared dimension (`<dimension
    ref="A1:XFD1048576">`) is ignored, and neither missing rows nor missing cells are padded, so
    the work is bounded by the data actually present.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    with ws._get_source() as src:
        parser = WorkSheetParser(
            src,
            ws._shared_strings,
            data_only=wb.data_only,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        try:
            yield from parser.parse()
        except FileRejected:
            raise
        except Exception as exc:  # broken sheet XML: openpyxl and the XML parser raise many kinds
            raise FileRejected(
                f"not a readable XLSX sheet ({type(exc).__name__}: {str(exc)[:200]})"
            ) from exc


def stage_xlsx(con: duckdb.DuckDBPyConnection, path: Path, entity: Entity) -> ReadResult:
    """Stage the entity's sheet (or the first sheet) of a workbook (raises FileRejected)."""
    import openpyxl

    _check_zip(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on broken workbooks
        raise FileRejected(f"not a readable XLSX workbook ({type(exc).__name__}: {exc})") from exc
    try:
        wanted = {entity.name, *entity.prefixes}
        sheet_name = next(
            (n for n in wb.sheetnames if n.strip().lower() in wanted), wb.sheetnames[0]
        )
        rows_iter = _sheet_rows(wb[sheet_name])
        header_cells = None
        for _, cells in rows_iter:
            present = [c for c in cells if c["value"] is not None]
            if present:
                header_cells = present
                break
        if header_cells is None:
            raise FileRejected(f"sheet '{sheet_name}' is empty: no header and no data")
        last = max(c["column"] for c in header_cells)
        if last > MAX_COLUMNS:
            raise FileRejected(f"too many columns ({last}; at most {MAX_COLUMNS})")
        header_values: list[Any] = [None] * last
        for c in header_cells:
            header_values[c["column"] - 1] = c["value"]
        columns = check_header(entity, ["" if v is None else str(v) for v in header_values])
        width = len(columns)

        def records() -> Iterator[tuple[int, list[str | None], list[dict[str, str | None]]]]:
            for line, cells in rows_iter:
                values: list[str | None] = [None] * width
                reasons: list[dict[str, str | None]] = []
                outside = False
                for cell in cells:
                    value = cell["value"]
                    index = cell["column"] - 1
                    if value is None:
                        continue
                    if index >= width:
                        if not outside:  # one reason per row, however many stray cells
                            outside = True
                            reasons.append(
                                {
                                    "column": None,
                                    "rule": "value outside the header's columns",
                                    "value": (_cell_text(value) or "")[:80],
                                }
                            )
                        continue
                    if cell["data_type"] == "f":
                        reasons.append(
                            {
                                "column": columns[index],
                                "rule": "formula not accepted (paste values)",
                                "value": str(value)[:80],
                            }
                        )
                        values[index] = str(value)
                        continue
                    text = _cell_text(value)
                    if text is not None and len(text) > MAX_FIELD_CHARS:
                        raise FileRejected("a cell is larger than the field limit", line=line)
                    values[index] = text
                if all(v is None for v in values) and not reasons:
                    continue
                yield line, values, reasons

        rows = _stage_batches(con, columns, records())
    finally:
        wb.close()
    return ReadResult(entity, "xlsx", columns, rows, sheet=sheet_name)


# ---------------------------------------------------------------- JSON


def stage_json(con: duckdb.DuckDBPyConnection, path: Path, entity: Entity) -> ReadResult:
    """Stage a JSON list of objects (or {"records": [...]}) (raises FileRejected)."""
    size = path.stat().st_size
    if size == 0:
        raise FileRejected("empty file (0 bytes)")
    if size > MAX_JSON_BYTES:
        raise FileRejected(
            f"JSON file of {size:,} bytes exceeds the {MAX_JSON_BYTES:,}-byte limit: send large "
            "files as CSV"
        )
    raw = path.read_bytes()
    try:
        doc = json.loads(raw, object_pairs_hook=_object_without_duplicates)
    except DuplicateKey as exc:
        line = _duplicate_key_line(raw, exc.key)
        where = f" on line {line:,}" if line else ""
        raise FileRejected(
            f"key {exc.key!r} appears twice in one JSON object{where}: the second value would "
            "silently replace the first",
            line=line,
            column=exc.key,
        ) from None
    except RecursionError:
        raise FileRejected("the JSON document is nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise FileRejected(f"the JSON file is not UTF-8/16/32 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise FileRejected(
            f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}; truncated?)",
            line=exc.lineno,
        ) from exc
    if isinstance(doc, dict) and isinstance(doc.get("records"), list):
        records = doc["records"]
    elif isinstance(doc, list):
        records = doc
    else:
        raise FileRejected('expected a JSON list of objects, or {"records": [...]}')
    names: dict[str, None] = {}
    for item in records:
        if isinstance(item, dict):
            for key in item:
                names.setdefault(str(key), None)
                if len(names) > MAX_COLUMNS:
                    raise FileRejected(f"too many distinct keys (more than {MAX_COLUMNS})")
    if not records:
        return ReadResult(entity, "json", [], 0)
    columns = check_header(entity, list(names))
    original = {n.replace("\ufeff", "").strip().lower(): n for n in names}

    def rows() -> Iterator[tuple[int, list[str | None], list[dict[str, str | None]]]]:
        for index, item in enumerate(records, start=1):
            if not isinstance(item, dict):
                yield (
                    index,
                    [None] * len(columns),
                    [{"column": None, "rule": "not a JSON object", "value": json.dumps(item)[:80]}],
                )
                continue
            values: list[str | None] = []
            reasons: list[dict[str, str | None]] = []
            for col in columns:
                value = item.get(original[col])
                if isinstance(value, (dict, list)):
                    reasons.append(
                        {
                            "column": col,
                            "rule": "nested value not allowed",
                            "value": json.dumps(value)[:80],
                        }
                    )
                    values.append(json.dumps(value))
                elif isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
                    raise FileRejected(
                        "a value is larger than the field limit", line=index, column=col
                    )
                else:
                    values.append(_json_text(value))
            yield index, values, reasons

    count = _stage_batches(con, columns, rows())
    return ReadResult(entity, "json", columns, count)


class DuplicateKey(ValueError):
    """A JSON object names the same key twice."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Return the dict of a JSON object's pairs; raise DuplicateKey when a key repeats."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKey(key)
        out[key] = value
    return out


# every string is one token (so braces inside values are skipped); a key is a string + colon
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"(\s*:)?|[{}]')


def _duplicate_key_line(raw: bytes, key: str) -> int | None:
    """Return the line of the first repeated occurrence of `key` in one object, if found."""
    try:
        text = raw.decode(json.detect_encoding(raw))
    except UnicodeDecodeError:
        return None
    keys: list[set[str]] = []
    for match in _JSON_TOKEN.finditer(text):
        token = match.group(0)
        if token == "{":
            keys.append(set())
        elif token == "}":
            if keys:
                keys.pop()
        elif match.group(1) and keys:
            name = json.loads(token[: match.start(1) - match.start()])
            if name == key and name in keys[-1]:
                return text.count("\n", 0, match.start()) + 1
            keys[-1].add(name)
    return None


def _json_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------- entry point


def stage_file(
    con: duckdb.DuckDBPyConnection, path: str | os.PathLike[str], entity: str | None = None
) -> ReadResult:
    """Read `path` into the temp view/table `stage` on `con`; return what was read.

    Raises FileRejected when the file as a whole cannot be loaded.
    """
    path = Path(path)
    fmt = file_format(path)
    found = resolve_entity(path, entity)
    if not path.is_file():
        raise FileRejected("no such file" if not path.exists() else "not a regular file")
    if not os.access(path, os.R_OK):
        raise FileRejected("the file is not readable (permissions)")
    with tempfile.TemporaryDirectory(prefix="iurc-read-") as tmp:
        try:
            if fmt == "csv":
                result = stage_csv(con, path, found, Path(tmp))
            elif fmt == "xlsx":
                result = stage_xlsx(con, path, found)
            elif fmt == "iati":
                from pipelines.ingest.iati import stage_iati

                result = stage_iati(con, path, found.name)
            else:
                result = stage_json(con, path, found)
        except OSError as exc:
            raise FileRejected(f"cannot read the file ({exc.strerror or exc})") from exc
    return result


@contextlib.contextmanager
def staged(
    con: duckdb.DuckDBPyConnection, path: str | os.PathLike[str], entity: str | None = None
) -> Iterator[ReadResult]:
    """Stage a file, yield the ReadResult, then drop the staging objects."""
    try:
        yield stage_file(con, path, entity)
    finally:
        drop_stage(con)


def drop_stage(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the staging view/tables of the last file."""
    _drop_temp(con, "stage")
    _drop_temp(con, "stage_raw")
    _drop_temp(con, "stage_location")
