-- Usage screens (issue 10): the limits a tenant's usage is measured against. Finance may not read
-- tenant_limits (it holds request rates and who changed them, which is support's business); it
-- gets the two figures usage is compared with, for the tenants the usage functions let it read,
-- through this function only.
select set_config('role', app.role_name('owner'), true);

create function app.usage_limits()
returns table (tenant_id uuid, agent_usage_limit integer, storage_limit_mb integer)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  context uuid := app.current_tenant_id();
  scope uuid[] := app.usage_tenant_scope();
begin
  return query
  select l.tenant_id, l.agent_usage_limit, l.storage_limit_mb
    from public.tenant_limits l
   where l.active
     and (scope is null or l.tenant_id = any (scope))
     and (context is null or l.tenant_id = context)
   order by l.tenant_id;
end $$;

do $$
begin
  execute format('grant execute on function app.usage_limits() to %s', app.role_list('support', 'finance', 'admin'));
end $$;

select set_config('role', 'none', true);
