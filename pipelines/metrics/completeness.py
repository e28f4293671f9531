"""Completeness (K29, D10) from the data contracts: the column lists come from `schemas/`, never typed.

Returns SQL fragments that the marts splice in (see `pipelines.warehouse.marts`): per entity, how
many cells a record has and how many of them are filled, split into required and optional columns.
"""

from __future__ import annotations

from schemas import ENTITIES


def _filled(column: str, is_text: bool, alias: str) -> str:
    ref = f"{alias}.{column}" if alias else column
    return f"(nullif(trim({ref}), '') is not null)::int" if is_text else f"({ref} is not null)::int"


def _columns(entity: str) -> list[tuple[str, bool, bool]]:
    """Return (column, is_text, required) for every input column of an entity's contract.

    Required: a column every file must have (a column filled at load when missing, such as an
    activity's reported_date, is optional in the file and counted as optional).
    """
    spec = ENTITIES[entity]
    required = set(spec.required_columns)
    return [(col.name, col.kind == "text", col.name in required) for col in spec.contract.columns]


def fields_filled_sql(entity: str, alias: str = "") -> str:
    """Return a SQL expression counting the filled input cells of one record of `entity`.

    Example: ``fields_filled_sql("activity", "a")  # '(nullif(trim(a.activity_id), '') ...'``
    """
    return "\n + ".join(_filled(c, text, alias) for c, text, _ in _columns(entity))


def fields_total(entity: str) -> int:
    """Return the number of input columns of `entity` (cells per record).

    Example: ``fields_total("cooperation")``
    """
    return len(_columns(entity))


def table_completeness_sql() -> str:
    """Return a UNION ALL over every entity: table_name, required/optional cells total and filled.

    Example: ``"'cooperation'" in table_completeness_sql()``
    """
    parts = []
    for name, entity in ENTITIES.items():
        cols = _columns(name)
        req = [c for c in cols if c[2]]
        opt = [c for c in cols if not c[2]]

        def filled(group: list[tuple[str, bool, bool]]) -> str:
            return " + ".join(f"coalesce(sum({_filled(c, t, '')}), 0)" for c, t, _ in group) or "0"

        parts.append(
            f"select '{name}' as table_name, {len(req)} * count(*) as required_total, "
            f"{filled(req)} as required_filled, {len(opt)} * count(*) as optional_total, "
            f"{filled(opt)} as optional_filled from {entity.table}"
        )
    return "\nunion all\n".join(parts)
