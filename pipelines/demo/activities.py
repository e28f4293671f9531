"""Demo activities and participations, vectorised so that 10 million participation rows take
seconds: every activity draws its (city, stakeholder type) rows as a weighted sample without
replacement (Gumbel top-k), so the natural key (activity_id, city_id, stakeholder_type) is unique
by construction."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from pipelines.demo.programme import AS_OF, PERIOD_END, PERIOD_START, Programme
from pipelines.demo.ref import DemoRef
from pipelines.demo.text import TYPE_SENTENCES, topics_for

# activity type -> (share of cooperation activities, share of programme-wide activities)
TYPE_MIX: dict[str, tuple[float, float]] = {
    "study_visit": (0.18, 0.0),
    "thematic_event": (0.05, 0.20),
    "networking_event": (0.04, 0.15),
    "technical_session": (0.25, 0.10),
    "training": (0.12, 0.10),
    "capacity_building": (0.12, 0.05),
    "webinar": (0.12, 0.40),
    "staff_exchange": (0.12, 0.0),
}
# activity type -> P(in_person, online, hybrid)
MODALITY_MIX: dict[str, tuple[float, float, float]] = {
    "study_visit": (1, 0, 0),
    "staff_exchange": (1, 0, 0),
    "networking_event": (0.8, 0, 0.2),
    "thematic_event": (0.5, 0.1, 0.4),
    "technical_session": (0.3, 0.5, 0.2),
    "training": (0.4, 0.4, 0.2),
    "capacity_building": (0.5, 0.3, 0.2),
    "webinar": (0, 1, 0),
}
# activity type -> (min rows, Poisson mean of extra rows, duration days lo..hi, participants mean)
TYPE_SHAPE: dict[str, tuple[int, float, int, int, float]] = {
    "study_visit": (3, 5, 1, 4, 2.5),
    "staff_exchange": (1, 2, 4, 13, 0.4),
    "technical_session": (3, 8, 0, 1, 1.5),
    "training": (3, 9, 0, 2, 2.5),
    "capacity_building": (3, 9, 1, 3, 2.5),
    "webinar": (10, 40, 0, 0, 2.0),
    "thematic_event": (12, 40, 0, 1, 2.5),
    "networking_event": (20, 60, 0, 2, 2.0),
}
DEFAULT_SHAPE = (3, 8, 0, 1, 1.5)
OPEN_TYPES = {"webinar", "thematic_event", "networking_event"}
# stakeholder type -> (row weight, share of women, P(one row = one organisation))
STAKEHOLDERS: dict[str, tuple[float, float]] = {
    "local_government": (3.0, 0.52),
    "regional_government": (0.7, 0.48),
    "academia": (1.4, 0.47),
    "business": (1.1, 0.36),
    "civil_society": (1.2, 0.63),
    "other": (0.35, 0.5),
}
PROGRAMME_WIDE_SHARE = 0.22
# Organisations per city a stakeholder type draws on (a few municipal bodies, a handful of
# universities, more firms and associations): ~30 per city, ~1,500 for 60 cities at most.
ORGANISATION_POOL = {
    "local_government": 3,
    "regional_government": 1,
    "academia": 4,
    "business": 12,
    "civil_society": 7,
    "other": 3,
}
# share of participation rows without an organisation identifier: some cities never send one,
# others miss a few rows (exercises the "organisation participations" fallback, D6)
ORG_ID_MISSING_CITY_SHARE = 0.1
ORG_ID_MISSING_ROW_SHARE = 0.06
ROWS_PER_ACTIVITY_GUESS = 17.0


@dataclasses.dataclass
class Participations:
    """Participation rows as code arrays (compact at 10 M rows); -1 means null."""

    activity: np.ndarray  # int32 index into activity ids
    city: np.ndarray  # int32 index into city ids
    stakeholder: np.ndarray  # int8 index into stakeholder ids
    participants: np.ndarray  # int32
    women: np.ndarray  # int32, -1 = not declared
    organisations: np.ndarray  # int32
    completions: np.ndarray  # int32, -1 = not applicable
    organisation: np.ndarray  # int32 index into organisation_ids, -1 = not identified
    activity_ids: np.ndarray
    city_ids: np.ndarray
    stakeholder_ids: np.ndarray
    organisation_ids: np.ndarray

    def __len__(self) -> int:
        return len(self.activity)

    def frame(self) -> pd.DataFrame:
        """Return the rows as a DataFrame in input-file columns (for small scales and tests)."""

        def nullable(a: np.ndarray) -> pd.Series:
            return pd.Series(np.where(a < 0, 0, a), dtype="Int64").mask(a < 0)

        return pd.DataFrame(
            {
                "activity_id": self.activity_ids[self.activity],
                "city_id": self.city_ids[self.city],
                "stakeholder_type": self.stakeholder_ids[self.stakeholder],
                "participants": pd.Series(self.participants, dtype="Int64"),
                "women": nullable(self.women),
                "organisations": pd.Series(self.organisations, dtype="Int64"),
                "completions": nullable(self.completions),
                "organisation_id": pd.Series(
                    self.organisation_ids[np.maximum(self.organisation, 0)], dtype="str"
                ).mask(self.organisation < 0),
            }
        )


@dataclasses.dataclass
class ActivityMeta:
    """Per-activity codes the other generators need (same order as the activities frame)."""

    type_id: np.ndarray
    coop: np.ndarray  # index into cooperations, -1 = programme-wide
    network_id: np.ndarray
    subtheme_id: np.ndarray
    start: np.ndarray  # datetime64[D]
    end: np.ndarray
    completed: np.ndarray  # bool


def _pick(rng: np.random.Generator, probs: np.ndarray, n: int) -> np.ndarray:
    """Draw n category indices from one probability vector."""
    p = np.asarray(probs, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _pick_rows(rng: np.random.Generator, prob_rows: np.ndarray) -> np.ndarray:
    """Draw one category per row of a (n, k) probability matrix."""
    cum = np.cumsum(prob_rows / prob_rows.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(prob_rows))[:, None]
    return np.minimum((u > cum).sum(axis=1), prob_rows.shape[1] - 1)


def _draw_activities(ref: DemoRef, prog: Programme, n: int, rng: np.random.Generator) -> dict:
    """Draw n activities' attributes (unsorted, without ids or text)."""
    types = ref.activity_type["activity_type_id"].to_numpy()
    lo_c, hi_c, w_c = prog.windows
    wide = rng.random(n) < PROGRAMME_WIDE_SHARE
    coop = np.where(wide, -1, _pick(rng, w_c, n))
    mix = np.array([TYPE_MIX.get(t, (0.02, 0.02)) for t in types])
    t_coop, t_wide = _pick(rng, mix[:, 0], n), _pick(rng, mix[:, 1], n)
    type_idx = np.where(wide, t_wide, t_coop)
    type_id = types[type_idx]
    modality_p = np.array([MODALITY_MIX.get(t, (0.4, 0.4, 0.2)) for t in types])
    modality_idx = _pick_rows(rng, modality_p[type_idx])
    shape = np.array([TYPE_SHAPE.get(t, DEFAULT_SHAPE) for t in types])[type_idx]
    duration = shape[:, 2] + np.floor(rng.random(n) * (shape[:, 3] - shape[:, 2] + 1))
    duration = duration.astype(int)
    lo = np.where(wide, PERIOD_START, lo_c[np.maximum(coop, 0)])
    hi = np.where(wide, PERIOD_END, hi_c[np.maximum(coop, 0)])
    span = np.maximum((hi - lo).astype(int) - duration, 0)
    start = lo + np.floor(rng.random(n) * (span + 1)).astype(int)
    end = start + duration
    u = rng.random(n)
    status = np.where(
        end <= AS_OF,
        np.where(u < 0.04, "cancelled", "completed"),
        np.where((start > AS_OF) & (u < 0.05), "cancelled", "planned"),
    )
    extra_rows = rng.poisson(shape[:, 1])
    rows = np.where(status == "completed", shape[:, 0].astype(int) + extra_rows, 0)
    return {
        "wide": wide,
        "coop": coop,
        "type_idx": type_idx,
        "type_id": type_id,
        "modality_idx": modality_idx,
        "start": start,
        "end": end,
        "status": status,
        "rows": rows,
        "participants_mean": shape[:, 4],
    }


