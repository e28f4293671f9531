-- materialized: view
-- quarantined rows with the run's file and time, for the quarantine page and its summaries
with

quarantine as (
    select * from ops.quarantine
),

run as (
    select
        run_id,
        started_at
    from ops.ingest_run
),

final as (
    select
        q.run_id,
        r.started_at,
        q.file_name,
        q.line,
        q.entity,
        q.first_column,
        coalesce(q.first_rule, 'unspecified') as first_rule,
        q.reasons,
        q.raw_record,
        q.location                     -- IATI files: the element path of the record
    from quarantine as q
    left join run as r on r.run_id = q.run_id
)

select * from final
