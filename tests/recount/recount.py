"""An independent recount of the demo's figures from the raw input files (issue #12).

Pure pandas over the demo input files, following only the KPI catalogue (K01-K30, decisions
D1-D12) and docs/data-dictionary.md. It never reads the marts or `pipelines.queries`: the
warehouse is read only for `ops.quarantine` (file, line), to drop the input lines it rejected.

Choices where the definitions leave one open (kept explicit so a reader can dispute them):
- An activity without a cooperation is a global-network activity (data dictionary): its
  cooperation mode is `global_network`.
- K01 and K11 follow the activity geography (D12: an activity is where its host city is, or,
  without a host, where any of its participations comes from); K22 and the cooperation side
  of K24/K26 follow the cooperation's member cities.
- Period filters select activities by end date, outputs by the date of the stage a KPI counts
  (running totals to the period end), funding by committed date; SDG tags by their entity's
  date (an output's first stage date, a cooperation's start date).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "data" / "reference"
DICTIONARY = ROOT / "docs" / "data-dictionary.md"

COOPERATION_MODES = ("pairing", "trio", "cluster")  # D1: the global network is no cooperation
GOVERNMENT = ("local_government", "regional_government")
DIVERSITY_GROUPS = {  # K07: four groups, 'other' excluded
    "local_government": "government",
    "regional_government": "government",
    "academia": "academia",
    "business": "business",
    "civil_society": "civil_society",
}
GLOBAL_NETWORK = "global_network"

# input file -> date columns
FILES = {
    "cities": ("cities.csv", ()),
    "cooperations": ("cooperations.csv", ("start_date", "support_end_date")),
    "members": ("cooperation_members.csv", ()),
    "activities": ("activities.csv", ("start_date", "end_date", "reported_date")),
    "participations": ("participations.csv", ()),
    "outputs": (
        "outputs.xlsx",
        ("planned_date", "developed_date", "implemented_date", "adopted_date"),
    ),
    "funding": ("funding.json", ("committed_date",)),
    "sdg": ("sdg_alignments.csv", ()),
}


@dataclasses.dataclass(frozen=True)
class Scope:
    """Filters of a recount: inclusive period dates and code lists (empty = no restriction)."""

    start: dt.date | None = None
    end: dt.date | None = None
    network: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    mode: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Raw:
    """The accepted rows of the demo input files, one DataFrame per entity."""

    cities: pd.DataFrame
    cooperations: pd.DataFrame
    members: pd.DataFrame
    activities: pd.DataFrame
    participations: pd.DataFrame
    outputs: pd.DataFrame
    funding: pd.DataFrame
    sdg: pd.DataFrame


# ---------------------------------------------------------------- reading


def rejected_lines(con: duckdb.DuckDBPyConnection) -> set[tuple[str, int]]:
    """Return the (file name, line) pairs the warehouse quarantined (nothing else is read)."""
    rows = con.execute("select file_name, line from ops.quarantine").fetchall()
    return {(str(f), int(n)) for f, n in rows}


def _line_numbers(name: str, n: int) -> np.ndarray:
    """Return the line number ops.quarantine gives each record of a file: CSV and XLSX count
    the header as line 1, JSON counts records from 1."""
    first = 1 if name.endswith(".json") else 2
    return np.arange(first, first + n)


def _read(folder: Path, name: str) -> pd.DataFrame:
    """Return one input file as text columns (no type guessing)."""
    path = folder / name
    if name.endswith(".csv"):
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    if name.endswith(".xlsx"):
        df = pd.read_excel(path, dtype=object)
        return df.astype(object).where(df.notna(), None)
    return pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))


def read_raw(folder: Path, rejected: set[tuple[str, int]]) -> Raw:
    """Return the demo input files in `folder` without the lines in `rejected`."""
    frames = {}
    for key, (name, dates) in FILES.items():
        df = _read(folder, name)
        lines = _line_numbers(name, len(df))
        df = df[[(name, int(n)) not in rejected for n in lines]].reset_index(drop=True)
        for col in dates:
            df[col] = pd.to_datetime(df[col], errors="raise").dt.normalize()
        frames[key] = df
    num = {
        "cities": ("population",),
        "participations": ("participants", "women", "organisations", "completions"),
        "funding": ("amount", "amount_eur"),
        "sdg": ("goal", "score"),
    }
    for key, cols in num.items():
        for col in cols:
            frames[key][col] = pd.to_numeric(frames[key][col])
    sdg = frames["sdg"]
    sdg["is_primary"] = sdg["is_primary"].map(
        lambda v: str(v).strip().lower() in ("true", "1", "yes")
    )
    frames["funding"] = _fill_eur(frames["funding"])
    return Raw(**frames)


def _fill_eur(funding: pd.DataFrame) -> pd.DataFrame:
    """Return funding with empty amount_eur converted at the commitment year's annual rate."""
    fx = pd.read_csv(REFERENCE / "fx_rate.csv")
    rate = fx.set_index(["currency", "year"])["units_per_eur"]
    out = funding.copy()

    def eur(row: pd.Series) -> float:
        if pd.notna(row["amount_eur"]):
            return float(row["amount_eur"])
        if row["currency"] == "EUR":
            return float(row["amount"])
        return round(float(row["amount"]) / rate[(row["currency"], row["committed_date"].year)], 2)

    out["amount_eur"] = out.apply(eur, axis=1) if len(out) else out["amount_eur"]
    return out


