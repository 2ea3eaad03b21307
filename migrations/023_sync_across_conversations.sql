-- The sync's one-query-per-stream path (issue 14) reads, with no tenant set, every synced stream
-- across the operator's visible tenants. Migration 014 gave that SELECT policy to the tables synced
-- then; conversations (synced since 016) and the archival horizons had none, so with no tenant set
-- they showed nothing and a caught-up cache missed their changes. Same policy, same
-- (sync_xid, id) index for the keyset pages; SELECT only, never a row without a tenant.
select set_config('role', app.role_name('owner'), true);

do $$
declare
  t text;
begin
  foreach t in array array['conversations', 'sync_purge_horizons'] loop
    execute pg_catalog.format('create policy sync_visible_tenants on public.%I for select to %s using ('
      '(select app.current_tenant_id()) is null and tenant_id is not null '
      'and ((select app.sees_all_tenants()) or tenant_id = any ((select app.granted_tenant_ids())::uuid[])))', t, app.role_list('support', 'admin'));
    execute pg_catalog.format('create index %I on public.%I (sync_xid, id)', t || '_sync_idx', t);
  end loop;
end $$;

select set_config('role', 'none', true);
