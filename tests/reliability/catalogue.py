"""The bad-input catalogue: one small file per case, with the documented outcome.

Each `Case` is a file (name + bytes, built here so nothing large is committed), the exit status
the contract gives (0 every row loaded, 1 some rows quarantined, 2 file rejected, nothing
written), and the words the CLI output must contain: for row-level failures the
`<file>:<line>: column '<column>': <rule>` form, for whole-file rejections the file name and the
reason. `hostile` cases run in a child process under a memory limit and a timeout.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.reliability._support import csv_bytes, json_bytes, xlsx_bytes, zip_bomb_bytes

CITY_H = [
    "city_id",
    "name",
    "country_iso2",
    "region",
    "population",
    "population_year",
    "lat",
    "lon",
    "geonames_id",
]
PART_H = [
    "activity_id",
    "city_id",
    "stakeholder_type",
    "participants",
    "women",
    "organisations",
    "completions",
]
ACT_H = [
    "activity_id",
    "title",
    "description",
    "activity_type",
    "modality",
    "status",
    "start_date",
    "end_date",
    "network_id",
    "subtheme_id",
    "cross_cutting_id",
    "cooperation_id",
    "host_city_id",
    "reported_date",
]
COOP_H = ["cooperation_id", "mode", "name", "network_id", "phase", "start_date", "support_end_date"]
MEMBER_H = ["cooperation_id", "city_id", "role"]
OUT_H = [
    "output_id",
    "output_type",
    "title",
    "status",
    "cooperation_id",
    "city_id",
    "network_id",
    "activity_id",
    "framework_id",
    "planned_date",
    "developed_date",
    "implemented_date",
    "adopted_date",
    "evidence_url",
]
FUND_H = [
    "funding_id",
    "output_id",
    "amount",
    "currency",
    "amount_eur",
    "source_type",
    "committed_date",
]
TARGET_H = ["indicator_id", "scope_type", "scope_id", "period_end", "baseline", "target_value"]
OBS_H = [
    "indicator_id",
    "scope_type",
    "scope_id",
    "period_start",
    "period_end",
    "value",
    "value_kind",
]
SDG_H = ["entity_type", "entity_id", "goal", "target_id", "is_primary", "method", "score", "status"]
CTX_H = ["city_id", "metric", "year", "value", "unit", "source"]

CITY = ["koln-de", "Köln", "DE", "EU", 1073096, 2022, 50.93, 6.95, 2886242]
PART = ["act-2022-webinar-nbs", "guelph-ca", "academia", 12, 6, 2, None]
ACT = [
    "act-2023-new",
    "New webinar",
    None,
    "webinar",
    "online",
    "completed",
    "2023-03-01",
    "2023-03-01",
    "ecological_transition",
    "circular_economy",
    None,
    "pair-guelph-velletri",
    None,
    "2023-03-05",
]
COOP = [
    "pair-new",
    "pairing",
    "New pairing",
    "ecological_transition",
    "IURC",
    "2022-01-01",
    "2024-12-31",
]
MEMBER = ["pair-guelph-velletri", "malmo-se", "partner"]
OUT = [
    "out-new",
    "pilot",
    "A pilot",
    "developed",
    "pair-guelph-velletri",
    "guelph-ca",
    "ecological_transition",
    None,
    None,
    "2022-01-01",
    "2022-06-01",
    None,
    None,
    "https://example.org/pilot",
]
FUND = ["fund-new", "out-guelph-food-plan", 1000, "EUR", 1000, "eu", "2023-01-05"]
TARGET = ["K03", "city", "guelph-ca", "2024-12-31", None, 5]
OBS = {
    "indicator_id": "K03",
    "scope_type": "city",
    "scope_id": "guelph-ca",
    "period_start": "2023-01-01",
    "period_end": "2023-12-31",
    "value": 3,
    "value_kind": "actual",
}
SDG = ["output", "out-velletri-pilot", 11, "11.6", "true", "manual", None, "accepted"]
CTX = ["saanich-ca", "population_density", 2021, 1.5, None, "Statistics Canada"]

FUTURE = (dt.date.today() + dt.timedelta(days=400)).isoformat()
FUTURE_START = (dt.date.today() + dt.timedelta(days=399)).isoformat()


def with_(row: list, header: list[str], **changes: object) -> list:
    """Return a copy of a row with some columns changed."""
    out = list(row)
    for name, value in changes.items():
        out[header.index(name)] = value
    return out


def drop(header: list[str], rows: list[list], column: str) -> tuple[list[str], list[list]]:
    """Return the header and rows without one column."""
    i = header.index(column)
    return [h for h in header if h != column], [
        [v for j, v in enumerate(r) if j != i] for r in rows
    ]


@dataclass
class Case:
    """One bad (or awkward) input file and what the CLI must do with it."""

    id: str
    kind: str  # the class of mistake (for the report)
    file_name: str
    content: bytes | Callable[[], bytes]
    exit: int
    expect: list[str] = field(default_factory=list)
    rows: tuple[int, int] | None = None  # (rows read, rows quarantined) when a run is recorded
    args: list[str] = field(default_factory=list)
    hostile: bool = False
    max_rss_mb: int = 700
    check_sql: tuple[str, list, list] | None = None  # (sql, params, expected rows) after the run

    def data(self) -> bytes:
        """Return the file's bytes."""
        return self.content() if callable(self.content) else self.content


