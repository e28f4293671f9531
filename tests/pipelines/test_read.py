"""Readers: CSV dialects and encodings, XLSX and JSON, and whole-file rejections."""

from __future__ import annotations

import codecs
import json
import re
import time
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines.ingest import read
from pipelines.ingest.read import FileRejected

HEADER = "city_id,name,country_iso2,region"


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def staged(con: duckdb.DuckDBPyConnection, columns: str = "_line, city_id, name") -> list[tuple]:
    return con.execute(f"select {columns} from stage order by _line").fetchall()


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_read_csv_sniffs_delimiter(con, tmp_path, delimiter) -> None:
    text = (
        HEADER.replace(",", delimiter)
        + "\n"
        + delimiter.join(["turin-it", "Torino", "IT", "EU"])
        + "\n"
    )
    result = read.stage_file(con, write(tmp_path, "cities.csv", text))
    assert result.delimiter == delimiter and result.rows == 1
    assert staged(con) == [(2, "turin-it", "Torino")]


def test_read_csv_utf8_bom(con, tmp_path) -> None:
    path = write(
        tmp_path, "cities.csv", codecs.BOM_UTF8 + f"{HEADER}\nmalmo-se,Malmö,SE,EU\n".encode()
    )
    result = read.stage_file(con, path)
    assert result.encoding == "utf-8-sig" and result.columns[0] == "city_id"
    assert staged(con) == [(2, "malmo-se", "Malmö")]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_read_csv_utf16_with_bom(con, tmp_path, encoding) -> None:
    text = f"{HEADER}\nmerida-mx,Mérida,MX,NA\n"
    data = (
        text.encode(encoding)
        if encoding == "utf-16"
        else codecs.BOM_UTF16_BE + text.encode(encoding)
    )
    result = read.stage_file(con, write(tmp_path, "cities.csv", data))
    assert result.encoding == "utf-16"
    assert staged(con) == [(2, "merida-mx", "Mérida")]


def test_read_csv_latin1_detected(con, tmp_path) -> None:
    path = write(
        tmp_path, "cities.csv", f"{HEADER}\nmalmo-se,Malmö,SE,EU\nvaxjo-se,Växjö,SE,EU\n", "latin-1"
    )
    result = read.stage_file(con, path)
    assert result.encoding in ("cp1252", "latin-1")
    assert "not UTF-8" in result.warnings[0]
    assert staged(con) == [(2, "malmo-se", "Malmö"), (3, "vaxjo-se", "Växjö")]


def test_read_csv_quoted_newlines_keep_physical_start_line(con, tmp_path) -> None:
    text = f'{HEADER}\na-it,"Two\nlines",IT,EU\nb-it,"Three\r\nline\nname",IT,EU\nc-it,C,IT,EU\n'
    read.stage_file(con, write(tmp_path, "cities.csv", text))
    assert staged(con, "_line, city_id") == [(2, "a-it"), (4, "b-it"), (7, "c-it")]


def test_read_csv_blank_lines_skipped_lines_exact(con, tmp_path) -> None:
    text = f"{HEADER}\na-it,A,IT,EU\n\n\nb-it,B,IT,EU\n\n"
    result = read.stage_file(con, write(tmp_path, "cities.csv", text))
    assert result.rows == 2
    assert staged(con, "_line, city_id") == [(2, "a-it"), (5, "b-it")]


def test_read_csv_crlf_and_no_final_newline(con, tmp_path) -> None:
    text = f"{HEADER}\r\na-it,A,IT,EU\r\nb-it,B,IT,EU"
    read.stage_file(con, write(tmp_path, "cities.csv", text))
    assert staged(con, "_line, city_id, region") == [(2, "a-it", "EU"), (3, "b-it", "EU")]


def test_read_csv_wrong_field_count_is_a_row_problem(con, tmp_path) -> None:
    text = f"{HEADER}\na-it,A,IT,EU\nb-it,B,IT\nc-it,C,IT,EU,extra\n"
    result = read.stage_file(con, write(tmp_path, "cities.csv", text))
    assert result.rows == 3
    rows = con.execute("select _line, _read_reasons from stage order by _line").fetchall()
    assert rows[0] == (2, None)
    assert rows[1][0] == 3 and rows[1][1][0]["rule"] == "expected 4 fields, found 3"
    assert rows[2][0] == 4 and rows[2][1][0]["rule"] == "expected 4 fields, found 5"


