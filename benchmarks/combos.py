"""Varied, deterministic filter combinations drawn from the warehouse's own code lists."""

from __future__ import annotations

import datetime as dt
import random

import duckdb

from pipelines import queries
from pipelines.metrics.filters import Filters

LANGS = ("en", "fr", "es")


def _values(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    years = sorted({d.year for d in queries.period_options(con, period_type="year")["start"]})
    return {
        "network": list(queries.network_options(con)["value"]),
        "subtheme": list(queries.subtheme_options(con)["value"]),
        "region": list(queries.region_options(con)["value"]),
        "country": list(queries.country_options(con)["value"]),
        "mode": list(queries.mode_options(con)["value"]),
        "year": years,
    }


def filter_combos(
    con: duckdb.DuckDBPyConnection, n: int = 30, seed: int = 42
) -> list[tuple[Filters, str]]:
    """Return `n` distinct (Filters, lang) pairs: no filter, single filters, then random mixes.

    The mixes restrict 1-4 dimensions (period, network, subtheme, region, country, mode) with
    values from the warehouse, so every combination is one a user can click.
    """
    values = _values(con)
    rng = random.Random(seed)
    out: list[Filters] = [Filters()]
    out += [Filters(network=(v,)) for v in values["network"]]
    out += [Filters(region=(v,)) for v in values["region"]]
    out += [Filters(mode=(v,)) for v in values["mode"][:2]]
    if values["year"]:
        y = values["year"][len(values["year"]) // 2]
        out.append(Filters(start=dt.date(y, 1, 1), end=dt.date(y, 12, 31)))
    dims = ["period", "network", "subtheme", "region", "country", "mode"]
    seen = set(out)
    attempts = 0
    while len(out) < n and attempts < 100 * n:
        attempts += 1
        kwargs: dict = {}
        for dim in rng.sample(dims, rng.randint(1, 4)):
            if dim == "period" and values["year"]:
                first = rng.choice(values["year"])
                last = rng.choice([y for y in values["year"] if y >= first])
                kwargs["start"] = dt.date(first, rng.choice((1, 4, 7)), 1)
                kwargs["end"] = dt.date(last, 12, 31)
            elif dim != "period" and values[dim]:
                k = 1 if dim == "region" else rng.randint(1, min(3, len(values[dim])))
                kwargs[dim] = tuple(sorted(rng.sample(values[dim], k)))
        f = Filters(**kwargs)
        if f not in seen:
            seen.add(f)
            out.append(f)
    return [(f, LANGS[i % len(LANGS)]) for i, f in enumerate(out[:n])]
