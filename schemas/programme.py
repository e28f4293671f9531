"""Programme structure: cities, cooperations (pairings, trios, clusters) and their members."""

from __future__ import annotations

import pandera.pandas as pa

from schemas.fields import MAX_YEAR, MIN_YEAR, Code, Date, Iso2, Name, SlugId
from schemas.types import DateCol, Float, Int, Text


class City(pa.DataFrameModel):
    """A city or region taking part in the programme (core.city)."""

    city_id: Text = SlugId(
        description="Stable identifier: the city name as a slug plus the ISO country code, e.g. 'turin-it'."
    )
    name: Text = Name(description="The city's name as the city writes it (UTF-8).")
    country_iso2: Text = Iso2(
        description="ISO 3166-1 alpha-2 country code; must be in ref.country."
    )
    region: Text = pa.Field(
        isin=["EU", "NA"],
        description="Programme region: EU (Europe) or NA (North America); must match the country's region.",
    )
    population: Int = pa.Field(
        nullable=True, ge=0, le=100_000_000, description="Resident population (people)."
    )
    population_year: Int = pa.Field(
        nullable=True, ge=MIN_YEAR, le=MAX_YEAR, description="Year the population figure refers to."
    )
    lat: Float = pa.Field(
        nullable=True, ge=-90, le=90, description="Latitude in decimal degrees (WGS 84)."
    )
    lon: Float = pa.Field(
        nullable=True, ge=-180, le=180, description="Longitude in decimal degrees (WGS 84)."
    )
    geonames_id: Int = pa.Field(
        nullable=True, ge=1, description="GeoNames identifier of the city, when known."
    )

    class Config:
        strict = True
        coerce = True
        description = "Cities and regions of the programme."


class Cooperation(pa.DataFrameModel):
    """A city cooperation: a pairing, trio, cluster or global network (core.cooperation)."""

    cooperation_id: Text = SlugId(
        description="Stable identifier of the cooperation, e.g. 'guelph-velletri'."
    )
    mode: Text = Code(
        description="Cooperation mode from ref.cooperation_mode (pairing, trio, cluster, global_network)."
    )
    name: Text = Name(description="Display name of the cooperation.")
    network_id: Text = Code(description="Thematic network from ref.network.")
    phase: Text = pa.Field(
        nullable=True,
        str_length={"max_value": 64},
        description="Programme phase or call the cooperation belongs to, free text (e.g. 'IURC 2021-2024').",
    )
    start_date: DateCol = Date(description="Date the cooperation started (YYYY-MM-DD).")
    support_end_date: DateCol = Date(
        nullable=True,
        description="Date programme support ends (YYYY-MM-DD); not before start_date.",
    )

    class Config:
        strict = True
        coerce = True
        description = "Cooperations between cities."


class CooperationMember(pa.DataFrameModel):
    """A city's membership of a cooperation (core.cooperation_member)."""

    cooperation_id: Text = SlugId(
        description="Cooperation the city belongs to; must exist in core.cooperation."
    )
    city_id: Text = SlugId(description="Member city; must exist in core.city.")
    role: Text = pa.Field(
        isin=["lead", "partner"],
        description="Role of the city in the cooperation: lead or partner.",
    )

    class Config:
        strict = True
        coerce = True
        description = "Which cities belong to which cooperation."
