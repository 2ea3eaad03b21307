-- The sync's read across tenants under a role of its own (issue 14; found by bench/rls.ts).
-- Migration 014 (and 023) gave support and admin a SELECT policy, sync_visible_tenants, that shows
-- the operator's visible tenants when no tenant is set. PostgreSQL ORs the permissive policies of
-- a table, so every support and admin query carried it: `tenant_id = $current OR (no tenant set
-- AND ...)`. The OR is no index condition and no equivalence with the query's own
-- `tenant_id = $1`, so the planner multiplied the two selectivities, expected a handful of rows,
-- and read all of a tenant's executions through a bitmap scan and a sort instead of walking
-- (tenant_id, started_at) for the first 50: the list of a tenant with 6,000 executions went from
-- 1.6 ms to 36 ms (21.8×; the audit list 9.5×).
--
-- The policy now applies to `<prefix>_sync` only, a NOLOGIN role the sync switches to
-- (SET LOCAL ROLE) for its reads across tenants, so the screens' queries are planned with
-- tenant_isolation alone again. Row-level security still decides: the policy's condition is
-- unchanged and reads the session user's own assignments, grants and groups (session_user does
-- not change with SET ROLE); the role reads the synced tables and nothing else, and writes nothing.
--
-- Support and admin reach it through `<prefix>_sync_gate`, a NOINHERIT role: they may SET ROLE to
-- it but do not hold its privileges (nor its policy) otherwise. PostgreSQL 15 stops inheriting at a
-- NOINHERIT role; from 16 the gate's grant takes its INHERIT FALSE from the gate's own attribute.
-- Finance and moderators are not members: SET ROLE is refused (42501), and they read what they
-- read across tenants (finance: usage, platform-wide) through their own policies, unchanged. An
-- operator in finance and in support or admin keeps that under the sync role: the same finance
-- policies are given to the sync role for a session user in finance.
select set_config('role', 'none', true);

do $$
declare
  r text;
begin
  foreach r in array array['sync', 'sync_gate'] loop
    if not exists (select 1 from pg_catalog.pg_roles where rolname = app.role_name(r)) then
      execute pg_catalog.format('create role %I nologin noinherit nosuperuser nobypassrls nocreatedb nocreaterole', app.role_name(r));
    end if;
  end loop;
  execute pg_catalog.format('grant %I to %I', app.role_name('sync'), app.role_name('sync_gate'));
  execute pg_catalog.format('grant %I to %s', app.role_name('sync_gate'), app.role_list('support', 'admin'));
end $$;

select set_config('role', app.role_name('owner'), true);

do $$
declare
  t text;
begin
  execute pg_catalog.format('grant usage on schema app to %s', app.role_list('sync'));
  execute pg_catalog.format('grant select on public.app_installation to %s', app.role_list('sync'));
  -- What the policies of the synced tables call (tenant_isolation applies to every role too).
  execute pg_catalog.format('grant execute on function app.current_tenant_id(), app.sees_all_tenants(), app.granted_tenant_ids(), '
    'app.current_visible_tenant_id(), app.in_group(text), app.role_name(text), app.role_prefix() to %s', app.role_list('sync'));
  foreach t in array array['executions', 'execution_steps', 'audit_logs', 'usage_records', 'conversations', 'sync_tombstones', 'sync_purge_horizons'] loop
    execute pg_catalog.format('alter policy sync_visible_tenants on public.%I to %s', t, app.role_list('sync'));
    execute pg_catalog.format('grant select on public.%I to %s', t, app.role_list('sync'));
  end loop;
  execute pg_catalog.format('create policy finance_platform_sync on public.usage_records for select to %s using ('
    '(select app.in_group(''finance'')) and tenant_id = coalesce((select app.current_tenant_id()), tenant_id))', app.role_list('sync'));
  execute pg_catalog.format('create policy finance_usage_tombstones_sync on public.sync_tombstones for select to %s using ('
    '(select app.in_group(''finance'')) and table_name = ''usage_records'' and tenant_id = coalesce((select app.current_tenant_id()), tenant_id))', app.role_list('sync'));
end $$;

select set_config('role', 'none', true);