def capacity_building_types() -> set[str]:
    """Return the activity types flagged is_capacity_building in the reference code list."""
    ref = pd.read_csv(REFERENCE / "activity_type.csv", dtype=str)
    return set(ref.loc[ref["is_capacity_building"].str.lower() == "true", "activity_type_id"])


def activity_input_columns() -> list[str]:
    """Return the activity input columns as the data dictionary lists them (D10: never typed)."""
    text = DICTIONARY.read_text(encoding="utf-8")
    section = text.split("### activity → `core.activity`", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.MULTILINE)


# ---------------------------------------------------------------- scoping


def _geo_cities(raw: Raw, s: Scope) -> set[str] | None:
    """Return the cities the region/country filters allow (None: no geographic filter)."""
    if not s.region and not s.country:
        return None
    c = raw.cities
    keep = pd.Series(True, index=c.index)
    if s.region:
        keep &= c["region"].isin(s.region)
    if s.country:
        keep &= c["country_iso2"].isin(s.country)
    return set(c.loc[keep, "city_id"])


def _in_period(dates: pd.Series, s: Scope) -> pd.Series:
    """Return True where a date lies in the inclusive period (a null date is out under a bound)."""
    keep = pd.Series(True, index=dates.index)
    if s.start:
        keep &= dates >= pd.Timestamp(s.start)
    if s.end:
        keep &= dates <= pd.Timestamp(s.end)
    return keep & (dates.notna() | (not s.start and not s.end))


def _until_end(dates: pd.Series, s: Scope) -> pd.Series:
    """Return True where a date is set and on or before the period end (running totals)."""
    keep = dates.notna()
    if s.end:
        keep &= dates <= pd.Timestamp(s.end)
    return keep


def activities(raw: Raw) -> pd.DataFrame:
    """Return the activities with their cooperation mode (global_network without a cooperation)."""
    a = raw.activities.merge(
        raw.cooperations[["cooperation_id", "mode"]], on="cooperation_id", how="left"
    )
    a["mode"] = a["mode"].fillna(GLOBAL_NETWORK)
    return a


def activity_scope(raw: Raw, s: Scope) -> pd.DataFrame:
    """Return the activities in scope of the network/mode/geography filters (no period, any status).

    Geography per D12: the host city; without a host, any of its participations' cities."""
    a = activities(raw)
    keep = pd.Series(True, index=a.index)
    if s.network:
        keep &= a["network_id"].isin(s.network)
    if s.mode:
        keep &= a["mode"].isin(s.mode)
    geo = _geo_cities(raw, s)
    if geo is not None:
        p = raw.participations
        reached = set(p.loc[p["city_id"].isin(geo), "activity_id"])
        hosted = a["host_city_id"].isin(geo)
        hostless = a["host_city_id"].isna() & a["activity_id"].isin(reached)
        keep &= hosted | hostless
    return a[keep]


def completed(raw: Raw, s: Scope) -> pd.DataFrame:
    """Return the completed activities in scope that end in the period (activity geography)."""
    a = activity_scope(raw, s)
    return a[(a["status"] == "completed") & _in_period(a["end_date"], s)]