def row_msg(file_name: str, line: int, column: str, rule: str) -> str:
    """Return the expected start of a row-level message."""
    return f"{file_name}:{line}: column '{column}': {rule}"


def _garbage(n: int, seed: int = 7) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.getrandbits(8) for _ in range(n))


def _wide_csv() -> bytes:
    header = PART_H + [f"extra_{i}" for i in range(1000 - len(PART_H))]
    return csv_bytes(header, [PART + ["x"] * (1000 - len(PART_H))])


def _big_field_csv() -> bytes:
    return csv_bytes(ACT_H, [with_(ACT, ACT_H, description="A" * (30 * 1024 * 1024))])


def _big_value_json() -> bytes:
    return json_bytes([{**OBS, "scope_id": "x" * (30 * 1024 * 1024)}])


def _wide_xlsx() -> bytes:
    header = PART_H + [f"extra_{i}" for i in range(1000 - len(PART_H))]
    return xlsx_bytes(header, [PART + ["x"] * (1000 - len(PART_H))])


def _many_lines_csv() -> bytes:
    # 50k rows, every one bad in two ways: the quarantine is big, the memory must stay bounded
    rows = [["act-nope", f"city-{i}", "academia", -1, None, None, None] for i in range(50_000)]
    return csv_bytes(PART_H, rows)


def _utf16(be: bool) -> bytes:
    text = csv_bytes(CITY_H, [CITY]).decode("utf-8")
    return text.encode("utf-16-be" if be else "utf-16-le").join(
        [b"\xfe\xff" if be else b"\xff\xfe", b""]
    )


