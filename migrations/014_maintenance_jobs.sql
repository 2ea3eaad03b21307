-- Maintenance jobs (issue 14): the platform-wide jobs get a schedule the console runs while it
-- is online, a record of each job's last run and progress, and one runner at a time per job.
--   1. `maintenance_jobs` (owner only; read through app.maintenance_jobs()): interval, last run,
--      duration, rows, error, and the lease of the run in progress;
--   2. a run is a lease taken by compare-and-set (app.claim_maintenance_job), renewed with its
--      progress and released by app.finish_maintenance_job: two consoles never run one job at
--      once, a console that dies loses its lease when it expires, and no operator can hold a
--      lock that stalls the others (an advisory key can be taken by any role; see README);
--   3. archival in batches, each its own transaction with its own purge horizon;
--   4. a DEFAULT events partition that catches stragglers (an event five months ahead used to
--      fail with "no partition of relation found"), moved into their own partition when it is
--      created;
--   5. audit chain verification of every chain, in batches;
--   6. a read policy that lets one keyset query per synced table cover every visible tenant.
select set_config('role', app.role_name('owner'), true);

create table public.maintenance_settings (
  singleton boolean primary key default true check (singleton),
  schedule_enabled boolean not null default false,
  archive_after_days integer not null default 90 check (archive_after_days between 1 and 3650),
  updated_at timestamptz not null default now(),
  updated_by text not null default session_user
);
insert into public.maintenance_settings default values;

create table public.maintenance_jobs (
  job text primary key check (job in ('archive_executions', 'event_partitions', 'fold_daily_usage', 'verify_audit_chains')),
  every interval not null check (every between interval '1 minute' and interval '31 days'),
  last_started_at timestamptz,
  last_finished_at timestamptz,
  last_duration_ms bigint,
  last_rows bigint,
  last_error text,
  last_run_by text,
  -- The run in progress: a lease, renewed with every step; an expired one may be taken over.
  run_id uuid,
  running_by text,
  running_since timestamptz,
  lease_until timestamptz,
  progress_done bigint,
  progress_total bigint,
  check ((run_id is null) = (lease_until is null))
);
insert into public.maintenance_jobs (job, every) values
  ('archive_executions', interval '1 day'),
  ('event_partitions', interval '1 day'),
  ('fold_daily_usage', interval '5 minutes'),
  ('verify_audit_chains', interval '1 day');

-- No operator reads or writes either table directly: the functions below do, as the owner.
alter table public.maintenance_settings enable row level security;
alter table public.maintenance_settings force row level security;
alter table public.maintenance_jobs enable row level security;
alter table public.maintenance_jobs force row level security;
do $$
begin
  execute pg_catalog.format('create policy owner_maintenance on public.maintenance_settings for all to %s using (true) with check (true)', app.role_list('owner'));
  execute pg_catalog.format('create policy owner_maintenance on public.maintenance_jobs for all to %s using (true) with check (true)', app.role_list('owner'));
end $$;

-- Archival reads the oldest finished executions first, across tenants.
create index executions_finished_idx on public.executions (finished_at, id) where finished_at is not null;

-- Every job, its schedule and its last and current run. next_run_at is null while the schedule is off.
create function app.maintenance_jobs()
returns table (job text, every_seconds bigint, last_started_at timestamptz, last_finished_at timestamptz, last_duration_ms bigint,
  last_rows bigint, last_error text, last_run_by text, running_by text, running_since timestamptz, lease_until timestamptz,
  progress_done bigint, progress_total bigint, next_run_at timestamptz, schedule_enabled boolean, archive_after_days integer)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  perform app.require_platform_admin('maintenance_jobs');
  return query
    select j.job, pg_catalog.date_part('epoch', j.every)::bigint, j.last_started_at, j.last_finished_at, j.last_duration_ms,
           j.last_rows, j.last_error, j.last_run_by, j.running_by, j.running_since, j.lease_until, j.progress_done, j.progress_total,
           case when s.schedule_enabled then coalesce(j.last_started_at + j.every, pg_catalog.statement_timestamp()) end,
           s.schedule_enabled, s.archive_after_days
      from public.maintenance_jobs j cross join public.maintenance_settings s
     order by j.job;
