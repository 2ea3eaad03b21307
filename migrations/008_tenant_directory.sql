-- The support directory. Domains, limits, usage and credentials are tenant-isolated (RLS needs a
-- tenant context), so a cross-tenant list of them needs an explicit, narrow door: a SECURITY
-- DEFINER function that returns only the caller's visible tenants and only non-secret aggregates.
-- A second, narrower one finds a tenant the caller may NOT see by an exact identifier, so support
-- can request break-glass access to it without being able to enumerate the platform.
select set_config('role', app.role_name('owner'), true);

create index tenants_contact_email_idx on public.tenants (lower(contact_email));

-- LIKE wildcards typed by the operator are matched literally.
create function app.like_pattern(term text) returns text
language sql immutable parallel safe
as $$ select '%' || replace(replace(replace(term, '\', '\\'), '%', '\%'), '_', '\_') || '%' $$;

-- Agent usage is counted per UTC day; the directory compares the last complete day with the
-- tenant's daily agent allowance (today is still filling up).
create function app.tenant_directory(search text default null, status_filter text default null,
  plan_filter text default null, industry_filter text default null)
returns table (id uuid, slug text, name text, contact_email text, website_url text, business_industry text,
  plan_type text, status text, status_changed_at timestamptz, created_at timestamptz,
  domains text[], domain_count integer, verified_domains integer,
  agent_usage bigint, agent_usage_limit integer,
  credentials_expiring integer, next_credential_expiry timestamptz)
language plpgsql stable security definer
set search_path = pg_catalog, public, pg_temp
as $$
declare
  pattern text := case when nullif(btrim(search), '') is null then null else app.like_pattern(lower(btrim(search))) end;
  all_tenants boolean := app.sees_all_tenants();
  granted uuid[] := app.granted_tenant_ids();
  usage_day date := (now() at time zone 'UTC')::date - 1;
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators use the tenant directory' using errcode = '42501';
  end if;
  return query
  with listed as (
    select t.* from public.tenants t
     where (all_tenants or t.id = any (granted))
       and (status_filter is null or t.status = status_filter)
       and (plan_filter is null or t.plan_type = plan_filter)
       and (industry_filter is null or t.business_industry = industry_filter)
       and (pattern is null
            or lower(t.name) like pattern or t.slug like pattern or lower(t.contact_email) like pattern
            or exists (select 1 from public.tenant_domains d where d.tenant_id = t.id and d.domain like pattern))
  ), domains as (
    select d.tenant_id, array_agg(d.domain::text order by d.domain) as names, count(*)::integer as total,
           (count(*) filter (where d.verified))::integer as verified
      from public.tenant_domains d where d.tenant_id in (select l.id from listed l) group by d.tenant_id
  ), credentials as (
    select c.tenant_id, (count(*) filter (where c.expires_at <= now() + interval '14 days'))::integer as expiring,
           min(c.expires_at) filter (where c.expires_at > now()) as next_expiry
      from public.tenant_credentials c
     where c.active and c.expires_at is not null and c.tenant_id in (select l.id from listed l)
     group by c.tenant_id
  )
  select l.id, l.slug::text, l.name::text, l.contact_email::text, l.website_url::text, l.business_industry::text,
         l.plan_type::text, l.status::text, l.status_changed_at, l.created_at,
         coalesce(d.names, '{}'), coalesce(d.total, 0), coalesce(d.verified, 0),
         coalesce(u.total_quantity, 0)::bigint, lim.agent_usage_limit,
         coalesce(c.expiring, 0), c.next_expiry
    from listed l
    left join domains d on d.tenant_id = l.id
    left join credentials c on c.tenant_id = l.id
    left join public.tenant_limits lim on lim.tenant_id = l.id and lim.active
    left join public.daily_usage_summary u on u.tenant_id = l.id and u.usage_type = 'ai_calls' and u.usage_date = usage_day;
end $$;

-- Exact matches only (slug, domain, contact e-mail; a pasted URL is reduced to its host): enough
-- to find the tenant a customer names on the phone, not enough to list tenants by guessing.
create function app.lookup_tenant(term text)
returns table (id uuid, slug text, name text, visible boolean)
language plpgsql stable security definer
set search_path = pg_catalog, public, pg_temp
as $$
declare
  wanted text := lower(btrim(coalesce(term, '')));
  host text := regexp_replace(regexp_replace(wanted, '^[a-z][a-z0-9+.-]*://', ''), '[/?#:].*$', '');
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators may look tenants up' using errcode = '42501';
  end if;
  if length(wanted) < 3 then
    return;
  end if;
  return query
  select t.id, t.slug::text, t.name::text, app.can_see_tenant(t.id)
    from public.tenants t
   where t.slug = wanted
      or lower(t.contact_email) = wanted
      or t.id in (select d.tenant_id from public.tenant_domains d where d.domain in (host, regexp_replace(host, '^www\.', '')))
   order by t.name
   limit 5;
end $$;

do $$
begin
  execute format('grant execute on function app.like_pattern(text) to %s', app.role_list('support', 'admin'));
  execute format('grant execute on function app.tenant_directory(text, text, text, text), app.lookup_tenant(text) to %s',
    app.role_list('support', 'admin'));
end $$;

select set_config('role', 'none', true);
