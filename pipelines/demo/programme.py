"""The demo programme's structure: real cities and pairings, plus synthetic trios, clusters and a
global network on further real cities (GeoNames)."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

from pipelines.demo.ref import DemoRef

TARGET_CITIES = 60
PERIOD_START = np.datetime64("2023-01-01")
PERIOD_END = np.datetime64("2025-12-31")
AS_OF = np.datetime64("2025-10-31")  # reporting cut-off: later activities are still planned
EVENT_HOSTS = ["Kansas City", "Ottawa", "Zaragoza", "Baltimore", "Mannheim", "Brussels"]
MODE_WEIGHT = {"pairing": 1.0, "trio": 1.3, "cluster": 1.6, "global_network": 1.2}
GEONAMES_SOURCE = "GeoNames cities15000 (CC BY 4.0)"
# IURC North America pairs EU cities with Canadian and US cities (programme brochure): cities of
# other countries in the reference files (e.g. Mexican pairings of the earlier IUC programme)
# and their cooperations stay out of the demo
NORTH_AMERICA = ("CA", "US")

# Further real cities (name, ISO2, GeoNames admin1), most of them named in IURC NA events; the
# admin1 disambiguates (Waterloo ON, not Iowa). Taken in order until the programme has 60 cities.
EXTRA_CITIES: list[tuple[str, str, str]] = [
    ("Kansas City", "US", "Missouri"),
    ("Zaragoza", "ES", "Zaragoza"),
    ("Guelph", "CA", "Ontario"),
    ("Riga", "LV", "Riga"),
    ("Waterloo", "CA", "Ontario"),
    ("Velletri", "IT", "Roma"),
    ("Saint John", "CA", "New Brunswick"),
    ("Mannheim", "DE", "Baden-Württemberg"),
    ("Philadelphia", "US", "Pennsylvania"),
    ("Brussels", "BE", "Brussels"),
    ("Denver", "US", "Colorado"),
    ("Leipzig", "DE", "Sachsen"),
    ("Québec", "CA", "Québec"),
    ("Lisbon", "PT", "Lisboa"),
    ("Minneapolis", "US", "Minnesota"),
    ("Gent", "BE", "East Flanders"),
    ("Vancouver", "CA", "British Columbia"),
    ("Bilbao", "ES", "Bizkaia"),
    ("Portland", "US", "Oregon"),
    ("Tampere", "FI", "Pirkanmaa"),
    ("Winnipeg", "CA", "Manitoba"),
    ("Eindhoven", "NL", "Noord-Brabant"),
    ("Toronto", "CA", "Ontario"),
    ("Cork", "IE", "Cork"),
    ("Victoria", "CA", "British Columbia"),
    ("Kraków", "PL", "Lesser Poland"),
]

# Synthetic cooperations: (id, mode, topic, network, focus subtheme, start, end, member names).
# The first member leads. Names say "Demo" so nobody mistakes them for real IURC cooperations.
SYNTHETIC_COOPERATIONS: list[tuple[str, str, str, str, str, str, str, list[str]]] = [
    (
        "demo-trio-circular-construction",
        "trio",
        "circular construction",
        "ecological_transition",
        "circular_economy",
        "2023-02-01",
        "2024-07-31",
        ["Riga", "Guelph", "Kansas City"],
    ),
    (
        "demo-trio-urban-heat",
        "trio",
        "nature-based solutions against urban heat",
        "ecological_transition",
        "nature_based_solutions",
        "2023-04-01",
        "2024-09-30",
        ["Zaragoza", "Waterloo", "Philadelphia"],
    ),
    (
        "demo-trio-clean-fleets",
        "trio",
        "zero-emission public fleets",
        "urban_renewal",
        "mobility_transport",
        "2024-01-15",
        "2025-07-15",
        ["Mannheim", "Edmonton", "Denver"],
    ),
    (
        "demo-trio-affordable-retrofit",
        "trio",
        "affordable housing retrofit",
        "urban_renewal",
        "housing_social_cohesion",
        "2023-09-01",
        "2025-02-28",
        ["Leipzig", "Saint John", "Minneapolis"],
    ),
    (
        "demo-trio-innovation-districts",
        "trio",
        "innovation districts",
        "innovation",
        "innovation_centres",
        "2024-03-01",
        "2025-08-31",
        ["Tampere", "Québec", "Portland"],
    ),
    (
        "demo-cluster-waste-circularity",
        "cluster",
        "waste prevention and circularity",
        "ecological_transition",
        "circular_economy",
        "2023-01-15",
        "2024-12-31",
        ["Malmö", "Ottawa", "Lisbon", "Gent", "Toronto"],
    ),
    (
        "demo-cluster-active-mobility",
        "cluster",
        "active and shared mobility",
        "urban_renewal",
        "mobility_transport",
        "2023-06-01",
        "2025-05-31",
        ["Zaragoza", "Vancouver", "Bilbao", "Winnipeg", "Eindhoven"],
    ),
    (
        "demo-cluster-inclusive-regeneration",
        "cluster",
        "inclusive neighbourhood regeneration",
        "urban_renewal",
        "deprived_neighbourhoods",
        "2023-03-01",
        "2025-02-28",
        ["Velletri", "Baltimore", "Cork", "Kraków", "Victoria"],
    ),
    (
        "demo-cluster-regional-innovation",
        "cluster",
        "regional innovation ecosystems",
        "innovation",
        "regional_innovation",
        "2024-02-01",
        "2025-09-30",
        ["Eindhoven", "Halifax", "Kansas City", "Cork", "Waterloo"],
    ),
    (
        "demo-global-network-green-cities",
        "global_network",
        "green and just cities",
        "ecological_transition",
        "renovation_wave",
        "2023-01-01",
        "2025-12-31",
        [
            "Brussels",
            "Dortmund",
            "Pittsburgh",
            "Calgary",
            "Rome",
            "Rotterdam",
            "Boston",
            "Portland",
            "Växjö",
            "Burlington",
            "Tallinn",
            "Halifax",
            "Lyon",
            "Barcelona",
            "Turin",
            "Austin",
            "Bologna",
            "Montreal",
            "Manchester",
            "Ottawa",
            "Malmö",
            "Toronto",
            "Hamburg",
            "Hannover",
        ],
    ),
]

COOPERATION_COLUMNS = [
    "cooperation_id",
    "mode",
    "name",
    "network_id",
    "phase",
    "start_date",
    "support_end_date",
]
CITY_COLUMNS = [
    "city_id",
    "name",
    "country_iso2",
    "region",
    "population",
    "population_year",
    "lat",
    "lon",
    "geonames_id",
]


def slugify(name: str, iso2: str) -> str:
    """Return the city slug used across the warehouse, e.g. ('Malmö', 'SE') -> 'malmo-se'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return f"{slug}-{iso2.lower()}"


