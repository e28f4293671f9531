"""Demo results: outputs through their lifecycle, funding leveraged, SDG tags and city context."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.demo.activities import ActivityMeta
from pipelines.demo.programme import AS_OF, Programme
from pipelines.demo.ref import DemoRef
from pipelines.demo.text import (
    DEFAULT_SDG,
    EVIDENCE_PATHS,
    OUTPUT_DESCRIPTIONS,
    OUTPUT_TITLES,
    SDG_LINKS,
    topics_for,
)

OUTPUTS_PER_ACTIVITY = 0.2
# output type -> (share, P(developed), P(implemented | developed), P(adopted | implemented))
OUTPUT_MIX: dict[str, tuple[float, float, float, float]] = {
    "action_plan": (0.14, 0.85, 0.70, 0.60),
    "pilot": (0.16, 0.80, 0.65, 0.45),
    "solution": (0.14, 0.75, 0.60, 0.45),
    "agreement": (0.10, 0.80, 0.85, 0.80),
    "knowledge_product": (0.34, 0.90, 0.60, 0.40),
    "policy_change": (0.12, 0.60, 0.60, 0.70),
}
STAGES = ["planned", "developed", "implemented", "adopted"]
# days between stages: (low, high) for planned->developed, ->implemented, ->adopted
STAGE_GAPS = [(30, 200), (45, 300), (30, 300)]
CURRENCY_BY_COUNTRY = {"CA": "CAD", "US": "USD", "GB": "GBP"}
FUNDING_SOURCES = {"eu": 0.2, "public": 0.45, "private": 0.2, "public_private": 0.15}
EVIDENCE_BASE = "https://example.org/iurc-demo/evidence/"
SYNTHETIC_SOURCE = "SYNTHETIC demo value (not real data)"
POPULATION_SOURCE = "GeoNames cities15000 (CC BY 4.0); year approximate when not given"


def _dates(a: np.ndarray) -> np.ndarray:
    """Return datetime64[D] values as an object array of datetime.date / None (NaT -> None)."""
    out = a.astype("datetime64[D]").astype(object)
    out[np.isnat(a)] = None
    return out


def build_outputs(
    ref: DemoRef,
    prog: Programme,
    activities: pd.DataFrame,
    meta: ActivityMeta,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Return outputs stemming from completed cooperation activities, with realistic attrition."""
    source = np.flatnonzero(meta.completed & (meta.coop >= 0))
    n = max(10, round(len(source) * OUTPUTS_PER_ACTIVITY)) if len(source) else 0
    types = ref.output_type["output_type_id"].to_numpy()
    mix = np.array([OUTPUT_MIX.get(t, (0.05, 0.7, 0.5, 0.4)) for t in types])
    act = source[rng.integers(len(source), size=n)]
    type_idx = rng.choice(len(types), size=n, p=mix[:, 0] / mix[:, 0].sum())
    coop = meta.coop[act]
    member_start, member_count, member_city = prog.member_index
    lead_first = rng.random(n) < 0.5
    pick = np.where(lead_first, 0, np.floor(rng.random(n) * member_count[coop]).astype(int))
    city = member_city[member_start[coop] + pick]
    planned = np.minimum(meta.end[act] + rng.integers(5, 90, size=n), AS_OF)
    dates = [planned]
    reached = np.ones(n, dtype=bool)
    stalled = np.zeros(n, dtype=bool)  # stopped by chance, not by the reporting cut-off
    for stage, (lo, hi) in enumerate(STAGE_GAPS, start=1):
        nxt = dates[-1] + rng.integers(lo, hi, size=n)
        success = rng.random(n) < mix[type_idx, stage]
        in_time = nxt <= AS_OF
        stalled |= reached & ~success & in_time
        reached = reached & success & in_time
        dates.append(np.where(reached, nxt, np.datetime64("NaT")))
    stage = np.sum([~np.isnat(d) for d in dates[1:]], axis=0)
    status = np.array(STAGES, dtype=object)[stage]
    abandoned = stalled & (stage < 3) & (rng.random(n) < 0.35)
    status = np.where(abandoned, "abandoned", status)
    order = np.lexsort((act, planned))
    sub_label = dict(zip(ref.subtheme["subtheme_id"], ref.subtheme["label_en"], strict=True))
    city_name = prog.cities["name"].to_numpy()
    city_ids = prog.cities["city_id"].to_numpy()
    u_topic = rng.random(n)
    titles, descriptions, links = [], [], []
    for i in range(n):
        sub = meta.subtheme_id[act[i]]
        topics = topics_for(sub, sub_label.get(sub, "sustainable urban development"))
        kind = types[type_idx[i]]
        words = {"topic": topics[int(u_topic[i] * len(topics))], "city": city_name[city[i]]}
        titles.append(OUTPUT_TITLES.get(kind, "{topic} ({city})").format(**words))
        descriptions.append(
            OUTPUT_DESCRIPTIONS.get(kind, "Synthetic example about {topic} in {city}.").format(
                **words
            )
        )
        links.append(f"{city_ids[city[i]]}/{EVIDENCE_PATHS.get(kind, 'documents')}/")
    output_id = np.array([f"out-{i + 1:06d}" for i in range(n)], dtype=object)
    frameworks = ref.framework["framework_id"].to_numpy()
    framework = np.where(  # type: ignore[call-overload]  # numpy stubs reject None, valid in an object array
        rng.random(n) < 0.8, frameworks[rng.integers(len(frameworks), size=n)], None
    )
    evidence = (stage >= 2) & ((types[type_idx] == "policy_change") | (rng.random(n) < 0.85))
    with_activity = rng.random(n) >= 0.12
    frame = (
        pd.DataFrame(
            {
                "output_type": types[type_idx],
                "title": titles,
                "status": status,
                "cooperation_id": prog.coops["cooperation_id"].to_numpy()[coop],
                "city_id": prog.cities["city_id"].to_numpy()[city],
                "network_id": meta.network_id[act],
                "activity_id": np.where(  # type: ignore[call-overload]  # numpy stubs reject None, valid in an object array
                    with_activity, activities["activity_id"].to_numpy()[act], None
                ),
                "framework_id": framework,
                "planned_date": _dates(dates[0]),
                "developed_date": _dates(dates[1]),
                "implemented_date": _dates(dates[2]),
                "adopted_date": _dates(dates[3]),
                "_evidence": evidence,
                "_link": links,
                "description": descriptions,
                "_subtheme": meta.subtheme_id[act],
            }
        )
        .iloc[order]
        .reset_index(drop=True)
    )
    frame.insert(0, "output_id", output_id)
    # e.g. https://example.org/iurc-demo/evidence/turin-it/action-plans/out-000028.pdf
    evidence_urls = EVIDENCE_BASE + frame.pop("_link") + frame["output_id"] + ".pdf"
    frame.insert(
        13,
        "evidence_url",
        np.where(frame.pop("_evidence"), evidence_urls, None),  # type: ignore[call-overload]  # numpy stubs reject None, valid in an object array
    )
    return frame


