"""City benchmarking (K31 engagement score, K32 rank band, K33 context) within peer groups.

The benchmark covers the whole programme to date: peer groups define the comparison, so the global
filters do not apply here.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from pipelines.queries._sql import fetch, label_col

PEER_GROUP_TYPES = ("partners", "network", "region", "population_band")
INPUT_LABELS = {
    "en": {
        "activities_hosted": "Activities hosted",
        "participations_per_100k": "Participations per 100,000 inhabitants",
        "action_plans": "Action plans developed",
        "plans_taken_up": "Action plans taken up",
        "pilots_implemented": "Pilots implemented",
        "sustained_cooperation": "Sustained cooperation (%)",
    },
    "fr": {
        "activities_hosted": "Activités accueillies",
        "participations_per_100k": "Participations pour 100 000 habitants",
        "action_plans": "Plans d'action élaborés",
        "plans_taken_up": "Plans d'action adoptés",
        "pilots_implemented": "Projets pilotes mis en œuvre",
        "sustained_cooperation": "Coopération durable (%)",
    },
    "es": {
        "activities_hosted": "Actividades acogidas",
        "participations_per_100k": "Participaciones por cada 100 000 habitantes",
        "action_plans": "Planes de acción elaborados",
        "plans_taken_up": "Planes de acción adoptados",
        "pilots_implemented": "Proyectos piloto ejecutados",
        "sustained_cooperation": "Cooperación sostenida (%)",
    },
}
INPUT_ORDER = list(INPUT_LABELS["en"])


def benchmark_cities(con: duckdb.DuckDBPyConnection, *, lang: str = "en") -> pd.DataFrame:
    """Return the cities that can be benchmarked (city picker options).

    Columns: city_id, name, country_iso2, country, region, population, population_band.

    Example: ``benchmark_cities(con).city_id.tolist()``
    """
    lab = label_col(lang)
    return fetch(
        con,
        f"""
        select
            c.city_id,
            c.name,
            c.country_iso2,
            co.{lab} as country,
            c.region,
            c.population,
            c.population_band
        from mart.city as c
        left join ref.country as co on co.country_iso2 = c.country_iso2
        where c.city_id in (select city_id from mart.city_peer_group)
        order by c.name
        """,
    )


def benchmark_peer_groups(
    con: duckdb.DuckDBPyConnection, city_id: str, *, lang: str = "en"
) -> pd.DataFrame:
    """Return the peer groups a city belongs to (peer-group picker options).

    Columns: peer_group_type, peer_group_id, label, n_cities.

    Example: ``benchmark_peer_groups(con, "turin-it")``
    """
    lab = label_col(lang)
    return fetch(
        con,
        f"""
        with g as (
            select
                peer_group_type,
                peer_group_id,
                count(*) as n_cities
            from mart.city_peer_group
            where (peer_group_type, peer_group_id) in (
                select (peer_group_type, peer_group_id)
                from mart.city_peer_group
                where city_id = ? and (peer_group_type <> 'partners' or peer_group_id = ?)
            )
            group by 1, 2
        )
        select
            g.peer_group_type,
            g.peer_group_id,
            case g.peer_group_type
                when 'network' then coalesce(n.{lab}, g.peer_group_id)
                when 'partners' then coalesce(c.name, g.peer_group_id)
                else g.peer_group_id
            end as label,
            g.n_cities
        from g
        left join ref.network as n on g.peer_group_type = 'network' and n.network_id = g.peer_group_id
        left join mart.city as c on g.peer_group_type = 'partners' and c.city_id = g.peer_group_id
        order by list_position(?::varchar[], g.peer_group_type), g.peer_group_id
        """,
        [city_id, city_id, list(PEER_GROUP_TYPES)],
    )


def _group_id(
    con: duckdb.DuckDBPyConnection, city_id: str, peer_group_type: str, peer_group_id: str | None
) -> str | None:
    if peer_group_type not in PEER_GROUP_TYPES:
        raise ValueError(f"peer_group_type must be one of {PEER_GROUP_TYPES}")
    if peer_group_type == "partners":
        return city_id
    if peer_group_id is not None:
        return peer_group_id
    row = con.execute(
        "select min(peer_group_id) from mart.city_peer_group where city_id = ? and peer_group_type = ?",
        [city_id, peer_group_type],
    ).fetchone()
    return row[0] if row else None


def city_benchmark(
    con: duckdb.DuckDBPyConnection,
    city_id: str,
    peer_group_type: str = "partners",
    peer_group_id: str | None = None,
    *,
    lang: str = "en",
) -> pd.DataFrame:
    """Return a city's 0-100 score per K31 input against its peer group, plus the composite row.

    One row per input (input_id, label, value, score, lower_bound, upper_bound, peer_median,
    peer_min, peer_max, peer_median_score, peer_min_score, peer_max_score, n_cities,
    is_informative, input_status 'scored' | 'missing' | 'not_discriminating') and a last row
    input_id 'K31' with the composite score, n_missing, n_inputs (discriminating inputs),
    n_not_discriminating, rank_band (1 top, 2 middle, 3 bottom third), rank_band_label,
    peer_count, n_scored_cities, min_scored_peers and no_score_reason (too_many_missing,
    no_discriminating_inputs, too_few_peers; null when scored). No composite score when more
    than 20 % of the discriminating inputs are missing, or fewer than min_scored_peers cities of
    the group are scored. `peer_group_id` defaults to the city's group of that type (for
    'network': the first of the city's networks).

    Example: ``city_benchmark(con, "turin-it", "region")``
    """
    group_id = _group_id(con, city_id, peer_group_type, peer_group_id)
    labels = INPUT_LABELS.get(lang, INPUT_LABELS["en"])
    inputs = fetch(
        con,
        """
        with g as (
            select * from mart.city_benchmark
            where peer_group_type = ? and peer_group_id = ?
        ),
        peer as (
            select
                input_id,
                median(score) as peer_median_score,
                min(score) as peer_min_score,
                max(score) as peer_max_score
            from g
            group by input_id
        )
        select
            g.input_id,
            g.value,
            g.score,
            g.lower_bound,
            g.upper_bound,
            g.peer_median,
            g.peer_min,
            g.peer_max,
            p.peer_median_score,
            p.peer_min_score,
            p.peer_max_score,
            g.n_cities,
            g.is_informative,
            g.input_status
        from g
        join peer as p using (input_id)
        where g.city_id = ?
        order by list_position(?::varchar[], g.input_id)
        """,
        [peer_group_type, group_id, city_id, INPUT_ORDER],
    )
    inputs["label"] = inputs["input_id"].map(labels)
    composite = fetch(
        con,
        """
        select
            'K31' as input_id,
            s.score,
            s.n_inputs,
            s.n_missing,
            s.rank_band,
            s.rank_band_label,
            s.n_not_discriminating,
            s.peer_count,
            s.n_scored_cities,
            s.min_scored_peers,
            s.no_score_reason,
            (select median(score) from mart.city_benchmark_score
             where peer_group_type = ? and peer_group_id = ?) as peer_median_score,
            (select min(score) from mart.city_benchmark_score
             where peer_group_type = ? and peer_group_id = ?) as peer_min_score,
            (select max(score) from mart.city_benchmark_score
             where peer_group_type = ? and peer_group_id = ?) as peer_max_score
        from mart.city_benchmark_score as s
        where s.peer_group_type = ? and s.peer_group_id = ? and s.city_id = ?
        """,
        [peer_group_type, group_id] * 4 + [city_id],
    )
    composite["label"] = {
        "en": "Engagement score",
        "fr": "Score d'engagement",
        "es": "Puntuación de compromiso",
    }.get(lang, "Engagement score")
    if inputs.empty and composite.empty:
        return inputs
    return pd.concat([inputs, composite], ignore_index=True)


def benchmark_ranking(
    con: duckdb.DuckDBPyConnection,
    city_id: str,
    peer_group_type: str = "partners",
    peer_group_id: str | None = None,
) -> pd.DataFrame:
    """Return every city of the peer group with its composite score and rank band.

    Columns: city_id, name, score, n_missing, n_not_discriminating, rank_band, rank_band_label,
    no_score_reason, peer_count, n_scored_cities, min_scored_peers, is_selected.

    Example: ``benchmark_ranking(con, "turin-it", "network")``
    """
    group_id = _group_id(con, city_id, peer_group_type, peer_group_id)
    return fetch(
        con,
        """
        select
            s.city_id,
            c.name,
            s.score,
            s.n_missing,
            s.n_not_discriminating,
            s.rank_band,
            s.rank_band_label,
            s.no_score_reason,
            s.peer_count,
            s.n_scored_cities,
            s.min_scored_peers,
            s.city_id = ? as is_selected
        from mart.city_benchmark_score as s
        left join mart.city as c on c.city_id = s.city_id
        where s.peer_group_type = ? and s.peer_group_id = ?
        order by s.score desc nulls last, c.name
        """,
        [city_id, peer_group_type, group_id],
    )


def city_context(con: duckdb.DuckDBPyConnection, city_id: str) -> pd.DataFrame:
    """Return a city's context indicators (K33, not performance): latest year per metric, plus
    population from the city record.

    Columns: metric, year, value, unit, source.

    Example: ``city_context(con, "turin-it")``
    """
    return fetch(
        con,
        """
        with ctx as (
            select
                metric,
                arg_max(year, year) as year,
                arg_max(value, year) as value,
                arg_max(unit, year) as unit,
                arg_max(source, year) as source
            from mart.city_context
            where city_id = ?
            group by metric
        )
        select 'population' as metric, population_year as year, population::double as value,
               'inhabitants' as unit, 'city record' as source
        from mart.city
        where city_id = ? and population is not null
          and 'population' not in (select metric from ctx)
        union all
        select * from ctx
        order by metric
        """,
        [city_id, city_id],
    )