def participation_scope(raw: Raw, s: Scope) -> pd.DataFrame:
    """Return participation rows of completed activities ending in the period, within the
    network/mode filters, from participant cities the geography filters allow (D12)."""
    a = activities(raw)
    a = a[(a["status"] == "completed") & _in_period(a["end_date"], s)]
    if s.network:
        a = a[a["network_id"].isin(s.network)]
    if s.mode:
        a = a[a["mode"].isin(s.mode)]
    p = raw.participations.merge(
        a[
            [
                "activity_id",
                "activity_type",
                "modality",
                "cooperation_id",
                "mode",
                "network_id",
                "start_date",
                "end_date",
            ]
        ],
        on="activity_id",
        how="inner",
    )
    p = p.merge(raw.cities[["city_id", "country_iso2", "region"]], on="city_id", how="left")
    geo = _geo_cities(raw, s)
    if geo is not None:
        p = p[p["city_id"].isin(geo)]
    return p


def output_scope(raw: Raw, s: Scope) -> pd.DataFrame:
    """Return the outputs in scope of network/mode/geography (D12: the output's own city, or
    its cooperation's member cities without one); no period (KPIs apply stage dates)."""
    o = raw.outputs.merge(
        raw.cooperations[["cooperation_id", "mode"]], on="cooperation_id", how="left"
    )
    o["mode"] = o["mode"].fillna(GLOBAL_NETWORK)
    keep = pd.Series(True, index=o.index)
    if s.network:
        keep &= o["network_id"].isin(s.network)
    if s.mode:
        keep &= o["mode"].isin(s.mode)
    geo = _geo_cities(raw, s)
    if geo is not None:
        members = raw.members.groupby("cooperation_id")["city_id"].agg(set)

        def inside(row: pd.Series) -> bool:
            if pd.notna(row["city_id"]):
                return row["city_id"] in geo
            return bool(members.get(row["cooperation_id"], set()) & geo)

        keep &= o.apply(inside, axis=1).astype(bool) if len(o) else keep
    return o[keep]


def cooperation_scope(raw: Raw, s: Scope, *, d1_only: bool = True) -> pd.DataFrame:
    """Return the cooperations in scope (D1 modes only by default); geography = member cities."""
    c = raw.cooperations
    keep = pd.Series(True, index=c.index)
    if d1_only:
        keep &= c["mode"].isin(COOPERATION_MODES)
    if s.network:
        keep &= c["network_id"].isin(s.network)
    if s.mode:
        keep &= c["mode"].isin(s.mode)
    geo = _geo_cities(raw, s)
    if geo is not None:
        inside = set(raw.members.loc[raw.members["city_id"].isin(geo), "cooperation_id"])
        keep &= c["cooperation_id"].isin(inside)
    return c[keep]


def data_as_of(raw: Raw) -> dt.date:
    """Return D4 "data as of": the latest reported_date of any accepted activity."""
    return raw.activities["reported_date"].max().date()


# ---------------------------------------------------------------- KPIs


def k01(raw: Raw, s: Scope) -> dict[str, int]:
    """Return K01 active cooperations (D1): 'total' and one count per mode."""
    a = completed(raw, s)
    a = a[a["mode"].isin(COOPERATION_MODES) & a["cooperation_id"].notna()]
    by_mode = a.groupby("mode")["cooperation_id"].nunique()
    return {"total": int(a["cooperation_id"].nunique()), **{k: int(v) for k, v in by_mode.items()}}


def country_group(region: pd.Series, country: pd.Series) -> pd.Series:
    """Return 'EU' for European cities, else the ISO country code (CA, US, MX)."""
    return region.where(region == "EU", country)


def k02(raw: Raw, s: Scope) -> dict[str, int]:
    """Return K02 participating cities: 'total' and per country group (EU, CA, US, MX)."""
    p = participation_scope(raw, s)
    p = p.assign(group=country_group(p["region"], p["country_iso2"]))
    split = p.groupby("group")["city_id"].nunique()
    return {"total": int(p["city_id"].nunique()), **{k: int(v) for k, v in split.items()}}


def k03(raw: Raw, s: Scope) -> dict[str, float]:
    """Return K03 completed activities and D8 % of plan = completed / (completed + planned)."""
    a = activity_scope(raw, s)
    a = a[_in_period(a["end_date"], s)]
    done = int((a["status"] == "completed").sum())
    planned = int((a["status"] == "planned").sum())
    return {
        "completed": done,
        "planned": planned,
        "pct_of_plan": 100.0 * done / (done + planned) if done + planned else float("nan"),
    }


def _lower_bound_orgs(p: pd.DataFrame) -> int:
    """Return the fewest distinct organisations the rows allow: per (city, stakeholder type)
    the largest count of any one activity (counts are exact within activity, city and type)."""
    if p.empty:
        return 0
    return int(p.groupby(["city_id", "stakeholder_type"])["organisations"].max().sum())


