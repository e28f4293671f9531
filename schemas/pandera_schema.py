"""Pandera schemas built from the column contracts (`schemas.columns`), for validating frames.

Only validation imports this module (and so Pandera): ingest's Pandera pass and the tests.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import pandas as pd
import pandera.pandas as pa

from schemas.columns import Check, Column, Contract

if TYPE_CHECKING:
    from schemas import Entity

#: Pandera dtype of each column kind (pandas nullable dtypes; `str` is pandas 3's string dtype)
_DTYPES: dict[str, Any] = {
    "text": str,
    "int": pd.Int64Dtype(),
    "float": pd.Float64Dtype(),
    "bool": pd.BooleanDtype(),
    "date": pa.DateTime,
}


def pandera_check(check: Check) -> pa.Check:
    """Return the Pandera check of the same name with the same statistics.

    Example: ``pandera_check(Check("isin", {"allowed_values": ["EU", "NA"]}))``
    """
    build = getattr(pa.Check, check.name)
    return build(**check.statistics)  # type: ignore[no-any-return]


def pandera_column(column: Column) -> pa.Column:
    """Return the Pandera column of a contract column (dtype, nullability, checks, description).

    Example: ``pandera_column(ENTITIES["city"].fields["lat"]).nullable``
    """
    return pa.Column(
        _DTYPES[column.kind],
        checks=[pandera_check(c) for c in column.checks] or None,
        nullable=column.nullable,
        description=column.description,
        name=column.name,
    )


def contract_schema(contract: Contract, name: str) -> pa.DataFrameSchema:
    """Return the strict, coercing Pandera schema of a contract (columns in table order).

    Example: ``contract_schema(ENTITIES["city"].contract, "city").validate(frame, lazy=True)``
    """
    return pa.DataFrameSchema(
        {c.name: pandera_column(c) for c in contract.columns},
        strict=True,
        coerce=True,
        name=name,
        description=contract.description,
    )


@functools.cache
def _schema(name: str) -> pa.DataFrameSchema:
    from schemas import ENTITIES

    return contract_schema(ENTITIES[name].contract, name)


def entity_schema(entity: Entity) -> pa.DataFrameSchema:
    """Return the entity's Pandera schema (built once per process).

    Example: ``entity_schema(ENTITIES["activity"]).validate(frame, lazy=True)``
    """
    return _schema(entity.name)
