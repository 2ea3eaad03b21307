-- The home inbox's items for the consent and credentials areas (issue 15): data-subject requests
-- due soon or overdue, and credentials due or overdue by the rotation policy. Both tables are read
-- across the caller's visible tenants at every inbox refresh, so each gets a definer function that
-- returns figures only (no names, no secrets), only to support and admin (the groups that see the
-- source: migrations/013 and 018), and reads only the rows that need someone through an index.
-- (The moderation queue over its SLA needs no function: moderators read templates directly, and
-- templates_waiting_idx of migration 017 serves it.) Both functions are planned per call, so an
-- all-tenant admin's plan drops the tenant test and a support operator's keeps it.
select set_config('role', app.role_name('owner'), true);

-- Open requests by due date: the inbox reads only those due within the notice window, whatever the
-- number of tenants (the (tenant_id, status, due_at) index would need a probe per tenant and state).
create index data_subject_requests_open_due_idx on public.data_subject_requests (due_at, tenant_id)
  where status in ('received', 'identity_verified', 'in_progress');

-- Per visible tenant: open requests already past their due date, and those due within
-- `notice_days`, with the soonest due date. Closed requests (fulfilled, denied) are done.
create function app.subject_requests_due(notice_days integer)
returns table (tenant_id uuid, overdue bigint, due_soon bigint, next_due_at timestamptz)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
set plan_cache_mode = force_custom_plan
as $$
declare
  all_tenants boolean := app.sees_all_tenants();
  granted uuid[] := app.granted_tenant_ids();
  at timestamptz := pg_catalog.statement_timestamp();
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators see data-subject requests' using errcode = '42501';
  end if;
  if notice_days is null or notice_days < 0 or notice_days > 90 then
    raise exception 'notice_days must be 0 to 90' using errcode = '22023';
  end if;
  return query
  select d.tenant_id,
         (pg_catalog.count(*) filter (where d.due_at <= at))::bigint,
         (pg_catalog.count(*) filter (where d.due_at > at))::bigint,
         pg_catalog.min(d.due_at)
    from public.data_subject_requests d
   where d.status in ('received', 'identity_verified', 'in_progress')
     and d.due_at <= at + pg_catalog.make_interval(days => notice_days)
     and (all_tenants or d.tenant_id = any (granted))
   group by d.tenant_id;
end
$$;

-- The unrevoked credentials by expiry, with their tenant: the inbox counts those up to the notice
-- horizon from the index alone (an index-only scan of the due and overdue ones; the list's
-- expiry index of migration 018 also holds the revoked ones and would need the table for each).
create index tenant_credentials_unrevoked_expiry_idx on public.tenant_credentials (expires_at) include (tenant_id)
  where revoked_at is null;

-- The visible credentials that need a roll: past their expiry (overdue) or within `notice_days` of
-- it (due), as app.credential_list words them; revoked credentials need nothing.
create function app.credentials_due(notice_days integer)
returns table (overdue bigint, due_soon bigint, first_expired_at timestamptz, next_expires_at timestamptz)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
set plan_cache_mode = force_custom_plan
as $$
declare
  all_tenants boolean := app.sees_all_tenants();
  granted uuid[] := app.granted_tenant_ids();
  at timestamptz := pg_catalog.statement_timestamp();
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators see credentials' using errcode = '42501';
  end if;
  if notice_days is null or notice_days < 0 or notice_days > 365 then
    raise exception 'notice_days must be 0 to 365' using errcode = '22023';
  end if;
  return query
  select (pg_catalog.count(*) filter (where c.expires_at <= at))::bigint,
         (pg_catalog.count(*) filter (where c.expires_at > at))::bigint,
         pg_catalog.min(c.expires_at) filter (where c.expires_at <= at),
         pg_catalog.min(c.expires_at) filter (where c.expires_at > at)
    from public.tenant_credentials c
   where c.expires_at <= at + pg_catalog.make_interval(days => notice_days)
     and c.revoked_at is null
     and (all_tenants or c.tenant_id = any (granted));
end
$$;

revoke execute on function app.subject_requests_due(integer), app.credentials_due(integer) from public;
do $$
begin
  execute format('grant execute on function app.subject_requests_due(integer), app.credentials_due(integer) to %s', app.role_list('support', 'admin'));
end
$$;

select set_config('role', 'none', true);