def _truncate(draw: dict, n_rows: int) -> dict:
    """Keep the activities whose rows add up to exactly n_rows (the last one trimmed)."""
    cum = np.cumsum(draw["rows"])
    k = int(np.searchsorted(cum, n_rows, side="left"))
    out = {key: value[: k + 1].copy() for key, value in draw.items()}
    before = int(cum[k - 1]) if k > 0 else 0
    out["rows"][k] = n_rows - before
    return out


def _text_columns(
    ref: DemoRef,
    prog: Programme,
    d: dict,
    network_id: np.ndarray,
    subtheme_id: np.ndarray,
    host: np.ndarray,
    rng: np.random.Generator,
) -> tuple[list[str], list[str]]:
    """Return (titles, descriptions) such as 'Study visit: nature-based solutions in Malmö'."""
    type_label = dict(zip(ref.activity_type["activity_type_id"], ref.activity_type["label_en"]))
    sub_label = dict(zip(ref.subtheme["subtheme_id"], ref.subtheme["label_en"]))
    net_label = dict(zip(ref.network["network_id"], ref.network["label_en"]))
    city_name = prog.cities["name"].to_numpy()
    coop_name = prog.coops["name"].to_numpy()
    pick = rng.random(len(host))
    titles, descriptions = [], []
    for i in range(len(host)):
        t = d["type_id"][i]
        label = type_label.get(t, t)
        sub = subtheme_id[i]
        topics = topics_for(sub, sub_label.get(sub, net_label[network_id[i]]))
        topic = topics[int(pick[i] * len(topics))]
        where = f" in {city_name[host[i]]}" if host[i] >= 0 else ""
        titles.append(f"{label}: {topic}{where}")
        c = d["coop"][i]
        sentence = TYPE_SENTENCES.get(t, "")
        if c >= 0:
            text = f"{label} on {topic}, organised within {coop_name[c]}. {sentence}"
        else:
            text = (
                f"Programme-wide {label.lower()} on {topic}, open to all IURC North America "
                f"cities. {sentence}"
            )
        descriptions.append(text.strip())
    return titles, descriptions


