"""The common Dash way, for comparison: load the whole participation table joined with its
activity and city dimensions into one pandas DataFrame at start-up, then filter and aggregate it
in pandas on every callback. Run in its own process so its memory is measured apart:

    python -m benchmarks.pandas_baseline --db WAREHOUSE --mode pandas|ours COMBOS_JSON

`ours` runs the same aggregations through `pipelines.queries` (SQL over the marts) in an
identically shaped process. Both print one JSON object: start-up time, per-call times, peak RSS,
and a checksum (participants per aggregation) so the two can be checked to agree.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.common import mb, proc_status_kb, summary_ms
from pipelines.metrics.filters import Filters
from pipelines.queries import period_bounds
from pipelines.warehouse import db as dbmod

# the aggregations of the participation-based views (overview network/map, participation page)
VIEWS = (
    "over_time",
    "by_type_modality",
    "by_region",
    "gender",
    "top_cities",
    "map_points",
    "network",
)

LOAD_SQL = """
select
    a.month,
    a.network_id,
    a.subtheme_id,
    a.mode,
    a.activity_type,
    a.modality,
    p.city_id,
    c.country_iso2,
    c.region,
    p.stakeholder_type,
    p.participants,
    p.women,
    p.organisations
from core.participation as p
join mart.activity_register as a on a.activity_id = p.activity_id
left join core.city as c on c.city_id = p.city_id
where a.status = 'completed'
"""


def load_frame(con) -> pd.DataFrame:
    """Return the whole participation fact joined with its dimensions, as pandas loads it."""
    df = con.execute(LOAD_SQL).df()
    df["month"] = pd.to_datetime(df["month"])
    return df


def filter_frame(df: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """Return the rows of `df` matching the filters (period widened to whole months)."""
    mask = pd.Series(True, index=df.index)
    start, end = period_bounds(f)
    if start:
        mask &= df["month"] >= pd.Timestamp(start)
    if end:
        mask &= df["month"] <= pd.Timestamp(end)
    for field, column in (
        ("network", "network_id"),
        ("subtheme", "subtheme_id"),
        ("region", "region"),
        ("country", "country_iso2"),
        ("mode", "mode"),
    ):
        values = getattr(f, field)
        if values:
            mask &= df[column].isin(values)
    return df[mask]


def pandas_views(df: pd.DataFrame, f: Filters) -> dict[str, int]:
    """Compute every view's aggregation in pandas; return participants per view (a checksum)."""
    d = filter_frame(df, f)
    out = {}
    g = d.groupby(["month", "stakeholder_type"], observed=True)["participants"].sum()
    out["over_time"] = int(g.sum())
    g = d.groupby(["activity_type", "modality"], observed=True)["participants"].sum()
    out["by_type_modality"] = int(g.sum())
    group = d["country_iso2"].where(d["region"] != "EU", "EU")
    g = d.groupby(group, observed=True).agg(
        participants=("participants", "sum"),
        cities=("city_id", "nunique"),
        organisations=("organisations", "sum"),
    )
    out["by_region"] = int(g["participants"].sum())
    g = (
        d.assign(declared=d["participants"].where(d["women"].notna(), 0))
        .groupby("stakeholder_type", observed=True)[["participants", "declared", "women"]]
        .sum()
    )
    out["gender"] = int(g["participants"].sum())
    g = d.groupby("city_id", observed=True)[["participants", "organisations", "women"]].sum()
    out["top_cities"] = int(g.nlargest(15, "participants")["participants"].sum())
    g = d.groupby("city_id", observed=True)["participants"].sum()
    out["map_points"] = int(g.sum())
    g = d.groupby("network_id", observed=True).agg(
        participants=("participants", "sum"), cities=("city_id", "nunique")
    )
    out["network"] = int(g["participants"].sum())
    return out


def our_views(con, f: Filters) -> dict[str, int]:
    """Compute the same views through the query API (SQL over the marts); return the checksum."""
    from pipelines import queries

    lang = "en"
    return {
        "over_time": int(queries.participation_over_time(con, f, lang=lang)["value"].sum()),
        "by_type_modality": int(
            queries.participation_by_type_modality(con, f, lang=lang)["participants"].sum()
        ),
        "by_region": int(queries.participation_by_region(con, f, lang=lang)["participants"].sum()),
        "gender": int(
            queries.gender_balance(con, f, by="stakeholder_type", lang=lang)["participants"].sum()
        ),
        "top_cities": int(queries.top_cities(con, f, limit=15, lang=lang)["participants"].sum()),
        "map_points": int(queries.map_points(con, f, lang=lang)["participations"].sum()),
        "network": int(queries.network_breakdown(con, f, lang=lang)["participations"].sum()),
    }


def run(db: Path, mode: str, queries_: list[str]) -> dict[str, Any]:
    """Start up the way `mode` does, then compute every view for each filter query string."""
    combos = [Filters.from_query(q) for q in queries_]
    con = dbmod.connect_readonly(db)
    start = time.perf_counter()
    frame = load_frame(con) if mode == "pandas" else None
    startup_s = time.perf_counter() - start
    rss_after_startup = proc_status_kb("self", "VmRSS")
    compute = (
        (lambda f: pandas_views(frame, f)) if mode == "pandas" else (lambda f: our_views(con, f))
    )
    compute(Filters())  # warm-up
    times, checksums = [], []
    for f in combos:
        start = time.perf_counter()
        checksums.append(compute(f))
        times.append(time.perf_counter() - start)
    return {
        "mode": mode,
        "startup_s": round(startup_s, 3),
        "frame_rows": None if frame is None else len(frame),
        "rss_after_startup_mb": mb(rss_after_startup),
        "peak_rss_mb": mb(proc_status_kb("self", "VmHWM")),
        "per_call": summary_ms(times),  # one call = all the views for one filter combination
        "total_s": round(sum(times), 3),
        "checksums": checksums,
    }


def main() -> None:
    """Command line: print the JSON figures of one mode."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--mode", choices=("pandas", "ours"), required=True)
    parser.add_argument("combos", type=Path, help="JSON list of filter query strings")
    args = parser.parse_args()
    print(json.dumps(run(args.db, args.mode, json.loads(args.combos.read_text()))))


if __name__ == "__main__":
    main()