def cases() -> list[Case]:
    """Return every case of the catalogue."""
    c: list[Case] = []
    add = c.append

    # ---------------------------------------------------------------- whole file: structure
    add(Case("csv-empty-file", "empty file", "participations_empty.csv", b"", 2, ["empty file"]))
    add(
        Case(
            "csv-blank-lines-only",
            "empty file",
            "participations_blank.csv",
            b"\n \n\r\n",
            2,
            ["empty file"],
        )
    )
    add(
        Case(
            "csv-header-only",
            "header only",
            "participations_header.csv",
            csv_bytes(PART_H, []),
            0,
            ["no data rows"],
        )
    )
    add(
        Case("json-empty-list", "header only", "observations_none.json", b"[]", 0, ["no data rows"])
    )
    add(
        Case(
            "csv-binary-garbage-nul",
            "binary garbage",
            "participations_bin.csv",
            b"\x00PK\x03\x04" + _garbage(4096),
            2,
            ["binary file"],
        )
    )
    add(
        Case(
            "csv-binary-controls",
            "binary garbage",
            "cities_bin.csv",
            bytes(range(1, 9)) * 500,
            2,
            ["binary file"],
        )
    )
    add(
        Case(
            "csv-utf32",
            "encoding",
            "cities_utf32.csv",
            b"\xff\xfe\x00\x00" + csv_bytes(CITY_H, [CITY]).decode().encode("utf-32-le"),
            2,
            ["UTF-32"],
        )
    )
    add(
        Case(
            "csv-missing-required-column",
            "missing column",
            "participations_nocount.csv",
            csv_bytes(*drop(PART_H, [PART], "participants")),
            2,
            ["missing required column(s) 'participants'"],
        )
    )
    add(
        Case(
            "csv-missing-key-column",
            "missing column",
            "cities_noid.csv",
            csv_bytes(*drop(CITY_H, [CITY], "city_id")),
            2,
            ["missing required column(s) 'city_id'"],
        )
    )
    add(
        Case(
            "csv-extra-column",
            "extra column",
            "cities_mayor.csv",
            csv_bytes(CITY_H + ["mayor"], [CITY + ["Henriette Reker"]]),
            2,
            ["unknown column(s) 'mayor'"],
        )
    )
    add(
        Case(
            "csv-misspelt-column",
            "wrong column",
            "activities_typo.csv",
            csv_bytes(["titel" if h == "title" else h for h in ACT_H], [ACT]),
            2,
            ["unknown column(s) 'titel'"],
        )
    )
    add(
        Case(
            "csv-duplicate-column",
            "wrong column",
            "targets_dup.csv",
            csv_bytes(TARGET_H + ["baseline"], [TARGET + [1]]),
            2,
            ["appears twice"],
        )
    )
    add(
        Case(
            "csv-unnamed-column",
            "wrong column",
            "funding_unnamed.csv",
            csv_bytes(FUND_H + [""], [FUND + ["?"]]),
            2,
            ["has no name"],
        )
    )
    add(
        Case(
            "csv-unterminated-quote",
            "malformed CSV",
            "participations_quote.csv",
            b'activity_id,city_id,stakeholder_type,participants\n"act-2022-sv-velletri,malmo-se,academia,3\n',
            2,
            ["participations_quote.csv"],
        )
    )
    add(
        Case(
            "unknown-entity-name",
            "unknown entity",
            "people.csv",
            csv_bytes(CITY_H, [CITY]),
            2,
            ["cannot tell the entity from the file name"],
        )
    )
    add(
        Case(
            "unknown-entity-option",
            "unknown entity",
            "cities_x.csv",
            csv_bytes(CITY_H, [CITY]),
            2,
            ["unknown entity 'mayors'"],
            args=["--entity", "mayors"],
        )
    )
    add(
        Case(
            "entity-option-overrides-name",
            "unknown entity",
            "export_2024.csv",
            csv_bytes(CITY_H, [CITY]),
            0,
            [],
            rows=(1, 0),
            args=["--entity", "city"],
        )
    )
    add(
        Case(
            "xls-legacy-type",
            "wrong format",
            "participations.xls",
            b"\xd0\xcf\x11\xe0" + b"\0" * 64,
            2,
            ["unsupported file type '.xls'"],
        )
    )
    add(
        Case(
            "xlsx-not-a-zip",
            "XLSX not a zip",
            "participations.xlsx",
            b"activity_id,city_id\n",
            2,
            ["not a zip archive"],
        )
    )
    add(
        Case(
            "xlsx-zip-without-workbook",
            "XLSX not a zip",
            "cities.xlsx",
            _plain_zip(),
            2,
            ["no spreadsheet inside the zip"],
        )
    )
    add(
        Case(
            "xlsx-zip-bomb",
            "XLSX zip bomb",
            "activities_bomb.xlsx",
            lambda: _bomb(),
            2,
            ["zip bomb"],
            hostile=True,
        )
    )
    add(
        Case(
            "xlsx-missing-column",
            "missing column",
            "participations_nocount.xlsx",
            xlsx_bytes(*drop(PART_H, [PART], "participants")),
            2,
            ["missing required column(s) 'participants'"],
        )
    )
    add(
        Case(
            "xlsx-empty-sheet",
            "empty file",
            "participations_empty.xlsx",
            xlsx_bytes([], []),
            2,
            ["is empty"],
        )
    )
    add(
        Case(
            "json-truncated",
            "truncated JSON",
            "observations_cut.json",
            json_bytes([OBS, OBS])[:-25],
            2,
            ["not valid JSON"],
        )
    )
    add(
        Case(
            "json-object-not-list",
            "JSON object",
            "observations_obj.json",
            json_bytes(OBS),
            2,
            ["expected a JSON list of objects"],
        )
    )
    add(
        Case(
            "json-scalar",
            "JSON object",
            "observations_num.json",
            b"42",
            2,
            ["expected a JSON list of objects"],
        )
    )
    add(Case("json-empty-file", "empty file", "observations_empty.json", b"", 2, ["empty file"]))
    add(
        Case(
            "json-latin1",
            "encoding",
            "observations_latin1.json",
            json_bytes([{**OBS, "scope_id": "Malmö"}]).decode().encode("latin-1"),
            2,
            ["not UTF-8"],
        )
    )
    add(
        Case(
            "json-unknown-key",
            "extra column",
            "observations_extra.json",
            json_bytes([{**OBS, "comment": "x"}]),
            2,
            ["unknown column(s) 'comment'"],
        )
    )
    add(
        Case(
            "json-missing-key",
            "missing column",
            "observations_novalue.json",
            json_bytes([{k: v for k, v in OBS.items() if k != "value"}]),
            2,
            ["missing required column(s) 'value'"],
        )
    )
    add(
        Case(
            "json-deep-nesting",
            "hostile JSON",
            "observations_deep.json",
            b"[" * 200_000 + b"]" * 200_000,
            2,
            ["observations_deep.json"],
            hostile=True,
        )
    )
    add(
        Case(
            "csv-1000-columns",
            "1,000 columns",
            "participations_wide.csv",
            _wide_csv,
            2,
            ["too many columns"],
            hostile=True,
        )
    )
    add(
        Case(
            "xlsx-1000-columns",
            "1,000 columns",
            "participations_wide.xlsx",
            _wide_xlsx,
            2,
            ["too many columns"],
            hostile=True,
        )
    )
    add(
        Case(
            "csv-30mb-field",
            "30 MB field",
            "activities_huge.csv",
            _big_field_csv,
            2,
            ["larger than"],
            hostile=True,
        )
    )
    add(
        Case(
            "json-30mb-value",
            "30 MB field",
            "observations_huge.json",
            _big_value_json,
            2,
            ["larger than the field limit"],
            hostile=True,
        )
    )
    add(
        Case(
            "csv-50k-bad-rows",
            "volume",
            "participations_50k.csv",
            _many_lines_csv,
            1,
            [row_msg("participations_50k.csv", 2, "participants", "must be >= 0")],
            rows=(50_000, 50_000),
            hostile=True,
            max_rss_mb=900,
        )
    )

    # ---------------------------------------------------------------- encodings and delimiters
    add(
        Case(
            "csv-utf8-bom",
            "BOM",
            "cities_bom.csv",
            b"\xef\xbb\xbf" + csv_bytes(CITY_H, [CITY]),
            0,
            [],
            rows=(1, 0),
            check_sql=("SELECT name FROM core.city WHERE city_id = 'koln-de'", [], [("Köln",)]),
        )
    )
    add(
        Case(
            "csv-utf16-le",
            "encoding",
            "cities_u16le.csv",
            _utf16(False),
            0,
            [],
            rows=(1, 0),
            check_sql=("SELECT name FROM core.city WHERE city_id = 'koln-de'", [], [("Köln",)]),
        )
    )
    add(
        Case(
            "csv-utf16-be",
            "encoding",
            "cities_u16be.csv",
            _utf16(True),
            0,
            [],
            rows=(1, 0),
            check_sql=("SELECT name FROM core.city WHERE city_id = 'koln-de'", [], [("Köln",)]),
        )
    )
    add(
        Case(
            "csv-latin1",
            "encoding",
            "cities_latin1.csv",
            csv_bytes(CITY_H, [CITY], encoding="latin-1"),
            0,
            ["not UTF-8"],
            rows=(1, 0),
            check_sql=("SELECT name FROM core.city WHERE city_id = 'koln-de'", [], [("Köln",)]),
        )
    )
    add(
        Case(
            "csv-cp1252",
            "encoding",
            "activities_cp1252.csv",
            csv_bytes(
                ACT_H,
                [with_(ACT, ACT_H, title="Budget \u20ac \u201cquoted\u201d")],
                encoding="cp1252",
            ),
            0,
            ["not UTF-8"],
            rows=(1, 0),
            check_sql=(
                "SELECT title FROM core.activity WHERE activity_id = 'act-2023-new'",
                [],
                [("Budget \u20ac \u201cquoted\u201d",)],
            ),
        )
    )
    add(
        Case(
            "csv-semicolon-decimal-comma",
            "delimiter",
            "cities_semicolon.csv",
            csv_bytes(CITY_H, [with_(CITY, CITY_H, lat="50,93", lon="6,95")], delimiter=";"),
            0,
            [],
            rows=(1, 0),
            check_sql=(
                "SELECT lat, lon FROM core.city WHERE city_id = 'koln-de'",
                [],
                [(50.93, 6.95)],
            ),
        )
    )
    add(
        Case(
            "csv-tab",
            "delimiter",
            "participations_tab.tsv",
            csv_bytes(PART_H, [PART], delimiter="\t"),
            0,
            [],
            rows=(1, 0),
        )
    )
    add(
        Case(
            "csv-crlf-no-final-newline",
            "line ends",
            "participations_crlf.csv",
            csv_bytes(PART_H, [PART], newline="\r\n", final_newline=False),
            0,
            [],
            rows=(1, 0),
        )
    )
    add(
        Case(
            "csv-quoted-newlines",
            "quoted newlines",
            "activities_multiline.csv",
            csv_bytes(
                ACT_H,
                [
                    with_(ACT, ACT_H, description="line one\nline two\nline three"),
                    with_(ACT, ACT_H, activity_id="act-2023-bad", modality="boat"),
                ],
            ),
            1,
            [row_msg("activities_multiline.csv", 5, "modality", "unknown modality")],
            rows=(2, 1),
            check_sql=(
                "SELECT description FROM core.activity WHERE activity_id = 'act-2023-new'",
                [],
                [("line one\nline two\nline three",)],
            ),
        )
    )
    add(
        Case(
            "csv-blank-lines-between",
            "line ends",
            "participations_gaps.csv",
            b"activity_id,city_id,stakeholder_type,participants\n\nact-2022-webinar-nbs,guelph-ca,academia,4\n"
            b"\n\nact-2022-webinar-nbs,guelph-ca,business,-4\n",
            1,
            [row_msg("participations_gaps.csv", 6, "participants", "must be >= 0")],
            rows=(2, 1),
        )
    )

    # ---------------------------------------------------------------- row level: types and ranges
    pf = "participations_rows.csv"
    add(
        Case(
            "csv-wrong-type-int",
            "wrong type",
            pf,
            csv_bytes(
                PART_H, [PART, with_(PART, PART_H, stakeholder_type="business", participants="ten")]
            ),
            1,
            [row_msg(pf, 3, "participants", "must be a whole number")],
            rows=(2, 1),
        )
    )
    add(
        Case(
            "csv-decimal-in-int",
            "wrong type",
            pf,
            csv_bytes(PART_H, [with_(PART, PART_H, participants="10.5")]),
            1,
            [row_msg(pf, 2, "participants", "must be a whole number")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-negative-count",
            "negative count",
            pf,
            csv_bytes(PART_H, [with_(PART, PART_H, participants=-3, women=None)]),
            1,
            [row_msg(pf, 2, "participants", "must be >= 0")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-women-over-participants",
            "out of range",
            pf,
            csv_bytes(PART_H, [with_(PART, PART_H, women=99)]),
            1,
            [row_msg(pf, 2, "women", "must not exceed participants")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-count-too-large",
            "out of range",
            pf,
            csv_bytes(
                PART_H,
                [with_(PART, PART_H, completions=10_000_001, participants=10_000_001, women=None)],
            ),
            1,
            [row_msg(pf, 2, "completions", "must be <= 10000000")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-int-overflow",
            "out of range",
            pf,
            csv_bytes(PART_H, [with_(PART, PART_H, participants="99999999999999999999999")]),
            1,
            [row_msg(pf, 2, "participants", "must be a whole number")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-required-empty",
            "missing value",
            pf,
            csv_bytes(PART_H, [with_(PART, PART_H, participants="  ")]),
            1,
            [row_msg(pf, 2, "participants", "is required")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-wrong-field-count",
            "wrong columns in a row",
            pf,
            csv_bytes(PART_H, [PART]) + b"act-2022-webinar-nbs,guelph-ca,business,1,1,1,,surplus\n",
            1,
            [f"{pf}:3: row: expected 7 fields, found 8"],
            rows=(2, 1),
        )
    )
    add(
        Case(
            "csv-lat-out-of-range",
            "out of range",
            "cities_lat.csv",
            csv_bytes(CITY_H, [with_(CITY, CITY_H, lat=91)]),
            1,
            [row_msg("cities_lat.csv", 2, "lat", "must be <= 90")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-nan-number",
            "wrong type",
            "cities_nan.csv",
            csv_bytes(CITY_H, [with_(CITY, CITY_H, lon="NaN")]),
            1,
            [row_msg("cities_nan.csv", 2, "lon", "must be a number")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-infinite-number",
            "wrong type",
            "funding_inf.csv",
            csv_bytes(FUND_H, [with_(FUND, FUND_H, amount="1e400", amount_eur=None)]),
            1,
            [row_msg("funding_inf.csv", 2, "amount", "must be a number")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-region-mismatch",
            "unknown code",
            "cities_region.csv",
            csv_bytes(CITY_H, [with_(CITY, CITY_H, region="NA")]),
            1,
            [row_msg("cities_region.csv", 2, "region", "does not match the country's region")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-unknown-country",
            "unknown code",
            "cities_country.csv",
            csv_bytes(CITY_H, [with_(CITY, CITY_H, country_iso2="XX")]),
            1,
            [row_msg("cities_country.csv", 2, "country_iso2", "unknown country")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-bad-slug",
            "wrong type",
            "cities_slug.csv",
            csv_bytes(CITY_H, [with_(CITY, CITY_H, city_id="Köln DE")]),
            1,
            ["cities_slug.csv:2: column 'city_id'"],
            rows=(1, 1),
        )
    )

    # ---------------------------------------------------------------- row level: codes and references
    add(
        Case(
            "csv-unknown-stakeholder",
            "unknown code",
            pf,
            csv_bytes(PART_H, [with_(PART, PART_H, stakeholder_type="aliens")]),
            1,
            [row_msg(pf, 2, "stakeholder_type", "unknown stakeholder type")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-unknown-city",
            "unknown city",
            pf,
            csv_bytes(PART_H, [with_(PART, PART_H, city_id="atlantis-xx")]),
            1,
            [row_msg(pf, 2, "city_id", "unknown city")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-unknown-activity",
            "unknown activity",
            pf,
            csv_bytes(PART_H, [PART, with_(PART, PART_H, activity_id="act-nope")]),
            1,
            [row_msg(pf, 3, "activity_id", "unknown activity")],
            rows=(2, 1),
        )
    )
    add(
        Case(
            "csv-unknown-activity-type",
            "unknown code",
            "activities_type.csv",
            csv_bytes(ACT_H, [with_(ACT, ACT_H, activity_type="party")]),
            1,
            [row_msg("activities_type.csv", 2, "activity_type", "unknown activity type")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-subtheme-other-network",
            "unknown code",
            "activities_sub.csv",
            csv_bytes(ACT_H, [with_(ACT, ACT_H, network_id="innovation")]),
            1,
            [row_msg("activities_sub.csv", 2, "subtheme_id", "does not belong to network_id")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-unknown-cooperation",
            "unknown code",
            "cooperation_members_x.csv",
            csv_bytes(MEMBER_H, [with_(MEMBER, MEMBER_H, cooperation_id="pair-none")]),
            1,
            [row_msg("cooperation_members_x.csv", 2, "cooperation_id", "unknown cooperation")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-unknown-indicator-target",
            "unknown indicator",
            "targets_x.csv",
            csv_bytes(TARGET_H, [with_(TARGET, TARGET_H, indicator_id="K99")]),
            1,
            [row_msg("targets_x.csv", 2, "indicator_id", "unknown indicator")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-unknown-scope",
            "unknown city",
            "targets_scope.csv",
            csv_bytes(TARGET_H, [with_(TARGET, TARGET_H, scope_id="atlantis-xx")]),
            1,
            [row_msg("targets_scope.csv", 2, "scope_id", "unknown scope for scope_type")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-unknown-output-funding",
            "unknown code",
            "funding_x.csv",
            csv_bytes(FUND_H, [with_(FUND, FUND_H, output_id="out-none")]),
            1,
            [row_msg("funding_x.csv", 2, "output_id", "unknown output")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-unknown-currency",
            "unknown code",
            "funding_cur.csv",
            csv_bytes(FUND_H, [with_(FUND, FUND_H, currency="XBT", amount_eur=None)]),
            1,
            [row_msg("funding_cur.csv", 2, "currency", "unknown currency")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-sdg-target-other-goal",
            "unknown code",
            "sdg_alignments_x.csv",
            csv_bytes(SDG_H, [with_(SDG, SDG_H, target_id="3.4")]),
            1,
            [row_msg("sdg_alignments_x.csv", 2, "target_id", "does not belong to goal")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-unknown-context-city",
            "unknown city",
            "city_context_x.csv",
            csv_bytes(CTX_H, [with_(CTX, CTX_H, city_id="atlantis-xx")]),
            1,
            [row_msg("city_context_x.csv", 2, "city_id", "unknown city")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-output-status-dates",
            "end before start",
            "outputs_x.csv",
            csv_bytes(OUT_H, [with_(OUT, OUT_H, developed_date="2021-06-01")]),
            1,
            [
                row_msg(
                    "outputs_x.csv",
                    2,
                    "developed_date",
                    "must not be before an earlier stage's date",
                )
            ],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-evidence-javascript-url",
            "hostile text",
            "outputs_js.csv",
            csv_bytes(OUT_H, [with_(OUT, OUT_H, evidence_url="javascript:alert(1)")]),
            1,
            ["outputs_js.csv:2: column 'evidence_url'"],
            rows=(1, 1),
        )
    )

    # ---------------------------------------------------------------- row level: dates
    af = "activities_dates.csv"
    add(
        Case(
            "csv-end-before-start",
            "end before start",
            af,
            csv_bytes(ACT_H, [with_(ACT, ACT_H, end_date="2023-02-01")]),
            1,
            [row_msg(af, 2, "end_date", "must not be before start_date")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-cooperation-end-before-start",
            "end before start",
            "cooperations_x.csv",
            csv_bytes(COOP_H, [with_(COOP, COOP_H, support_end_date="2021-12-31")]),
            1,
            [row_msg("cooperations_x.csv", 2, "support_end_date", "must not be before start_date")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-future-completed-activity",
            "future date",
            af,
            csv_bytes(
                ACT_H,
                [with_(ACT, ACT_H, start_date=FUTURE_START, end_date=FUTURE, reported_date=None)],
            ),
            1,
            [row_msg(af, 2, "end_date", "a completed activity cannot end in the future")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-future-planned-activity-ok",
            "future date",
            af,
            csv_bytes(
                ACT_H,
                [
                    with_(
                        ACT,
                        ACT_H,
                        status="planned",
                        start_date=FUTURE_START,
                        end_date=FUTURE,
                        reported_date=None,
                    )
                ],
            ),
            0,
            [],
            rows=(1, 0),
        )
    )
    add(
        Case(
            "csv-future-funding",
            "future date",
            "funding_future.csv",
            csv_bytes(FUND_H, [with_(FUND, FUND_H, committed_date=FUTURE)]),
            1,
            [row_msg("funding_future.csv", 2, "committed_date", "must not be in the future")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-date-wrong-format",
            "wrong type",
            af,
            csv_bytes(ACT_H, [with_(ACT, ACT_H, start_date="01/03/2023")]),
            1,
            [row_msg(af, 2, "start_date", "must be a date YYYY-MM-DD")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-date-impossible",
            "wrong type",
            af,
            csv_bytes(ACT_H, [with_(ACT, ACT_H, end_date="2023-02-30")]),
            1,
            [row_msg(af, 2, "end_date", "must be a date YYYY-MM-DD")],
            rows=(1, 1),
        )
    )

    # ---------------------------------------------------------------- duplicates and re-sends
    add(
        Case(
            "csv-duplicate-in-file",
            "duplicate in file",
            pf,
            csv_bytes(PART_H, [PART, PART]),
            1,
            [
                f"{pf}:3: column 'activity_id,city_id,stakeholder_type,organisation_id': duplicate key of line 2"
            ],
            rows=(2, 1),
        )
    )
    add(
        Case(
            "csv-conflicting-duplicate-in-file",
            "conflicting re-send",
            pf,
            csv_bytes(PART_H, [PART, with_(PART, PART_H, participants=30)]),
            1,
            [
                f"{pf}:3: column 'activity_id,city_id,stakeholder_type,organisation_id': duplicate key of line 2"
            ],
            rows=(2, 1),
            check_sql=(
                (
                    "SELECT participants FROM core.participation WHERE activity_id = ? AND city_id = ? "
                    "AND stakeholder_type = ?"
                ),
                PART[:3],
                [(12,)],
            ),
        )
    )
    add(
        Case(
            "csv-duplicate-of-warehouse",
            "duplicate of warehouse",
            "participations_again.csv",
            csv_bytes(
                PART_H, [["act-2022-sv-velletri", "guelph-ca", "local_government", 6, 3, 1, None]]
            ),
            0,
            ["1 unchanged"],
            rows=(1, 0),
        )
    )
    add(
        Case(
            "csv-conflicting-resend",
            "conflicting re-send",
            "participations_fix.csv",
            csv_bytes(
                PART_H, [["act-2022-sv-velletri", "guelph-ca", "local_government", 7, 3, 1, None]]
            ),
            0,
            ["1 updated"],
            rows=(1, 0),
            check_sql=(
                (
                    "SELECT participants FROM core.participation WHERE activity_id = 'act-2022-sv-velletri' "
                    "AND city_id = 'guelph-ca' AND stakeholder_type = 'local_government'"
                ),
                [],
                [(7,)],
            ),
        )
    )
    add(
        Case(
            "json-duplicate-in-file",
            "duplicate in file",
            "observations_dup.json",
            json_bytes([OBS, OBS]),
            1,
            [
                "observations_dup.json:2: column 'indicator_id,scope_type,scope_id,period_end,value_kind': duplicate key of line 1"
            ],
            rows=(2, 1),
        )
    )

    # ---------------------------------------------------------------- XLSX and JSON rows
    add(
        Case(
            "xlsx-formula",
            "XLSX formula",
            "participations_f.xlsx",
            xlsx_bytes(
                PART_H,
                [PART, with_(PART, PART_H, stakeholder_type="business", participants="=2+2")],
            ),
            1,
            [row_msg("participations_f.xlsx", 3, "participants", "formula not accepted")],
            rows=(2, 1),
        )
    )
    add(
        Case(
            "xlsx-wrong-type",
            "wrong type",
            "participations_t.xlsx",
            xlsx_bytes(PART_H, [with_(PART, PART_H, participants="lots")]),
            1,
            [row_msg("participations_t.xlsx", 2, "participants", "must be a whole number")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "xlsx-good-with-dates",
            "XLSX",
            "activities_ok.xlsx",
            xlsx_bytes(
                ACT_H,
                [
                    with_(
                        ACT,
                        ACT_H,
                        start_date=dt.date(2023, 3, 1),
                        end_date=dt.datetime(2023, 3, 1),
                        reported_date=dt.date(2023, 3, 5),
                    )
                ],
            ),
            0,
            [],
            rows=(1, 0),
        )
    )
    add(
        Case(
            "xlsx-cell-outside-header",
            "extra column",
            "participations_o.xlsx",
            xlsx_bytes(PART_H, [PART + ["stray"]]),
            1,
            ["participations_o.xlsx:2: row: value outside the header's columns"],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "json-nested-value",
            "wrong type",
            "observations_nested.json",
            json_bytes([{**OBS, "value": {"v": 3}}]),
            1,
            [row_msg("observations_nested.json", 1, "value", "nested value not allowed")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "json-item-not-object",
            "JSON object",
            "observations_items.json",
            json_bytes([OBS, [1, 2]]),
            1,
            ["observations_items.json:2: row: not a JSON object"],
            rows=(2, 1),
        )
    )
    add(
        Case(
            "json-wrong-type",
            "wrong type",
            "observations_type.json",
            json_bytes([{**OBS, "value": "three"}]),
            1,
            [row_msg("observations_type.json", 1, "value", "must be a number")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "json-unknown-indicator",
            "unknown indicator",
            "observations_k.json",
            json_bytes([{**OBS, "indicator_id": "K99"}]),
            1,
            [row_msg("observations_k.json", 1, "indicator_id", "unknown indicator")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "json-period-end-before-start",
            "end before start",
            "observations_p.json",
            json_bytes([{**OBS, "period_end": "2022-12-31"}]),
            1,
            [row_msg("observations_p.json", 1, "period_end", "must not be before period_start")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "json-future-actual",
            "future date",
            "observations_f.json",
            json_bytes([{**OBS, "period_start": FUTURE_START, "period_end": FUTURE}]),
            1,
            [
                row_msg(
                    "observations_f.json",
                    1,
                    "period_start",
                    "an actual value cannot start in the future",
                )
            ],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "json-records-wrapper",
            "JSON object",
            "observations_wrapped.json",
            json_bytes({"records": [OBS]}),
            0,
            [],
            rows=(1, 0),
        )
    )

    # ---------------------------------------------------------------- text that looks like code
    html = "<img src=x onerror=alert(1)>"
    sql = "'; DROP TABLE core.city; --"
    formula = '=HYPERLINK("http://evil.example","click")'
    add(
        Case(
            "csv-html-text",
            "looks like HTML",
            "cities_html.csv",
            csv_bytes(CITY_H, [with_(CITY, CITY_H, name=html)]),
            0,
            [],
            rows=(1, 0),
            check_sql=("SELECT name FROM core.city WHERE city_id = 'koln-de'", [], [(html,)]),
        )
    )
    add(
        Case(
            "csv-sql-text",
            "looks like SQL",
            "activities_sql.csv",
            csv_bytes(ACT_H, [with_(ACT, ACT_H, title=sql, description="1' OR '1'='1")]),
            0,
            [],
            rows=(1, 0),
            check_sql=(
                "SELECT title, (SELECT count(*) FROM core.city) FROM core.activity WHERE activity_id = 'act-2023-new'",
                [],
                [(sql, 4)],
            ),
        )
    )
    add(
        Case(
            "csv-sql-in-key",
            "looks like SQL",
            pf,
            csv_bytes(PART_H, [with_(PART, PART_H, city_id="x' OR 1=1 --")]),
            1,
            [row_msg(pf, 2, "city_id", "unknown city")],
            rows=(1, 1),
        )
    )
    add(
        Case(
            "csv-formula-text",
            "looks like a formula",
            "activities_formula.csv",
            csv_bytes(ACT_H, [with_(ACT, ACT_H, title=formula, description="+cmd|' /C calc'!A0")]),
            0,
            [],
            rows=(1, 0),
            check_sql=(
                "SELECT title FROM core.activity WHERE activity_id = 'act-2023-new'",
                [],
                [(formula,)],
            ),
        )
    )
    add(
        Case(
            "xlsx-html-and-sql-text",
            "looks like HTML",
            "cities_html.xlsx",
            xlsx_bytes(CITY_H, [with_(CITY, CITY_H, name=html + sql)]),
            0,
            [],
            rows=(1, 0),
            check_sql=("SELECT name FROM core.city WHERE city_id = 'koln-de'", [], [(html + sql,)]),
        )
    )
    add(
        Case(
            "json-control-chars-text",
            "hostile text",
            "cities_ctrl.json",
            json_bytes(
                [
                    dict(
                        zip(
                            CITY_H,
                            with_(CITY, CITY_H, name="Köln\u0000\u202e\r\nnext"),
                            strict=True,
                        )
                    )
                ]
            ),
            0,
            [],
            rows=(1, 0),
        )
    )
    return c


def _plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    return buf.getvalue()


def _bomb() -> bytes:
    return zip_bomb_bytes(64)


CASES = cases()
