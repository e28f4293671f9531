-- materialized: view
-- ingest runs, newest first (the dashboard reads ops.* only through mart views)
with

run as (
    select * from ops.ingest_run
),

final as (
    select
        run_id,
        started_at,
        finished_at,
        file_name,
        entity,
        file_format,
        rows_read,
        rows_loaded,
        rows_inserted,
        rows_updated,
        rows_quarantined,
        status,
        message
    from run
)

select * from final
