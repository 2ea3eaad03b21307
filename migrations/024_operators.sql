-- Operators and access (issue 15 §3): the admin's screen and `npm run operator -- list | remove`.
-- Everything runs as the admin's own role: assignments through the existing `admin_assigns` policy
-- on operator_tenants, the grants in force through a read policy below, ending a grant through
-- one definer function that checks who asks. The audit trigger already on both tables records
-- each change with the real actor (session_user) on the tenant's hash chain.
select set_config('role', app.role_name('owner'), true);

-- The operators of this database: login roles directly in one of its group roles (prefixed), with
-- their groups. Catalogs are readable by everyone; superusers count only when made members.
create function app.operators()
returns table (operator name, groups text[])
language sql stable
set search_path = pg_catalog, pg_temp
as $$
  select r.rolname, pg_catalog.array_agg(s order by s)
    from pg_catalog.unnest(app.operator_groups()) s
    join pg_catalog.pg_roles gr on gr.rolname = app.role_name(s)
    join pg_catalog.pg_auth_members m on m.roleid = gr.oid
    join pg_catalog.pg_roles r on r.oid = m.member
   where r.rolcanlogin
   group by r.rolname
$$;

create function app.is_operator(candidate name) returns boolean
language sql stable
set search_path = pg_catalog, pg_temp
as $$ select exists (select 1 from app.operators() o where o.operator = candidate) $$;

-- An assignment names an operator of this database: a typo would otherwise sit there unnoticed
-- and take effect the day someone creates a role of that name.
create function app.check_assigned_operator() returns trigger
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
begin
  if not app.is_operator(new.operator) then
    raise exception 'no operator named %', new.operator using errcode = '23503', constraint = 'operator_tenants_operator_exists';
  end if;
  return new;
end $$;
create trigger check_assigned_operator before insert or update of operator on public.operator_tenants
  for each row execute function app.check_assigned_operator();

-- A grant ended early keeps its history: who ended it and why (the audit row has both too).
alter table public.break_glass_grants
  add column ended_by name,
  add column end_reason text,
  add constraint break_glass_grants_end_both check ((ended_by is null) = (end_reason is null)),
  add constraint break_glass_grants_end_reason check (end_reason is null or (app.visible_length(end_reason) >= 10 and pg_catalog.length(end_reason) <= 500));

-- Ends a grant in force now. Admins of all tenants only (the ones who read every grant).
create function app.end_break_glass(grant_id uuid, reason text)
returns public.break_glass_grants
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  ended public.break_glass_grants;
  trimmed text := pg_catalog.btrim(reason);
begin
  if not app.sees_all_tenants() then
    raise exception 'only administrators of all tenants may end a break-glass grant' using errcode = '42501';
  end if;
  if trimmed is null or app.visible_length(trimmed) < 10 or pg_catalog.length(trimmed) > 500 then
    raise exception 'the reason needs 10 to 500 visible characters' using errcode = '22023';
  end if;
  select * into ended from public.break_glass_grants g where g.id = grant_id for update;
  if not found then
    raise exception 'no break-glass grant %', grant_id using errcode = 'P0002';
  end if;
  if ended.expires_at <= pg_catalog.statement_timestamp() then
    raise exception 'the break-glass grant has already ended' using errcode = 'AV422';
  end if;
  update public.break_glass_grants g
     set expires_at = pg_catalog.statement_timestamp(), ended_by = session_user, end_reason = trimmed
   where g.id = grant_id
  returning * into ended;
  return ended;
end $$;

-- An operator's recent actions across every tenant, newest first (the audit trail, read by actor).
create index audit_logs_actor_created_idx on public.audit_logs (actor, created_at desc, id desc);

create function app.operator_actions(target name, max_rows integer)
returns table (id uuid, created_at timestamptz, tenant_id uuid, tenant_name text, action text, resource_type text, resource_id uuid)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
as $$
#variable_conflict use_column
begin
  if not app.sees_all_tenants() then
    raise exception 'only administrators of all tenants may read an operator''s actions' using errcode = '42501';
  end if;
  if max_rows is null or max_rows < 1 or max_rows > 200 then
    raise exception 'between 1 and 200 actions' using errcode = '22023';
  end if;
  return query
    select a.id, a.created_at, a.tenant_id, t.name::text, a.action::text, a.resource_type::text, a.resource_id
      from public.audit_logs a
      left join public.tenants t on t.id = a.tenant_id
     where a.actor = target::text
     order by a.created_at desc, a.id desc
     limit max_rows;
end $$;

do $$
begin
  -- Admins of all tenants read every grant (in force or not); the others still read their own.
  execute format('create policy admin_reads_grants on public.break_glass_grants for select to %s using ((select app.sees_all_tenants()))', app.role_list('admin'));
  execute format('grant execute on function app.operators(), app.is_operator(name), app.end_break_glass(uuid, text), app.operator_actions(name, integer) to %s',
    app.role_list('admin'));
end $$;

select set_config('role', 'none', true);