def build_activities(
    ref: DemoRef, prog: Programme, n_rows: int, rng: np.random.Generator
) -> tuple[pd.DataFrame, ActivityMeta, dict]:
    """Return (activities frame, per-activity meta, the raw draw) with exactly n_rows rows to come."""
    base_seed = int(rng.integers(2**62))
    n = max(20, int(n_rows / ROWS_PER_ACTIVITY_GUESS * 1.15) + 10)
    attempt = 0
    while True:
        draw = _draw_activities(ref, prog, n, np.random.default_rng([base_seed, attempt]))
        total = int(draw["rows"].sum())
        if total >= n_rows:
            break
        n = int(n * 1.25 * n_rows / max(total, 1)) + 10
        attempt += 1
    d = _truncate(draw, n_rows)
    order = np.argsort(d["start"], kind="stable")
    d = {key: value[order] for key, value in d.items()}
    m = len(d["start"])
    coops: pd.DataFrame = prog.coops
    coop_network = coops["network_id"].to_numpy()
    networks = ref.network["network_id"].to_numpy()
    network_id = np.where(
        d["wide"],
        networks[rng.integers(len(networks), size=m)],
        coop_network[np.maximum(d["coop"], 0)],
    )
    subthemes = ref.subtheme
    sub_by_net = {net: g["subtheme_id"].to_numpy() for net, g in subthemes.groupby("network_id")}
    focus = np.array([prog.focus.get(c, "") for c in coops["cooperation_id"]], dtype=object)
    u_sub, u_focus = rng.random(m), rng.random(m)
    subtheme_id = np.array(
        [
            sub_by_net[network_id[i]][int(u_sub[i] * len(sub_by_net[network_id[i]]))]
            for i in range(m)
        ],
        dtype=object,
    )
    use_focus = (d["coop"] >= 0) & (u_focus < 0.6)
    subtheme_id = np.where(use_focus, focus[np.maximum(d["coop"], 0)], subtheme_id)
    subtheme_id = np.where(rng.random(m) < 0.05, None, subtheme_id)
    cross = ref.cross_cutting["cross_cutting_id"].to_numpy()
    cross_id = np.where(rng.random(m) < 0.35, cross[rng.integers(len(cross), size=m)], None)
    # host: a member of the cooperation, or an event city for programme-wide events; none online
    modalities = ref.modality["modality_id"].to_numpy()
    modality_id = modalities[np.minimum(d["modality_idx"], len(modalities) - 1)]
    member_start, member_count, member_city = prog.member_index
    cidx = np.maximum(d["coop"], 0)
    member_pick = member_start[cidx] + np.floor(rng.random(m) * member_count[cidx]).astype(int)
    hosts = prog.event_hosts
    host = np.where(
        d["coop"] >= 0, member_city[member_pick], hosts[rng.integers(len(hosts), size=m)]
    )
    host = np.where(modality_id == "online", -1, host)
    lag = np.rint(rng.gamma(1.5, 14.0, size=m)).astype(int)
    lag = np.where(rng.random(m) < 0.1, lag * 4, lag)
    lead = rng.integers(10, 120, size=m)
    completed = d["status"] == "completed"
    reported = np.where(
        completed, np.minimum(d["end"] + lag, AS_OF), np.minimum(d["start"], AS_OF) - lead
    )
    titles, descriptions = _text_columns(ref, prog, d, network_id, subtheme_id, host, rng)
    year = d["start"].astype("datetime64[Y]").astype(int) + 1970
    activity_id = np.array([f"act-{y}-{i + 1:07d}" for i, y in enumerate(year)], dtype=object)
    coop_ids = coops["cooperation_id"].to_numpy()
    city_ids = prog.cities["city_id"].to_numpy()
    activities = pd.DataFrame(
        {
            "activity_id": activity_id,
            "title": titles,
            "description": descriptions,
            "activity_type": d["type_id"],
            "modality": modality_id,
            "status": d["status"],
            "start_date": d["start"].astype(object),
            "end_date": d["end"].astype(object),
            "network_id": network_id,
            "subtheme_id": subtheme_id,
            "cross_cutting_id": cross_id,
            "cooperation_id": np.where(d["coop"] >= 0, coop_ids[cidx], None),
            "host_city_id": np.where(host >= 0, city_ids[np.maximum(host, 0)], None),
            "reported_date": reported.astype(object),
        }
    )
    meta = ActivityMeta(
        type_id=d["type_id"],
        coop=d["coop"],
        network_id=network_id,
        subtheme_id=subtheme_id,
        start=d["start"],
        end=d["end"],
        completed=completed,
    )
    return activities, meta, d