TAKE_UP_SHARE = 0.35  # of the implemented or adopted outputs, the share other cities took up
TAKE_UP_BASE = "https://example.org/iurc-demo/take-up/"


def build_adoptions(
    prog: Programme, outputs: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Return synthetic take-up: some implemented or adopted outputs adopted by one to three other
    programme cities (never the output's own city nor its cooperation's), 1-14 months after the
    output's latest stage and not after the reporting cut-off; each with an example.org link."""
    own: dict[str, set[str]] = {}
    for coop, city in zip(prog.members["cooperation_id"], prog.members["city_id"], strict=True):
        own.setdefault(str(coop), set()).add(str(city))
    cities = prog.cities["city_id"].to_numpy()
    done = outputs[outputs["status"].isin(("implemented", "adopted"))]
    last_stage = pd.to_datetime(done["adopted_date"].fillna(done["implemented_date"]))
    rows = []
    for out, latest in zip(
        done.itertuples(index=False), last_stage.to_numpy(dtype="datetime64[D]"), strict=True
    ):
        if rng.random() >= TAKE_UP_SHARE:
            continue
        mine = own.get(str(out.cooperation_id), set()) | {str(out.city_id)}
        others = [c for c in cities if c not in mine]
        for city in rng.choice(
            others, size=min(len(others), int(rng.integers(1, 4))), replace=False
        ):
            day = latest + rng.integers(30, 430)
            if day <= AS_OF:
                rows.append((out.output_id, city, day, TAKE_UP_BASE + f"{out.output_id}/{city}"))
    frame = pd.DataFrame(rows, columns=["output_id", "city_id", "adopted_date", "evidence_url"])
    frame["adopted_date"] = _dates(frame["adopted_date"].to_numpy(dtype="datetime64[D]"))
    return frame.sort_values(["adopted_date", "output_id", "city_id"]).reset_index(drop=True)


def _rates(ref: DemoRef) -> dict[tuple[str, int], float]:
    """Return units per euro by (currency, year) for 2015-2030, a missing year taking the latest
    earlier year's rate (ref.fx_rate may not have the current year yet; ingestion then accepts
    the amount_eur given)."""
    rates: dict[tuple[str, int], float] = {}
    fx = ref.fx_rate.sort_values(["currency", "year"])
    for currency, group in fx.groupby("currency"):
        known = dict(zip(group["year"], group["units_per_eur"], strict=True))
        last = float(group["units_per_eur"].iloc[0])
        for year in range(2015, 2031):
            last = float(known.get(year, last))
            rates[(str(currency), year)] = last
    return rates


def build_funding(
    ref: DemoRef, prog: Programme, outputs: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Return funds committed to outputs in the paying city's currency (EUR, USD, CAD, GBP), with
    amount_eur at the commitment year's rate from ref.fx_rate."""
    status = outputs["status"].to_numpy()
    p = np.select(
        [np.isin(status, ["implemented", "adopted"]), status == "developed", status == "abandoned"],
        [0.8, 0.25, 0.1],
        0.0,
    )
    funded = np.flatnonzero(rng.random(len(outputs)) < p)
    count = 1 + (rng.random(len(funded)) < 0.3)
    idx = np.repeat(funded, count)
    n = len(idx)
    first = (
        pd.to_datetime(outputs["developed_date"].fillna(outputs["planned_date"]))
        .to_numpy()
        .astype("datetime64[D]")[idx]
    )
    span = np.maximum((AS_OF - first).astype(int), 0)
    committed = first + np.floor(rng.random(n) * np.minimum(span + 1, 365)).astype(int)
    # funds come from either side of the cooperation: a random member city's currency
    coop_pos = {c: i for i, c in enumerate(prog.coops["cooperation_id"])}
    coop = outputs["cooperation_id"].map(coop_pos).to_numpy(dtype=np.int64)[idx]
    member_start, member_count, member_city = prog.member_index
    payer = member_city[
        member_start[coop] + np.floor(rng.random(n) * member_count[coop]).astype(int)
    ]
    country = prog.cities["country_iso2"].to_numpy()[payer]
    currency = np.array([CURRENCY_BY_COUNTRY.get(c, "EUR") for c in country], dtype=object)
    year = committed.astype("datetime64[Y]").astype(int) + 1970
    rates = _rates(ref)
    rate = np.array([rates.get((c, int(y)), 1.0) for c, y in zip(currency, year, strict=True)])
    amount = np.maximum(np.round(rng.lognormal(np.log(120_000), 1.1, size=n), -3), 5_000.0)
    sources = [s for s in ref.funding_source["source_type_id"] if s in FUNDING_SOURCES] or list(
        ref.funding_source["source_type_id"]
    )
    weights = np.array([FUNDING_SOURCES.get(s, 0.1) for s in sources])
    source = np.array(sources, dtype=object)[
        rng.choice(len(sources), size=n, p=weights / weights.sum())
    ]
    order = np.lexsort((idx, committed))
    frame = (
        pd.DataFrame(
            {
                "output_id": outputs["output_id"].to_numpy()[idx],
                "amount": amount,
                "currency": currency,
                "amount_eur": np.round(amount / rate, 2),
                "source_type": source,
                "committed_date": _dates(committed),
            }
        )
        .iloc[order]
        .reset_index(drop=True)
    )
    frame.insert(0, "funding_id", [f"fund-{i + 1:06d}" for i in range(n)])
    return frame


def _sdg_tables(ref: DemoRef) -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]:
    """Return per subtheme (row index, 3 goals, 5 targets padded with '', slot of each target's
    goal or -1); targets are kept only when ref.sdg_target lists them under that goal."""
    valid = set(zip(ref.sdg_target["target_id"], ref.sdg_target["goal"], strict=True))
    keys = list(SDG_LINKS) + [""]
    goals = np.zeros((len(keys), 3), dtype=int)
    targets = np.full((len(keys), 5), "", dtype=object)
    slot = np.full((len(keys), 5), -1, dtype=int)
    for r, key in enumerate(keys):
        g, ts = SDG_LINKS.get(key, DEFAULT_SDG)
        goals[r] = g[:3]
        kept = [t for t in ts if (t, int(t.split(".")[0])) in valid][:5]
        for k, t in enumerate(kept):
            targets[r, k] = t
            goal = int(t.split(".")[0])
            slot[r, k] = g.index(goal) if goal in g[:3] else -1
    return {k: i for i, k in enumerate(keys)}, goals, targets, slot


def build_sdg_alignments(
    ref: DemoRef,
    prog: Programme,
    activities: pd.DataFrame,
    outputs: pd.DataFrame,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Return goal- and target-level SDG tags with exactly one primary (never rejected) goal per
    tagged activity, output and cooperation; methods manual/keyword/model, review statuses."""
    keep_act = (activities["status"] != "cancelled").to_numpy() & (
        rng.random(len(activities)) < 0.75
    )
    keep_out = (outputs["status"] != "abandoned").to_numpy() & (rng.random(len(outputs)) < 0.85)
    entity_type = np.concatenate(
        [
            np.full(len(prog.coops), "cooperation", dtype=object),
            np.full(int(keep_act.sum()), "activity", dtype=object),
            np.full(int(keep_out.sum()), "output", dtype=object),
        ]
    )
    entity_id = np.concatenate(
        [
            prog.coops["cooperation_id"].to_numpy(dtype=object),
            activities["activity_id"].to_numpy(dtype=object)[keep_act],
            outputs["output_id"].to_numpy(dtype=object)[keep_out],
        ]
    )
    subtheme = np.concatenate(
        [
            np.array([prog.focus.get(c, "") for c in prog.coops["cooperation_id"]], dtype=object),
            activities["subtheme_id"].to_numpy(dtype=object)[keep_act],
            outputs["_subtheme"].to_numpy(dtype=object)[keep_out]
            if "_subtheme" in outputs
            else np.full(int(keep_out.sum()), "", dtype=object),
        ]
    )
    row_of, goals, targets, slot = _sdg_tables(ref)
    sub_row = np.array([row_of.get(s if isinstance(s, str) else "", row_of[""]) for s in subtheme])
    n = len(entity_id)
    primary_slot = rng.choice(3, size=n, p=[0.7, 0.2, 0.1])
    goal_on = rng.random((n, 3)) < 0.45
    goal_on[np.arange(n), primary_slot] = True
    tslot = slot[sub_row]
    target_on = (rng.random((n, 5)) < 0.35) & (tslot >= 0) & (targets[sub_row] != "")
    target_on &= np.take_along_axis(goal_on, np.maximum(tslot, 0), axis=1)
    gi, gj = np.nonzero(goal_on)
    ti, tj = np.nonzero(target_on)
    ent = np.concatenate([gi, ti])
    row_goal = np.concatenate([goals[sub_row[gi], gj], goals[sub_row[ti], tslot[ti, tj]]])
    row_target = np.concatenate([np.full(len(gi), None, dtype=object), targets[sub_row[ti], tj]])
    is_primary = np.concatenate([gj == primary_slot[gi], np.zeros(len(ti), dtype=bool)])
    m = len(ent)
    method = np.array(["manual", "keyword", "model"], dtype=object)[
        rng.choice(3, size=m, p=[0.3, 0.4, 0.3])
    ]
    status = np.array(["suggested", "accepted", "rejected"], dtype=object)[
        rng.choice(3, size=m, p=[0.35, 0.45, 0.2])
    ]
    status = np.where(method == "manual", "accepted", status)
    status = np.where(is_primary & (status == "rejected"), "accepted", status)
    raw_score = np.where(method == "keyword", rng.uniform(0.35, 0.9, m), rng.uniform(0.5, 0.99, m))
    score = pd.array(np.round(raw_score, 2), dtype="Float64")
    score[method == "manual"] = pd.NA
    order = np.lexsort((row_target.astype(str), row_goal, ent))
    return (
        pd.DataFrame(
            {
                "entity_type": entity_type[ent],
                "entity_id": entity_id[ent],
                "goal": row_goal,
                "target_id": row_target,
                "is_primary": is_primary,
                "method": method,
                "score": score,
                "status": status,
            }
        )
        .iloc[order]
        .reset_index(drop=True)
    )


def build_city_context(prog: Programme, rng: np.random.Generator) -> pd.DataFrame:
    """Return context metrics per city: real population (GeoNames) and synthetic others."""
    cities = prog.cities
    n = len(cities)
    is_na = (cities["region"] == "NA").to_numpy()
    rows = []
    pop_year = cities["population_year"].fillna(2024).astype(int).to_numpy()
    for i, (city_id, pop) in enumerate(zip(cities["city_id"], cities["population"], strict=True)):
        if pd.notna(pop):
            rows.append(
                (city_id, "population", int(pop_year[i]), float(pop), "people", POPULATION_SOURCE)
            )
    density = rng.lognormal(np.log(np.where(is_na, 1500, 3500)), 0.45)
    gdp = rng.normal(np.where(is_na, 62_000, 41_000), 9_000).clip(18_000)
    co2 = rng.normal(np.where(is_na, 13.5, 6.2), 1.6).clip(2)
    green = rng.uniform(8, 35, n)
    for year, drift in ((2022, 1.0), (2023, 1.02)):
        for i, city_id in enumerate(cities["city_id"]):
            rows += [
                (
                    city_id,
                    "population_density",
                    year,
                    round(density[i] * drift, 0),
                    "people/km2",
                    SYNTHETIC_SOURCE,
                ),
                (
                    city_id,
                    "gdp_per_capita",
                    year,
                    round(gdp[i] * drift, -2),
                    "EUR",
                    SYNTHETIC_SOURCE,
                ),
                (
                    city_id,
                    "co2_per_capita",
                    year,
                    round(co2[i] / drift, 2),
                    "t CO2e",
                    SYNTHETIC_SOURCE,
                ),
                (city_id, "green_space_share", year, round(green[i], 1), "%", SYNTHETIC_SOURCE),
            ]
    return pd.DataFrame(rows, columns=["city_id", "metric", "year", "value", "unit", "source"])
