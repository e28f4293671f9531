"""A tiny hand-written warehouse for the mart and query tests.

Rows go straight into core.* with SQL (not through ingestion), so every expected value in the tests
can be computed by hand from this file. The scenario:

cities      turin-it (IT, EU, 850k), lyon-fr (FR, EU, 520k), austin-us (US, NA, 960k),
            toronto-ca (CA, NA, 2.8M), merida-mx (MX, NA, population unknown)
cooperation coop-a pairing, innovation, turin + austin, support ended 2023-12-31
            coop-b trio, urban_renewal, lyon + toronto + merida, support ends 2030-06-30
activities  a1 coop-a study_visit  completed 2024-03-04..06 (3 d) host turin   reported +10 d
            a2 coop-a training     completed 2024-05-10      (1 d) host austin  reported +20 d
            a3 coop-b tech session completed 2024-06-01..02 (2 d) host lyon    reported +0 d
            a4 coop-b webinar      planned   2024-11-01            host toronto
            a5 coop-b event        cancelled 2024-07-01            host toronto
            a6 (none) networking   completed 2025-02-10..11 (2 d) host toronto reported +29 d
               network innovation -> mode global_network
            a7 coop-a webinar      completed 2025-01-20      (1 d) host turin   reported +5 d
"""

from __future__ import annotations

import duckdb
import pytest

from pipelines.warehouse import db, marts, reference

CITIES = """
insert into core.city values
    ('turin-it',   'Torino',  'IT', 'EU',  850000, 2023, 45.07,   7.69, 3165524, 'fx'),
    ('lyon-fr',    'Lyon',    'FR', 'EU',  520000, 2023, 45.75,   4.85, 2996944, 'fx'),
    ('austin-us',  'Austin',  'US', 'NA',  960000, 2023, 30.27, -97.74, 4671654, 'fx'),
    ('toronto-ca', 'Toronto', 'CA', 'NA', 2800000, 2023, 43.70, -79.42, 6167865, 'fx'),
    ('merida-mx',  'Mérida',  'MX', 'NA',    null, null, 20.97, -89.62, 3523349, 'fx')
"""

COOPERATIONS = """
insert into core.cooperation values
    ('coop-a', 'pairing', 'Torino-Austin', 'innovation', 'I', '2023-01-01', '2023-12-31', 'fx'),
    ('coop-b', 'trio', 'Lyon-Toronto-Merida', 'urban_renewal', 'I', '2023-01-01', '2030-06-30', 'fx');
insert into core.cooperation_member values
    ('coop-a', 'turin-it', 'lead', 'fx'),
    ('coop-a', 'austin-us', 'partner', 'fx'),
    ('coop-b', 'lyon-fr', 'lead', 'fx'),
    ('coop-b', 'toronto-ca', 'partner', 'fx'),
    ('coop-b', 'merida-mx', 'partner', 'fx')
"""

# activity_id, title, description, type, modality, status, start, end, network, subtheme,
# cross_cutting, cooperation, host, reported_date
ACTIVITIES = """
insert into core.activity values
    ('a1', 'Study visit on health hubs', 'Visit', 'study_visit', 'in_person', 'completed',
        '2024-03-04', '2024-03-06', 'innovation', 'health', null, 'coop-a', 'turin-it', '2024-03-16', 'fx'),
    ('a2', 'Training on skills', 'Course', 'training', 'online', 'completed',
        '2024-05-10', '2024-05-10', 'innovation', null, null, 'coop-a', 'austin-us', '2024-05-30', 'fx'),
    ('a3', 'Mobility technical session', 'Session', 'technical_session', 'hybrid', 'completed',
        '2024-06-01', '2024-06-02', 'urban_renewal', 'mobility_transport', null, 'coop-b', 'lyon-fr',
        '2024-06-02', 'fx'),
    ('a4', 'Webinar planned', null, 'webinar', 'online', 'planned',
        '2024-11-01', '2024-11-01', 'urban_renewal', null, null, 'coop-b', 'toronto-ca', '2024-10-01', 'fx'),
    ('a5', 'Event cancelled', null, 'thematic_event', 'in_person', 'cancelled',
        '2024-07-01', '2024-07-01', 'urban_renewal', null, null, 'coop-b', 'toronto-ca', '2024-06-01', 'fx'),
    ('a6', 'Global networking', null, 'networking_event', 'in_person', 'completed',
        '2025-02-10', '2025-02-11', 'innovation', null, null, null, 'toronto-ca', '2025-03-12', 'fx'),
    ('a7', 'Follow-up webinar', null, 'webinar', 'online', 'completed',
        '2025-01-20', '2025-01-20', 'innovation', null, null, 'coop-a', 'turin-it', '2025-01-25', 'fx')
"""

