"""Data contracts of the IURC Impact warehouse: one Pandera model per core.* table.

`ENTITIES` is the registry the pipelines use: entity name -> model, natural key, file-name
prefixes and load order. This package imports nothing from the rest of the project.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandera.pandas as pa

from schemas.activity import Activity, Participation
from schemas.programme import City, Cooperation, CooperationMember
from schemas.results import (
    CityContext,
    Funding,
    Observation,
    Output,
    OutputAdoption,
    SdgAlignment,
    Target,
)


@dataclass(frozen=True)
class Entity:
    """How one entity is named, keyed and loaded."""

    name: str
    model: type[pa.DataFrameModel]
    key: tuple[str, ...]
    prefixes: tuple[str, ...]
    order: int
    #: columns a file may leave out although the table requires them (filled at load)
    defaulted: tuple[str, ...] = field(default=())

    @property
    def table(self) -> str:
        """Return the core table name, e.g. 'core.activity'."""
        return f"core.{self.name}"

    @property
    def columns(self) -> list[str]:
        """Return the entity's columns in table order (core.<entity> minus run_id)."""
        return list(self.model.to_schema().columns)

    @property
    def required_columns(self) -> list[str]:
        """Return the columns every file must have."""
        schema = self.model.to_schema()
        return [
            name
            for name, col in schema.columns.items()
            if not col.nullable and name not in self.defaulted
        ]


_ENTITY_LIST = [
    Entity("city", City, ("city_id",), ("cities", "city"), 1),
    Entity("cooperation", Cooperation, ("cooperation_id",), ("cooperations", "cooperation"), 2),
    Entity(
        "cooperation_member",
        CooperationMember,
        ("cooperation_id", "city_id"),
        ("cooperation_members", "cooperation_member"),
        3,
    ),
    Entity(
        "activity",
        Activity,
        ("activity_id",),
        ("activities", "activity"),
        4,
        defaulted=("reported_date",),
    ),
    Entity(
        "participation",
        Participation,
        ("activity_id", "city_id", "stakeholder_type", "organisation_id"),
        ("participations", "participation"),
        5,
    ),
    Entity("output", Output, ("output_id",), ("outputs", "output"), 6),
    Entity("funding", Funding, ("funding_id",), ("funding", "fundings"), 7),
    Entity(
        "target",
        Target,
        ("indicator_id", "scope_type", "scope_id", "period_end"),
        ("targets", "target"),
        8,
    ),
    Entity(
        "observation",
        Observation,
        ("indicator_id", "scope_type", "scope_id", "period_end", "value_kind"),
        ("observations", "observation"),
        9,
    ),
    Entity(
        "sdg_alignment",
        SdgAlignment,
        ("entity_type", "entity_id", "goal", "target_id"),
        ("sdg_alignments", "sdg_alignment"),
        10,
    ),
    Entity(
        "city_context",
        CityContext,
        ("city_id", "metric", "year"),
        ("city_context", "city_contexts"),
        11,
    ),
    Entity(
        "output_adoption",
        OutputAdoption,
        ("output_id", "city_id"),
        ("output_adoptions", "output_adoption"),
        12,
    ),
]

#: entity name -> Entity, in load (dependency) order
ENTITIES: dict[str, Entity] = {e.name: e for e in sorted(_ENTITY_LIST, key=lambda e: e.order)}


def entity_for_file_name(file_name: str) -> Entity | None:
    """Return the entity whose longest file-name prefix starts the (lower-cased) name, or None."""
    name = file_name.lower()
    best: tuple[int, Entity] | None = None
    for entity in ENTITIES.values():
        for prefix in entity.prefixes:
            if name.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), entity)
    return best[1] if best else None


__all__ = [
    "ENTITIES",
    "Activity",
    "City",
    "CityContext",
    "Cooperation",
    "CooperationMember",
    "Entity",
    "Funding",
    "Observation",
    "Output",
    "OutputAdoption",
    "Participation",
    "SdgAlignment",
    "Target",
    "entity_for_file_name",
]