def test_read_csv_header_only_reads_zero_rows(con, tmp_path) -> None:
    assert read.stage_file(con, write(tmp_path, "cities.csv", HEADER + "\n")).rows == 0


def test_read_csv_optional_columns_may_be_absent(con, tmp_path) -> None:
    result = read.stage_file(con, write(tmp_path, "cities.csv", f"{HEADER}\na-it,A,IT,EU\n"))
    assert result.columns == ["city_id", "name", "country_iso2", "region"]


def test_read_csv_header_names_are_normalised(con, tmp_path) -> None:
    text = " City_ID ,NAME,Country_ISO2,region\na-it,A,IT,EU\n"
    assert read.stage_file(con, write(tmp_path, "cities.csv", text)).columns[0] == "city_id"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"\n\n  \n", "empty file"),
        (b"\x00\x01\x02\x03binary\xff" * 50, "binary file"),
        (bytes(range(1, 32)) * 40, "binary file"),
        ("city_id,name,country_iso2,region".encode("utf-16-le"), "binary file"),
        (codecs.BOM_UTF32_LE + "a".encode("utf-32-le"), "UTF-32"),
        (b"city_id,name,country_iso2\na-it,A,IT\n", "missing required column(s) 'region'"),
        (b"city_id,name,country_iso2,region,notes\na,A,IT,EU,x\n", "unknown column(s) 'notes'"),
        (b"city_id,name,name,country_iso2,region\n", "appears twice"),
        (b"city_id,,country_iso2,region\n", "has no name"),
        (b'city_id,name,country_iso2,region\na-it,"unterminated,IT,EU\n', "malformed CSV"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "garbage",
        "controls",
        "utf16-no-bom",
        "utf32",
        "missing",
        "extra",
        "duplicate",
        "no-name",
        "unterminated-quote",
    ],
)
def test_read_csv_whole_file_rejections(con, tmp_path, data, message) -> None:
    with pytest.raises(FileRejected, match=message.replace("(", r"\(").replace(")", r"\)")):
        read.stage_file(con, write(tmp_path, "cities.csv", data))


def test_read_csv_too_many_columns_rejected_fast(con, tmp_path) -> None:
    header = ",".join(f"c{i}" for i in range(1000))
    path = write(tmp_path, "cities.csv", header + "\n" + ",".join("1" * 1000) + "\n")
    with pytest.raises(FileRejected, match="too many columns"):
        read.stage_file(con, path)


def test_read_csv_huge_field_rejected_with_line_in_bounded_time(con, tmp_path) -> None:
    path = tmp_path / "cities.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"{HEADER}\na-it,A,IT,EU\n")
        fh.write('b-it,"' + "x" * (30 * 1024 * 1024) + '",IT,EU\n')
    started = time.perf_counter()
    with pytest.raises(FileRejected, match="larger than") as info:
        read.stage_file(con, path)
    assert info.value.line == 3
    assert time.perf_counter() - started < 20


@pytest.mark.parametrize(
    ("name", "entity", "message"),
    [
        ("budget.csv", None, "cannot tell the entity"),
        ("cities.csv", "planets", "unknown entity 'planets'"),
        ("cities.xls", None, "save old .xls workbooks as .xlsx"),
        ("cities.parquet", None, "unsupported file type"),
    ],
)
def test_read_rejects_unknown_entity_or_type(con, tmp_path, name, entity, message) -> None:
    path = write(tmp_path, name, f"{HEADER}\n")
    with pytest.raises(FileRejected, match=message):
        read.stage_file(con, path, entity)


def test_read_entity_option_overrides_file_name(con, tmp_path) -> None:
    path = write(tmp_path, "export.csv", f"{HEADER}\na-it,A,IT,EU\n")
    assert read.stage_file(con, path, "city").entity.name == "city"


def test_read_missing_file_rejected(con, tmp_path) -> None:
    with pytest.raises(FileRejected, match="no such file"):
        read.stage_file(con, tmp_path / "cities.csv")