# activity, city, stakeholder_type, participants, women, organisations, completions
PARTICIPATIONS = """
insert into core.participation (activity_id, city_id, stakeholder_type, participants, women,
    organisations, completions, run_id) values
    ('a1', 'turin-it',   'local_government', 10, 4,    2, null, 'fx'),
    ('a1', 'austin-us',  'academia',          6, 3,    3, null, 'fx'),
    ('a1', 'austin-us',  'business',          4, null, 2, null, 'fx'),
    ('a2', 'austin-us',  'local_government',  8, 5,    1, 6,    'fx'),
    ('a2', 'turin-it',   'civil_society',     2, 1,    1, null, 'fx'),
    ('a3', 'lyon-fr',    'local_government',  5, 2,    1, null, 'fx'),
    ('a3', 'toronto-ca', 'other',             5, null, 2, null, 'fx'),
    ('a4', 'toronto-ca', 'academia',          7, 3,    1, null, 'fx'),
    ('a6', 'toronto-ca', 'business',          3, 1,    1, null, 'fx'),
    ('a6', 'merida-mx',  'academia',          1, 0,    1, null, 'fx'),
    ('a7', 'turin-it',   'local_government',  4, 2,    1, null, 'fx')
"""

# output_id, type, title, status, cooperation, city, network, activity, framework,
# planned, developed, implemented, adopted, evidence, description
OUTPUTS = """
insert into core.output values
    ('o1', 'action_plan', 'Plan A', 'adopted', 'coop-a', 'turin-it', 'innovation', 'a1', null,
        '2024-02-01', '2024-06-01', null, '2025-03-01', null, null, 'fx'),
    ('o2', 'action_plan', 'Plan B', 'developed', 'coop-b', 'lyon-fr', 'urban_renewal', null, null,
        '2024-03-01', '2024-09-01', null, null, null, null, 'fx'),
    ('o3', 'pilot', 'Pilot B', 'implemented', 'coop-b', 'toronto-ca', 'urban_renewal', null, null,
        '2024-04-01', '2024-07-01', '2025-01-15', null, null, null, 'fx'),
    ('o4', 'pilot', 'Pilot A', 'abandoned', 'coop-a', 'austin-us', 'innovation', null, null,
        '2024-04-01', '2024-08-01', null, null, null, null, 'fx'),
    ('o5', 'agreement', 'MoU A', 'adopted', 'coop-a', 'turin-it', 'innovation', null, null,
        '2024-09-01', '2024-09-15', null, '2024-10-01', null, null, 'fx'),
    ('o6', 'policy_change', 'Procurement rule', 'adopted', null, 'toronto-ca', 'innovation', null, null,
        '2025-01-01', null, null, '2025-05-01', 'https://example.org/p', null, 'fx'),
    ('o7', 'knowledge_product', 'Case study', 'developed', 'coop-b', 'lyon-fr', 'urban_renewal', null,
        'eu_green_deal', null, '2024-12-01', null, null, null, null, 'fx'),
    ('o8', 'solution', 'Tool', 'adopted', 'coop-a', 'austin-us', 'innovation', null, null,
        null, '2024-11-01', '2025-01-01', '2025-06-01', null, null, 'fx')
"""

FUNDING = """
insert into core.funding values
    ('f1', 'o1', 100000, 'EUR', 100000, 'public', '2024-07-01', 'fx'),
    ('f2', 'o8',  50000, 'USD',  46000, 'private', '2025-02-01', 'fx')
"""

# indicator, scope_type, scope_id, period_end, baseline, target
TARGETS = """
insert into core.target values
    ('K04', 'programme', 'iurc-na', '2024-12-31', null, 42, 'fx'),
    ('K04', 'programme', 'iurc-na', '2025-12-31', null, 60, 'fx'),
    ('K08', 'programme', 'iurc-na', '2025-12-31', null, 50, 'fx'),
    ('K12', 'programme', 'iurc-na', '2025-12-31', 0, 4, 'fx'),
    ('K30', 'programme', 'iurc-na', '2025-12-31', null, 14, 'fx'),
    ('K30', 'network', 'innovation', '2025-12-31', null, 8, 'fx')
"""

