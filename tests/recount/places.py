"""The recount of the figures a person sees per place and per page (issue #12), from the raw
demo files with pandas, on top of `recount.py`'s loaders and scopes.

Geography per D12: an activity counts at its host city, a host-less one at its participants'
cities; participation at the participant's city; outputs and funding at the output's own city,
else its cooperation's member cities; a take-up at the adopting city. Under a region/country
filter a breakdown by place lists only the places the filter matches.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from tests.recount import recount
from tests.recount.recount import Raw, Scope

OTHER_PLACE = "ZZ"  # a country code no city has: `in_city` gives it to the one city looked at
NOWHERE = "--"  # a country code that matches no city


def read_adoptions(folder: Path, rejected: set[tuple[str, int]]) -> pd.DataFrame:
    """Return output_adoptions.csv (output_id, city_id, adopted_date) without quarantined lines.

    Example: ``read_adoptions(demo_db.parent / "demo", set())``
    """
    name = "output_adoptions.csv"
    df = pd.read_csv(folder / name, dtype=str, keep_default_na=False, na_values=[""])
    lines = range(2, 2 + len(df))
    df = df[[(name, n) not in rejected for n in lines]].reset_index(drop=True)
    df["adopted_date"] = pd.to_datetime(df["adopted_date"]).dt.normalize()
    return df


def in_city(raw: Raw, city_id: str) -> tuple[Raw, Scope]:
    """Return the files and a scope that select one city: the city alone gets the country code
    OTHER_PLACE, so every D12 geography of `recount` applies to it unchanged.

    Example: ``raw1, scope = in_city(raw, "austin-us")``
    """
    cities = raw.cities.copy()
    cities.loc[cities["city_id"] == city_id, "country_iso2"] = OTHER_PLACE
    return dataclasses.replace(raw, cities=cities), Scope(country=(OTHER_PLACE,))


def activity_places(raw: Raw) -> pd.DataFrame:
    """Return (activity_id, city_id) pairs: where each activity counts (D12), its host city, or
    without one each distinct city of its participations.

    Example: ``activity_places(raw).groupby("city_id").size()``
    """
    a = raw.activities
    hosted = a.loc[a["host_city_id"].notna(), ["activity_id", "host_city_id"]]
    hosted = hosted.rename(columns={"host_city_id": "city_id"})
    hostless = set(a.loc[a["host_city_id"].isna(), "activity_id"])
    p = raw.participations
    reached = p.loc[p["activity_id"].isin(hostless), ["activity_id", "city_id"]]
    return pd.concat([hosted, reached.drop_duplicates()], ignore_index=True)


def _placed(raw: Raw, s: Scope, acts: pd.DataFrame) -> pd.DataFrame:
    """Return the activities joined to the cities they count at, only the cities the scope's
    region/country filter matches."""
    placed = acts.merge(activity_places(raw), on="activity_id")
    geo = recount._geo_cities(raw, s)
    return placed if geo is None else placed[placed["city_id"].isin(geo)]


def _lower_median(values: pd.Series) -> float:
    v = np.sort(values.to_numpy())
    return float(v[(len(v) - 1) // 2]) if len(v) else math.nan


def quality_table(raw: Raw, s: Scope) -> pd.DataFrame:
    """Return per city where an activity in scope counts (D12, only the cities the filter
    matches): pct_filled (K29 over its activities of the period), completed_activities,
    median_lag_days (D5 lower median) and mean_lag_days (K30 over its completed ones).

    Example: ``quality_table(raw, Scope(country=("CA",))).index  # Canadian cities only``
    """
    a = recount.activity_scope(raw, s)
    a = a[recount._in_period(a["end_date"], s)]
    cols = recount.activity_input_columns()
    cells = a.reindex(columns=cols)
    filled = cells.notna() & (cells.astype(str).apply(lambda c: c.str.strip()) != "")
    per_act = pd.DataFrame(
        {"activity_id": a["activity_id"], "filled": filled.sum(axis=1), "cells": len(cols)}
    )
    k29 = _placed(raw, s, per_act).groupby("city_id")[["filled", "cells"]].sum()
    k29["pct_filled"] = 100.0 * k29["filled"] / k29["cells"]
    done = recount.completed(raw, s)
    lags = pd.DataFrame(
        {
            "activity_id": done["activity_id"],
            "lag": (done["reported_date"] - done["end_date"]).dt.days,
        }
    )
    k30 = (
        _placed(raw, s, lags)
        .groupby("city_id")["lag"]
        .agg(completed_activities="size", median_lag_days=_lower_median, mean_lag_days="mean")
    )
    out = k29[["pct_filled"]].join(k30, how="outer")
    out["completed_activities"] = out["completed_activities"].fillna(0).astype(int)
    return out


def by_place(fn: Callable[[Scope], float], raw: Raw, s: Scope, by: str) -> dict[str, float]:
    """Return a figure per region or country_iso2 (`by`): `fn` of the scope narrowed to that
    place, for the places the scope's own filter matches, without the places where the figure
    is 0 or undefined (no row counts there). A recount per place, never a split of the total.

    Example: ``by_place(lambda sc: recount.k02(raw, sc)["total"], raw, Scope(), "region")``
    """
    field = {"region": "region", "country_iso2": "country"}[by]
    out = {}
    for place in sorted(set(raw.cities[by].dropna())):
        if getattr(s, field) and place not in getattr(s, field):
            continue
        value = float(fn(dataclasses.replace(s, **{field: (place,)})))
        if value and not math.isnan(value):
            out[place] = value
    return out


def take_up(raw: Raw, adoptions: pd.DataFrame, s: Scope) -> pd.DataFrame:
    """Return the adoptions the take-up figures count: of outputs in the network/mode filters,
    by adopting cities the region/country filter allows, adopted by the period end and never
    after the data's as-of date (D4).

    Example: ``take_up(raw, adoptions, Scope())["output_id"].nunique()``
    """
    o = recount.output_scope(raw, Scope(network=s.network, mode=s.mode))
    t = adoptions[adoptions["output_id"].isin(set(o["output_id"]))]
    end = pd.Timestamp(recount.data_as_of(raw))
    if s.end:
        end = min(end, pd.Timestamp(s.end))
    t = t[t["adopted_date"] <= end]
    geo = recount._geo_cities(raw, s)
    return t if geo is None else t[t["city_id"].isin(geo)]


def take_up_totals(raw: Raw, adoptions: pd.DataFrame, s: Scope) -> dict[str, float]:
    """Return the take-up totals: practices taken up (distinct outputs) and adopting cities.

    Example: ``take_up_totals(raw, adoptions, Scope(region=("NA",)))["adopting_cities"]``
    """
    t = take_up(raw, adoptions, s)
    return {
        "practices_taken_up": float(t["output_id"].nunique()),
        "adopting_cities": float(t["city_id"].nunique()),
    }


def practices(raw: Raw, s: Scope) -> pd.DataFrame:
    """Return the showcase's practices: outputs in scope (D12, first stage in the period) that
    reached implementation or adoption (dated, or status at or past it) and are not abandoned.

    Example: ``len(practices(raw, Scope(region=("EU",))))``
    """
    o = recount.output_scope(raw, s)
    stages = ["planned_date", "developed_date", "implemented_date", "adopted_date"]
    first = o[stages].bfill(axis=1).iloc[:, 0] if len(o) else pd.Series(dtype="datetime64[us]")
    o = o[recount._in_period(first, s)]
    reached = (
        o["implemented_date"].notna()
        | o["adopted_date"].notna()
        | o["status"].isin(["implemented", "adopted"])
    )
    return o[reached & (o["status"] != "abandoned")]


def activity_register_total(raw: Raw, s: Scope) -> int:
    """Return the activity register's row count: activities of any status in the filters
    (D12 geography) ending in the period.

    Example: ``activity_register_total(raw, Scope(country=("CA",)))``
    """
    a = recount.activity_scope(raw, s)
    return int(recount._in_period(a["end_date"], s).sum())


def cooperation_summary(raw: Raw, cooperation_id: str) -> dict[str, float]:
    """Return one cooperation's page summary over all its data: members, completed and planned
    activities, participations of its completed activities, outputs per status, funding (EUR).

    Example: ``cooperation_summary(raw, "turin-austin")["activities_completed"]``
    """
    a = raw.activities[raw.activities["cooperation_id"] == cooperation_id]
    done = set(a.loc[a["status"] == "completed", "activity_id"])
    p = raw.participations[raw.participations["activity_id"].isin(done)]
    o = raw.outputs[raw.outputs["cooperation_id"] == cooperation_id]
    f = raw.funding[raw.funding["output_id"].isin(set(o["output_id"]))]
    members = raw.members[raw.members["cooperation_id"] == cooperation_id]
    status = o["status"].value_counts()
    return {
        "n_members": float(members["city_id"].nunique()),
        "activities_completed": float(len(done)),
        "activities_planned": float((a["status"] == "planned").sum()),
        "participations": float(p["participants"].sum()),
        "outputs": float(len(o)),
        **{f"outputs_{k}": float(status.get(k, 0)) for k in ("planned", "developed")},
        **{f"outputs_{k}": float(status.get(k, 0)) for k in ("implemented", "adopted")},
        "outputs_abandoned": float(status.get("abandoned", 0)),
        "funding_eur": round(float(f["amount_eur"].sum()), 2),
    }


def outputs_to_date(raw: Raw, s: Scope) -> int:
    """Return the outputs in scope (D12) whose first stage is dated by the period end, whatever
    their status (abandoned included): the city profile's "outputs".

    Example: ``outputs_to_date(*in_city(raw, "austin-us"))``
    """
    o = recount.output_scope(raw, s)
    first = o["planned_date"].fillna(o["developed_date"])
    first = first.fillna(o["implemented_date"]).fillna(o["adopted_date"])
    return int(recount._until_end(first, s).sum())


def city_profile(raw: Raw, adoptions: pd.DataFrame, city_id: str, s: Scope) -> dict[str, float]:
    """Return the city profile's headline figures for one city under the filters `s` (a city
    outside the filters' region/country has no figure but 0): activities hosted (K03), participations
    (K04), organisation participations (K05), outputs, plans taken up (K17), practices of other
    cities it took up, funding (K20, EUR to date).

    Example: ``city_profile(raw, adoptions, "austin-us", Scope())["activities_hosted"]``
    """
    one, place = in_city(raw, city_id)
    geo = recount._geo_cities(raw, s)
    # the city and the filters' places together: a city outside them has nothing to show
    sc = dataclasses.replace(s, country=place.country if geo is None or city_id in geo else ())
    if geo is not None and city_id not in geo:
        sc = dataclasses.replace(sc, country=(NOWHERE,))
    pk = recount.participation_kpis(one, sc)
    ok = recount.output_kpis(one, sc)
    return {
        "activities_hosted": float(recount.k03(one, sc)["completed"]),
        "participations": pk["K04"],
        "organisations": pk["K05"],
        "outputs": float(outputs_to_date(one, sc)),
        "plans_taken_up": float(ok["K17"]),
        "practices_taken_up": take_up_totals(one, adoptions, sc)["practices_taken_up"],
        "funding_eur": float(ok["K20"]),
    }


def sdg_target_counts(raw: Raw, s: Scope, goal: int) -> pd.DataFrame:
    """Return per target of `goal` the not-cancelled activities in scope (ending in the period)
    with an accepted tag on it (validated_entities) and with an unreviewed one
    (suggested_entities): the SDG page's target drill-down.

    Example: ``sdg_target_counts(raw, Scope(), 11).loc["11.1", "validated_entities"]``
    """
    a = recount.activity_scope(raw, s)
    a = a[recount._in_period(a["end_date"], s) & (a["status"] != "cancelled")]
    t = raw.sdg[
        (raw.sdg["entity_type"] == "activity")
        & (raw.sdg["goal"] == goal)
        & raw.sdg["target_id"].notna()
        & raw.sdg["entity_id"].isin(set(a["activity_id"]))
    ]
    counts = {
        col: t[t["status"] == status].groupby("target_id")["entity_id"].nunique()
        for col, status in (("validated_entities", "accepted"), ("suggested_entities", "suggested"))
    }
    return pd.DataFrame(counts).fillna(0).astype(int)