# ---------------------------------------------------------------- XLSX


def workbook(
    tmp_path: Path, rows: list[list], name: str = "cities.xlsx", sheet: str = "Sheet"
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    path = tmp_path / name
    wb.save(path)
    return path


def test_read_xlsx_values_become_text(con, tmp_path) -> None:
    import datetime as dt

    path = workbook(
        tmp_path,
        [
            ["cooperation_id", "mode", "name", "network_id", "start_date", "support_end_date"],
            [
                "pair-a-b",
                "pairing",
                "A – B",
                "innovation",
                dt.datetime(2021, 3, 1),
                dt.date(2023, 1, 2),
            ],
        ],
        name="cooperations.xlsx",
    )
    result = read.stage_file(con, path)
    assert result.file_format == "xlsx" and result.rows == 1
    assert con.execute(
        "select _line, name, start_date, support_end_date from stage"
    ).fetchall() == [(2, "A – B", "2021-03-01", "2023-01-02")]


def test_read_xlsx_numbers_and_booleans(con, tmp_path) -> None:
    path = workbook(
        tmp_path,
        [
            ["entity_type", "entity_id", "goal", "is_primary", "method", "status", "score"],
            ["output", "o-1", 11.0, True, "manual", "accepted", 0.25],
        ],
        name="sdg_alignments.xlsx",
    )
    read.stage_file(con, path)
    assert con.execute("select goal, is_primary, score from stage").fetchone() == (
        "11",
        "true",
        "0.25",
    )


def test_read_xlsx_prefers_the_entity_sheet_and_skips_empty_rows(con, tmp_path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "README"
    wb.active.append(["this sheet explains the file"])
    ws = wb.create_sheet("cities")
    ws.append(HEADER.split(","))
    ws.append(["a-it", "A", "IT", "EU"])
    ws.append([None, None, None, None])
    ws.append(["b-it", "B", "IT", "EU"])
    path = tmp_path / "cities.xlsx"
    wb.save(path)
    result = read.stage_file(con, path)
    assert result.sheet == "cities" and result.rows == 2
    assert staged(con, "_line, city_id") == [(2, "a-it"), (4, "b-it")]


def test_read_xlsx_formula_quarantines_the_row(con, tmp_path) -> None:
    path = workbook(
        tmp_path, [HEADER.split(",") + ["population"], ["a-it", "A", "IT", "EU", "=1000*2"]]
    )
    read.stage_file(con, path)
    (reasons,) = con.execute("select _read_reasons from stage").fetchone()
    assert reasons == [
        {"column": "population", "rule": "formula not accepted (paste values)", "value": "=1000*2"}
    ]


def test_read_xlsx_not_a_zip_rejected(con, tmp_path) -> None:
    path = write(tmp_path, "cities.xlsx", f"{HEADER}\na,A,IT,EU\n")
    with pytest.raises(FileRejected, match="not a zip"):
        read.stage_file(con, path)


def test_read_xlsx_zip_without_spreadsheet_rejected(con, tmp_path) -> None:
    path = tmp_path / "cities.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(FileRejected, match="no spreadsheet"):
        read.stage_file(con, path)


def test_read_xlsx_zip_bomb_rejected_before_inflating(con, tmp_path) -> None:
    path = tmp_path / "cities.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", " " * (50 * 1024 * 1024))
    assert path.stat().st_size < 200_000
    with pytest.raises(FileRejected, match="zip bomb"):
        read.stage_file(con, path)


def test_read_xlsx_total_size_limit(con, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(read, "MAX_XLSX_UNCOMPRESSED", 1000)
    path = workbook(tmp_path, [HEADER.split(","), ["a-it", "A", "IT", "EU"]])
    with pytest.raises(FileRejected, match="would inflate"):
        read.stage_file(con, path)


def test_read_xlsx_unknown_column_rejected(con, tmp_path) -> None:
    path = workbook(tmp_path, [HEADER.split(",") + ["mayor"], ["a-it", "A", "IT", "EU", "X"]])
    with pytest.raises(FileRejected, match="unknown column"):
        read.stage_file(con, path)


# ---------------------------------------------------------------- JSON


def test_read_json_list_of_objects(con, tmp_path) -> None:
    data = [{"city_id": "a-it", "name": "A", "country_iso2": "IT", "region": "EU", "population": 5}]
    read.stage_file(con, write(tmp_path, "cities.json", json.dumps(data)))
    assert con.execute("select _line, city_id, population from stage").fetchall() == [
        (1, "a-it", "5")
    ]


def test_read_json_records_wrapper(con, tmp_path) -> None:
    data = {"records": [{"city_id": "a-it", "name": "A", "country_iso2": "IT", "region": "EU"}] * 2}
    assert read.stage_file(con, write(tmp_path, "cities.json", json.dumps(data))).rows == 2


def test_read_json_row_problems(con, tmp_path) -> None:
    data = [
        {"city_id": "a-it", "name": "A", "country_iso2": "IT", "region": "EU"},
        ["not", "an", "object"],
        {"city_id": "b-it", "name": {"en": "B"}, "country_iso2": "IT", "region": "EU"},
    ]
    read.stage_file(con, write(tmp_path, "cities.json", json.dumps(data)))
    rows = con.execute("select _line, _read_reasons from stage order by _line").fetchall()
    assert rows[0] == (1, None)
    assert rows[1][1][0]["rule"] == "not a JSON object"
    assert rows[2][1][0] == {
        "column": "name",
        "rule": "nested value not allowed",
        "value": '{"en": "B"}',
    }


def test_read_json_empty_list_reads_zero_rows(con, tmp_path) -> None:
    assert read.stage_file(con, write(tmp_path, "cities.json", "[]")).rows == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"city_id": "a-it"}', "expected a JSON list"),
        ('[{"city_id": "a-it", "name": "A"', "not valid JSON"),
        ("", "empty file"),
        (
            '[{"city_id": "a", "name": "A", "country_iso2": "IT", "region": "EU", "x": 1}]',
            "unknown column",
        ),
        ('[{"city_id": "a", "name": "A"}]', "missing required column"),
    ],
    ids=["object", "truncated", "empty", "extra-key", "missing-key"],
)
def test_read_json_whole_file_rejections(con, tmp_path, text, message) -> None:
    with pytest.raises(FileRejected, match=message):
        read.stage_file(con, write(tmp_path, "cities.json", text))


