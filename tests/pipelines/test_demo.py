"""The demo generator: deterministic files, referential integrity, planted bad rows, the build."""

from __future__ import annotations

import hashlib
import inspect
import itertools
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipelines.demo import build as demo
from pipelines.demo.ref import load_demo_ref
from schemas import ENTITIES

SMALL = 2_000


def _hashes(out_dir: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out_dir.iterdir())}


@pytest.fixture(scope="module")
def small_data() -> demo.DemoData:
    return demo.generate_data(seed=7, scale=SMALL)


@pytest.fixture(scope="module")
def small_files(tmp_path_factory: pytest.TempPathFactory) -> demo.DemoFiles:
    return demo.generate_demo(tmp_path_factory.mktemp("demo-a"), seed=7, scale=SMALL)


def test_generate_demo_same_seed_gives_identical_files(
    small_files: demo.DemoFiles, tmp_path: Path
) -> None:
    again = demo.generate_demo(tmp_path, seed=7, scale=SMALL)
    assert _hashes(again.out_dir) == _hashes(small_files.out_dir)


def test_generate_demo_other_seed_gives_different_files(
    small_files: demo.DemoFiles, tmp_path: Path
) -> None:
    other = _hashes(demo.generate_demo(tmp_path, seed=8, scale=SMALL).out_dir)
    same = _hashes(small_files.out_dir)
    changed = {name for name in same if other.get(name) != same[name]}
    assert {"activities.csv", "participations.csv", "outputs.xlsx"} <= changed


def test_generate_demo_writes_one_file_per_entity_with_contract_columns(
    small_files: demo.DemoFiles,
) -> None:
    names = [p.name for p in small_files.paths]
    assert names == [f"{stem}.{fmt}" for stem, fmt in demo.FILES.values()]
    for path, entity in zip(small_files.paths, demo.FILES, strict=True):
        if path.suffix == ".csv":
            header = pd.read_csv(path, nrows=0).columns.tolist()
        elif path.suffix == ".xlsx":
            header = pd.read_excel(path, nrows=0).columns.tolist()
        else:
            header = list(pd.read_json(path).columns)
        assert header == ENTITIES[entity].columns, path.name


def test_generate_data_scale_is_the_exact_participation_row_count(
    small_data: demo.DemoData,
) -> None:
    assert len(small_data.participations) == SMALL


def test_generate_data_participation_natural_key_is_unique(small_data: demo.DemoData) -> None:
    frame = small_data.participations.frame()
    assert not frame.duplicated(["activity_id", "city_id", "stakeholder_type"]).any()
    assert (frame["women"].dropna() <= frame.loc[frame["women"].notna(), "participants"]).all()
    assert frame["women"].isna().any(), "some rows leave gender undeclared"


def test_generate_data_references_resolve(small_data: demo.DemoData) -> None:
    f = small_data.frames
    ref = load_demo_ref()
    cities = set(f["city"]["city_id"])
    coops = set(f["cooperation"]["cooperation_id"])
    acts = set(f["activity"]["activity_id"])
    outputs = set(f["output"]["output_id"])
    parts = small_data.participations.frame()
    assert set(f["cooperation_member"]["city_id"]) <= cities
    assert set(f["cooperation_member"]["cooperation_id"]) == coops
    assert set(parts["activity_id"]) <= acts and set(parts["city_id"]) <= cities
    assert set(f["activity"]["cooperation_id"].dropna()) <= coops
    assert set(f["activity"]["host_city_id"].dropna()) <= cities
    assert set(f["output"]["activity_id"].dropna()) <= acts
    assert set(f["output"]["city_id"]) <= cities
    assert set(f["funding"]["output_id"]) <= outputs
    assert set(f["city_context"]["city_id"]) <= cities
    assert set(f["activity"]["activity_type"]) <= set(ref.activity_type["activity_type_id"])
    sub_net = dict(zip(ref.subtheme["subtheme_id"], ref.subtheme["network_id"], strict=True))
    a = f["activity"].dropna(subset=["subtheme_id"])
    assert (a["subtheme_id"].map(sub_net) == a["network_id"]).all()


def test_generate_data_sdg_tags_have_one_primary_and_targets_in_their_goal(
    small_data: demo.DemoData,
) -> None:
    sdg = small_data.frames["sdg_alignment"]
    ref = load_demo_ref()
    primaries = sdg.groupby(["entity_type", "entity_id"])["is_primary"].sum()
    assert (primaries == 1).all()
    assert not sdg.loc[sdg["is_primary"], "status"].eq("rejected").any()
    goal_of = dict(zip(ref.sdg_target["target_id"], ref.sdg_target["goal"], strict=True))
    tagged = sdg.dropna(subset=["target_id"])
    assert len(tagged) > 0
    assert (tagged["target_id"].map(goal_of) == tagged["goal"]).all()
    assert set(sdg["method"]) == {"manual", "keyword"}
    assert set(sdg["status"]) == {"suggested", "accepted", "rejected"}