def _group_weights(ref: DemoRef, prog: Programme, rng: np.random.Generator) -> np.ndarray:
    """Return city weights per group: rows 2c / 2c+1 = cooperation c closed / open activities,
    then one row per network for programme-wide activities."""
    cities: pd.DataFrame = prog.cities
    n_city = len(cities)
    activity_level = rng.lognormal(0.0, 0.5, size=n_city)
    coops: pd.DataFrame = prog.coops
    members: pd.DataFrame = prog.members
    city_pos = {c: i for i, c in enumerate(cities["city_id"])}
    coop_pos = {c: i for i, c in enumerate(coops["cooperation_id"])}
    is_member = np.zeros((len(coops), n_city), dtype=bool)
    for coop_id, city_id in zip(members["cooperation_id"], members["city_id"]):
        if coop_id in coop_pos and city_id in city_pos:
            is_member[coop_pos[coop_id], city_pos[city_id]] = True
    closed = np.where(is_member, 1.0, 0.004) * activity_level
    opened = np.where(is_member, 1.0, 0.08) * activity_level
    networks = ref.network["network_id"].to_numpy()
    coop_net = coops["network_id"].to_numpy()
    in_network = np.array([is_member[coop_net == net].any(axis=0) for net in networks])
    wide = np.where(in_network, 2.0, 1.0) * activity_level
    groups = np.empty((2 * len(coops) + len(networks), n_city))
    groups[0 : 2 * len(coops) : 2] = closed
    groups[1 : 2 * len(coops) : 2] = opened
    groups[2 * len(coops) :] = wide
    return groups