end $$;

create function app.set_maintenance_schedule(enabled boolean, archive_after_days integer,
  archive_every_s integer, partitions_every_s integer, fold_every_s integer, verify_every_s integer) returns void
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  intervals jsonb := pg_catalog.jsonb_build_object('archive_executions', archive_every_s, 'event_partitions', partitions_every_s,
    'fold_daily_usage', fold_every_s, 'verify_audit_chains', verify_every_s);
begin
  perform app.require_platform_admin('set_maintenance_schedule');
  if enabled is null or archive_after_days is null or archive_after_days < 1 or archive_after_days > 3650 then
    raise exception 'archive age must be 1..3650 days' using errcode = '22023';
  end if;
  if exists (select 1 from pg_catalog.jsonb_each_text(intervals) i where i.value is null or i.value::bigint < 60 or i.value::bigint > 31 * 86400) then
    raise exception 'every interval must be between one minute and 31 days' using errcode = '22023';
  end if;
  perform app.lock_audit_chain(null);
  update public.maintenance_settings
     set schedule_enabled = enabled, archive_after_days = set_maintenance_schedule.archive_after_days,
         updated_at = pg_catalog.statement_timestamp(), updated_by = session_user;
  update public.maintenance_jobs j set every = pg_catalog.make_interval(secs => (intervals ->> j.job)::double precision);
  perform app.append_audit(null, 'UPDATE', 'maintenance_settings', null, null,
    pg_catalog.jsonb_build_object('schedule_enabled', enabled, 'archive_after_days', archive_after_days, 'every_s', intervals));
end $$;

-- Takes the job's lease when nobody holds an unexpired one (and, unless forced, when the job is
-- due on an enabled schedule). Returns the run's id, or null when another runner has it or it
-- is not due: the caller then does nothing.
create function app.claim_maintenance_job(job_name text, lease_seconds integer, forced boolean) returns uuid
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  run uuid := pg_catalog.gen_random_uuid();
  stamp timestamptz := pg_catalog.clock_timestamp();
begin
  perform app.require_platform_admin('claim_maintenance_job');
  if lease_seconds is null or lease_seconds < 5 or lease_seconds > 3600 or forced is null then
    raise exception 'lease must be 5..3600 seconds' using errcode = '22023';
  end if;
  if not exists (select 1 from public.maintenance_jobs j where j.job = job_name) then
    raise exception 'unknown maintenance job %', job_name using errcode = '22023';
  end if;
  update public.maintenance_jobs j
     set run_id = run, running_by = session_user, running_since = stamp, lease_until = stamp + pg_catalog.make_interval(secs => lease_seconds::double precision),
         progress_done = 0, progress_total = null
   where j.job = job_name
     and (j.lease_until is null or j.lease_until < stamp)
     and (forced or exists (select 1 from public.maintenance_settings s
                             where s.schedule_enabled and (j.last_started_at is null or j.last_started_at + j.every <= stamp)));
  if not found then
    return null;
  end if;
  return run;
end $$;

-- Progress of a run, which also renews its lease. A run that lost its lease (it expired and
-- another runner took the job) is told so (AV409) and must stop.
create function app.report_maintenance_progress(job_name text, run uuid, done bigint, total bigint, lease_seconds integer) returns void
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  perform app.require_platform_admin('report_maintenance_progress');
  if lease_seconds is null or lease_seconds < 5 or lease_seconds > 3600 then
    raise exception 'lease must be 5..3600 seconds' using errcode = '22023';
  end if;
  update public.maintenance_jobs j
     set progress_done = done, progress_total = total,
         lease_until = pg_catalog.clock_timestamp() + pg_catalog.make_interval(secs => lease_seconds::double precision)
   where j.job = job_name and j.run_id = run;
  if not found then
    raise exception 'the % run lost its lease to another runner', job_name using errcode = 'AV409',
      detail = (select pg_catalog.jsonb_build_object('changedBy', j.running_by, 'changedAt', j.running_since)::text
                  from public.maintenance_jobs j where j.job = job_name);
  end if;