def participation_kpis(raw: Raw, s: Scope) -> dict[str, float]:
    """Return K04-K10 on the participation basis (D12), with their secondary figures."""
    p = participation_scope(raw, s)
    total = float(p["participants"].sum())
    nongov = float(p.loc[~p["stakeholder_type"].isin(GOVERNMENT), "participants"].sum())
    groups = p.assign(g=p["stakeholder_type"].map(DIVERSITY_GROUPS)).dropna(subset=["g"])
    shares = groups.groupby("g")["participants"].sum()
    declared = p[p["women"].notna()]
    undeclared = float(p.loc[p["women"].isna(), "participants"].sum())
    countries = (
        p_all_countries(raw).groupby("activity_id")["country_iso2"].nunique().rename("n_countries")
    )
    joint = p[p["cooperation_id"].notna()].merge(countries, on="activity_id", how="left")
    joint = joint[joint["n_countries"] >= 2]
    cb = p[p["activity_type"].isin(capacity_building_types())]
    cb_reported = cb[cb["completions"].notna()]
    div_total = float(shares.sum())
    return {
        "K04": total,
        "K05": float(p["organisations"].sum()),
        "K05_lower_bound": float(_lower_bound_orgs(p)),
        "K06": 100.0 * nongov / total if total else float("nan"),
        "K06_num": nongov,
        "K07": 1.0 - float(((shares / div_total) ** 2).sum()) if div_total else float("nan"),
        "K07_den": div_total,
        "K08": 100.0 * float(declared["women"].sum()) / float(declared["participants"].sum())
        if declared["participants"].sum()
        else float("nan"),
        "K08_women": float(declared["women"].sum()),
        "K08_declared": float(declared["participants"].sum()),
        "K08_undeclared": undeclared,
        "K08_pct_undeclared": 100.0 * undeclared / total if total else float("nan"),
        "K09": float(joint["organisations"].sum()),
        "K09_lower_bound": float(_lower_bound_orgs(joint)),
        "K10": float(cb["participants"].sum()),
        "K10_completions": float(cb_reported["completions"].sum()),
        "K10_reported": float(cb_reported["participants"].sum()),
        "K10_pct_completed": 100.0
        * float(cb_reported["completions"].sum())
        / float(cb_reported["participants"].sum())
        if cb_reported["participants"].sum()
        else float("nan"),
    }


def p_all_countries(raw: Raw) -> pd.DataFrame:
    """Return every accepted participation row with its city's country and region."""
    return raw.participations.merge(
        raw.cities[["city_id", "country_iso2", "region"]], on="city_id", how="left"
    )


def _quarters(first: pd.Timestamp, last: pd.Timestamp) -> int:
    """Return how many calendar quarters run from first's quarter to last's, inclusive."""
    return (last.year - first.year) * 4 + (last.quarter - first.quarter) + 1


def k11(raw: Raw, s: Scope) -> dict[str, float]:
    """Return K11 (D1, D2, D11): joint EU-NA activities / (active cooperations x quarters), and
    study-visit person-days (participants x activity days) of the completed activities."""
    a = completed(raw, s)
    if a.empty:
        return {"numerator": 0, "cooperations": 0, "quarters": 0, "value": float("nan")}
    regions = p_all_countries(raw).groupby("activity_id")["region"].nunique()
    coop = a[a["mode"].isin(COOPERATION_MODES) & a["cooperation_id"].notna()]
    both = coop[coop["activity_id"].map(regions).fillna(0) >= 2]
    first = pd.Timestamp(s.start) if s.start else a["end_date"].min()
    last = pd.Timestamp(s.end) if s.end else a["end_date"].max()
    quarters = _quarters(first, last)
    cooperations = int(coop["cooperation_id"].nunique())
    visits = a[a["activity_type"] == "study_visit"]
    days = (visits["end_date"] - visits["start_date"]).dt.days + 1
    p = raw.participations.merge(
        pd.DataFrame({"activity_id": visits["activity_id"], "days": days}), on="activity_id"
    )
    return {
        "numerator": int(len(both)),
        "cooperations": cooperations,
        "quarters": quarters,
        "value": len(both) / (cooperations * quarters) if cooperations else float("nan"),
        "study_visit_person_days": float((p["participants"] * p["days"]).sum()),
    }


