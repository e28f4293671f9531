"""Participation: who takes part, over time, by type, region and gender (K02, K04-K10).

Every figure is a declared metric (`pipelines.metrics.catalogue`) read through `metric_frame`:
the rows carry their recounted totals in `attrs` (see `pipelines.queries.metrics.with_totals`),
so a summary sentence states the metric's total, never a sum of distinct counts or shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from pipelines.metrics.catalogue import DIMENSIONS
from pipelines.metrics.filters import Filters
from pipelines.queries._sql import fetch
from pipelines.queries.metrics import (
    groups,
    joined_groups,
    metric_frame,
    metric_frames,
    metric_totals,
    total_row,
    with_totals,
)

BREAKDOWNS = ("stakeholder_type", "activity_type", "modality", "network", "mode", "region")
# measure name -> metric: participations (K04), distinct participating cities (K02),
# organisation participations (K05: summed over activities, D6)
MEASURES = {"participants": "K04", "cities": "K02", "organisations": "K05"}


def participation_over_time(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    *,
    by: str = "stakeholder_type",
    measure: str = "participants",
    lang: str = "en",
) -> pd.DataFrame:
    """Return participations (or distinct cities, or organisation participations) per month and group.

    `by`: stakeholder_type | activity_type | modality | network | mode | region;
    `measure`: participants (K04) | cities (K02, distinct: a city counts once per month and
    group, and once in the total) | organisations (K05 organisation participations). A metric
    that the breakdown does not allow raises ValueError.
    Columns: month, group_id, label, value; attrs: total (the recounted figure of the period),
    additive, legend_totals (per group, recounted).

    Example: ``participation_over_time(con, Filters(), by="stakeholder_type")``
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {sorted(MEASURES)}")
    if by not in BREAKDOWNS:
        raise ValueError(f"by must be one of {sorted(BREAKDOWNS)}")
    metric_id = MEASURES[measure]
    frame = metric_frame(con, metric_id, filters, by=("month", by), levels=[(by,)], lang=lang)
    rows = with_totals(frame, metric_id, ("month", by), legend=by)
    column = DIMENSIONS[by].column
    label = f"{column}_label" if f"{column}_label" in rows else column
    out = pd.DataFrame(
        {
            "month": rows["month"],
            "group_id": rows[column],
            "label": rows[label].astype(str),
            "value": rows["value"].astype("int64"),
        }
    )
    out.attrs = rows.attrs
    return out


