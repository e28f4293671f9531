"""Activities, participation and outputs by cross-cutting challenge (the brochure's three).

An activity records one challenge (or none); an output takes its activity's. Each figure is a
declared metric read through `metric_frame`; the "all challenges" row is the metric's own
recounted total for the selection, never a sum of the rows (outputs are a stock to date and a
row without a challenge is its own group).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.metrics.filters import Filters
from pipelines.queries.metrics import metric_frames

# measure -> metric: completed activities (K03, host city), participations (K04, participant's
# city), outputs to date (cooperation member or the output's own city)
CHALLENGE_MEASURES = {"activities": "K03", "participations": "K04", "outputs": "outputs"}


def challenge_breakdown(
    con: duckdb.DuckDBPyConnection, filters: Filters, *, lang: str = "en"
) -> pd.DataFrame:
    """Return each measure by cross-cutting challenge, with the metric's total for the selection.

    Columns: cross_cutting_id (None: no challenge recorded), label, measure, metric, value,
    is_total (the recounted figure for all challenges). One row per measure and challenge that
    has data, then one total row per measure.

    Example: ``challenge_breakdown(con, Filters(network=("innovation",)), lang="fr")``
    """
    parts = []
    metric_ids = list(CHALLENGE_MEASURES.values())
    frames = metric_frames(con, metric_ids, filters, by=("challenge",), lang=lang)
    for (measure, metric_id), frame in zip(CHALLENGE_MEASURES.items(), frames, strict=True):
        part = pd.DataFrame(
            {
                "cross_cutting_id": frame["cross_cutting_id"],
                "label": frame["cross_cutting_id_label"],
                "measure": measure,
                "metric": metric_id,
                "value": frame["value"],
                "is_total": frame["is_total"].astype(bool),
            }
        )
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values("is_total", kind="stable").reset_index(drop=True)
