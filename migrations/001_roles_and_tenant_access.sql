-- Roles, the `app` helper schema, tenants and the operator-to-tenant access model.
--
-- Role names carry a prefix (startup option `-c avia.role_prefix=…`, default 'avia') so that
-- several databases of one cluster (e.g. parallel test runs) never share roles. The prefix is
-- recorded here once; every later migration derives role names from app.role_name().

create table if not exists public.app_installation (
  singleton boolean primary key default true check (singleton),
  role_prefix text not null check (role_prefix ~ '^[a-z][a-z0-9_]{0,40}$'),
  installed_at timestamptz not null default now()
);

insert into public.app_installation (role_prefix)
values (coalesce(nullif(current_setting('avia.role_prefix', true), ''), 'avia'));

do $$
declare
  prefix text := (select role_prefix from public.app_installation);
  r text;
begin
  foreach r in array array['owner', 'support', 'moderator', 'finance', 'admin'] loop
    if not exists (select 1 from pg_roles where rolname = prefix || '_' || r) then
      execute format('create role %I nologin nosuperuser nobypassrls nocreatedb nocreaterole', prefix || '_' || r);
    end if;
  end loop;
  execute format('create schema app authorization %I', prefix || '_owner');
  execute format('alter table public.app_installation owner to %I', prefix || '_owner');
  execute format('grant usage, create on schema public to %I', prefix || '_owner');
  execute format('grant usage on schema app to %I, %I, %I, %I', prefix || '_support', prefix || '_moderator', prefix || '_finance', prefix || '_admin');
  execute format('grant select, insert on public.migrations to %I', prefix || '_owner');
end $$;

-- From here on every object is created by (and so owned by) the owner role.
select set_config('role', (select role_prefix from public.app_installation) || '_owner', true);

-- Functions are not callable by PUBLIC unless granted below: SECURITY DEFINER helpers must
-- not be reachable by any login role that happens to exist in the cluster.
alter default privileges in schema app revoke execute on functions from public;
alter default privileges revoke execute on functions from public;

create function app.role_prefix() returns text
language sql stable parallel safe
set search_path = pg_catalog, public, pg_temp
as $$ select role_prefix from public.app_installation $$;

create function app.role_name(role_suffix text) returns text
language sql stable parallel safe
set search_path = pg_catalog, public, pg_temp
as $$ select app.role_prefix() || '_' || role_suffix $$;

-- Quoted, comma separated group role names, for dynamic GRANT/CREATE POLICY statements.
create function app.role_list(variadic role_suffixes text[]) returns text
language sql stable
as $$ select string_agg(quote_ident(app.role_name(s)), ', ') from unnest(role_suffixes) s $$;

create function app.operator_groups() returns text[]
language sql immutable parallel safe
as $$ select array['support', 'moderator', 'finance', 'admin'] $$;

create function app.in_group(group_name text) returns boolean
language sql stable parallel safe
set search_path = pg_catalog, public, pg_temp
as $$ select pg_has_role(session_user, app.role_name(group_name), 'MEMBER') $$;

create function app.my_groups() returns text[]
language sql stable parallel safe
set search_path = pg_catalog, public, pg_temp
as $$ select coalesce(array_agg(g order by g), '{}') from unnest(app.operator_groups()) g where app.in_group(g) $$;

-- The tenant of the current transaction. Missing, empty or malformed → NULL, which matches no
-- row: a bad setting can never widen what a query sees, and never raises either.
create function app.current_tenant_id() returns uuid
language plpgsql stable parallel safe
as $$
declare
  raw text := current_setting('app.current_tenant_id', true);
begin
  if raw is null or raw !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return null;
  end if;
  return raw::uuid;
end $$;

-- Row stamps: created_by/updated_by are the database session user and cannot be forged by a
-- client; created_* never change after insert.
create function app.stamp_row() returns trigger
language plpgsql
as $$
begin
  if tg_op = 'INSERT' then
    new.created_by := session_user;
    new.updated_by := session_user;
    new.created_at := coalesce(new.created_at, now());
    new.updated_at := coalesce(new.updated_at, new.created_at);
  else
    new.created_by := old.created_by;
    new.created_at := old.created_at;
    new.updated_by := session_user;
    new.updated_at := now();
  end if;
  return new;
end $$;

create function app.attach_row_stamps(target regclass) returns void
language plpgsql
as $$
begin
  execute format('create trigger stamp_row before insert or update on %s for each row execute function app.stamp_row()', target);
end $$;

