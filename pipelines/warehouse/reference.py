"""Load the committed reference code lists (data/reference/*.csv) into the ref.* tables."""

from __future__ import annotations

import duckdb

from pipelines import config
from pipelines.warehouse.db import one_row

# ref table -> CSV file in data/reference/ (the allow-list of identifiers used in SQL below)
REF_TABLES: dict[str, str] = {
    "network": "network.csv",
    "subtheme": "subtheme.csv",
    "cross_cutting": "cross_cutting.csv",
    "cooperation_mode": "cooperation_mode.csv",
    "activity_type": "activity_type.csv",
    "modality": "modality.csv",
    "stakeholder_type": "stakeholder_type.csv",
    "output_type": "output_type.csv",
    "output_status": "output_status.csv",
    "framework": "framework.csv",
    "funding_source": "funding_source.csv",
    "country": "country.csv",
    "fx_rate": "fx_rate.csv",
    "sdg_goal": "sdg_goal.csv",
    "sdg_target": "sdg_target.csv",
    "indicator": "indicator.csv",
}


def load_reference(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Replace every ref.* table with its CSV; return the row count loaded per table."""
    counts: dict[str, int] = {}
    for table, file_name in REF_TABLES.items():
        path = config.REFERENCE_DIR / file_name
        con.execute(f"delete from ref.{table}")
        con.execute(
            f"insert into ref.{table} by name "
            "select * from read_csv(?, header = true, all_varchar = true, encoding = 'utf-8')",
            [str(path)],
        )
        counts[table] = one_row(con, f"select count(*) from ref.{table}")[0]
    return counts
