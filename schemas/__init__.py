"""Data contracts of the IURC Impact warehouse: one column contract per core.* table.

`ENTITIES` is the registry the pipelines use: entity name -> contract, natural key, file-name
prefixes and load order. The contracts are plain Python (`schemas.columns`), so reading names,
columns, types and descriptions does not import Pandera; `Entity.schema` builds the Pandera
schema from the same contract when a frame is to be validated. This package imports nothing from
the rest of the project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from schemas.activity import ACTIVITY, PARTICIPATION
from schemas.columns import Column, Contract
from schemas.programme import CITY, COOPERATION, COOPERATION_MEMBER
from schemas.results import (
    CITY_CONTEXT,
    FUNDING,
    OBSERVATION,
    OUTPUT,
    OUTPUT_ADOPTION,
    SDG_ALIGNMENT,
    TARGET,
)

if TYPE_CHECKING:
    import pandera.pandas as pa


@dataclass(frozen=True)
class Entity:
    """How one entity is named, keyed and loaded."""

    name: str
    contract: Contract
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
    def description(self) -> str:
        """Return the one-line description of the table."""
        return self.contract.description

    @property
    def fields(self) -> dict[str, Column]:
        """Return {column name: Column} in table order."""
        return self.contract.by_name

    @property
    def columns(self) -> list[str]:
        """Return the entity's columns in table order (core.<entity> minus run_id)."""
        return [c.name for c in self.contract.columns]

    @property
    def required_columns(self) -> list[str]:
        """Return the columns every file must have."""
        return [
            c.name for c in self.contract.columns if not c.nullable and c.name not in self.defaulted
        ]

    @property
    def schema(self) -> pa.DataFrameSchema:
        """Return the Pandera schema built from the contract (imports Pandera on first use)."""
        from schemas.pandera_schema import entity_schema

        return entity_schema(self)


_ENTITY_LIST = [
    Entity("city", CITY, ("city_id",), ("cities", "city"), 1),
    Entity("cooperation", COOPERATION, ("cooperation_id",), ("cooperations", "cooperation"), 2),
    Entity(
        "cooperation_member",
        COOPERATION_MEMBER,
        ("cooperation_id", "city_id"),
        ("cooperation_members", "cooperation_member"),
        3,
    ),
    Entity(
        "activity",
        ACTIVITY,
        ("activity_id",),
        ("activities", "activity"),
        4,
        defaulted=("reported_date",),
    ),
    Entity(
        "participation",
        PARTICIPATION,
        ("activity_id", "city_id", "stakeholder_type", "organisation_id"),
        ("participations", "participation"),
        5,
    ),
    Entity("output", OUTPUT, ("output_id",), ("outputs", "output"), 6),
    Entity("funding", FUNDING, ("funding_id",), ("funding", "fundings"), 7),
    Entity(
        "target",
        TARGET,
        ("indicator_id", "scope_type", "scope_id", "period_end"),
        ("targets", "target"),
        8,
    ),
    Entity(
        "observation",
        OBSERVATION,
        ("indicator_id", "scope_type", "scope_id", "period_end", "value_kind"),
        ("observations", "observation"),
        9,
    ),
    Entity(
        "sdg_alignment",
        SDG_ALIGNMENT,
        ("entity_type", "entity_id", "goal", "target_id"),
        ("sdg_alignments", "sdg_alignment"),
        10,
    ),
    Entity(
        "city_context",
        CITY_CONTEXT,
        ("city_id", "metric", "year"),
        ("city_context", "city_contexts"),
        11,
    ),
    Entity(
        "output_adoption",
        OUTPUT_ADOPTION,
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
    "Column",
    "Contract",
    "Entity",
    "entity_for_file_name",
]
