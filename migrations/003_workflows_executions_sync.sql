-- Workflows, their executions and steps (seed 000's workflows/workflow_steps were runs: they are
-- the executions and execution_steps here), the offline-cache sync support and the archive.
select set_config('role', app.role_name('owner'), true);

-- Sync cursor support. Synced tables carry `sync_xid xid8 default pg_current_xact_id()`; the
-- cache reads below pg_snapshot_xmin(pg_current_snapshot()) keyset-paged on (sync_xid, id), so
-- a row committed late by an old transaction is still picked up.
create function app.touch_sync_xid() returns trigger
language plpgsql
as $$
begin
  new.sync_xid := pg_current_xact_id();
  return new;
end $$;

create table public.sync_tombstones (
  id bigint generated always as identity primary key,
  table_name text not null check (table_name in ('executions', 'execution_steps', 'audit_logs', 'usage_records')),
  row_id uuid not null,
  tenant_id uuid not null references public.tenants(id),
  sync_xid xid8 not null default pg_current_xact_id(),
  deleted_at timestamptz not null default now()
);
create index sync_tombstones_tenant_sync_idx on public.sync_tombstones (tenant_id, sync_xid, id);

-- Bulk archival publishes one horizon per tenant instead of a tombstone per row: the cache
-- drops the tenant's rows of `table_name` whose `horizon_column` is before `before_ts`.
create table public.sync_purge_horizons (
  id bigint generated always as identity primary key,
  table_name text not null check (table_name in ('executions', 'execution_steps')),
  horizon_column text not null,
  tenant_id uuid not null references public.tenants(id),
  before_ts timestamptz not null,
  sync_xid xid8 not null default pg_current_xact_id(),
  created_at timestamptz not null default now()
);
create index sync_purge_horizons_tenant_sync_idx on public.sync_purge_horizons (tenant_id, sync_xid, id);

create function app.write_tombstone(table_name text, row_id uuid, tenant uuid) returns void
language plpgsql security definer
set search_path = pg_catalog, public, pg_temp
as $$
declare
  still_there boolean;
begin
  -- Called from the delete trigger only: refuse to announce the deletion of a live row.
  execute format('select exists (select 1 from public.%I where id = $1)', table_name) into still_there using row_id;
  if still_there then
    raise exception 'row % of % still exists', row_id, table_name using errcode = '42501';
  end if;
  insert into public.sync_tombstones (table_name, row_id, tenant_id) values (table_name, row_id, tenant);
end $$;

-- Deletes made by the owner (archival and its cascades) publish a purge horizon instead; rows
-- without a tenant (platform audit rows) are never synced.
create function app.record_tombstone() returns trigger
language plpgsql
as $$
begin
  if current_user <> app.role_name('owner') and old.tenant_id is not null then
    perform app.write_tombstone(tg_table_name::text, old.id, old.tenant_id);
  end if;
  return null;
end $$;

create function app.enable_sync(target regclass) returns void
language plpgsql
as $$
declare
  short_name text := (select relname from pg_class where oid = target);
begin
  execute format('create trigger touch_sync_xid before update on %s for each row execute function app.touch_sync_xid()', target);
  execute format('create trigger record_tombstone after delete on %s for each row execute function app.record_tombstone()', target);
  execute format('create index %I on %s (tenant_id, sync_xid, id)', short_name || '_tenant_sync_idx', target);
end $$;