def _joint_plan(raw: Raw, o: pd.DataFrame) -> pd.Series:
    """Return True for outputs whose cooperation has partners from >= 2 countries (D2, K12)."""
    m = raw.members.merge(raw.cities[["city_id", "country_iso2"]], on="city_id")
    countries = m.groupby("cooperation_id")["country_iso2"].nunique()
    return o["cooperation_id"].map(countries).fillna(0) >= 2


def output_kpis(raw: Raw, s: Scope) -> dict[str, float]:
    """Return K12-K21 running totals to the period end (D7: abandoned excluded from K16/K18)."""
    o = output_scope(raw, s)
    live = o["status"] != "abandoned"
    kind = o["output_type"]
    developed = _until_end(o["developed_date"], s)
    implemented = _until_end(o["implemented_date"], s) | _until_end(o["adopted_date"], s)
    adopted = _until_end(o["adopted_date"], s)
    plans = (kind == "action_plan") & _joint_plan(raw, o)
    k12 = int((plans & developed & live).sum())
    k13 = int(((kind == "pilot") & developed & live).sum())
    k17 = int((plans & adopted).sum())
    k18 = int(((kind == "pilot") & implemented & live).sum())
    evidence = o["evidence_url"].notna() & (o["evidence_url"].astype(str).str.strip() != "")
    f = raw.funding.merge(o[["output_id"]], on="output_id")
    f = f[_until_end(f["committed_date"], s)]
    return {
        "K12": k12,
        "K13": k13,
        "K14": int(((kind == "solution") & developed & live).sum()),
        "K15": int(((kind == "agreement") & adopted).sum()),
        "K16": int(((kind == "knowledge_product") & developed & live).sum()),
        "K17": k17,
        "K17_pct_of_k12": 100.0 * k17 / k12 if k12 else float("nan"),
        "K18": k18,
        "K18_pct_of_k13": 100.0 * k18 / k13 if k13 else float("nan"),
        "K19": int(((kind == "solution") & (o["status"] == "adopted") & adopted).sum()),
        "K20": round(float(f["amount_eur"].sum()), 2),
        "K21": int(((kind == "policy_change") & adopted & evidence).sum()),
    }


def evaluation_date(raw: Raw, s: Scope) -> pd.Timestamp:
    """Return the D3 evaluation date: the period end, or the data's as-of date if earlier."""
    as_of = pd.Timestamp(data_as_of(raw))
    return min(pd.Timestamp(s.end), as_of) if s.end else as_of


def k22(raw: Raw, s: Scope) -> dict[str, float]:
    """Return K22 (D3): cooperations with support ended >= 12 months before the evaluation date
    that have a completed joint activity or an adopted agreement in [end + 12 months, eval]."""
    ev = evaluation_date(raw, s)
    c = cooperation_scope(raw, s)
    c = c[c["support_end_date"].notna()].copy()
    c["due"] = c["support_end_date"].map(lambda d: d + pd.DateOffset(months=12))
    c = c[c["due"] <= ev]
    a = raw.activities[raw.activities["status"] == "completed"]
    acts = a[["cooperation_id", "end_date"]].rename(columns={"end_date": "date"})
    o = raw.outputs[raw.outputs["output_type"] == "agreement"]
    agreements = o[["cooperation_id", "adopted_date"]].rename(columns={"adopted_date": "date"})
    events = pd.concat([acts, agreements]).dropna()
    e = events.merge(c[["cooperation_id", "due"]], on="cooperation_id")
    e = e[(e["date"] >= e["due"]) & (e["date"] <= ev)]
    num, den = int(e["cooperation_id"].nunique()), len(c)
    return {
        "numerator": num,
        "denominator": den,
        "value": 100.0 * num / den if den else float("nan"),
    }


def _tagged_entities(raw: Raw, s: Scope) -> pd.DataFrame:
    """Return the SDG tags of the activities, outputs and cooperations in scope. A tag is dated
    by its entity (data dictionary): an activity by its end date, an output by its first stage
    date (planned, else developed, implemented, adopted), a cooperation by its start date."""
    a = activity_scope(raw, s)
    a = a[_in_period(a["end_date"], s)]
    o = output_scope(raw, s)
    first_stage = (
        o["planned_date"]
        .fillna(o["developed_date"])
        .fillna(o["implemented_date"])
        .fillna(o["adopted_date"])
    )
    o = o[_in_period(first_stage, s)]
    c = cooperation_scope(raw, s, d1_only=False)
    c = c[_in_period(c["start_date"], s)]
    entities = pd.concat(
        [
            pd.DataFrame({"entity_type": "activity", "entity_id": a["activity_id"]}),
            pd.DataFrame({"entity_type": "output", "entity_id": o["output_id"]}),
            pd.DataFrame({"entity_type": "cooperation", "entity_id": c["cooperation_id"]}),
        ]
    )
    return raw.sdg.merge(entities, on=["entity_type", "entity_id"])


