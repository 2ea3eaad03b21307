-- Usage screens (issue 10): the limits a tenant's usage is measured against, and the rollup rows
-- of a period for the screens' aggregates. Finance may not read
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

-- The usage screens' aggregates read rollup rows by period: the same rules as app.daily_usage
-- (finance: the platform; others: their visible tenants; a tenant context narrows to it), without
-- its ordering, which every aggregate above it would only throw away.
create function app.usage_rollup(from_date date, to_date date)
returns table (tenant_id uuid, usage_type text, usage_date date, currency char(3), total_quantity bigint, total_amount numeric, record_count bigint)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  context uuid := app.current_tenant_id();
  scope uuid[] := app.usage_tenant_scope();
begin
  perform app.require_period(from_date, to_date);
  if context is not null and not (app.in_group('finance') or app.can_see_tenant(context)) then
    return;
  end if;
  return query
  select d.tenant_id, d.usage_type::text, d.usage_date, d.currency, d.total_quantity, d.total_amount, d.record_count
    from public.daily_usage_summary d
   where d.usage_date between from_date and to_date
     and (scope is null or d.tenant_id = any (scope))
     and (context is null or d.tenant_id = context);
end $$;

do $$
begin
  execute format('grant execute on function app.usage_limits(), app.usage_rollup(date, date) to %s', app.role_list('support', 'finance', 'admin'));
end $$;

select set_config('role', 'none', true);