create table public.workflows (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  author_user_id uuid,
  name varchar(255) not null,
  description text,
  n8n_id varchar(100),
  definition jsonb not null default '{}',
  settings jsonb not null default '{}',
  active boolean not null default false,
  tags text[] not null default '{}',
  version integer not null default 1 check (version >= 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  unique (tenant_id, id),
  foreign key (tenant_id, author_user_id) references public.users (tenant_id, id)
);
create index workflows_tenant_name_idx on public.workflows (tenant_id, name);

create table public.executions (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  workflow_id uuid not null,
  workflow_name varchar(255),
  triggered_by_user_id uuid,
  n8n_execution_id varchar(100),
  status varchar(20) not null default 'running'
    check (status in ('new', 'running', 'waiting', 'success', 'error', 'canceled', 'crashed')),
  input_data jsonb,
  output_data jsonb,
  error_data jsonb,
  error_message text,
  execution_time_ms integer check (execution_time_ms >= 0),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  sync_xid xid8 not null default pg_current_xact_id(),
  unique (tenant_id, id),
  foreign key (tenant_id, workflow_id) references public.workflows (tenant_id, id),
  foreign key (tenant_id, triggered_by_user_id) references public.users (tenant_id, id),
  check (finished_at is null or finished_at >= started_at)
);
create index executions_tenant_started_idx on public.executions (tenant_id, started_at desc, id);
create index executions_tenant_status_idx on public.executions (tenant_id, status, started_at desc);
create index executions_tenant_workflow_idx on public.executions (tenant_id, workflow_id, started_at desc);

create table public.execution_steps (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  execution_id uuid not null,
  step_index integer not null check (step_index >= 0),
  step_name varchar(100) not null,
  status varchar(20) not null check (status in ('running', 'success', 'error', 'skipped', 'waiting')),
  started_at timestamptz,
  completed_at timestamptz,
  input_data jsonb,
  output_data jsonb,
  error_message text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  sync_xid xid8 not null default pg_current_xact_id(),
  foreign key (tenant_id, execution_id) references public.executions (tenant_id, id) on delete cascade
);
create index execution_steps_tenant_execution_idx on public.execution_steps (tenant_id, execution_id, step_index);

-- Archived executions keep their steps as a JSON array (ordered by step_index).
create table public.executions_archive (
  id uuid primary key,
  tenant_id uuid not null references public.tenants(id),
  workflow_id uuid not null,
  workflow_name varchar(255),
  triggered_by_user_id uuid,
  n8n_execution_id varchar(100),
  status varchar(20) not null,
  input_data jsonb,
  output_data jsonb,
  error_data jsonb,
  error_message text,
  execution_time_ms integer,
  started_at timestamptz not null,
  finished_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  created_by text not null,
  updated_by text not null,
  steps jsonb not null default '[]',
  archived_at timestamptz not null default now(),
  archived_by text not null default session_user
);
create index executions_archive_tenant_started_idx on public.executions_archive (tenant_id, started_at desc, id);

create function app.archive_old_executions(days integer default 90) returns integer
language plpgsql volatile security definer
set search_path = pg_catalog, public, pg_temp
as $$
declare
  cutoff timestamptz;
  archived integer;
begin
  if days is null or days < 1 then
    raise exception 'archive age must be at least one day' using errcode = '22023';
  end if;
  cutoff := now() - make_interval(days => days);

  create temporary table archived_tenants (tenant_id uuid primary key) on commit drop;

  with moved as (
    delete from public.executions e where e.finished_at < cutoff returning e.*
  ), archived as (
    insert into public.executions_archive (id, tenant_id, workflow_id, workflow_name, triggered_by_user_id, n8n_execution_id,
      status, input_data, output_data, error_data, error_message, execution_time_ms, started_at, finished_at,
      created_at, updated_at, created_by, updated_by, steps)
    select m.id, m.tenant_id, m.workflow_id, m.workflow_name, m.triggered_by_user_id, m.n8n_execution_id,
      m.status, m.input_data, m.output_data, m.error_data, m.error_message, m.execution_time_ms, m.started_at, m.finished_at,
      m.created_at, m.updated_at, m.created_by, m.updated_by,
      coalesce((select jsonb_agg(to_jsonb(s) - 'sync_xid' - 'tenant_id' - 'execution_id' order by s.step_index)
                  from public.execution_steps s where s.tenant_id = m.tenant_id and s.execution_id = m.id), '[]')
    from moved m
    returning tenant_id
  ), noted as (
    insert into archived_tenants select distinct tenant_id from archived
  )
  select count(*) into archived from archived;

  insert into public.sync_purge_horizons (table_name, horizon_column, tenant_id, before_ts)
  select t.name, 'finished_at', a.tenant_id, cutoff
    from archived_tenants a cross join (values ('executions'), ('execution_steps')) t(name);

  return archived;
end $$;

do $$
declare
  t regclass;
begin
  foreach t in array array['public.workflows', 'public.executions', 'public.execution_steps']::regclass[] loop
    perform app.attach_row_stamps(t);
  end loop;
  perform app.enable_sync('public.executions');
  perform app.enable_sync('public.execution_steps');
  foreach t in array array['public.workflows', 'public.executions', 'public.execution_steps', 'public.executions_archive',
    'public.sync_tombstones', 'public.sync_purge_horizons']::regclass[] loop
    perform app.isolate_tenant_table(t);
  end loop;

  execute format('grant select on public.workflows, public.executions, public.execution_steps, public.executions_archive, '
    'public.sync_tombstones, public.sync_purge_horizons to %s', app.role_list('support', 'admin'));
  execute format('grant execute on function app.write_tombstone(text, uuid, uuid) to %s', app.role_list('support', 'moderator', 'finance', 'admin'));
  execute format('grant execute on function app.archive_old_executions(integer) to %s', app.role_list('admin'));
end $$;

select set_config('role', 'none', true);
