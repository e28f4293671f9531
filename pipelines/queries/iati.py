"""The records an IATI activity file describes: cooperations, members, activities, accepted SDG
tags, outputs with evidence, funding commitments, targets and reported observations.

These are input records as loaded (one row per record, never an aggregate); every aggregate the
IATI export states (a result's actual value) comes from the metric layer (`kpi_scorecard`,
`metric_frame`). Used by `pipelines.export.iati`.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.queries._sql import fetch


def iati_cooperations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return every cooperation with its network and mode labels (en, fr, es).

    Columns: cooperation_id, mode, name, network_id, phase, start_date, support_end_date,
    network_en, network_fr, network_es, mode_en, mode_fr, mode_es.
    """
    return fetch(
        con,
        """
        select c.cooperation_id, c.mode, c.name, c.network_id, c.phase, c.start_date,
               c.support_end_date, n.label_en as network_en, n.label_fr as network_fr,
               n.label_es as network_es, m.label_en as mode_en, m.label_fr as mode_fr,
               m.label_es as mode_es
        from core.cooperation as c
        left join ref.network as n on n.network_id = c.network_id
        left join ref.cooperation_mode as m on m.mode_id = c.mode
        order by c.start_date, c.cooperation_id
        """,
    )


def iati_members(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return every cooperation member city with its name, country and position.

    Columns: cooperation_id, city_id, role, name, country_iso2, lat, lon, geonames_id.
    """
    return fetch(
        con,
        """
        select m.cooperation_id, m.city_id, m.role, c.name, c.country_iso2, c.lat, c.lon,
               c.geonames_id
        from core.cooperation_member as m
        join core.city as c using (city_id)
        order by m.cooperation_id, m.role, m.city_id
        """,
    )


def iati_activities(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return every activity with its host city (name, country, position).

    Columns: the columns of core.activity (without run_id), host_name, host_country,
    host_lat, host_lon, host_geonames_id, type_en, type_fr, type_es (activity type labels).
    """
    return fetch(
        con,
        """
        select a.* exclude (run_id), c.name as host_name, c.country_iso2 as host_country,
               c.lat as host_lat, c.lon as host_lon, c.geonames_id as host_geonames_id,
               t.label_en as type_en, t.label_fr as type_fr, t.label_es as type_es
        from core.activity as a
        left join core.city as c on c.city_id = a.host_city_id
        left join ref.activity_type as t on t.activity_type_id = a.activity_type
        order by a.start_date, a.activity_id
        """,
    )


def iati_accepted_tags(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the accepted SDG tags of cooperations and activities, with goal and target labels.

    Columns: entity_type, entity_id, goal, target_id, is_primary, method, score, goal_en,
    goal_fr, goal_es.
    """
    return fetch(
        con,
        """
        select s.entity_type, s.entity_id, s.goal, s.target_id, s.is_primary, s.method, s.score,
               g.label_en as goal_en, g.label_fr as goal_fr, g.label_es as goal_es
        from core.sdg_alignment as s
        left join ref.sdg_goal as g on g.goal = s.goal
        where s.status = 'accepted' and s.entity_type in ('cooperation', 'activity')
        order by s.entity_type, s.entity_id, s.goal, s.target_id nulls first
        """,
    )


def iati_outputs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return every output (those with an evidence URL become IATI document links).

    Columns: the columns of core.output (without run_id).
    """
    return fetch(con, "select * exclude (run_id) from core.output order by output_id")


def iati_funding(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return every funding commitment (one record each, as loaded) with its output's cooperation.

    Columns: funding_id, output_id, amount, currency, amount_eur, source_type, committed_date,
    cooperation_id, source_en.
    """
    return fetch(
        con,
        """
        select f.funding_id, f.output_id, f.amount, f.currency, f.amount_eur, f.source_type,
               f.committed_date, o.cooperation_id, s.label_en as source_en
        from core.funding as f
        left join core.output as o using (output_id)
        left join ref.funding_source as s on s.source_type_id = f.source_type
        order by f.committed_date, f.funding_id
        """,
    )


def iati_indicators(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the KPI definitions (labels in en, fr, es; family, unit, direction).

    Columns: indicator_id, label_en, label_fr, label_es, family, unit, direction.
    """
    return fetch(
        con,
        """
        select indicator_id, label_en, label_fr, label_es, family, unit, direction
        from ref.indicator order by sort_order
        """,
    )


def iati_targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return every target record (programme, network, mode, cooperation or city scope).

    Columns: indicator_id, scope_type, scope_id, period_end, baseline, target_value.
    """
    return fetch(
        con,
        """
        select indicator_id, scope_type, scope_id, period_end, baseline, target_value
        from core.target
        order by indicator_id, scope_type, scope_id, period_end
        """,
    )


def iati_reported_actuals(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Return the reported observations of kind 'actual' (values the facts cannot give).

    Columns: indicator_id, scope_type, scope_id, period_start, period_end, value.
    """
    return fetch(
        con,
        """
        select indicator_id, scope_type, scope_id, period_start, period_end, value
        from core.observation
        where value_kind = 'actual'
        order by indicator_id, scope_type, scope_id, period_end
        """,
    )