def build_participations(
    ref: DemoRef,
    prog: Programme,
    activities: pd.DataFrame,
    meta: ActivityMeta,
    rows: np.ndarray,
    rng: np.random.Generator,
    chunk_slots: int = 4_000_000,
) -> Participations:
    """Return the participation rows: rows[i] distinct (city, stakeholder type) pairs per activity."""
    stakeholders = ref.stakeholder_type["stakeholder_type_id"].to_numpy()
    n_st = len(stakeholders)
    st_weight = np.array([STAKEHOLDERS.get(s, (0.5, 0.5))[0] for s in stakeholders])
    st_women = np.array([STAKEHOLDERS.get(s, (0.5, 0.5))[1] for s in stakeholders])
    is_local = stakeholders == "local_government"
    groups = _group_weights(ref, prog, rng)
    n_city = groups.shape[1]
    n_slots = n_city * n_st
    rows = np.minimum(rows, n_slots)
    networks = list(ref.network["network_id"])
    net_pos = np.array([networks.index(x) for x in meta.network_id])
    is_open = np.isin(meta.type_id, list(OPEN_TYPES))
    n_coop = len(prog.coops)
    group = np.where(meta.coop >= 0, 2 * meta.coop + is_open, 2 * n_coop + net_pos)
    log_w = np.log(groups)[:, :, None] + np.log(st_weight)[None, None, :]
    log_w = log_w.reshape(len(groups), n_slots)
    idx_act = np.flatnonzero(rows > 0)
    chunk = max(1, chunk_slots // n_slots)
    out_act, out_slot = [], []
    for s in range(0, len(idx_act), chunk):
        acts = idx_act[s : s + chunk]
        m = rows[acts]
        kmax = int(m.max())
        keys = log_w[group[acts]] - np.log(-np.log(rng.random((len(acts), n_slots))))
        if kmax < n_slots:
            top = np.argpartition(-keys, kmax - 1, axis=1)[:, :kmax]
        else:
            top = np.broadcast_to(np.arange(n_slots), (len(acts), n_slots))
        top_keys = np.take_along_axis(keys, top, axis=1)
        top = np.take_along_axis(top, np.argsort(-top_keys, axis=1), axis=1)
        take = np.arange(kmax)[None, :] < m[:, None]
        slot = top[take]
        act = np.repeat(acts, m)
        order = np.lexsort((slot, act))
        out_act.append(act[order].astype(np.int32))
        out_slot.append(slot[order].astype(np.int32))
    act = np.concatenate(out_act) if out_act else np.zeros(0, np.int32)
    slot = np.concatenate(out_slot) if out_slot else np.zeros(0, np.int32)
    city = (slot // n_st).astype(np.int32)
    st = (slot % n_st).astype(np.int8)
    return _row_values(
        ref, prog, meta, act, city, st, st_women, is_local, stakeholders, activities, rng
    )


def _row_values(
    ref: DemoRef,
    prog: Programme,
    meta: ActivityMeta,
    act: np.ndarray,
    city: np.ndarray,
    st: np.ndarray,
    st_women: np.ndarray,
    is_local: np.ndarray,
    stakeholders: np.ndarray,
    activities: pd.DataFrame,
    rng: np.random.Generator,
) -> Participations:
    """Return Participations with counts drawn for each (activity, city, stakeholder) row."""
    n = len(act)
    types = ref.activity_type["activity_type_id"].to_numpy()
    cap_types = set(types[ref.activity_type["is_capacity_building"].to_numpy()])
    mean_by_type = {t: TYPE_SHAPE.get(t, DEFAULT_SHAPE)[4] for t in types}
    act_mean = np.array([mean_by_type.get(t, 1.5) for t in meta.type_id])
    participants = 1 + rng.poisson(act_mean[act] * np.where(is_local[st], 1.3, 1.0))
    n_city = len(prog.cities)
    undeclared_city = np.where(rng.random(n_city) < 0.15, 0.35, 0.03)
    declared = rng.random(n) >= undeclared_city[city]
    p_women = np.clip(st_women[st] + rng.normal(0, 0.08, n), 0.05, 0.95)
    women = np.where(declared, rng.binomial(participants, p_women), -1)
    org_p = np.where(is_local[st], 0.05, 0.4)
    organisations = 1 + rng.binomial(participants - 1, org_p)
    is_cap = np.isin(meta.type_id, list(cap_types))[act]
    completions = np.where(is_cap, rng.binomial(participants, 0.84), -1)
    organisation, organisation_ids = _organisations(prog, city, st, stakeholders, rng)
    # a row naming its organisation counts exactly one organisation
    organisations = np.where(organisation >= 0, 1, organisations)
    return Participations(
        activity=act,
        city=city,
        stakeholder=st,
        participants=participants.astype(np.int32),
        women=women.astype(np.int32),
        organisations=organisations.astype(np.int32),
        completions=completions.astype(np.int32),
        organisation=organisation,
        activity_ids=activities["activity_id"].to_numpy(),
        city_ids=prog.cities["city_id"].to_numpy(),
        stakeholder_ids=stakeholders,
        organisation_ids=organisation_ids,
    )


def _organisations(
    prog: Programme,
    city: np.ndarray,
    st: np.ndarray,
    stakeholders: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (organisation index per row, -1 = none; organisation slugs).

    Each city has a pool of organisations per stakeholder type (ORGANISATION_POOL); a row draws
    one, the first ones more often (the city council comes to most events)."""
    city_ids = prog.cities["city_id"].to_numpy().astype(str)
    pool = np.array([ORGANISATION_POOL.get(str(s), 2) for s in stakeholders], dtype=np.int64)
    offset = np.concatenate([[0], np.cumsum(pool)[:-1]])
    per_city = int(pool.sum())
    slugs = np.array(
        [
            f"{c}-{str(s).replace('_', '-')}-{k + 1}"
            for c in city_ids
            for s, size in zip(stakeholders, pool, strict=True)
            for k in range(size)
        ]
    )
    pick = np.floor(pool[st] * rng.random(len(city)) ** 2).astype(np.int64)
    index = city.astype(np.int64) * per_city + offset[st] + pick
    silent_city = rng.random(len(city_ids)) < ORG_ID_MISSING_CITY_SHARE
    missing = silent_city[city] | (rng.random(len(city)) < ORG_ID_MISSING_ROW_SHARE)
    return np.where(missing, -1, index).astype(np.int32), slugs
