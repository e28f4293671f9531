-- materialized: table
-- the years and quarters the data spans (activities, outputs, funding, observations, targets):
-- the periods of the stored scorecard and the period options of the filters
with

dates as (
    select start_date as d from core.activity
    union all select end_date from core.activity
    union all select reference_date from mart.output_register
    union all select adopted_date from mart.output_register
    union all select committed_date from core.funding
    union all select period_end from core.observation
),

bounds as (
    select
        min(d) as first_date,
        max(d) as last_date
    from dates
),

-- the series is unnested bare and cast in the next step: Spark rejects a generator inside a cast
quarter_series as (
    select unnest(generate_series(
        date_trunc('quarter', first_date),
        date_trunc('quarter', last_date),
        interval 3 month
    )) as period_start
    from bounds
    where first_date is not null
),

quarters as (
    select period_start::date as period_start
    from quarter_series
),

years as (
    select distinct date_trunc('year', period_start)::date as period_start
    from quarters
),

final as (
    select
        'year' as period_type,
        period_start,
        (period_start + interval 1 year - interval 1 day)::date as period_end,
        strftime(period_start, '%Y') as label
    from years
    union all
    select
        'quarter',
        period_start,
        (period_start + interval 3 month - interval 1 day)::date,
        strftime(period_start, '%Y') || '-Q' || quarter(period_start)::varchar
    from quarters
)

select * from final
order by period_type, period_start