def build_cities(ref: DemoRef, target: int = TARGET_CITIES) -> pd.DataFrame:
    """Return ~`target` real cities: the programme's own, then EXTRA_CITIES found in GeoNames."""
    regions = dict(zip(ref.country["country_iso2"], ref.country["region"], strict=True))
    cities = ref.cities[ref.cities["country_iso2"].map(_in_programme_area(regions))].copy()
    known_ids = set(cities["city_id"])
    known_geo = set(cities["geonames_id"].dropna().astype(str))
    geo = ref.geonames
    extra: list[dict[str, object]] = []
    for name, iso2, admin1 in EXTRA_CITIES:
        if len(cities) + len(extra) >= target:
            break
        hit = geo[
            ((geo["name"] == name) | (geo["ascii_name"] == name))
            & (geo["country_code"] == iso2)
            & (geo["admin1"] == admin1)
        ]
        if hit.empty or not _in_programme_area(regions)(iso2):
            continue
        row = hit.iloc[0]
        city_id = slugify(str(row["name"]), iso2)
        geonames_id = row["geonameid"]
        if city_id in known_ids or (pd.notna(geonames_id) and str(geonames_id) in known_geo):
            continue
        extra.append(
            {
                "city_id": city_id,
                "name": str(row["name"]),
                "country_iso2": iso2,
                "region": regions[iso2],
                "population": row["population"],
                "population_year": pd.NA,
                "lat": row["latitude"],
                "lon": row["longitude"],
                "geonames_id": geonames_id,
            }
        )
        known_ids.add(city_id)
    out = pd.concat([cities, pd.DataFrame(extra, columns=CITY_COLUMNS)], ignore_index=True)
    out = out[CITY_COLUMNS]
    for col in ("population", "population_year", "geonames_id"):
        out[col] = pd.to_numeric(out[col]).astype("Int64")
    for col in ("lat", "lon"):
        out[col] = pd.to_numeric(out[col]).astype("Float64")
    return out


def _in_programme_area(regions: dict[str, str]) -> Callable[[str], bool]:
    """Return a predicate: is a country EU-side (region EU) or Canada/US?"""
    return lambda iso2: regions.get(iso2) == "EU" or iso2 in NORTH_AMERICA


def _city_lookup(cities: pd.DataFrame) -> dict[str, str]:
    return dict(zip(cities["name"], cities["city_id"], strict=True))


