"""The SDG review queue: automatic suggestions nobody has reviewed yet, best first, with their text.

One queue item is one suggested goal of one activity or output (its goal-level and target-level
suggested rows together): the best score, the suggested target, the evidence and the text the
suggestion was made from. Reviewed tags (accepted or rejected) and manual tags never appear.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.queries._sql import fetch, label_col

ENTITY_TYPES = ("activity", "output")
MAX_ITEMS = 500


def sdg_review_queue(
    con: duckdb.DuckDBPyConnection,
    *,
    entity_type: str | None = None,
    min_score: float = 0.0,
    limit: int = 50,
    lang: str = "en",
) -> pd.DataFrame:
    """Return up to `limit` unreviewed suggestions (score at least `min_score`), best score first.

    Columns: entity_type, entity_id, goal, goal_label, colour_hex, target_id, target_label, score,
    method, method_version, evidence, title, text. attrs: total (the items matching, all pages).

    Example: ``sdg_review_queue(con, entity_type="activity", min_score=0.8, lang="fr")``
    """
    if entity_type is not None and entity_type not in ENTITY_TYPES:
        raise ValueError(f"entity_type must be one of {ENTITY_TYPES}")
    limit = max(0, min(int(limit), MAX_ITEMS))
    lab = label_col(lang)
    sql = f"""
        with item as (
            select
                entity_type,
                entity_id,
                goal,
                max(target_id) as target_id,
                max(score) as score,
                any_value(method) as method,
                any_value(method_version) as method_version,
                coalesce(
                    any_value(evidence) filter (where target_id is null), any_value(evidence)
                ) as evidence
            from core.sdg_alignment
            where status = 'suggested' and method <> 'manual'
              and entity_type in ('activity', 'output')
              and ($entity_type::varchar is null or entity_type = $entity_type::varchar)
            group by all
            having coalesce(max(score), 0) >= $min_score
        ),
        text as (
            select 'activity' as entity_type, activity_id as entity_id, title,
                   concat_ws('. ', title, description) as text
            from core.activity
            union all
            select 'output', output_id, title, title from core.output
        )
        select
            i.entity_type,
            i.entity_id,
            i.goal,
            g.{lab} as goal_label,
            g.colour_hex,
            i.target_id,
            s.{lab} as target_label,
            i.score,
            i.method,
            i.method_version,
            i.evidence,
            x.title,
            x.text,
            count(*) over () as total
        from item as i
        join text as x using (entity_type, entity_id)
        left join ref.sdg_goal as g on g.goal = i.goal
        left join ref.sdg_target as s on s.target_id = i.target_id
        order by i.score desc nulls last, i.entity_type, i.entity_id, i.goal
        limit $limit
    """
    params = {"entity_type": entity_type, "min_score": float(min_score), "limit": limit}
    frame = con.execute(sql, params).df()
    total = int(frame["total"].iloc[0]) if len(frame) else 0
    frame = frame.drop(columns=["total"])
    frame.attrs = {"total": total}
    return frame


def sdg_goal_targets(con: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    """Return every SDG target with its goal and label in `lang`, in the official order.

    Columns: goal, target_id, label.

    Example: ``sdg_goal_targets(con, lang="es")``
    """
    return fetch(
        con,
        f"select goal, target_id, {label_col(lang)} as label from ref.sdg_target "
        "order by goal, sort_order",
    )