def sdg_kpis(raw: Raw, s: Scope) -> dict[str, float]:
    """Return K24 (distinct accepted targets), K25 (D9) and K26 with its agreement rate."""
    t = _tagged_entities(raw, s)
    accepted = t[t["status"] == "accepted"]
    k24 = int(accepted["target_id"].dropna().nunique())
    a = activity_scope(raw, s)
    a = a[_in_period(a["end_date"], s) & (a["status"] != "cancelled")]
    prim = raw.sdg[
        (raw.sdg["entity_type"] == "activity")
        & (raw.sdg["status"] == "accepted")
        & raw.sdg["is_primary"]
    ]
    with_primary = int(a["activity_id"].isin(set(prim["entity_id"])).sum())
    auto = t[t["method"].isin(("keyword", "model"))]
    reviewed = auto[auto["status"].isin(("accepted", "rejected"))]
    agreed = int((reviewed["status"] == "accepted").sum())
    return {
        "K24": k24,
        "K25_num": with_primary,
        "K25_den": len(a),
        "K25": 100.0 * with_primary / len(a) if len(a) else float("nan"),
        "K26_num": len(reviewed),
        "K26_den": len(auto),
        "K26": 100.0 * len(reviewed) / len(auto) if len(auto) else float("nan"),
        "K26_agreement": 100.0 * agreed / len(reviewed) if len(reviewed) else float("nan"),
    }


def sdg_tags_by_method_status(raw: Raw, s: Scope) -> pd.Series:
    """Return the SDG tags in scope counted per (method, status), every review status."""
    t = _tagged_entities(raw, s)
    return t.groupby(["method", "status"]).size()


def sdg_primary_profile(raw: Raw, s: Scope) -> pd.Series:
    """Return per SDG goal the not-cancelled activities in scope with it as accepted primary."""
    a = activity_scope(raw, s)
    a = a[_in_period(a["end_date"], s) & (a["status"] != "cancelled")]
    prim = raw.sdg[
        (raw.sdg["entity_type"] == "activity")
        & (raw.sdg["status"] == "accepted")
        & raw.sdg["is_primary"]
        & raw.sdg["entity_id"].isin(set(a["activity_id"]))
    ]
    return prim.drop_duplicates(["entity_id", "goal"]).groupby("goal")["entity_id"].nunique()


def sdg_activities_with_target(raw: Raw, s: Scope) -> pd.Series:
    """Return per SDG goal the not-cancelled activities in scope with an accepted tag naming one
    of the goal's targets (the SDG target drill-down's total)."""
    a = activity_scope(raw, s)
    a = a[_in_period(a["end_date"], s) & (a["status"] != "cancelled")]
    tags = raw.sdg[
        (raw.sdg["entity_type"] == "activity")
        & (raw.sdg["status"] == "accepted")
        & raw.sdg["target_id"].notna()
        & raw.sdg["entity_id"].isin(set(a["activity_id"]))
    ]
    return tags.groupby("goal")["entity_id"].nunique()


def sdg_targets_by_goal(raw: Raw, s: Scope) -> pd.Series:
    """Return per SDG goal the distinct targets of accepted tags of entities in scope (K24)."""
    t = _tagged_entities(raw, s)
    t = t[(t["status"] == "accepted") & t["target_id"].notna()]
    return t.groupby("goal")["target_id"].nunique()


def k29(raw: Raw, s: Scope) -> dict[str, float]:
    """Return K29 (D10): filled cells / all cells of the in-scope activity records over every
    activity input column of the data dictionary."""
    a = activity_scope(raw, s)
    a = a[_in_period(a["end_date"], s)]
    cols = activity_input_columns()
    cells = a.reindex(columns=cols)
    filled = cells.notna() & (cells.astype(str).apply(lambda c: c.str.strip()) != "")
    num, den = int(filled.to_numpy().sum()), int(cells.size)
    return {"filled": num, "cells": den, "value": 100.0 * num / den if den else float("nan")}


