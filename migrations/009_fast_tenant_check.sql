-- The tenant check every policy evaluates once per query, made cheap: one PL/pgSQL function
-- (its plans are cached per connection) instead of a chain of SQL functions that were planned
-- on every call. Same rule as app.can_see_tenant(): assigned, an unexpired break-glass grant, or
-- an admin assigned to all tenants. Measured by bench/rls.ts (RLS vs superuser ratio).
select set_config('role', app.role_name('owner'), true);

create or replace function app.current_visible_tenant_id() returns uuid
language plpgsql stable parallel safe security definer
set search_path = pg_catalog, public, pg_temp
as $$
declare
  raw text := current_setting('app.current_tenant_id', true);
  tenant uuid;
begin
  if raw is null or raw !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return null;
  end if;
  tenant := raw::uuid;
  if exists (select 1 from public.operator_tenants o
              where o.operator = session_user
                and (o.tenant_id = tenant
                     or (o.tenant_id is null
                         and pg_has_role(session_user, (select i.role_prefix from public.app_installation i) || '_admin', 'MEMBER'))))
     or exists (select 1 from public.break_glass_grants g
                 where g.operator = session_user and g.tenant_id = tenant and g.expires_at > now()) then
    return tenant;
  end if;
  return null;
end $$;

select set_config('role', 'none', true);
