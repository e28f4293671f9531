-- IURC Impact warehouse DDL (contract: ARCHITECTURE.md §3).
-- Natural keys are noted per table. They are enforced by the loader (validation rejects
-- duplicates within a file; upsert replaces rows with the same key), not by PRIMARY KEY
-- constraints: DuckDB's ART indexes make bulk loads of millions of rows slow and memory-hungry.

create schema if not exists ref;
create schema if not exists core;
create schema if not exists ops;
create schema if not exists mart;

-- ---------------------------------------------------------------- ref: code lists
-- every code list: <x>_id text slug, label_en, label_fr, label_es, sort_order
create table if not exists ref.network (
    network_id text not null,          -- key
    label_en text not null, label_fr text not null, label_es text not null,
    sort_order integer not null
);
create table if not exists ref.subtheme (
    subtheme_id text not null,         -- key
    network_id text not null,
    label_en text not null, label_fr text not null, label_es text not null,
    sort_order integer not null
);
create table if not exists ref.cross_cutting (
    cross_cutting_id text not null,    -- key
    label_en text not null, label_fr text not null, label_es text not null,
    sort_order integer not null
);
create table if not exists ref.cooperation_mode (
    mode_id text not null,             -- key: pairing, trio, cluster, global_network
    label_en text not null, label_fr text not null, label_es text not null,
    sort_order integer not null
);
create table if not exists ref.activity_type (
    activity_type_id text not null,    -- key
    label_en text not null, label_fr text not null, label_es text not null,
    is_capacity_building boolean not null,   -- counts towards K10
    sort_order integer not null
);
create table if not exists ref.modality (
    modality_id text not null,         -- key: in_person, online, hybrid
    label_en text not null, label_fr text not null, label_es text not null,
    sort_order integer not null
);
create table if not exists ref.stakeholder_type (
    stakeholder_type_id text not null, -- key
    label_en text not null, label_fr text not null, label_es text not null,
    sort_order integer not null
);
create table if not exists ref.output_type (
    output_type_id text not null,      -- key: action_plan, pilot, solution, agreement, knowledge_product, policy_change
    label_en text not null, label_fr text not null, label_es text not null,
    sort_order integer not null
);
create table if not exists ref.output_status (
    status_id text not null,           -- key: planned, developed, implemented, adopted, abandoned
    label_en text not null, label_fr text not null, label_es text not null,
    stage integer not null,            -- lifecycle order; abandoned = 9
    sort_order integer not null
);
create table if not exists ref.framework (
    framework_id text not null,        -- key: eu_green_deal, new_urban_agenda, urban_agenda_eu
    label_en text not null, label_fr text not null, label_es text not null,
    sort_order integer not null
);
create table if not exists ref.funding_source (
    source_type_id text not null,      -- key: eu, public, private, public_private
    label_en text not null, label_fr text not null, label_es text not null,
    sort_order integer not null
);
create table if not exists ref.country (
    country_iso2 text not null,        -- key
    label_en text not null, label_fr text not null, label_es text not null,
    region text not null,              -- EU (incl. European non-EU partners) | NA
    sort_order integer not null
);
create table if not exists ref.fx_rate (
    currency text not null,            -- key (currency, year)
    year integer not null,
    units_per_eur double not null      -- ECB annual average reference rate
);
create table if not exists ref.sdg_goal (
    goal integer not null,             -- key 1..17
    label_en text not null, label_fr text not null, label_es text not null,   -- short titles
    title_en text not null, title_fr text not null, title_es text not null,   -- full titles
    colour_hex text not null,
    sort_order integer not null
);
create table if not exists ref.sdg_target (
    target_id text not null,           -- key '11.2'
    goal integer not null,
    target_type text not null,         -- outcome | means_of_implementation
    label_en text not null, label_fr text not null, label_es text not null,
    sort_order integer not null
);
create table if not exists ref.indicator (
    indicator_id text not null,        -- key 'K01'
    label_en text not null, label_fr text not null, label_es text not null,
    family text not null,              -- reach | outputs | outcomes | sdg | management | benchmarking
    definition text not null,
    unit text not null,                -- count | percent | eur | score | days | index | quarter_rate
    direction text not null,           -- higher | lower
    aggregation text not null,         -- sum | count_distinct | latest | ratio | mean
    is_cumulative boolean not null,
    levels text not null,              -- e.g. 'P,N,C'
    interreg_code text,                -- nearest Interreg 2021-27 common indicator
    sort_order integer not null
);