def test_read_json_size_limit(con, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(read, "MAX_JSON_BYTES", 10)
    with pytest.raises(FileRejected, match="send large files as CSV"):
        read.stage_file(con, write(tmp_path, "cities.json", "[" + " " * 20 + "]"))


@pytest.mark.parametrize("multiline_every", [0, 997])
def test_read_csv_line_numbers_exact_in_a_big_parallel_read(con, tmp_path, multiline_every) -> None:
    path = tmp_path / "cities.csv"
    starts = {}
    line = 2
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER + "\n")
        for i in range(100_000):
            name = f'"Name\n{i}"' if multiline_every and i % multiline_every == 0 else f"Name {i}"
            fh.write(f"c{i}-it,{name},IT,EU\n")
            starts[f"c{i}-it"] = line
            line += 2 if multiline_every and i % multiline_every == 0 else 1
    assert read.stage_file(con, path).rows == 100_000
    got = dict(con.execute("select city_id, _line from stage").fetchall())
    assert got == starts


# ---------------------------------------------------------------- hostile files (issue #19)


def test_read_xlsx_value_in_the_last_cell_reads_in_bounded_time(con, tmp_path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.split(","))
    ws.append(["turin-it", "Torino", "IT", "EU"])
    ws["XFD1048576"] = "stray"  # the sheet now claims A1:XFD1048576
    path = tmp_path / "cities.xlsx"
    wb.save(path)
    assert b"XFD1048576" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    started = time.perf_counter()
    result = read.stage_file(con, path)
    assert time.perf_counter() - started < 10
    assert result.rows == 2
    rows = staged(con, "_line, city_id, _read_reasons")
    assert rows[0][:2] == (2, "turin-it") and rows[0][2] is None
    assert rows[1][0] == 1048576
    assert rows[1][2][0]["rule"] == "value outside the header's columns"


