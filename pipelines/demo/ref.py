"""Reference inputs of the demo generator: code lists, the real programme and GeoNames cities.

Everything is read from `data/reference/` (the committed, sourced reference data), so the demo uses
exactly the codes the warehouse validates against.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from pipelines import config

PROGRAMME_DIR = "programme"
GEONAMES_FILE = "geonames/cities15000_eu_uk_efta_ca_us_mx.csv"


@dataclasses.dataclass(frozen=True)
class DemoRef:
    """The reference tables the generator draws codes and real places from."""

    network: pd.DataFrame
    subtheme: pd.DataFrame
    cross_cutting: pd.DataFrame
    activity_type: pd.DataFrame
    modality: pd.DataFrame
    stakeholder_type: pd.DataFrame
    output_type: pd.DataFrame
    framework: pd.DataFrame
    funding_source: pd.DataFrame
    country: pd.DataFrame
    fx_rate: pd.DataFrame
    sdg_goal: pd.DataFrame
    sdg_target: pd.DataFrame
    indicator: pd.DataFrame
    cities: pd.DataFrame
    cooperations: pd.DataFrame
    members: pd.DataFrame
    geonames: pd.DataFrame


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")


def _as_bool(series: pd.Series) -> pd.Series:
    return (
        series.fillna("false").astype(str).str.strip().str.lower().isin({"true", "1", "yes", "t"})
    )


def load_demo_ref(reference_dir: Path | None = None) -> DemoRef:
    """Return the reference tables from `reference_dir` (default `data/reference/`)."""
    ref = Path(reference_dir or config.REFERENCE_DIR)
    tables = {
        name: _csv(ref / f"{name}.csv")
        for name in (
            "network",
            "subtheme",
            "cross_cutting",
            "activity_type",
            "modality",
            "stakeholder_type",
            "output_type",
            "framework",
            "funding_source",
            "country",
            "fx_rate",
            "sdg_goal",
            "sdg_target",
            "indicator",
        )
    }
    for name, table in tables.items():
        if "sort_order" in table.columns:
            tables[name] = (
                table.assign(sort_order=pd.to_numeric(table["sort_order"]))
                .sort_values("sort_order", kind="stable")
                .reset_index(drop=True)
            )
    tables["activity_type"]["is_capacity_building"] = _as_bool(
        tables["activity_type"]["is_capacity_building"]
    )
    tables["indicator"]["is_cumulative"] = _as_bool(tables["indicator"]["is_cumulative"])
    tables["fx_rate"]["year"] = tables["fx_rate"]["year"].astype(int)
    tables["fx_rate"]["units_per_eur"] = tables["fx_rate"]["units_per_eur"].astype(float)
    tables["sdg_goal"]["goal"] = tables["sdg_goal"]["goal"].astype(int)
    tables["sdg_target"]["goal"] = tables["sdg_target"]["goal"].astype(int)
    programme = ref / PROGRAMME_DIR
    geonames = pd.read_csv(
        ref / GEONAMES_FILE,
        dtype={"geonameid": "Int64", "population": "Int64"},
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8",
    )
    return DemoRef(
        **tables,
        cities=_csv(programme / "cities.csv"),
        cooperations=_csv(programme / "cooperations.csv"),
        members=_csv(programme / "cooperation_members.csv"),
        geonames=geonames,
    )
