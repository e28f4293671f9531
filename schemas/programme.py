"""Programme structure: cities, cooperations (pairings, trios, clusters) and their members."""

from __future__ import annotations

from schemas.columns import FLOAT, INT, TEXT, Contract, column
from schemas.fields import MAX_YEAR, MIN_YEAR, Code, Date, Iso2, Name, SlugId

#: A city or region taking part in the programme (core.city).
CITY = Contract(
    "Cities and regions of the programme.",
    (
        SlugId(
            "city_id",
            description="Stable identifier: the city name as a slug plus the ISO country code, e.g. 'turin-it'.",
        ),
        Name("name", description="The city's name as the city writes it (UTF-8)."),
        Iso2(
            "country_iso2", description="ISO 3166-1 alpha-2 country code; must be in ref.country."
        ),
        column(
            "region",
            TEXT,
            isin=["EU", "NA"],
            description="Programme region: EU (Europe) or NA (North America); must match the country's region.",
        ),
        column(
            "population",
            INT,
            nullable=True,
            ge=0,
            le=100_000_000,
            description="Resident population (people).",
        ),
        column(
            "population_year",
            INT,
            nullable=True,
            ge=MIN_YEAR,
            le=MAX_YEAR,
            description="Year the population figure refers to.",
        ),
        column(
            "lat",
            FLOAT,
            nullable=True,
            ge=-90,
            le=90,
            description="Latitude in decimal degrees (WGS 84).",
        ),
        column(
            "lon",
            FLOAT,
            nullable=True,
            ge=-180,
            le=180,
            description="Longitude in decimal degrees (WGS 84).",
        ),
        column(
            "geonames_id",
            INT,
            nullable=True,
            ge=1,
            description="GeoNames identifier of the city, when known.",
        ),
    ),
)


#: A city cooperation: a pairing, trio, cluster or global network (core.cooperation).
COOPERATION = Contract(
    "Cooperations between cities.",
    (
        SlugId(
            "cooperation_id",
            description="Stable identifier of the cooperation, e.g. 'guelph-velletri'.",
        ),
        Code(
            "mode",
            description="Cooperation mode from ref.cooperation_mode (pairing, trio, cluster, global_network).",
        ),
        Name("name", description="Display name of the cooperation."),
        Code("network_id", description="Thematic network from ref.network."),
        column(
            "phase",
            TEXT,
            nullable=True,
            str_length={"max_value": 64},
            description="Programme phase or call the cooperation belongs to, free text (e.g. 'IURC 2021-2024').",
        ),
        Date("start_date", description="Date the cooperation started (YYYY-MM-DD)."),
        Date(
            "support_end_date",
            nullable=True,
            description="Date programme support ends (YYYY-MM-DD); not before start_date.",
        ),
    ),
)


#: A city's membership of a cooperation (core.cooperation_member).
COOPERATION_MEMBER = Contract(
    "Which cities belong to which cooperation.",
    (
        SlugId(
            "cooperation_id",
            description="Cooperation the city belongs to; must exist in core.cooperation.",
        ),
        SlugId("city_id", description="Member city; must exist in core.city."),
        column(
            "role",
            TEXT,
            isin=["lead", "partner"],
            description="Role of the city in the cooperation: lead or partner.",
        ),
    ),
)
