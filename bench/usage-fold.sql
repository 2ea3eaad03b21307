-- Fold of 10,000 new usage records at two table sizes, next to a full REFRESH of a summary
-- built like migration 004's materialized view (the anchor the fold replaces). Run on a freshly
-- migrated scratch database, as a superuser:
--   psql -v ON_ERROR_STOP=1 -f bench/usage-fold.sql postgres://postgres@127.0.0.1:5432/<scratch>
-- Records: 500 tenants, three currencies, 90 days. Times are psql's \timing lines.
-- A CHECKPOINT before each timed fold writes back the pages its insert dirtied (the random-uuid
-- primary key of usage_records spreads 10,000 new rows over thousands of index pages at 2,000,000): without it the
-- fold's backend pays for evicting them, and its time grows with the table it never reads.
-- bench/usage.ts is the measured version (both sizes side by side, 30 samples each).
\set ON_ERROR_STOP 1
insert into tenants (id, slug, name) select gen_random_uuid(), 'bench-' || g, 'Bench ' || g from generate_series(1, 500) g;
create temp table bench_tenants as select id, row_number() over (order by id) - 1 as k from tenants where slug like 'bench-%';

-- :from .. :to records spread over the last 90 days (triggers on, as in production).
create function pg_temp.load(first_g bigint, last_g bigint, span_days integer, total bigint) returns void language sql as $$
  insert into public.usage_records (tenant_id, usage_type, quantity, unit_price, currency, period_start, period_end, recorded_at)
  select t.id, (array['executions', 'ai_calls', 'storage'])[1 + g % 3], 1 + g % 100, 0.0125, (array['EUR', 'USD', 'MXN'])[1 + t.k % 3], x.ts, x.ts, x.ts
    from generate_series(first_g, last_g) g
    join bench_tenants t on t.k = g % 500
    cross join lateral (select now() - make_interval(secs => ((total - g)::float8 / total) * span_days * 86400)) x(ts)
$$;

\echo '== 200,000 records'
select pg_temp.load(1, 200000, 90, 200000);
\timing on
select app.fold_daily_usage() as folded_initial_200k;
\timing off
vacuum analyze public.usage_records, public.daily_usage_summary, public.usage_rollup_deltas;
\timing on
select pg_temp.load(200001, 210000, 1, 210000);
\timing off
checkpoint;
\timing on
select app.fold_daily_usage() as fold_10k_at_200k_run1;
select pg_temp.load(210001, 220000, 1, 220000);
\timing off
checkpoint;
\timing on
select app.fold_daily_usage() as fold_10k_at_200k_run2;
select pg_temp.load(220001, 230000, 1, 230000);
\timing off
checkpoint;
\timing on
select app.fold_daily_usage() as fold_10k_at_200k_run3;
\timing off
create materialized view bench_old_summary as
  select tenant_id, usage_type, (recorded_at at time zone 'UTC')::date as usage_date, currency, sum(quantity)::bigint as total_quantity,
         sum(quantity * coalesce(unit_price, 0)) as total_amount, count(*) as record_count, min(recorded_at) as first_record, max(recorded_at) as last_record
    from public.usage_records group by 1, 2, 3, 4;
create unique index on bench_old_summary (tenant_id, usage_type, usage_date, currency);
\timing on
refresh materialized view concurrently bench_old_summary;
refresh materialized view bench_old_summary;
\timing off

\echo '== 2,000,000 records'
select pg_temp.load(230001, 2000000, 90, 2000000);
select app.fold_daily_usage() as folded_bulk;
vacuum analyze public.usage_records, public.daily_usage_summary, public.usage_rollup_deltas;
\timing on
select pg_temp.load(2000001, 2010000, 1, 2010000);
\timing off
checkpoint;
\timing on
select app.fold_daily_usage() as fold_10k_at_2m_run1;
select pg_temp.load(2010001, 2020000, 1, 2020000);
\timing off
checkpoint;
\timing on
select app.fold_daily_usage() as fold_10k_at_2m_run2;
select pg_temp.load(2020001, 2030000, 1, 2030000);
\timing off
checkpoint;
\timing on
select app.fold_daily_usage() as fold_10k_at_2m_run3;
refresh materialized view concurrently bench_old_summary;
refresh materialized view bench_old_summary;
\timing off
select count(*) as records from public.usage_records;
drop materialized view bench_old_summary;