-- ---------------------------------------------------------------- core: validated facts
create table if not exists core.city (
    city_id text not null,             -- key, slug 'turin-it'
    name text not null,
    country_iso2 text not null,
    region text not null,              -- EU | NA
    population bigint,
    population_year integer,
    lat double,
    lon double,
    geonames_id bigint,
    run_id text not null
);
create table if not exists core.cooperation (
    cooperation_id text not null,      -- key
    mode text not null,
    name text not null,
    network_id text not null,
    phase text,
    start_date date not null,
    support_end_date date,
    run_id text not null
);
create table if not exists core.cooperation_member (
    cooperation_id text not null,      -- key (cooperation_id, city_id)
    city_id text not null,
    role text not null,                -- lead | partner
    run_id text not null
);
create table if not exists core.activity (
    activity_id text not null,         -- key
    title text not null,
    description text,
    activity_type text not null,
    modality text not null,
    status text not null,              -- planned | completed | cancelled
    start_date date not null,
    end_date date not null,
    network_id text not null,
    subtheme_id text,
    cross_cutting_id text,
    cooperation_id text,               -- null: global-network activity
    host_city_id text,
    reported_date date not null,       -- when the record was entered (K30 timeliness)
    run_id text not null
);
create table if not exists core.participation (
    activity_id text not null,         -- key (activity_id, city_id, stakeholder_type, organisation_id)
    city_id text not null,
    stakeholder_type text not null,
    participants integer not null,     -- person-attendances; counts only, never names
    women integer,                     -- null: not declared
    organisations integer,             -- distinct organisations in this row
    completions integer,               -- trainings: participants who completed
    organisation_id text,              -- slug of the one organisation of the row (null: unknown, may be several)
    run_id text not null
);
-- warehouses created before organisation_id existed get it (at the end; loads insert by name)
alter table core.participation add column if not exists organisation_id text;
create table if not exists core.output (
    output_id text not null,           -- key
    output_type text not null,
    title text not null,
    status text not null,              -- planned | developed | implemented | adopted | abandoned
    cooperation_id text,
    city_id text,                      -- lead city
    network_id text not null,
    activity_id text,                  -- activity it stems from, if any
    framework_id text,
    planned_date date,
    developed_date date,
    implemented_date date,
    adopted_date date,
    evidence_url text,
    description text,                  -- what the output is (the showcase's catalogue text)
    run_id text not null
);
-- warehouses created before outputs had a description get it (at the end; loads insert by name)
alter table core.output add column if not exists description text;
create table if not exists core.output_adoption (
    output_id text not null,           -- key (output_id, city_id)
    city_id text not null,             -- the adopting city (another city than the output's own)
    adopted_date date not null,
    evidence_url text,
    run_id text not null
);
create table if not exists core.funding (
    funding_id text not null,          -- key
    output_id text not null,
    amount double not null,
    currency text not null,
    amount_eur double not null,
    source_type text not null,
    committed_date date not null,
    run_id text not null
);
create table if not exists core.target (
    indicator_id text not null,        -- key (indicator_id, scope_type, scope_id, period_end)
    scope_type text not null,          -- programme | network | mode | cooperation | city
    scope_id text not null,            -- 'iurc-na' for the programme; a mode_id for mode
    period_end date not null,          -- deadline; yearly milestones are targets with earlier period_end
    baseline double,
    target_value double not null,
    run_id text not null
);
create table if not exists core.observation (
    indicator_id text not null,        -- key (indicator_id, scope_type, scope_id, period_end, value_kind)
    scope_type text not null,
    scope_id text not null,
    period_start date not null,
    period_end date not null,
    value double not null,
    value_kind text not null,          -- actual | forecast
    run_id text not null
);
create table if not exists core.sdg_alignment (
    entity_type text not null,         -- key (entity_type, entity_id, goal, target_id)
    entity_id text not null,
    goal integer not null,
    target_id text,                    -- null: goal-level tag
    is_primary boolean not null,
    method text not null,              -- manual | keyword | model
    score double,                      -- 0..1 confidence for keyword/model tags
    status text not null,              -- suggested | accepted | rejected
    evidence text,                     -- keyword/model tags: matched phrases, '; '-separated
    method_version text,               -- keyword/model tags: tagger version
    run_id text not null
);
-- warehouses created before the two columns above
alter table core.sdg_alignment add column if not exists evidence text;
alter table core.sdg_alignment add column if not exists method_version text;
create table if not exists core.city_context (
    city_id text not null,             -- key (city_id, metric, year)
    metric text not null,
    year integer not null,
    value double not null,
    unit text,
    source text not null,
    run_id text not null
);

-- ---------------------------------------------------------------- ops: runs and quarantine
create table if not exists ops.ingest_run (
    run_id text not null,              -- key
    started_at timestamp not null,
    finished_at timestamp not null,
    file_path text not null,
    file_name text not null,
    sha256 text not null,
    entity text not null,
    file_format text not null,         -- csv | xlsx | json
    rows_read bigint not null,
    rows_loaded bigint not null,       -- inserted + updated + unchanged
    rows_inserted bigint not null,
    rows_updated bigint not null,
    rows_quarantined bigint not null,
    status text not null,              -- loaded | partial
    message text not null
);
-- true when the file came from a folder marked synthetic (SYNTHETIC.md, written by `iurc demo`)
alter table ops.ingest_run add column if not exists synthetic boolean default false;
create table if not exists ops.quarantine (
    run_id text not null,
    file_name text not null,
    line integer not null,             -- 1-based line (CSV: physical line of the record's start; XLSX: sheet row; JSON: array index + 1)
    entity text not null,
    raw_record text not null,          -- the row as read, JSON
    reasons text not null,             -- every failure, '; '-separated "column: rule (value)"
    first_column text,                 -- column of the first failure (null: row-level rule)
    first_rule text
);
-- IATI files: the record's element path, e.g. /iati-activities/iati-activity[3]/tag[2]
-- (line is then the record's position among the file's records of that entity)
alter table ops.quarantine add column if not exists location text;
-- the fingerprint of the code that built the marts (`marts.code_fingerprint`): one row, replaced at
-- every build; a server and `iurc serve` compare it with their own code (`marts.stale_reason`)
create table if not exists ops.mart_build (
    fingerprint text not null          -- sha256 of the DDL and every mart's statement
);
