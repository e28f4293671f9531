"""The committed reference data loads into ref.* and is complete, consistent and translated."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

import duckdb
import pytest

from pipelines import config
from pipelines.warehouse import db, reference

PROGRAMME_DIR = config.REFERENCE_DIR / "programme"
LANGS = ("en", "fr", "es")
# (table, key, lang) whose label is genuinely the same word as in English
SAME_WORD_ALLOWED = {
    ("network", "innovation", "fr"),  # Innovation
    ("indicator", "K04", "fr"),  # Participations
}


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory warehouse with the schema and every reference table loaded."""
    c = duckdb.connect(":memory:")
    db.create_schema(c)
    reference.load_reference(c)
    yield c
    c.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    """Return all rows of a query."""
    return con.execute(sql, params or []).fetchall()


def read_programme(name: str) -> list[dict[str, str]]:
    """Return the rows of a programme input file."""
    with (PROGRAMME_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_reference_every_table_loads_rows(con: duckdb.DuckDBPyConnection) -> None:
    counts = reference.load_reference(con)
    assert set(counts) == set(reference.REF_TABLES)
    assert all(n > 0 for n in counts.values()), counts


@pytest.mark.parametrize("table", sorted(reference.REF_TABLES))
def test_reference_csv_header_equals_table_columns(table: str) -> None:
    raw = (config.REFERENCE_DIR / reference.REF_TABLES[table]).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "BOM"
    header = raw.decode("utf-8").splitlines()[0].split(",")
    c = duckdb.connect(":memory:")
    db.create_schema(c)
    cols = [
        r[0]
        for r in c.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'ref' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
    ]
    assert header == cols


@pytest.mark.parametrize("table", sorted(reference.REF_TABLES))
def test_reference_keys_unique(con: duckdb.DuckDBPyConnection, table: str) -> None:
    key = {"fx_rate": "currency, year", "sdg_goal": "goal", "sdg_target": "target_id"}.get(table)
    if key is None:
        key = rows(
            con,
            "select column_name from information_schema.columns where "
            "table_schema = 'ref' and table_name = ? and ordinal_position = 1",
            [table],
        )[0][0]
    total, distinct = rows(con, f"select count(*), count(distinct ({key})) from ref.{table}")[0]
    assert total == distinct


def label_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Return every ref table with label_en/fr/es columns."""
    return [
        r[0]
        for r in rows(
            con,
            "select table_name from information_schema.columns where table_schema = 'ref' "
            "and column_name = 'label_fr' order by table_name",
        )
    ]


def test_reference_no_empty_label_in_any_language(con: duckdb.DuckDBPyConnection) -> None:
    tables = label_tables(con)
    assert len(tables) == 15
    for table in tables:
        for lang in LANGS:
            empty = rows(
                con, f"select count(*) from ref.{table} where coalesce(trim(label_{lang}), '') = ''"
            )[0][0]
            assert empty == 0, (table, lang)


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("network", "network_id"),
        ("subtheme", "subtheme_id"),
        ("activity_type", "activity_type_id"),
        ("stakeholder_type", "stakeholder_type_id"),
        ("cross_cutting", "cross_cutting_id"),
        ("output_type", "output_type_id"),
        ("indicator", "indicator_id"),
    ],
)
def test_reference_labels_translated(con: duckdb.DuckDBPyConnection, table: str, key: str) -> None:
    for lang in ("fr", "es"):
        same = {
            r[0] for r in rows(con, f"select {key} from ref.{table} where label_{lang} = label_en")
        }
        unexpected = {k for k in same if (table, k, lang) not in SAME_WORD_ALLOWED}
        assert not unexpected, (table, lang, unexpected)


def test_reference_sdg_goals_have_distinct_official_colours(con: duckdb.DuckDBPyConnection) -> None:
    goals = rows(con, "select goal, colour_hex from ref.sdg_goal order by goal")
    assert [g for g, _ in goals] == list(range(1, 18))
    colours = [c for _, c in goals]
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours)
    assert len(set(colours)) == 17
    assert dict(goals)[11] == "#FD9D24"  # UN brand guideline, goal 11 orange


def test_reference_sdg_targets_belong_to_their_goal(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "select count(*) from ref.sdg_target")[0][0] == 169
    orphans = rows(
        con,
        "select target_id from ref.sdg_target t where not exists "
        "(select 1 from ref.sdg_goal g where g.goal = t.goal)",
    )
    assert orphans == []
    mismatched = rows(
        con, "select target_id from ref.sdg_target where split_part(target_id, '.', 1)::int <> goal"
    )
    assert mismatched == []
    types = dict(rows(con, "select target_type, count(*) from ref.sdg_target group by 1"))
    assert types == {"outcome": 126, "means_of_implementation": 43}
    letters = rows(
        con,
        "select count(*) from ref.sdg_target where target_type = "
        "'means_of_implementation' and not regexp_matches(target_id, '\\.[a-z]$')",
    )
    assert letters[0][0] == 0


def test_reference_taxonomy_matches_brochure(con: duckdb.DuckDBPyConnection) -> None:
    assert [r[0] for r in rows(con, "select network_id from ref.network order by sort_order")] == [
        "ecological_transition",
        "urban_renewal",
        "innovation",
    ]
    per_network = dict(rows(con, "select network_id, count(*) from ref.subtheme group by 1"))
    assert per_network == {"ecological_transition": 4, "urban_renewal": 6, "innovation": 8}
    assert rows(
        con, "select label_en from ref.subtheme where subtheme_id = 'housing_social_cohesion'"
    ) == [("Housing, Social Cohesion",)]
    assert rows(con, "select count(*) from ref.cross_cutting")[0][0] == 3


def test_reference_every_subtheme_network_exists(con: duckdb.DuckDBPyConnection) -> None:
    assert (
        rows(
            con,
            "select subtheme_id from ref.subtheme s where network_id not in "
            "(select network_id from ref.network)",
        )
        == []
    )


def test_reference_code_lists_have_contract_ids(con: duckdb.DuckDBPyConnection) -> None:
    expected = {
        "cooperation_mode": ("mode_id", {"pairing", "trio", "cluster", "global_network"}),
        "modality": ("modality_id", {"in_person", "online", "hybrid"}),
        "stakeholder_type": (
            "stakeholder_type_id",
            {
                "local_government",
                "regional_government",
                "academia",
                "business",
                "civil_society",
                "other",
            },
        ),
        "output_type": (
            "output_type_id",
            {"action_plan", "pilot", "solution", "agreement", "knowledge_product", "policy_change"},
        ),
        "framework": ("framework_id", {"eu_green_deal", "new_urban_agenda", "urban_agenda_eu"}),
        "funding_source": ("source_type_id", {"eu", "public", "private", "public_private"}),
    }
    for table, (key, ids) in expected.items():
        assert {r[0] for r in rows(con, f"select {key} from ref.{table}")} == ids, table
    cb = dict(rows(con, "select activity_type_id, is_capacity_building from ref.activity_type"))
    assert len(cb) == 8
    assert {k for k, v in cb.items() if v} == {"training", "capacity_building"}
    stages = dict(rows(con, "select status_id, stage from ref.output_status"))
    assert stages == {"planned": 0, "developed": 1, "implemented": 2, "adopted": 3, "abandoned": 9}


def test_reference_indicators_complete_and_valid(con: duckdb.DuckDBPyConnection) -> None:
    ids = [r[0] for r in rows(con, "select indicator_id from ref.indicator order by sort_order")]
    assert ids == [f"K{i:02d}" for i in range(1, 34)]
    bad = rows(
        con,
        """
        select indicator_id from ref.indicator
        where unit not in ('count', 'percent', 'eur', 'score', 'days', 'index', 'quarter_rate')
           or direction not in ('higher', 'lower')
           or aggregation not in ('sum', 'count_distinct', 'latest', 'ratio', 'mean')
           or family not in ('reach', 'outputs', 'outcomes', 'sdg', 'management',
                             'benchmarking')
           or not regexp_full_match(levels, '(P|N|C|City)(,(P|N|C|City))*')
           or length(definition) < 40
           or contains(coalesce(interreg_code, ''), 'unverified')
    """,
    )
    assert bad == []
    # a percentage is never summed, a cumulative KPI is a summable count/amount
    assert (
        rows(
            con,
            "select indicator_id from ref.indicator where unit = 'percent' and aggregation = 'sum'",
        )
        == []
    )
    assert (
        rows(
            con,
            "select indicator_id from ref.indicator where is_cumulative "
            "and (aggregation <> 'sum' or unit not in ('count', 'eur'))",
        )
        == []
    )
    assert rows(con, "select direction from ref.indicator where indicator_id = 'K30'") == [
        ("lower",)
    ]
    codes = dict(
        rows(
            con,
            "select indicator_id, interreg_code from ref.indicator where interreg_code is not null",
        )
    )
    assert codes == {
        "K09": "RCO87",
        "K10": "RCO85/RCR81",
        "K12": "RCO83",
        "K14": "RCO116",
        "K17": "RCR79",
        "K19": "RCR104",
        "K22": "RCR84",
    }


def test_reference_fx_rates_plausible(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(
        con, "select count(*) from ref.fx_rate where currency = 'EUR' and units_per_eur <> 1"
    ) == [(0,)]
    currencies = {r[0] for r in rows(con, "select distinct currency from ref.fx_rate")}
    assert currencies >= {"EUR", "USD", "CAD", "GBP", "MXN"}
    # broad sanity bands per currency (ECB annual averages 2017-2025): a slip of a digit falls outside
    bands = {
        "USD": (1.0, 1.3),
        "CAD": (1.3, 1.6),
        "GBP": (0.8, 0.95),
        "MXN": (18, 26),
        "CHF": (0.9, 1.2),
        "SEK": (9, 12),
        "NOK": (9, 12),
        "DKK": (7.4, 7.5),
        "PLN": (4.2, 4.7),
        "CZK": (23, 27),
        "HUF": (300, 400),
        "RON": (4.5, 5.1),
        "BGN": (1.9558, 1.9558),
    }
    for cur, (lo, hi) in bands.items():
        out = rows(
            con,
            "select year, units_per_eur from ref.fx_rate where currency = ? and "
            "(units_per_eur < ? or units_per_eur > ?)",
            [cur, lo, hi],
        )
        assert out == [], cur
    assert rows(con, "select min(year), max(year) from ref.fx_rate") == [(2017, 2025)]


def test_reference_countries_cover_eu27_and_partners(con: duckdb.DuckDBPyConnection) -> None:
    regions = dict(rows(con, "select country_iso2, region from ref.country"))
    eu27 = {
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    }
    assert all(regions.get(c) == "EU" for c in eu27 | {"GB", "CH", "NO", "IS"})
    assert {c for c, r in regions.items() if r == "NA"} == {"CA", "US", "MX"}
    assert set(regions.values()) == {"EU", "NA"}


def test_reference_geonames_countries_all_in_ref_country(con: duckdb.DuckDBPyConnection) -> None:
    geo = config.REFERENCE_DIR / "geonames" / "cities15000_eu_uk_efta_ca_us_mx.csv"
    missing = rows(
        con,
        "select distinct country_code from read_csv(?, all_varchar = true) "
        "where country_code not in (select country_iso2 from ref.country)",
        [str(geo)],
    )
    assert missing == []


@pytest.mark.parametrize(
    ("file_name", "table"),
    [
        ("cities.csv", "city"),
        ("cooperations.csv", "cooperation"),
        ("cooperation_members.csv", "cooperation_member"),
    ],
)
def test_reference_programme_files_have_ingest_columns(file_name: str, table: str) -> None:
    header = (PROGRAMME_DIR / file_name).read_text(encoding="utf-8").splitlines()[0]
    c = duckdb.connect(":memory:")
    db.create_schema(c)
    cols = [
        r[0]
        for r in c.execute(
            "select column_name from information_schema.columns where table_schema = 'core' "
            "and table_name = ? and column_name <> 'run_id' order by ordinal_position",
            [table],
        ).fetchall()
    ]
    assert header.split(",") == cols


def test_reference_programme_cities_match_country_and_region(
    con: duckdb.DuckDBPyConnection,
) -> None:
    cities = read_programme("cities.csv")
    regions = dict(rows(con, "select country_iso2, region from ref.country"))
    assert len(cities) == len({c["city_id"] for c in cities}) >= 30
    for c in cities:
        assert regions.get(c["country_iso2"]) == c["region"], c["city_id"]
        assert c["city_id"].endswith("-" + c["country_iso2"].lower())
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c["city_id"])
        assert -90 <= float(c["lat"]) <= 90 and -180 <= float(c["lon"]) <= 180
        assert int(c["population"]) > 0
    ids = {c["city_id"] for c in cities}
    for expected in (
        "turin-it",
        "new-york-city-us",
        "burlington-ca",
        "rome-it",
        "boston-us",
        "manchester-gb",
        "merida-mx",
        "guadalajara-mx",
        "vila-nova-de-famalicao-pt",
        "west-athens-gr",
    ):
        assert expected in ids


def test_reference_programme_ambiguous_names_resolved() -> None:
    by_id = {c["city_id"]: c for c in read_programme("cities.csv")}
    assert float(by_id["burlington-ca"]["lon"]) == pytest.approx(-79.84, abs=0.05)  # Ontario
    assert float(by_id["merida-mx"]["lat"]) == pytest.approx(20.97, abs=0.05)  # Yucatán
    assert float(by_id["manchester-gb"]["lon"]) == pytest.approx(-2.24, abs=0.05)
    assert float(by_id["boston-us"]["lat"]) == pytest.approx(42.36, abs=0.05)


def test_reference_programme_cooperations_consistent(con: duckdb.DuckDBPyConnection) -> None:
    coops = read_programme("cooperations.csv")
    members = read_programme("cooperation_members.csv")
    city_ids = {c["city_id"] for c in read_programme("cities.csv")}
    networks = {r[0] for r in rows(con, "select network_id from ref.network")}
    modes = {r[0] for r in rows(con, "select mode_id from ref.cooperation_mode")}
    assert len(coops) == 18 and len({c["cooperation_id"] for c in coops}) == 18
    for c in coops:
        assert c["mode"] in modes and c["network_id"] in networks, c
        assert c["start_date"] < c["support_end_date"], c
    coop_ids = {c["cooperation_id"] for c in coops}
    assert {m["city_id"] for m in members} <= city_ids
    assert {m["cooperation_id"] for m in members} == coop_ids
    for cid in coop_ids:
        roles = sorted(m["role"] for m in members if m["cooperation_id"] == cid)
        assert roles == ["lead", "partner"], cid
    assert "pair-austin-bologna" in coop_ids


def test_reference_programme_files_insert_into_core(con: duckdb.DuckDBPyConnection) -> None:
    c = con.cursor()
    c.execute("begin")
    try:
        for file_name, table in (
            ("cities.csv", "city"),
            ("cooperations.csv", "cooperation"),
            ("cooperation_members.csv", "cooperation_member"),
        ):
            c.execute(
                f"insert into core.{table} by name select *, 'test' as run_id "
                "from read_csv(?, header = true, all_varchar = true)",
                [str(PROGRAMME_DIR / file_name)],
            )
        assert (
            c.execute(
                "select count(*) from core.city where population_year is null "
                "and geonames_id is null"
            ).fetchone()[0]
            == 0
        )
    finally:
        c.execute("rollback")