def k30(raw: Raw, s: Scope) -> dict[str, float]:
    """Return K30 (D5): lower median (a whole day) and mean of reported_date - end_date over the
    completed activities of the period, and their number."""
    a = completed(raw, s)
    lags = np.sort((a["reported_date"] - a["end_date"]).dt.days.to_numpy())
    if len(lags) == 0:
        return {"n": 0, "median": float("nan"), "mean": float("nan"), "sum": 0}
    return {
        "n": len(lags),
        "median": float(lags[(len(lags) - 1) // 2]),
        "mean": float(lags.mean()),
        "sum": float(lags.sum()),
    }


# ---------------------------------------------------------------- page tables


def network_table(raw: Raw, s: Scope) -> pd.DataFrame:
    """Return per network: completed activities, participations, cities, active cooperations."""
    rows = []
    for net in sorted(set(raw.activities["network_id"])):
        sub = dataclasses.replace(s, network=(net,))
        if s.network and net not in s.network:
            continue
        p = participation_scope(raw, sub)
        rows.append(
            {
                "network_id": net,
                "activities": len(completed(raw, sub)),
                "participations": int(p["participants"].sum()),
                "cities": int(p["city_id"].nunique()),
                "cooperations": k01(raw, sub)["total"],
            }
        )
    df = pd.DataFrame(rows)
    return df[(df["activities"] > 0) | (df["participations"] > 0)].set_index("network_id")


def city_table(raw: Raw, s: Scope) -> pd.DataFrame:
    """Return per participating city: participants, organisations, women (declared) and share."""
    p = participation_scope(raw, s)
    g = p.groupby("city_id").agg(
        participants=("participants", "sum"),
        organisations=("organisations", "sum"),
        women=("women", "sum"),
    )
    g["share"] = 100.0 * g["participants"] / g["participants"].sum()
    return g


def region_table(raw: Raw, s: Scope) -> pd.DataFrame:
    """Return per country group (EU, CA, US, MX): participants, cities, organisations, share."""
    p = participation_scope(raw, s)
    p = p.assign(country_group=country_group(p["region"], p["country_iso2"]))
    g = p.groupby("country_group").agg(
        participants=("participants", "sum"),
        cities=("city_id", "nunique"),
        organisations=("organisations", "sum"),
    )
    g["share_participants"] = 100.0 * g["participants"] / g["participants"].sum()
    return g


def stakeholder_table(raw: Raw, s: Scope) -> pd.DataFrame:
    """Return per stakeholder type over the period: participants, share, the K08 figures."""
    p = participation_scope(raw, s)
    g = p.groupby("stakeholder_type").agg(participants=("participants", "sum"))
    g["share"] = 100.0 * g["participants"] / g["participants"].sum()
    d = p[p["women"].notna()].groupby("stakeholder_type")
    g["participants_declared"] = d["participants"].sum()
    g["women"] = d["women"].sum()
    g = g.fillna({"participants_declared": 0, "women": 0})
    g["participants_undeclared"] = g["participants"] - g["participants_declared"]
    g["pct_women"] = 100.0 * g["women"] / g["participants_declared"]
    g["pct_undeclared"] = 100.0 * g["participants_undeclared"] / g["participants"]
    return g


def monthly_by_stakeholder(raw: Raw, s: Scope) -> pd.DataFrame:
    """Return participants and distinct cities per month (of activity end) and stakeholder type."""
    p = participation_scope(raw, s)
    p = p.assign(month=p["end_date"].dt.to_period("M").dt.to_timestamp())
    return p.groupby(["month", "stakeholder_type"]).agg(
        participants=("participants", "sum"), cities=("city_id", "nunique")
    )


def distinct_cities(raw: Raw, s: Scope) -> int:
    """Return the distinct participating cities of the whole period (a recount, never a sum)."""
    return int(participation_scope(raw, s)["city_id"].nunique())


TABLE_KEYS = {
    "city": "cities",
    "cooperation": "cooperations",
    "cooperation_member": "members",
    "activity": "activities",
    "participation": "participations",
    "output": "outputs",
    "funding": "funding",
    "sdg_alignment": "sdg",
}


def dictionary_columns(table: str) -> dict[str, bool]:
    """Return the input columns of an entity in the data dictionary: name -> required."""
    text = DICTIONARY.read_text(encoding="utf-8")
    section = text.split(f"### {table} → `core.{table}`", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| `([a-z0-9_]+)` \| [^|]+ \| (yes|no) \|", section, flags=re.MULTILINE)
    return {name: req == "yes" for name, req in rows}


def completeness(raw: Raw, table: str) -> dict[str, int]:
    """Return K29 per table: required/optional cells and how many are filled (accepted rows)."""
    df = getattr(raw, TABLE_KEYS[table])
    cols = dictionary_columns(table)
    cells = df.reindex(columns=list(cols))
    filled = cells.notna() & (cells.astype(str).apply(lambda c: c.str.strip()) != "")
    req = [c for c, r in cols.items() if r]
    opt = [c for c, r in cols.items() if not r]
    return {
        "required_total": len(df) * len(req),
        "required_filled": int(filled[req].to_numpy().sum()),
        "optional_total": len(df) * len(opt),
        "optional_filled": int(filled[opt].to_numpy().sum()),
    }


def funding_table(raw: Raw, s: Scope, by: str) -> pd.DataFrame:
    """Return funding committed in the period (K20 flow, not the running total) per source type
    or per cooperation of the funded output: amount_eur and number of commitments."""
    o = output_scope(raw, s)[["output_id", "cooperation_id"]]
    f = raw.funding.merge(o, on="output_id")
    f = f[_in_period(f["committed_date"], s)]
    column = {"source_type": "source_type", "cooperation": "cooperation_id"}[by]
    g = f.groupby(column).agg(amount_eur=("amount_eur", "sum"), commitments=("funding_id", "size"))
    g["amount_eur"] = g["amount_eur"].round(2)
    return g


def type_modality_table(raw: Raw, s: Scope) -> pd.DataFrame:
    """Return participants per activity type and modality (participation basis)."""
    p = participation_scope(raw, s)
    return p.groupby(["activity_type", "modality"]).agg(participants=("participants", "sum"))


# ---------------------------------------------------------------- cooperation page


def cooperation_network(raw: Raw, s: Scope) -> dict[str, int]:
    """Return the network map's figures: cooperations of every mode matching network/mode/place
    (a place matches through any member), their distinct member cities, and those per region."""
    c = cooperation_scope(raw, s, d1_only=False)
    m = raw.members[raw.members["cooperation_id"].isin(c["cooperation_id"])]
    m = m.merge(raw.cities[["city_id", "region"]], on="city_id", how="left")
    per_region = m.groupby("region")["city_id"].nunique()
    return {
        "cooperations": int(c["cooperation_id"].nunique()),
        "member_cities": int(m["city_id"].nunique()),
        "EU": int(per_region.get("EU", 0)),
        "NA": int(per_region.get("NA", 0)),
    }


def output_funnel(raw: Raw, s: Scope, cooperation_id: str | None = None) -> dict[str, float]:
    """Return outputs placed in the period by their first dated stage that reached each stage
    (a stage is reached when dated, or when the status is at or past it), and adopted ÷ planned."""
    o = output_scope(raw, s)
    if cooperation_id is not None:
        o = o[o["cooperation_id"] == cooperation_id]
    stages = ["planned_date", "developed_date", "implemented_date", "adopted_date"]
    first = o[stages].bfill(axis=1).iloc[:, 0] if len(o) else pd.Series(dtype="datetime64[us]")
    o = o[_in_period(first, s)]
    status = o["status"]
    out = {
        "planned": len(o),
        "developed": int(
            (
                o["developed_date"].notna() | status.isin(["developed", "implemented", "adopted"])
            ).sum()
        ),
        "implemented": int(
            (o["implemented_date"].notna() | status.isin(["implemented", "adopted"])).sum()
        ),
        "adopted": int((o["adopted_date"].notna() | (status == "adopted")).sum()),
    }
    out["pct_adopted"] = 100.0 * out["adopted"] / out["planned"] if out["planned"] else math.nan
    return out


def organisations(raw: Raw, s: Scope, *, joint: bool = False) -> dict[str, float]:
    """Return D6's parts for K05 (or K09 with `joint`): distinct identified organisations, the
    organisation participations without an identifier, and the identified share."""
    p = participation_scope(raw, s)
    if joint:
        countries = p_all_countries(raw).groupby("activity_id")["country_iso2"].nunique()
        two = set(countries[countries >= 2].index)
        p = p[p["cooperation_id"].notna() & p["activity_id"].isin(two)]
    named = p["organisation_id"].notna()
    identified_rows = int(named.sum())
    unidentified = int(p.loc[~named, "organisations"].fillna(0).sum())
    every = identified_rows + unidentified
    return {
        "identified": int(p.loc[named, "organisation_id"].nunique()),
        "unidentified": unidentified,
        "pct_identified": 100.0 * identified_rows / every if every else math.nan,
    }