def participation_by_type_modality(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return participations (K04) per activity type and modality.

    Columns: activity_type, activity_type_label, modality, modality_label, participants;
    attrs: total, legend_totals (per activity type).

    Example: ``participation_by_type_modality(con, Filters(mode=("pairing",)))``
    """
    frame = metric_frame(
        con,
        "K04",
        filters,
        by=("activity_type", "modality"),
        levels=[("activity_type",)],
        lang=lang,
    )
    rows = with_totals(frame, "K04", ("activity_type", "modality"), legend="activity_type")
    out = rows[
        ["activity_type", "activity_type_label", "modality", "modality_label", "value"]
    ].rename(columns={"value": "participants"})
    out["participants"] = out["participants"].astype("int64")
    out.attrs = rows.attrs
    return out


# the metric frames the balance is made of, in two reads independent of each other
# (`participation_by_region(frames=...)`: a caller may read them side by side): (metrics,
# breakdown, labelled). K04, K02 and K05 per country group come from one statement (K04 and
# K05 read the same rows: one scan, `metric_frames`), K04 per region from another.
BALANCE_FRAMES = (
    (("K04", "K02", "K05"), ("country_group",), True),
    (("K04",), ("region",), False),
)


def balance_frames(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    metric_ids: tuple[str, ...],
    by: tuple[str, ...],
    labelled: bool,
    *,
    lang: str = "en",
) -> list[pd.DataFrame]:
    """Return one read of the balance's metric frames (`BALANCE_FRAMES`): `metric_frames` of the
    metrics by the breakdown, labelled in `lang` when `labelled`.

    Example: ``balance_frames(con, Filters(), ("K04", "K02"), ("country_group",), True, lang="fr")``
    """
    if labelled:
        return metric_frames(con, metric_ids, filters, by=by, lang=lang)
    return metric_frames(con, metric_ids, filters, by=by)


def participation_by_region(
    con: duckdb.DuckDBPyConnection | None,
    filters: Filters,
    *,
    lang: str = "en",
    frames: Sequence[pd.DataFrame] = (),
) -> pd.DataFrame:
    """Return the EU vs North America balance per country group (EU, CA, US): participations
    (K04), distinct cities (K02 split) and organisation participations (K05), each a metric.

    Columns: country_group, label, region, participants, cities, organisations,
    share_participants; attrs: total (K04), cities_total (K02, recounted), legend_totals
    (K04 per region). `frames`: the frames of `balance_frames` for each read of
    `BALANCE_FRAMES` for these filters and language, in that order (K04, K02, K05 per country
    group, K04 per region), when the caller has read them (e.g. side by side); else they are
    read on `con`.

    Example: ``participation_by_region(con, Filters(network=("innovation",)))``
    """
    if not frames:
        assert con is not None, "participation_by_region needs a connection or its frames"
        frames = [
            f for spec in BALANCE_FRAMES for f in balance_frames(con, filters, *spec, lang=lang)
        ]
    totals = {}
    columns = ("participants", "cities", "organisations")
    out = joined_groups(frames[: len(columns)], columns, ("country_group", "country_group_label"))
    out = out.rename(columns={"country_group_label": "label"})
    for column, frame in zip(columns, frames, strict=False):
        totals[column] = total_row(frame)["value"]
    out["region"] = ["EU" if g == "EU" else "NA" for g in out["country_group"]]
    out["label"] = out["label"].astype(str)
    whole = totals["participants"]
    out["share_participants"] = 100.0 * out["participants"] / whole if whole else None
    out = out.sort_values(["region", "participants"], ascending=[True, False]).reset_index(
        drop=True
    )
    out = out[
        [
            "country_group",
            "label",
            "region",
            "participants",
            "cities",
            "organisations",
            "share_participants",
        ]
    ]
    by_region = groups(frames[3])
    out.attrs = {
        "metric": "K04",
        "total": float(whole or 0),
        "cities_total": float(totals["cities"] or 0),
        "additive": True,
        # participations per region (EU, NA), from the metric: the balance the summary states
        "legend_totals": dict(zip(by_region["region"], by_region["value"], strict=True)),
    }
    return out


def stakeholder_mix(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return participations (K04) and their share per stakeholder type (K06's mix).

    Columns: stakeholder_type, label, participants, share; attrs: total.

    Example: ``stakeholder_mix(con, Filters(country=("IT",)))``
    """
    frame = metric_frame(con, "K04", filters, by=("stakeholder_type",), lang=lang)
    rows = with_totals(frame, "K04", ("stakeholder_type",))
    whole = rows.attrs["total"]
    out = pd.DataFrame(
        {
            "stakeholder_type": rows["stakeholder_type"],
            "label": rows["stakeholder_type_label"],
            "participants": rows["value"].astype("int64"),
            "share": 100.0 * rows["value"] / whole if whole else None,
        }
    )
    out.attrs = rows.attrs
    return out


def gender_balance(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, by: str | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Return the share of women among declared participations (K08) with the undeclared count.

    `by`: None (one row) or a breakdown of `participation_over_time`.
    Columns: group_id, label, participants, participants_declared, women, pct_women,
    participants_undeclared, pct_undeclared; attrs: pct_women, participants_undeclared (the
    recounted totals of the selection).

    Example: ``gender_balance(con, Filters(), by="stakeholder_type")``
    """
    dims = (by,) if by else ()
    if by is not None and by not in BREAKDOWNS:
        raise ValueError(f"by must be one of {sorted(BREAKDOWNS)}")
    women, undeclared = metric_frames(
        con, ["K08", "K08.pct_undeclared"], filters, by=dims, lang=lang
    )
    column = DIMENSIONS[by].column if by else None
    keep = women if by else women[women["is_total"].astype(bool)]
    rows = groups(keep) if by else keep.reset_index(drop=True)
    und = groups(undeclared) if by else undeclared.reset_index(drop=True)
    label = f"{column}_label" if column and f"{column}_label" in rows else column
    out = pd.DataFrame(
        {
            "group_id": rows[column] if column else "all",
            "label": rows[label].astype(str) if label else "all",
            "participants": und["denominator"].fillna(0).astype("int64").values,
            "participants_declared": rows["denominator"].fillna(0).astype("int64").values,
            "women": rows["numerator"].fillna(0).astype("int64").values,
            "pct_women": rows["value"].values,
            "participants_undeclared": und["numerator"].fillna(0).astype("int64").values,
            "pct_undeclared": und["value"].values,
        }
    )
    tw, tu = total_row(women), total_row(undeclared)
    out.attrs = {
        "metric": "K08",
        "pct_women": None if pd.isna(tw["value"]) else float(tw["value"]),
        "participants_undeclared": 0 if pd.isna(tu["numerator"]) else int(tu["numerator"]),
        "additive": False,
    }
    return out


TOP_CITY_METRICS = ("K04", "K05", "K08")  # the metric frames `top_cities` reads, by city


def city_places(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return every city's name and place (what `top_cities` lists beside its figures).

    Columns: city_id, name, country_iso2, region; one row per city of mart.city.

    Example: ``city_places(con).set_index("city_id").loc["turin-it", "name"]  # 'Turin'``
    """
    return fetch(con, "select city_id, name, country_iso2, region from mart.city")


def top_cities(
    con: duckdb.DuckDBPyConnection | None,
    filters: Filters,
    *,
    limit: int = 10,
    lang: str = "en",
    frames: Sequence[pd.DataFrame] = (),
    places: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the cities with most participations (K04 by participant city).

    Columns: city_id, name, country_iso2, region, participants, organisations, women, share;
    attrs: total (K04 of the whole selection, not of the listed cities), cities (K02).
    `frames` (the `metric_frames` of TOP_CITY_METRICS by city for these filters) and `places`
    (`city_places`), when the caller has read them (e.g. side by side); else they are read on
    `con`.

    Example: ``top_cities(con, Filters(region=("NA",)), limit=5)``
    """
    if not frames or places is None:
        assert con is not None, "top_cities needs a connection or its frames and places"
        frames = frames or metric_frames(con, TOP_CITY_METRICS, filters, by=("city",))
        places = city_places(con) if places is None else places
    limit = max(1, min(int(limit), 1000))
    k04, k05, k08 = frames
    k05, k08 = groups(k05), groups(k08)
    rows = with_totals(k04, "K04", ("city",))
    top = rows.sort_values(["value", "city_id"], ascending=[False, True]).head(limit)
    ids = top["city_id"].reset_index(drop=True)
    place = places.set_index("city_id").reindex(ids)
    participants = top["value"].to_numpy()
    whole = rows.attrs["total"]
    out = pd.DataFrame(
        {
            "city_id": ids,
            "name": place["name"].to_numpy(),
            "country_iso2": place["country_iso2"].to_numpy(),
            "region": place["region"].to_numpy(),
            "participants": participants.astype("int64"),
            "organisations": _of_cities(k05, "value", ids),
            "women": _of_cities(k08, "numerator", ids),
            "share": 100.0 * participants / whole if whole else None,
        }
    )
    out.attrs = {**rows.attrs, "cities": len(rows)}
    return out


def _of_cities(frame: pd.DataFrame, column: str, ids: pd.Series) -> np.ndarray:
    """Return `column` of a per-city frame for each city of `ids` (NaN for a city it lacks)."""
    at = pd.Index(frame["city_id"]).get_indexer(ids)
    values: np.ndarray = frame[column].to_numpy(dtype="float64")[at]
    values[at < 0] = np.nan
    return values


def participation_summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Return one row of participation headline figures for these filters.

    Columns: participants (K04), cities (K02), organisations (K05 organisation participations:
    summed over activities, D6), organisations_lower_bound, pct_non_government (K06), diversity_index (K07), pct_women (K08),
    pct_undeclared, capacity_participants (K10), pct_completed, person_days.

    Example: ``participation_summary(con, Filters(start=date(2025, 1, 1)))``
    """
    from pipelines.queries.overview import kpi_measures

    measures = kpi_measures(con, filters)
    m = measures[measures["value_kind"] == "actual"].set_index(["indicator_id", "measure"])["value"]

    def get(indicator: str, measure: str = "main") -> float | None:
        value = m.get((indicator, measure))
        return None if value is None or pd.isna(value) else float(value)

    person_days = metric_frame(con, "person_days", filters)["value"].iloc[-1]
    return pd.DataFrame(
        [
            {
                "participants": get("K04"),
                "cities": get("K02"),
                "organisations": get("K05"),
                "organisations_lower_bound": get("K05", "lower_bound"),
                "pct_non_government": get("K06"),
                "diversity_index": get("K07"),
                "pct_women": get("K08"),
                "pct_undeclared": get("K08", "pct_undeclared"),
                "capacity_participants": get("K10"),
                "pct_completed": get("K10", "pct_completed"),
                "person_days": int(person_days),
            }
        ]
    )


def organisation_figures(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, indicator: str = "K05"
) -> dict[str, Any]:
    """Return K05 (or K09) under the D6 rule for partly identified data, from the metric layer.

    Keys: identified (distinct organisations with an identifier, exact), unidentified
    (organisation participations without one), pct_identified (share of organisation
    participations identified; None when there are none), rule, low, high:

    - rule 'exact' when every organisation participation is identified: low = high = the exact
      distinct count, the figure a target rates;
    - rule 'range' when some are: between the identified organisations (low: the unidentified
      ones may all be among them) and the upper bound (identified + unidentified
      participations: each a different organisation); never rated;
    - rule 'participations' when none is: the figure is organisation participations (the
      indicator's sum), with the lower bound of D6 beside it (low) and the sum as high.

    Example: ``organisation_figures(con, Filters(region=("EU",)))["rule"]  # 'range'``
    """
    if indicator not in ("K05", "K09"):
        raise ValueError("indicator must be K05 or K09")
    # the parts every rule may state, from one statement (one scan of the organisation rows)
    parts = ("identified", "unidentified", "pct_identified", "upper_bound")
    values = metric_totals(con, [f"{indicator}.{part}" for part in parts], filters)
    identified, unidentified, pct, upper = (values[f"{indicator}.{part}"] for part in parts)
    identified, unidentified = identified or 0.0, unidentified or 0.0
    out: dict[str, Any] = {
        "identified": identified,
        "unidentified": unidentified,
        "pct_identified": pct,
    }
    if not unidentified:
        return out | {"rule": "exact", "low": identified, "high": identified}
    if not identified:
        bounds = metric_totals(con, [f"{indicator}.lower_bound", indicator], filters)
        low, high = bounds[f"{indicator}.lower_bound"] or 0.0, bounds[indicator] or 0.0
        return out | {"rule": "participations", "low": low, "high": high}
    high = upper or 0.0
    return out | {"rule": "range", "low": identified, "high": high}
