"""Column metadata of the data contracts, in plain Python (no Pandera).

A `Contract` is the table of one entity: its columns in table order, each with a kind (text, int,
float, bool, date), nullability, description and value checks. The checks carry Pandera's names
and statistics, in the order `pandera.Field` would add them, so the Pandera schemas built from
these contracts (`schemas.pandera_schema`) and the SQL compiled from them
(`pipelines.ingest.validate`) apply the same rules. Importing this module does not import
Pandera: the dashboard reads names, labels and types from here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["text", "int", "float", "bool", "date"]

TEXT: Kind = "text"
INT: Kind = "int"
FLOAT: Kind = "float"
BOOL: Kind = "bool"
DATE: Kind = "date"


@dataclass(frozen=True)
class Check:
    """One rule on a column's values, named as Pandera names its check (e.g. 'str_matches')."""

    name: str
    statistics: Mapping[str, Any]


@dataclass(frozen=True)
class Column:
    """One column of a contract."""

    name: str
    kind: Kind
    description: str
    nullable: bool = False
    checks: tuple[Check, ...] = field(default=())


@dataclass(frozen=True)
class Contract:
    """The columns (in table order) and description of one core.* table."""

    description: str
    columns: tuple[Column, ...]

    @property
    def by_name(self) -> dict[str, Column]:
        """Return {column name: Column} in table order."""
        return {c.name: c for c in self.columns}


def column(
    name: str,
    kind: Kind,
    *,
    description: str,
    nullable: bool = False,
    ge: Any = None,
    le: Any = None,
    isin: Sequence[Any] | None = None,
    str_matches: str | None = None,
    str_length: Mapping[str, int] | None = None,
) -> Column:
    """Return a Column whose checks are those `pandera.Field` makes of the same arguments.

    Example: ``column("goal", INT, description="SDG goal", ge=1, le=17).checks[0].name``
    """
    checks: list[Check] = []
    if ge is not None:
        checks.append(Check("greater_than_or_equal_to", {"min_value": ge}))
    if le is not None:
        checks.append(Check("less_than_or_equal_to", {"max_value": le}))
    if isin is not None:
        checks.append(Check("isin", {"allowed_values": list(isin)}))
    if str_matches is not None:
        checks.append(Check("str_matches", {"pattern": str_matches}))
    if str_length is not None:
        checks.append(
            Check(
                "str_length",
                {
                    "min_value": str_length.get("min_value"),
                    "max_value": str_length.get("max_value"),
                },
            )
        )
    return Column(name, kind, description, nullable, tuple(checks))