create table public.tenants (
  id uuid primary key default gen_random_uuid(),
  slug varchar(75) not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,74}$'),
  name varchar(255) not null check (length(btrim(name)) > 0),
  contact_email varchar(255),
  website_url varchar(500),
  business_industry varchar(100),
  plan_type varchar(50) not null default 'starter',
  status varchar(20) not null default 'active' check (status in ('active', 'suspended', 'closed')),
  status_reason text,
  status_changed_at timestamptz,
  settings jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  check (status = 'active' or length(btrim(status_reason)) > 0)
);
create index tenants_name_idx on public.tenants (lower(name));
create index tenants_status_idx on public.tenants (status, plan_type);
select app.attach_row_stamps('public.tenants');

-- Which tenants an operator (a login role) is assigned to. tenant_id NULL = all tenants, which
-- only counts for members of the admin group.
create table public.operator_tenants (
  id uuid primary key default gen_random_uuid(),
  operator name not null,
  tenant_id uuid references public.tenants(id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  unique nulls not distinct (operator, tenant_id)
);
create index operator_tenants_tenant_idx on public.operator_tenants (tenant_id);
select app.attach_row_stamps('public.operator_tenants');

create table public.break_glass_grants (
  id uuid primary key default gen_random_uuid(),
  operator name not null default session_user,
  tenant_id uuid not null references public.tenants(id),
  reason text not null check (length(btrim(reason)) >= 10),
  granted_at timestamptz not null default now(),
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  check (expires_at > granted_at and expires_at <= granted_at + interval '8 hours')
);
create index break_glass_grants_operator_idx on public.break_glass_grants (operator, tenant_id, expires_at);
create index break_glass_grants_tenant_idx on public.break_glass_grants (tenant_id, granted_at desc);
select app.attach_row_stamps('public.break_glass_grants');

create function app.sees_all_tenants() returns boolean
language sql stable parallel safe security definer
set search_path = pg_catalog, public, pg_temp
as $$
  select app.in_group('admin')
     and exists (select 1 from public.operator_tenants where operator = session_user and tenant_id is null)
$$;

-- Tenants reached through an assignment or an unexpired break-glass grant (not "all tenants").
create function app.granted_tenant_ids() returns uuid[]
language sql stable parallel safe security definer
set search_path = pg_catalog, public, pg_temp
as $$
  select coalesce(array_agg(distinct t), '{}') from (
    select tenant_id from public.operator_tenants where operator = session_user and tenant_id is not null
    union all
    select tenant_id from public.break_glass_grants where operator = session_user and expires_at > now()
  ) s(t)
$$;

create function app.can_see_tenant(tenant uuid) returns boolean
language sql stable parallel safe security definer
set search_path = pg_catalog, public, pg_temp
as $$
  select tenant is not null and (
    exists (select 1 from public.operator_tenants where operator = session_user and tenant_id = tenant)
    or exists (select 1 from public.break_glass_grants where operator = session_user and tenant_id = tenant and expires_at > now())
    or app.sees_all_tenants()
  )
$$;

-- The current tenant if the session user may see it, else NULL. Policies compare against
-- `(select app.current_visible_tenant_id())`, an init plan evaluated once per query, so the
-- comparison stays an index condition on tenant_id.
create function app.current_visible_tenant_id() returns uuid
language sql stable parallel safe
as $$ select t from (select app.current_tenant_id()) s(t) where app.can_see_tenant(t) $$;

create function app.visible_tenants()
returns table (tenant_id uuid, access text, expires_at timestamptz)
language sql stable security definer
set search_path = pg_catalog, public, pg_temp
as $$
  select t.id, 'all', null::timestamptz from public.tenants t where app.sees_all_tenants()
  union all
  select o.tenant_id, 'assigned', null from public.operator_tenants o
   where o.operator = session_user and o.tenant_id is not null and not app.sees_all_tenants()
  union all
  select g.tenant_id, 'break_glass', max(g.expires_at) from public.break_glass_grants g
   where g.operator = session_user and g.expires_at > now() and not app.sees_all_tenants()
     and not exists (select 1 from public.operator_tenants o where o.operator = session_user and o.tenant_id = g.tenant_id)
   group by g.tenant_id
$$;

-- Tenant-owned tables: ENABLE + FORCE, one policy for every command with USING and WITH CHECK
-- (the current, visible tenant only), and one for the owner role, which runs the SECURITY
-- DEFINER maintenance functions (audit trigger, archival, summary refresh).
create function app.isolate_tenant_table(target regclass, tenant_column text default 'tenant_id') returns void
language plpgsql
as $$
begin
  execute format('alter table %s enable row level security', target);
  execute format('alter table %s force row level security', target);
  execute format(
    'create policy tenant_isolation on %s for all using (%2$I = (select app.current_visible_tenant_id())) with check (%2$I = (select app.current_visible_tenant_id()))',
    target, tenant_column);
  execute format('create policy owner_maintenance on %s for all to %s using (true) with check (true)', target, app.role_list('owner'));
end $$;

create function app.request_break_glass(tenant uuid, reason text, minutes integer)
returns public.break_glass_grants
language plpgsql volatile security definer
set search_path = pg_catalog, public, pg_temp
as $$
declare
  granted public.break_glass_grants;
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators may request break-glass access' using errcode = '42501';
  end if;
  if minutes is null or minutes < 1 or minutes > 480 then
    raise exception 'break-glass duration must be between 1 and 480 minutes' using errcode = '22023';
  end if;
  if reason is null or length(btrim(reason)) < 10 then
    raise exception 'break-glass reason must have at least 10 characters' using errcode = '22023';
  end if;
  if not exists (select 1 from public.tenants where id = tenant) then
    raise exception 'tenant % does not exist', tenant using errcode = 'P0002';
  end if;
  insert into public.break_glass_grants (operator, tenant_id, reason, granted_at, expires_at)
  values (session_user, tenant, btrim(reason), now(), now() + make_interval(mins => minutes))
  returning * into granted;
  return granted;
end $$;

select app.isolate_tenant_table('public.break_glass_grants');
-- An operator reads his own grants (the access dialog) whatever the current tenant.
create policy own_grants on public.break_glass_grants for select using (operator = session_user);

alter table public.operator_tenants enable row level security;
alter table public.operator_tenants force row level security;
create policy own_assignments on public.operator_tenants for select using (operator = session_user);

alter table public.tenants enable row level security;
alter table public.tenants force row level security;
-- The directory: without a tenant context, every tenant the operator may see (with one, only
-- that tenant, through tenant_isolation).
create policy tenant_directory on public.tenants for select
  using ((select app.current_tenant_id()) is null
         and ((select app.sees_all_tenants()) or id = any ((select app.granted_tenant_ids())::uuid[])));
-- Changes: only the current, visible tenant.
create policy tenant_isolation on public.tenants for all
  using (id = (select app.current_visible_tenant_id()))
  with check (id = (select app.current_visible_tenant_id()));

do $$
begin
  execute format('create policy owner_maintenance on public.operator_tenants for all to %s using (true) with check (true)', app.role_list('owner'));
  execute format('create policy admin_assigns on public.operator_tenants for all to %s using ((select app.sees_all_tenants())) with check ((select app.sees_all_tenants()))', app.role_list('admin'));
  execute format('create policy owner_maintenance on public.tenants for all to %s using (true) with check (true)', app.role_list('owner'));
  -- Finance and moderators see the platform's tenant names (column grants below limit what).
  execute format('create policy platform_names on public.tenants for select to %s using (true)', app.role_list('finance', 'moderator'));

  execute format('grant execute on function app.role_prefix(), app.role_name(text), app.in_group(text), app.my_groups(), app.operator_groups(), '
    'app.current_tenant_id(), app.sees_all_tenants(), app.granted_tenant_ids(), app.can_see_tenant(uuid), '
    'app.current_visible_tenant_id(), app.visible_tenants() to %s', app.role_list('support', 'moderator', 'finance', 'admin'));
  execute format('grant execute on function app.request_break_glass(uuid, text, integer) to %s', app.role_list('support', 'admin'));

  execute format('grant select on public.tenants, public.operator_tenants, public.break_glass_grants to %s', app.role_list('support', 'admin'));
  execute format('grant select (id, slug, name, status, plan_type, business_industry) on public.tenants to %s', app.role_list('finance'));
  execute format('grant select (id, slug, name) on public.tenants to %s', app.role_list('moderator'));
  execute format('grant select on public.app_installation to %s', app.role_list('support', 'moderator', 'finance', 'admin'));
  -- Support edits the profile; status, plan and settings are the admin's.
  execute format('grant update (name, contact_email, website_url, business_industry) on public.tenants to %s', app.role_list('support'));
  execute format('grant insert, update on public.tenants to %s', app.role_list('admin'));
  execute format('grant insert, delete on public.operator_tenants to %s', app.role_list('admin'));
end $$;

select set_config('role', 'none', true);
