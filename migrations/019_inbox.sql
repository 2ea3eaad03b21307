-- The home inbox (issue 15): "executions failing more than usual per tenant" needs each visible
-- tenant's failure figures at once. Executions are isolated per tenant (one tenant per
-- transaction), so a cross-tenant count needs a definer function; it returns counts only, for the
-- caller's visible tenants only, and only to support and admin (the groups that see executions).
select set_config('role', app.role_name('owner'), true);

-- Per visible tenant: finished executions and failures (error, crashed) in the last
-- `recent_hours`, and in the `baseline_days` before that. Whether that is "more than usual" is the
-- console's rule (src/main/domains/executions/inbox.ts), so it can change without a migration.
create function app.execution_failure_rates(recent_hours integer, baseline_days integer)
returns table (tenant_id uuid, recent_total bigint, recent_failed bigint, baseline_total bigint, baseline_failed bigint)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  recent_from timestamptz;
  baseline_from timestamptz;
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators see execution failure rates' using errcode = '42501';
  end if;
  if recent_hours is null or recent_hours < 1 or recent_hours > 168 or baseline_days is null or baseline_days < 1 or baseline_days > 90 then
    raise exception 'recent_hours must be 1 to 168 and baseline_days 1 to 90' using errcode = '22023';
  end if;
  recent_from := pg_catalog.statement_timestamp() - pg_catalog.make_interval(hours => recent_hours);
  baseline_from := recent_from - pg_catalog.make_interval(days => baseline_days);
  return query
  select e.tenant_id,
         (pg_catalog.count(*) filter (where e.started_at >= recent_from))::bigint,
         (pg_catalog.count(*) filter (where e.started_at >= recent_from and e.status in ('error', 'crashed')))::bigint,
         (pg_catalog.count(*) filter (where e.started_at < recent_from))::bigint,
         (pg_catalog.count(*) filter (where e.started_at < recent_from and e.status in ('error', 'crashed')))::bigint
    from public.executions e
   where e.tenant_id in (select v.tenant_id from app.visible_tenants() v)
     and e.started_at >= baseline_from
     -- Running and waiting executions have not failed yet, nor succeeded: they count for neither.
     and e.status in ('success', 'error', 'crashed', 'canceled')
   group by e.tenant_id;
end
$$;

revoke execute on function app.execution_failure_rates(integer, integer) from public;
do $$
begin
  execute format('grant execute on function app.execution_failure_rates(integer, integer) to %s', app.role_list('support', 'admin'));
end
$$;

-- A status reason is at most 500 characters, as the contract says (tenants.setStatus): the
-- database holds the same line, so a direct UPDATE cannot store a 3,000-character one. NOT VALID:
-- rows written before are left as they are; every new or changed row is checked.
alter table public.tenants
  add constraint tenants_status_reason_length check (char_length(status_reason) <= 500) not valid;

select set_config('role', 'none', true);