def test_generate_data_keyword_tags_come_from_the_tagger(small_data: demo.DemoData) -> None:
    from pipelines.tagging.suggest import suggest

    sdg = small_data.frames["sdg_alignment"]
    auto = sdg[sdg["method"] == "keyword"]
    assert len(auto) > 0
    assert auto["evidence"].notna().all() and auto["method_version"].notna().all()
    assert sdg.loc[sdg["method"] == "manual", "evidence"].isna().all()
    acts = small_data.frames["activity"].set_index("activity_id")
    row = auto[(auto["entity_type"] == "activity") & auto["target_id"].isna()].iloc[0]
    act = acts.loc[row["entity_id"]]
    found = suggest(
        f"{act['title']}. {act['description'] if isinstance(act['description'], str) else ''}"
    )
    assert (row["goal"], row["score"]) in {(s.goal, s.score) for s in found}


def test_generate_data_output_dates_follow_the_lifecycle(small_data: demo.DemoData) -> None:
    out = small_data.frames["output"]
    stages = ["planned_date", "developed_date", "implemented_date", "adopted_date"]
    dates = out[stages].apply(pd.to_datetime)
    for earlier, later in itertools.pairwise(stages):
        both = dates[earlier].notna() & dates[later].notna()
        assert (dates.loc[both, later] >= dates.loc[both, earlier]).all()
    assert {"planned", "developed", "implemented", "abandoned"} <= set(out["status"])


def test_generate_data_covers_every_mode_type_and_modality(small_data: demo.DemoData) -> None:
    f = small_data.frames
    ref = load_demo_ref()
    assert set(f["cooperation"]["mode"]) == {"pairing", "trio", "cluster", "global_network"}
    assert set(f["activity"]["modality"]) == set(ref.modality["modality_id"])
    assert set(f["activity"]["status"]) == {"planned", "completed", "cancelled"}
    assert 55 <= len(f["city"]) <= 65
    assert {"EUR", "USD", "CAD"} <= set(f["funding"]["currency"]) or len(f["funding"]) < 10


def test_generate_data_funding_amount_eur_follows_fx(small_data: demo.DemoData) -> None:
    fund = small_data.frames["funding"]
    eur = fund[fund["currency"] == "EUR"]
    assert (eur["amount"] == eur["amount_eur"]).all()
    other = fund[fund["currency"] != "EUR"]
    assert (other["amount_eur"] != other["amount"]).all()


def test_generate_data_rejects_a_tiny_scale() -> None:
    with pytest.raises(ValueError):
        demo.generate_data(scale=10)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> demo.DemoReport:
    root = tmp_path_factory.mktemp("demo-build")
    return demo.build_demo(db=root / "iurc.duckdb", out_dir=root / "raw")


def test_build_demo_fills_every_core_table(built: demo.DemoReport) -> None:
    assert built.ok, built.problems
    assert built.exit_code == 0
    assert all(built.table_rows[name] > 0 for name in ENTITIES)
    assert built.table_rows["participation"] == demo.DEFAULT_SCALE


def test_build_demo_quarantines_exactly_the_planted_rows(built: demo.DemoReport) -> None:
    assert built.ingest_exit_code == 1
    planted = sorted((p.file_name, p.line) for p in built.files.planted)
    assert len(planted) == 8
    assert built.quarantined == planted
    con = duckdb.connect(str(built.db), read_only=True)
    try:
        read, loaded, quarantined = con.execute(
            "select sum(rows_read), sum(rows_loaded), sum(rows_quarantined) from ops.ingest_run"
        ).fetchone()
    finally:
        con.close()
    assert quarantined == 8
    assert read == loaded + quarantined


def test_cli_demo_defaults_match_the_library() -> None:
    from iurc import cli

    params = inspect.signature(cli.demo).parameters
    assert params["seed"].default.default == demo.DEFAULT_SEED
    assert params["scale"].default.default == demo.DEFAULT_SCALE


def test_cli_demo_small_scale_builds_and_exits_0(tmp_path: Path) -> None:
    from iurc.cli import app

    args = [
        "demo",
        "--scale",
        str(SMALL),
        "--seed",
        "5",
        "--db",
        str(tmp_path / "wh.duckdb"),
        "--out",
        str(tmp_path / "raw"),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert re.search(rf"core\.participation\s+{SMALL:,}\n", result.output)
    assert "Planted bad rows: 8; quarantined: 8" in result.output
    assert (tmp_path / "wh.duckdb").exists()
    assert not list(tmp_path.glob("wh.duckdb.demo-build*"))


def test_demo_folder_is_marked_synthetic_wherever_it_is_written(
    small_files: demo.DemoFiles, tmp_path: Path
) -> None:
    """D4's banner: runs from a folder with SYNTHETIC.md are synthetic; the same file elsewhere is not."""
    from pipelines.ingest.run import SYNTHETIC_MARKER, ingest_files
    from pipelines.queries.metrics import data_dates

    assert (small_files.out_dir / SYNTHETIC_MARKER).is_file()
    cities = next(p for p in small_files.paths if p.stem.startswith("cit"))
    plain = tmp_path / "plain"
    plain.mkdir()
    copy = plain / cities.name
    copy.write_bytes(cities.read_bytes())
    for source, expected in ((copy, False), (cities, True)):
        db = tmp_path / f"{expected}.duckdb"
        assert ingest_files([source], db=db).exit_code in (0, 1)
        with duckdb.connect(str(db), read_only=True) as con:
            assert data_dates(con)["synthetic"] is expected