end $$;

create function app.finish_maintenance_job(job_name text, run uuid, rows_done bigint, error text) returns void
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  stamp timestamptz := pg_catalog.clock_timestamp();
begin
  perform app.require_platform_admin('finish_maintenance_job');
  update public.maintenance_jobs j
     set last_started_at = j.running_since, last_finished_at = stamp,
         last_duration_ms = pg_catalog.floor(pg_catalog.date_part('epoch', stamp - j.running_since) * 1000)::bigint,
         last_rows = rows_done, last_error = pg_catalog.left(error, 500), last_run_by = session_user,
         run_id = null, running_by = null, running_since = null, lease_until = null
   where j.job = job_name and j.run_id = run;
  if not found then
    raise exception 'the % run lost its lease to another runner', job_name using errcode = 'AV409';
  end if;
end $$;

-- How many executions an archival with this age would move (the progress bar's total).
create function app.archivable_executions(days integer) returns bigint
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  perform app.require_platform_admin('archivable_executions');
  if days is null or days < 1 then
    raise exception 'archive age must be at least one day' using errcode = '22023';
  end if;
  return (select pg_catalog.count(*) from public.executions e
           where e.finished_at < pg_catalog.now() - pg_catalog.make_interval(days => days));
end $$;

-- One batch of archival: the oldest `batch_size` finished executions older than `days`, across
-- tenants, moved with their steps in one transaction. The purge horizon of a batch is the
-- finish time of its newest row (strictly before it, every tenant's rows are archived by now),
-- or the cutoff for the last batch: a cache never drops a row the server still holds online.
create function app.archive_executions_batch(days integer, batch_size integer) returns integer
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  cutoff timestamptz;
  horizon timestamptz;
  archived integer;
  tenants integer;
begin
  perform app.require_platform_admin('archive_old_executions');
  if days is null or days < 1 then
    raise exception 'archive age must be at least one day' using errcode = '22023';
  end if;
  if batch_size is null or batch_size < 1 or batch_size > 100000 then
    raise exception 'batch size must be 1..100000' using errcode = '22023';
  end if;
  perform app.lock_audit_chain(null);
  cutoff := pg_catalog.now() - pg_catalog.make_interval(days => days);

  with batch as (
    select e.id, e.finished_at from public.executions e
     where e.finished_at < cutoff
     order by e.finished_at, e.id
     limit batch_size
  ), edge as (
    select case when pg_catalog.count(*) < batch_size then cutoff else pg_catalog.max(b.finished_at) end as horizon from batch b
  ), moved as (
    delete from public.executions e using batch b where e.id = b.id returning e.*
  ), copied as (
    insert into public.executions_archive (id, tenant_id, workflow_id, workflow_name, triggered_by_user_id, n8n_execution_id,
      status, input_data, output_data, error_data, error_message, execution_time_ms, started_at, finished_at,
      created_at, updated_at, created_by, updated_by, steps)
    select m.id, m.tenant_id, m.workflow_id, m.workflow_name, m.triggered_by_user_id, m.n8n_execution_id,
      m.status, m.input_data, m.output_data, m.error_data, m.error_message, m.execution_time_ms, m.started_at, m.finished_at,
      m.created_at, m.updated_at, m.created_by, m.updated_by,
      coalesce((select pg_catalog.jsonb_agg(pg_catalog.to_jsonb(s) - 'sync_xid' - 'tenant_id' - 'execution_id' order by s.step_index)
                  from public.execution_steps s where s.tenant_id = m.tenant_id and s.execution_id = m.id), '[]')
    from moved m
    returning tenant_id
  ), horizons as (
    insert into public.sync_purge_horizons (table_name, horizon_column, tenant_id, before_ts)
    select t.name, 'finished_at', c.tenant_id, (select edge.horizon from edge)
      from (select distinct copied.tenant_id from copied) c cross join (values ('executions'), ('execution_steps')) t(name)
    returning tenant_id
  )
  select (select pg_catalog.count(*) from copied), (select pg_catalog.count(distinct h.tenant_id) from horizons h), (select edge.horizon from edge)
    into archived, tenants, horizon;

  perform app.audit_platform_job('archive_old_executions',
    pg_catalog.jsonb_build_object('days', days, 'cutoff', cutoff, 'horizon', horizon, 'archived', archived,
      'tenants', tenants, 'batch_size', batch_size));
  return archived;
end $$;

-- Stragglers: an event outside every monthly partition lands here instead of failing.
create table public.events_default partition of public.events default;
select app.isolate_tenant_table('public.events_default');

-- Creates the monthly partitions of the window, each with the rows the DEFAULT partition holds
-- for its month: the new table is filled first and attached afterwards (attaching a range the
-- default partition holds rows of is refused, so a row can never be in both or in neither).
-- Runs as the owner, from the definer functions below only.
create function app.ensure_event_partitions(months_ahead integer, months_back integer, out created integer, out moved bigint)
language plpgsql volatile
set search_path = pg_catalog, pg_temp
as $$
declare
  first_month date := (pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC') - pg_catalog.make_interval(months => months_back))::date;
  month_start date;
  range_from timestamptz;
  range_to timestamptz;
  partition_name text;
  n bigint;
begin
  if months_ahead is null or months_ahead < 0 or months_ahead > 120 or months_back is null or months_back < 0 or months_back > 240 then
    raise exception 'months_ahead must be 0..120 and months_back 0..240' using errcode = '22023';
  end if;
  created := 0;
  moved := 0;
  for i in 0 .. months_back + months_ahead loop
    month_start := (first_month + pg_catalog.make_interval(months => i))::date;
    partition_name := pg_catalog.format('events_y%sm%s', pg_catalog.to_char(month_start, 'YYYY'), pg_catalog.to_char(month_start, 'MM'));
    continue when pg_catalog.to_regclass('public.' || partition_name) is not null;
    range_from := month_start::timestamp at time zone 'UTC';
    range_to := (month_start + interval '1 month')::timestamp at time zone 'UTC';
    execute pg_catalog.format('create table public.%I (like public.events including defaults including constraints)', partition_name);
    execute pg_catalog.format(
      'with m as (delete from public.events_default d where d.occurred_at >= %L and d.occurred_at < %L returning d.*) '
      'insert into public.%I select * from m', range_from, range_to, partition_name);
    get diagnostics n = row_count;
    execute pg_catalog.format('alter table public.events attach partition public.%I for values from (%L) to (%L)',
      partition_name, range_from, range_to);
    perform app.isolate_tenant_table(('public.' || pg_catalog.quote_ident(partition_name))::regclass);
    created := created + 1;
    moved := moved + n;
  end loop;
end $$;

create or replace function app.create_event_partitions(months_ahead integer, months_back integer default 0) returns integer
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  result record;
begin
  perform app.require_platform_admin('create_event_partitions');
  perform app.lock_audit_chain(null);
  result := app.ensure_event_partitions(months_ahead, months_back);
  perform app.audit_platform_job('create_event_partitions',
    pg_catalog.jsonb_build_object('months_ahead', months_ahead, 'months_back', months_back, 'created', result.created, 'moved', result.moved));
  return result.created;
end $$;

-- What the partitions cover: up to when events have a monthly partition of their own, and how
-- many wait in the DEFAULT partition (the Maintenance screen warns under 30 days of coverage).
create function app.event_partition_coverage(out covered_until timestamptz, out partitions integer, out default_rows bigint)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  perform app.require_platform_admin('event_partition_coverage');
  select pg_catalog.max(pg_catalog.to_date(pg_catalog.substr(c.relname, 9, 4) || pg_catalog.substr(c.relname, 14, 2), 'YYYYMM')
                          + interval '1 month')::timestamp at time zone 'UTC',
         pg_catalog.count(*)::integer
    into covered_until, partitions
    from pg_catalog.pg_inherits i join pg_catalog.pg_class c on c.oid = i.inhrelid
   where i.inhparent = 'public.events'::regclass and c.relname ~ '^events_y[0-9]{4}m[0-9]{2}$';
  default_rows := (select pg_catalog.count(*) from public.events_default);
end $$;

-- Verifies up to `max_chains` audit chains in order (the platform chain first, then tenants by
-- id after `after_tenant`). A broken chain is reported, not raised: the run goes on.
create function app.verify_audit_chains(after_tenant uuid, include_platform boolean, max_chains integer)
returns table (tenant_id uuid, status text, chain_rows bigint, reason text)
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  t uuid;
  v record;
  broken integer := 0;
  checked integer := 0;
begin
  perform app.require_platform_admin('verify_audit_chains');
  if max_chains is null or max_chains < 1 or max_chains > 10000 or include_platform is null then
    raise exception 'max_chains must be 1..10000' using errcode = '22023';
  end if;
  for t in
    select null::uuid where include_platform
    union all
    (select x.id from public.tenants x where after_tenant is null or x.id > after_tenant order by x.id limit max_chains)
  loop
    select * into v from app.verify_audit_chain(t);
    tenant_id := t;
    status := v.status;
    reason := v.reason;
    chain_rows := coalesce((select h.last_position from public.audit_chain_heads h where h.chain_key = app.audit_chain_key(t)), 0);
    checked := checked + 1;
    if v.status <> 'intact' then broken := broken + 1; end if;
    return next;
  end loop;
  perform app.audit_platform_job('verify_audit_chains',
    pg_catalog.jsonb_build_object('after', after_tenant, 'chains', checked, 'broken', broken));
end $$;

do $$
declare
  f text;
begin
  foreach f in array array[
    'app.maintenance_jobs()',
    'app.set_maintenance_schedule(boolean, integer, integer, integer, integer, integer)',
    'app.claim_maintenance_job(text, integer, boolean)',
    'app.report_maintenance_progress(text, uuid, bigint, bigint, integer)',
    'app.finish_maintenance_job(text, uuid, bigint, text)',
    'app.archivable_executions(integer)',
    'app.archive_executions_batch(integer, integer)',
    'app.event_partition_coverage()',
    'app.verify_audit_chains(uuid, boolean, integer)'
  ] loop
    execute pg_catalog.format('grant execute on function %s to %s', f, app.role_list('admin'));
  end loop;
end $$;

-- Incremental sync across tenants: with no tenant set in the transaction, support and admin
-- operators read the synced rows of every tenant they may see (assigned, break-glass, or all for
-- an all-tenants admin) in one keyset query per table, instead of one transaction per tenant.
-- SELECT only, never rows without a tenant, and nothing a tenant-by-tenant read would not show.
-- The (sync_xid, id) indexes serve those keyset pages.
do $$
declare
  t text;
begin
  foreach t in array array['executions', 'execution_steps', 'audit_logs', 'usage_records', 'sync_tombstones'] loop
    execute pg_catalog.format('create policy sync_visible_tenants on public.%I for select to %s using ('
      '(select app.current_tenant_id()) is null and tenant_id is not null '
      'and ((select app.sees_all_tenants()) or tenant_id = any ((select app.granted_tenant_ids())::uuid[])))', t, app.role_list('support', 'admin'));
    execute pg_catalog.format('create index %I on public.%I (sync_xid, id)', t || '_sync_idx', t);
  end loop;
end $$;

select set_config('role', 'none', true);