def test_read_xlsx_declared_dimension_is_not_trusted(con, tmp_path) -> None:
    path = workbook(tmp_path, [HEADER.split(","), ["turin-it", "Torino", "IT", "EU"]])
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    # openpyxl writes '<dimension ref="A1:D2" />', or without the space when lxml is installed
    parts["xl/worksheets/sheet1.xml"] = re.sub(
        r'<dimension ref="A1:D2"\s*/>', '<dimension ref="A1:XFD1048576" />', sheet
    ).encode()
    assert b"XFD1048576" in parts["xl/worksheets/sheet1.xml"]
    with zipfile.ZipFile(path, "w") as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    started = time.perf_counter()
    assert read.stage_file(con, path).rows == 1
    assert time.perf_counter() - started < 10
    assert staged(con) == [(2, "turin-it", "Torino")]


def test_read_csv_nul_after_the_first_mib_rejected_with_its_line(con, tmp_path) -> None:
    rows = [f"c{i:07d}-it,City {i},IT,EU" for i in range(60_000)]  # ~1.6 MB
    rows.append("evil-it,Ev\x00il,IT,EU")
    data = (HEADER + "\n" + "\n".join(rows) + "\n").encode()
    assert data.index(b"\x00") > read.SNIFF_BYTES
    with pytest.raises(FileRejected, match="NUL byte on line 60,002") as exc:
        read.stage_file(con, write(tmp_path, "cities.csv", data))
    assert exc.value.line == 60_002


def test_read_csv_dense_control_bytes_after_the_head_rejected(con, tmp_path) -> None:
    head = HEADER + "\n" + "\n".join(f"c{i:07d}-it,City {i},IT,EU" for i in range(60_000))
    data = head.encode() + b"\nx-it," + bytes(range(1, 9)) * 4000 + b",IT,EU\n"
    with pytest.raises(FileRejected, match="control characters"):
        read.stage_file(con, write(tmp_path, "cities.csv", data))


def test_read_json_duplicate_key_rejected_naming_key_and_line(con, tmp_path) -> None:
    text = (
        '[{"city_id": "turin-it", "name": "Torino",\n'
        '  "country_iso2": "IT", "region": "EU",\n'
        '  "name": "Turin"}]\n'
    )
    with pytest.raises(FileRejected, match=r"key 'name' appears twice .* on line 3") as exc:
        read.stage_file(con, write(tmp_path, "cities.json", text))
    assert exc.value.line == 3 and exc.value.column == "name"


def test_read_json_same_key_in_different_objects_is_fine(con, tmp_path) -> None:
    text = json.dumps(
        [
            {"city_id": "turin-it", "name": "Torino", "country_iso2": "IT", "region": "EU"},
            {"city_id": "lyon-fr", "name": "Lyon {x}", "country_iso2": "FR", "region": "EU"},
        ]
    )
    assert read.stage_file(con, write(tmp_path, "cities.json", text)).rows == 2


def test_read_json_deeply_nested_document_rejected(con, tmp_path) -> None:
    text = "[" * 100_000 + "]" * 100_000
    with pytest.raises(FileRejected):
        read.stage_file(con, write(tmp_path, "cities.json", text))


def _ole_file(tmp_path: Path, stream_names: list[str]) -> Path:
    """A minimal Compound File: the magic, then directory entry names (UTF-16LE) in a sector."""
    body = read.OLE_MAGIC + b"\x00" * 504
    for name in stream_names:
        entry = name.encode("utf-16-le").ljust(64, b"\x00")
        body += entry + b"\x00" * 64
    path = tmp_path / "cities.xlsx"
    path.write_bytes(body.ljust(4096, b"\x00"))
    return path


def test_read_xlsx_encrypted_workbook_reported_as_encrypted(con, tmp_path) -> None:
    path = _ole_file(tmp_path, ["Root Entry", "EncryptionInfo", "EncryptedPackage"])
    with pytest.raises(FileRejected, match="the workbook is encrypted"):
        read.stage_file(con, path)


def test_read_xlsx_old_binary_workbook_named_xlsx_reported(con, tmp_path) -> None:
    path = _ole_file(tmp_path, ["Root Entry", "Workbook"])
    with pytest.raises(FileRejected, match="old binary Excel"):
        read.stage_file(con, path)