def build_cooperations(
    ref: DemoRef, cities: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Return (cooperations, members, focus subtheme per cooperation): real pairings + synthetic."""
    by_name = _city_lookup(cities)
    city_names = dict(zip(cities["city_id"], cities["name"], strict=True))
    subthemes = ref.subtheme
    valid_subthemes = set(subthemes["subtheme_id"])
    outside = set(
        ref.members.loc[~ref.members["city_id"].isin(cities["city_id"]), "cooperation_id"]
    )
    coops = ref.cooperations.loc[
        ~ref.cooperations["cooperation_id"].isin(outside), COOPERATION_COLUMNS
    ].copy()
    members = ref.members.loc[
        ~ref.members["cooperation_id"].isin(outside), ["cooperation_id", "city_id", "role"]
    ].copy()
    focus: dict[str, str] = {}
    for coop_id, network in zip(coops["cooperation_id"], coops["network_id"], strict=True):
        options = subthemes.loc[subthemes["network_id"] == network, "subtheme_id"].to_numpy()
        focus[coop_id] = str(options[rng.integers(len(options))])
    labels = {
        "trio": "Demo trio",
        "cluster": "Demo cluster",
        "global_network": "Demo global network",
    }
    new_coops, new_members = [], []
    for coop_id, mode, topic, network, subtheme, start, end, names in SYNTHETIC_COOPERATIONS:
        ids = [by_name[n] for n in names if n in by_name]
        if len(ids) < 2:
            continue
        if mode == "global_network":
            name = f"{labels[mode]}: {topic}"
        else:
            name = f"{labels[mode]}: {topic} ({' · '.join(city_names[i] for i in ids)})"
        new_coops.append(
            {
                "cooperation_id": coop_id,
                "mode": mode,
                "name": name,
                "network_id": network,
                "phase": "Phase III (demo)",
                "start_date": start,
                "support_end_date": end,
            }
        )
        new_members += [
            {"cooperation_id": coop_id, "city_id": c, "role": "lead" if i == 0 else "partner"}
            for i, c in enumerate(ids)
        ]
        if subtheme in valid_subthemes:
            focus[coop_id] = subtheme
    coops = pd.concat([coops, pd.DataFrame(new_coops)], ignore_index=True)
    members = pd.concat([members, pd.DataFrame(new_members)], ignore_index=True)
    for col in ("start_date", "support_end_date"):
        coops[col] = pd.to_datetime(coops[col]).dt.date
    return coops, members, focus


def _coop_windows(
    coops: pd.DataFrame, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (lo, hi, weight) of each cooperation's activity window inside the demo period.

    Active cooperations get activities up to a year after support ends; a few long-finished
    pairings keep a little activity going (sustained cooperation, K22)."""
    start = pd.to_datetime(coops["start_date"]).to_numpy().astype("datetime64[D]")
    end = pd.to_datetime(coops["support_end_date"]).to_numpy().astype("datetime64[D]")
    lo = np.maximum(start, PERIOD_START)
    hi = np.minimum(end + 365, PERIOD_END)
    days = (hi - lo).astype(int)
    weight = np.clip(days, 0, None).astype(float)
    sustained = (days <= 30) & (rng.random(len(coops)) < 0.45)
    lo = np.where(sustained, PERIOD_START, lo)
    hi = np.where(sustained, PERIOD_END, hi)
    weight = np.where(sustained, 80.0, np.where(days <= 30, 0.0, weight))
    weight *= coops["mode"].map(MODE_WEIGHT).fillna(1.0).to_numpy()
    return lo, hi, weight


@dataclasses.dataclass
class Programme:
    """Cities, cooperations and members, with the indexes the activity generator needs."""

    cities: pd.DataFrame
    coops: pd.DataFrame
    members: pd.DataFrame
    focus: dict[str, str]  # cooperation -> focus subtheme
    windows: tuple[np.ndarray, np.ndarray, np.ndarray]  # per cooperation: lo, hi, weight
    member_index: tuple[np.ndarray, np.ndarray, np.ndarray]  # start, count, member city index
    event_hosts: np.ndarray  # city indexes of programme-wide hosts


def build_programme(ref: DemoRef, rng: np.random.Generator) -> Programme:
    """Return the demo programme: ~60 real cities, the real pairings and synthetic cooperations."""
    cities = build_cities(ref)
    coops, members, focus = build_cooperations(ref, cities, rng)
    city_pos = {c: i for i, c in enumerate(cities["city_id"])}
    coop_pos = {c: i for i, c in enumerate(coops["cooperation_id"])}
    ordered = members.assign(
        _c=members["cooperation_id"].map(coop_pos), _role=members["role"] != "lead"
    ).sort_values(["_c", "_role"], kind="stable")
    member_city = ordered["city_id"].map(city_pos).to_numpy(dtype=np.int64)
    count = np.bincount(ordered["_c"].to_numpy(dtype=np.int64), minlength=len(coops))
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    hosts = np.array([city_pos[c] for c in cities.loc[cities["name"].isin(EVENT_HOSTS), "city_id"]])
    if len(hosts) == 0:
        hosts = np.arange(len(cities))
    return Programme(
        cities=cities,
        coops=coops,
        members=members,
        focus=focus,
        windows=_coop_windows(coops, rng),
        member_index=(start, count, member_city),
        event_hosts=hosts,
    )
