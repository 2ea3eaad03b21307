-- Archival horizons that cover every archived row (issue 14; found by bench/archival.ts).
-- Migration 014's app.archive_executions_batch publishes, for a full batch, max(finished_at) of the
-- batch (strictly before it: rows tied on that instant may be split by id), for the tenants of that
-- batch only; the last, short batch publishes the cutoff for the tenants it holds rows of only. A
-- tenant whose newest archived row was the newest of a full batch, with no row in the short batch
-- (or whose last batch was exactly full, leaving an empty short one), kept that row and its steps in
-- every offline cache forever: no horizon was ever strictly after it.
--
-- Same signature, rules and audit; when the batch is short (everything older than the cutoff is
-- archived now, so the cutoff is a safe horizon for every tenant) the cutoff is also published for
-- every tenant with archived rows before the cutoff that finished at or after the tenant's latest
-- published executions horizon. A cache drops a row by a horizon only if the horizon is newer
-- (sync_xid) than the row's cached version, so a horizon covers the rows archived up to its own
-- transaction only: "latest" is by sync_xid, not the largest before_ts (an older horizon from an
-- archival with a shorter age has a later before_ts but does not cover rows archived after it).
-- Every row archived up to the latest horizon and finished before it is covered by it; the rest get
-- the cutoff. That also heals the rows earlier runs left behind, at the next run. Once published the
-- probe finds nothing, so a run with nothing to archive publishes nothing. The probe is two index
-- lookups per tenant (the tenant's newest horizon through sync_purge_horizons (tenant_id, sync_xid,
-- id) of migration 003, its archived rows through the index below), never a scan of the archive.
select set_config('role', app.role_name('owner'), true);

create index executions_archive_tenant_finished_idx on public.executions_archive (tenant_id, finished_at);

create or replace function app.archive_executions_batch(days integer, batch_size integer) returns integer
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  cutoff timestamptz;
  horizon timestamptz;
  archived integer;
  tenants integer;
  behind integer := 0;
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

  -- The last batch: the statement above gave its own tenants the cutoff (its horizons are visible
  -- here, and are their newest); every other tenant with archived rows its newest horizon does not
  -- cover gets it too.
  if archived < batch_size then
    with uncovered as (
      select k.id from public.tenants k
       where exists (select 1 from public.executions_archive a
                      where a.tenant_id = k.id and a.finished_at < cutoff
                        and a.finished_at >= coalesce((select h.before_ts from public.sync_purge_horizons h
                                                        where h.tenant_id = k.id and h.table_name = 'executions'
                                                        order by h.sync_xid desc, h.id desc limit 1), '-infinity'))
    ), published as (
      insert into public.sync_purge_horizons (table_name, horizon_column, tenant_id, before_ts)
      select t.name, 'finished_at', u.id, cutoff
        from uncovered u cross join (values ('executions'), ('execution_steps')) t(name)
      returning tenant_id
    )
    select pg_catalog.count(distinct p.tenant_id) into behind from published p;
  end if;

  perform app.audit_platform_job('archive_old_executions',
    pg_catalog.jsonb_build_object('days', days, 'cutoff', cutoff, 'horizon', horizon, 'archived', archived,
      'tenants', tenants + behind, 'batch_size', batch_size));
  return archived;
end $$;

select set_config('role', 'none', true);
