"""The query API over the marts: one import point for the dashboard and notebooks.

Every function takes a DuckDB connection (read-only in production: `db.connect_readonly()` or
`db.Warehouse().cursor()`), usually a `Filters`, and returns a pandas DataFrame of aggregated rows
ready to draw (never a fact table). Labels come from `ref.*` in `lang` (en | fr | es; other values
fall back to English). All values travel as SQL parameters.

Example::

    from pipelines import queries
    from pipelines.warehouse import db
    from pipelines.metrics.filters import Filters

    con = db.connect_readonly()
    queries.kpi_scorecard(con, Filters(network=("innovation",)), lang="fr")
"""

from pipelines.queries._sql import LANGS, period_bounds
from pipelines.queries.activities import SORT_COLUMNS, activities_page
from pipelines.queries.benchmark import (
    PEER_GROUP_TYPES,
    benchmark_cities,
    benchmark_peer_groups,
    benchmark_ranking,
    city_benchmark,
    city_context,
)
from pipelines.queries.challenges import challenge_breakdown
from pipelines.queries.city import (
    city_breakdown,
    city_figures,
    city_info,
    city_network,
    city_outputs,
    city_partners,
)
from pipelines.queries.cooperation import (
    cooperation_activities,
    cooperation_detail,
    cooperation_edges,
    cooperation_nodes,
    cooperation_options,
    cooperation_sdg,
    funding_figures,
    funding_leveraged,
    funnel_figures,
    network_figures,
    output_funnel,
)
from pipelines.queries.metrics import data_dates, metric_frame, metric_total, metric_totals
from pipelines.queries.options import (
    challenge_options,
    country_options,
    mode_options,
    network_options,
    output_type_options,
    period_options,
    region_options,
    sdg_goal_options,
    subtheme_options,
    unknown_codes,
)
from pipelines.queries.overview import (
    data_as_of,
    kpi_measures,
    kpi_scorecard,
    kpi_trend,
    map_points,
    network_breakdown,
)
from pipelines.queries.participation import (
    city_places,
    gender_balance,
    organisation_figures,
    participation_by_region,
    participation_by_type_modality,
    participation_over_time,
    participation_summary,
    stakeholder_mix,
    top_cities,
)
from pipelines.queries.quality import (
    completeness_by_table,
    ingest_runs,
    last_report,
    quality_by_city,
    quarantine_page,
    quarantine_summary,
    timeliness,
)
from pipelines.queries.sdg import (
    sdg_coverage,
    sdg_network_heatmap,
    sdg_profile,
    sdg_tags_by_method_status,
    sdg_targets,
)
from pipelines.queries.sdg_review import sdg_goal_targets, sdg_review_queue
from pipelines.queries.tables import relation_columns, relation_page, relations

__all__ = [
    "LANGS",
    "PEER_GROUP_TYPES",
    "SORT_COLUMNS",
    "activities_page",
    "benchmark_cities",
    "benchmark_peer_groups",
    "benchmark_ranking",
    "city_benchmark",
    "city_context",
    "completeness_by_table",
    "cooperation_activities",
    "cooperation_detail",
    "cooperation_edges",
    "cooperation_nodes",
    "cooperation_options",
    "cooperation_sdg",
    "country_options",
    "data_as_of",
    "data_dates",
    "funding_figures",
    "funding_leveraged",
    "funnel_figures",
    "gender_balance",
    "ingest_runs",
    "kpi_measures",
    "kpi_scorecard",
    "kpi_trend",
    "map_points",
    "metric_frame",
    "network_figures",
    "organisation_figures",
    "metric_total",
    "metric_totals",
    "challenge_breakdown",
    "challenge_options",
    "city_breakdown",
    "city_figures",
    "city_info",
    "city_network",
    "city_outputs",
    "city_partners",
    "mode_options",
    "output_type_options",
    "network_breakdown",
    "network_options",
    "output_funnel",
    "participation_by_region",
    "participation_by_type_modality",
    "participation_over_time",
    "participation_summary",
    "period_bounds",
    "period_options",
    "quality_by_city",
    "quarantine_page",
    "quarantine_summary",
    "region_options",
    "sdg_goal_options",
    "relation_columns",
    "relation_page",
    "relations",
    "sdg_coverage",
    "sdg_network_heatmap",
    "sdg_goal_targets",
    "sdg_profile",
    "sdg_review_queue",
    "sdg_tags_by_method_status",
    "sdg_targets",
    "stakeholder_mix",
    "subtheme_options",
    "timeliness",
    "last_report",
    "top_cities",
    "city_places",
    "unknown_codes",
]