# indicator, scope_type, scope_id, period_start, period_end, value, kind
OBSERVATIONS = """
insert into core.observation values
    ('K23', 'programme', 'iurc-na', '2024-01-01', '2024-06-30', 60, 'actual', 'fx'),
    ('K23', 'programme', 'iurc-na', '2024-07-01', '2024-12-31', 70, 'actual', 'fx'),
    ('K23', 'programme', 'iurc-na', '2025-01-01', '2025-12-31', 80, 'forecast', 'fx'),
    ('K12', 'programme', 'iurc-na', '2024-01-01', '2024-06-30', 3, 'forecast', 'fx'),
    ('K12', 'programme', 'iurc-na', '2024-07-01', '2024-12-31', 5, 'forecast', 'fx')
"""

# entity_type, entity_id, goal, target_id, is_primary, method, score, status
SDG = """
insert into core.sdg_alignment
    (entity_type, entity_id, goal, target_id, is_primary, method, score, status, run_id) values
    ('activity', 'a1', 11, '11.2', true,  'manual',  null, 'accepted',  'fx'),
    ('activity', 'a1',  9, '9.1',  false, 'keyword', 0.7,  'accepted',  'fx'),
    ('activity', 'a2',  4, '4.4',  true,  'model',   0.9,  'suggested', 'fx'),
    ('activity', 'a2', 11, '11.3', false, 'manual',  null, 'accepted',  'fx'),
    ('activity', 'a3', 11, null,   true,  'manual',  null, 'accepted',  'fx'),
    ('output',   'o1', 13, '13.2', true,  'model',   0.6,  'rejected',  'fx'),
    ('cooperation', 'coop-b', 17, '17.17', true, 'manual', null, 'accepted', 'fx')
"""

CONTEXT = """
insert into core.city_context values
    ('toronto-ca', 'gdp_per_capita', 2021, 61000, 'CAD', 'StatCan', 'fx'),
    ('toronto-ca', 'gdp_per_capita', 2022, 64000, 'CAD', 'StatCan', 'fx')
"""

RUNS = """
insert into ops.ingest_run values
    ('r1', '2025-06-01 10:00:00', '2025-06-01 10:00:05', '/x/activities.csv', 'activities.csv', 'abc',
        'activity', 'csv', 9, 7, 7, 0, 2, 'partial', '2 rows quarantined', false),
    ('r2', '2025-06-02 10:00:00', '2025-06-02 10:00:03', '/x/participations.csv', 'participations.csv',
        'def', 'participation', 'csv', 12, 11, 11, 0, 1, 'partial', '1 row quarantined', false);
insert into ops.quarantine
    (run_id, file_name, line, entity, raw_record, reasons, first_column, first_rule) values
    ('r1', 'activities.csv', 3, 'activity', '{}', 'end_date: end before start', 'end_date', 'date_order'),
    ('r1', 'activities.csv', 5, 'activity', '{}', 'modality: unknown code (boat)', 'modality', 'code_list'),
    ('r2', 'participations.csv', 4, 'participation', '{}', 'women: more than participants', 'women',
        'women_le_participants')
"""


def build_fixture_warehouse(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Fill an empty connection with the schema, reference data, the rows above and the marts."""
    db.create_schema(con)
    reference.load_reference(con)
    for statement in (
        CITIES,
        COOPERATIONS,
        ACTIVITIES,
        PARTICIPATIONS,
        OUTPUTS,
        FUNDING,
        TARGETS,
        OBSERVATIONS,
        SDG,
        CONTEXT,
        RUNS,
    ):
        con.execute(statement)
    marts.build_marts(con)
    return con


@pytest.fixture(scope="session")
def mart_con() -> duckdb.DuckDBPyConnection:
    """A session-wide in-memory fixture warehouse with marts built (treat as read-only)."""
    con = duckdb.connect(":memory:")
    build_fixture_warehouse(con)
    yield con
    con.close()


@pytest.fixture()
def cur(mart_con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor on the fixture warehouse for one test."""
    return mart_con.cursor()
