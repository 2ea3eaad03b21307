-- Security hardening after an outside review (issue 9), each fixed as a class:
--   1. no schema an operator can write is on the path of code that runs as the owner, CREATE on
--      public is revoked from PUBLIC, and built-ins are called with exact types;
--   2. platform-wide jobs need an all-tenants admin (or the owner) and are audited;
--   3. tombstones are written by the delete trigger only (no callable function, no oracle);
--   4. an audit chain is serialized on its head row, which no operator may lock;
--   5. break-glass expiry is compared with the statement's time, and reasons need visible text;
--   plus moderation stamps that always come from the session, and redacted domain tokens.

-- Before PostgreSQL 15 every role could create objects in public, and upgraded or restored
-- databases keep that grant: a function planted there can shadow a built-in. Only the owner of
-- schema public (or a superuser) can revoke it; for anyone else REVOKE is a mere warning, so
-- the result is checked (npm run migrate refuses such a database before it gets here).
revoke create on schema public from public;
do $$
begin
  if has_schema_privilege('public', 'public', 'CREATE') then
    raise exception 'every role may still create objects in schema public, and % cannot revoke that', current_user
      using errcode = '42501', hint = 'Run "REVOKE CREATE ON SCHEMA public FROM PUBLIC" as the owner of schema public, or migrate as that owner.';
  end if;
end $$;

select set_config('role', app.role_name('owner'), true);

-- Characters that show nothing: white space, control and format characters and the other
-- default-ignorable code points (zero-width space, joiners, BOM, variation selectors, tags …).
-- The same ranges are INVISIBLE_RANGES in src/shared/visible-text.ts (a test compares them).
create function app.visible_length(value text) returns integer
language sql immutable parallel safe strict
as $$
  select pg_catalog.length(pg_catalog.regexp_replace(value,
    '[\u0001-\u0020\u007F-\u00A0\u00AD\u034F\u0600-\u0605\u061C\u06DD\u070F\u0890-\u0891\u08E2\u115F-\u1160\u1680\u17B4-\u17B5\u180B-\u180F\u2000-\u200F\u2028-\u202F\u205F-\u206F\u3000\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB\U000110BD\U000110CD\U00013430-\U0001343F\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0000-\U000E0FFF]',
    '', 'g'))
$$;

-- Existing grants keep their reasons; every new one needs 10 visible characters.
alter table public.break_glass_grants
  add constraint break_glass_grants_reason_visible check (app.visible_length(reason) >= 10) not valid;

-- Break-glass expiry is compared with the time of the running statement, not with now() (the
-- start of the transaction): a grant stops working when it expires, even in an open transaction.
create or replace function app.granted_tenant_ids() returns uuid[]
language sql stable parallel safe security definer
set search_path = pg_catalog, pg_temp
as $$
  select coalesce(array_agg(distinct t), '{}') from (
    select tenant_id from public.operator_tenants where operator = session_user and tenant_id is not null
    union all
    select tenant_id from public.break_glass_grants where operator = session_user and expires_at > pg_catalog.statement_timestamp()
  ) s(t)
$$;

create or replace function app.can_see_tenant(tenant uuid) returns boolean
language sql stable parallel safe security definer
set search_path = pg_catalog, pg_temp
as $$
  select tenant is not null and (
    exists (select 1 from public.operator_tenants where operator = session_user and tenant_id = tenant)
    or exists (select 1 from public.break_glass_grants
                where operator = session_user and tenant_id = tenant and expires_at > pg_catalog.statement_timestamp())
    or app.sees_all_tenants()
  )
$$;

create or replace function app.visible_tenants()
returns table (tenant_id uuid, access text, expires_at timestamptz)
language sql stable security definer
set search_path = pg_catalog, pg_temp
as $$
  select t.id, 'all', null::timestamptz from public.tenants t where app.sees_all_tenants()
  union all
  select o.tenant_id, 'assigned', null from public.operator_tenants o
   where o.operator = session_user and o.tenant_id is not null and not app.sees_all_tenants()
  union all
  select g.tenant_id, 'break_glass', max(g.expires_at) from public.break_glass_grants g
   where g.operator = session_user and g.expires_at > pg_catalog.statement_timestamp() and not app.sees_all_tenants()
     and not exists (select 1 from public.operator_tenants o where o.operator = session_user and o.tenant_id = g.tenant_id)
   group by g.tenant_id
$$;

create or replace function app.current_visible_tenant_id() returns uuid
language plpgsql stable parallel safe security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  raw text := pg_catalog.current_setting('app.current_tenant_id', true);
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
                         and pg_catalog.pg_has_role(session_user, (select i.role_prefix from public.app_installation i) || '_admin', 'MEMBER'))))
     or exists (select 1 from public.break_glass_grants g
                 where g.operator = session_user and g.tenant_id = tenant and g.expires_at > pg_catalog.statement_timestamp()) then
    return tenant;
  end if;
  return null;
end $$;

create or replace function app.request_break_glass(tenant uuid, reason text, minutes integer)
returns public.break_glass_grants
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  granted public.break_glass_grants;
  starts timestamptz := pg_catalog.statement_timestamp();
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators may request break-glass access' using errcode = '42501';
  end if;
  if minutes is null or minutes < 1 or minutes > 480 then
    raise exception 'break-glass duration must be between 1 and 480 minutes' using errcode = '22023';
  end if;
  if reason is null or app.visible_length(reason) < 10 then
    raise exception 'break-glass reason must have at least 10 visible characters' using errcode = '22023';
  end if;
  if not exists (select 1 from public.tenants where id = tenant) then
    raise exception 'tenant % does not exist', tenant using errcode = 'P0002';
  end if;
  insert into public.break_glass_grants (operator, tenant_id, reason, granted_at, expires_at)
  values (session_user, tenant, pg_catalog.btrim(reason), starts, starts + pg_catalog.make_interval(mins => minutes))
  returning * into granted;
  return granted;
end $$;

-- The one writer of a chain at a time: its head row, locked until commit. Operators have no
-- privilege on audit_chain_heads, so none can hold this lock to stall another tenant's writes
-- (a public advisory key could be taken by anyone).
create function app.lock_audit_chain(tenant uuid) returns public.audit_chain_heads
language plpgsql volatile
as $$
declare
  key uuid := app.audit_chain_key(tenant);
  head public.audit_chain_heads;
begin
  insert into public.audit_chain_heads (chain_key) values (key) on conflict (chain_key) do nothing;
  select * into strict head from public.audit_chain_heads where chain_key = key for update;
  return head;
end $$;

-- The sequence number is drawn after the lock, so seq order is chain order.
create or replace function app.append_audit(tenant uuid, action text, resource_type text, resource_id uuid, old_values jsonb, new_values jsonb)
returns void
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  head public.audit_chain_heads := app.lock_audit_chain(tenant);
  next_seq bigint := pg_catalog.nextval(pg_catalog.pg_get_serial_sequence('public.audit_logs', 'seq')::regclass);
  stamped timestamptz := pg_catalog.now();
  row_hash text;
begin
  row_hash := app.audit_row_hash(head.last_hash, head.last_position + 1, tenant, session_user::text, action, resource_type,
    resource_id, old_values, new_values, stamped);
  insert into public.audit_logs (seq, tenant_id, actor, action, resource_type, resource_id, old_values, new_values,
    created_at, chain_position, prev_hash, hash)
  values (next_seq, tenant, session_user, action, resource_type, resource_id, old_values, new_values,
    stamped, head.last_position + 1, head.last_hash, row_hash);
  update public.audit_chain_heads set last_seq = next_seq, last_position = head.last_position + 1, last_hash = row_hash
   where chain_key = head.chain_key;
end $$;

create or replace function app.audit_rechain(tenant uuid) returns integer
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  key uuid := app.audit_chain_key(tenant);
  r record;
  prev text;
  position bigint := 0;
  last_seq bigint;
  ids uuid[] := '{}';
  positions bigint[] := '{}';
  prevs text[] := '{}';
  hashes text[] := '{}';
  row_hash text;
begin
  perform app.lock_audit_chain(tenant);
  for r in select * from app.audit_chain_rows(tenant) loop
    position := position + 1;
    row_hash := app.audit_row_hash(prev, position, r.tenant_id, r.actor, r.action, r.resource_type, r.resource_id,
      r.old_values, r.new_values, r.created_at);
    ids := ids || r.id; positions := positions || position; prevs := prevs || prev; hashes := hashes || row_hash;
    prev := row_hash;
    last_seq := r.seq;
  end loop;
  update public.audit_logs a set chain_position = u.position, prev_hash = u.prev, hash = u.hash
    from unnest(ids, positions, prevs, hashes) u(id, position, prev, hash)
   where a.id = u.id;
  insert into public.audit_chain_heads (chain_key, last_seq, last_position, last_hash) values (key, last_seq, position, prev)
    on conflict (chain_key) do update set last_seq = excluded.last_seq, last_position = excluded.last_position, last_hash = excluded.last_hash;
  return position;
end $$;

-- Domain verification tokens are secrets too (whoever has one can prove the domain).
create or replace function app.secret_column_patterns() returns text[]
language sql immutable parallel safe
as $$ select array['_encrypted$', 'secret', '^password', '^jwt_private_key', '(^|_)api_key$', '(^|_)private_key$', '(^|_)token$'] $$;

-- Platform-wide jobs: an admin assigned to all tenants, or the owner (and superusers) for
-- maintenance and schedulers. One job at a time: the platform audit chain's head stays locked
-- until the job's transaction ends, and the job's audit row says who ran it with what result.
create function app.require_platform_admin(job text) returns void
language plpgsql stable
as $$
begin
  if not (app.sees_all_tenants() or pg_catalog.pg_has_role(session_user, app.role_name('owner'), 'MEMBER')) then
    raise exception '% is a platform-wide job: only an admin assigned to all tenants may run it', job using errcode = '42501';
  end if;
end $$;

-- A bulk load (session_replication_role = replica, which only a superuser can set) writes and
-- chains its own audit rows, as it does for every trigger it turns off.
create function app.audit_platform_job(job text, details jsonb) returns void
language plpgsql volatile
as $$
begin
  if pg_catalog.current_setting('session_replication_role') <> 'replica' then
    perform app.append_audit(null, 'EXECUTE', job, null, null, details);
  end if;
end $$;

create or replace function app.archive_old_executions(days integer default 90) returns integer
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  cutoff timestamptz;
  archived integer;
  tenants integer;
begin
  perform app.require_platform_admin('archive_old_executions');
  if days is null or days < 1 then
    raise exception 'archive age must be at least one day' using errcode = '22023';
  end if;
  perform app.lock_audit_chain(null);
  cutoff := pg_catalog.now() - pg_catalog.make_interval(days => days);

  with moved as (
    delete from public.executions e where e.finished_at < cutoff returning e.*
  ), archived as (
    insert into public.executions_archive (id, tenant_id, workflow_id, workflow_name, triggered_by_user_id, n8n_execution_id,
      status, input_data, output_data, error_data, error_message, execution_time_ms, started_at, finished_at,
      created_at, updated_at, created_by, updated_by, steps)
    select m.id, m.tenant_id, m.workflow_id, m.workflow_name, m.triggered_by_user_id, m.n8n_execution_id,
      m.status, m.input_data, m.output_data, m.error_data, m.error_message, m.execution_time_ms, m.started_at, m.finished_at,
      m.created_at, m.updated_at, m.created_by, m.updated_by,
      coalesce((select pg_catalog.jsonb_agg(pg_catalog.to_jsonb(s) - 'sync_xid' - 'tenant_id' - 'execution_id' order by s.step_index)
                  from public.execution_steps s where s.tenant_id = m.tenant_id and s.execution_id = m.id), '[]')
    from moved m
    returning tenant_id
  ), horizons as (
    -- Caches drop the archived rows by this horizon instead of one tombstone per row.
    insert into public.sync_purge_horizons (table_name, horizon_column, tenant_id, before_ts)
    select t.name, 'finished_at', a.tenant_id, cutoff
      from (select distinct tenant_id from archived) a cross join (values ('executions'), ('execution_steps')) t(name)
    returning tenant_id
  )
  select (select count(*) from archived), (select count(distinct tenant_id) from horizons) into archived, tenants;

  perform app.audit_platform_job('archive_old_executions',
    pg_catalog.jsonb_build_object('days', days, 'cutoff', cutoff, 'archived', archived, 'tenants', tenants));
  return archived;
end $$;

create or replace function app.create_event_partitions(months_ahead integer, months_back integer default 0) returns integer
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  first_month date := (pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC') - pg_catalog.make_interval(months => months_back))::date;
  month_start date;
  partition_name text;
  created integer := 0;
begin
  perform app.require_platform_admin('create_event_partitions');
  if months_ahead is null or months_ahead < 0 or months_ahead > 120 or months_back is null or months_back < 0 or months_back > 240 then
    raise exception 'months_ahead must be 0..120 and months_back 0..240' using errcode = '22023';
  end if;
  perform app.lock_audit_chain(null);
  for i in 0 .. months_back + months_ahead loop
    month_start := (first_month + pg_catalog.make_interval(months => i))::date;
    partition_name := pg_catalog.format('events_y%sm%s', pg_catalog.to_char(month_start, 'YYYY'), pg_catalog.to_char(month_start, 'MM'));
    if pg_catalog.to_regclass('public.' || partition_name) is null then
      execute pg_catalog.format('create table public.%I partition of public.events for values from (%L) to (%L)',
        partition_name, (month_start::timestamp at time zone 'UTC'), ((month_start + interval '1 month')::timestamp at time zone 'UTC'));
      perform app.isolate_tenant_table(('public.' || pg_catalog.quote_ident(partition_name))::regclass);
      created := created + 1;
    end if;
  end loop;
  perform app.audit_platform_job('create_event_partitions',
    pg_catalog.jsonb_build_object('months_ahead', months_ahead, 'months_back', months_back, 'created', created));
  return created;
end $$;

create or replace function app.refresh_daily_usage_summary() returns void
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  perform app.require_platform_admin('refresh_daily_usage_summary');
  perform app.lock_audit_chain(null);
  refresh materialized view concurrently public.daily_usage_summary;
  perform app.audit_platform_job('refresh_daily_usage_summary', '{}');
end $$;

-- Tombstones: written by the delete trigger only. The trigger function runs as the owner and
-- cannot be called directly (a trigger function only runs as a trigger, and creating a trigger
-- needs EXECUTE on it, which no group has). Rows without a tenant (platform audit rows) are
-- never synced; archived executions and their steps reach caches as a purge horizon instead.
create or replace function app.record_tombstone() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  archived boolean := false;
begin
  if tg_table_schema <> 'public' or tg_table_name not in ('executions', 'execution_steps', 'audit_logs', 'usage_records') then
    raise exception 'table %.% does not publish tombstones', tg_table_schema, tg_table_name using errcode = '42501';
  end if;
  -- Fields are only named in the branch of their own table.
  if tg_table_name = 'executions' then
    archived := exists (select 1 from public.executions_archive a where a.id = old.id);
  elsif tg_table_name = 'execution_steps' then
    archived := exists (select 1 from public.executions_archive a where a.id = old.execution_id);
  end if;
  if not archived then
    insert into public.sync_tombstones (table_name, row_id, tenant_id) values (tg_table_name, old.id, old.tenant_id);
  end if;
  return null;
end $$;

create or replace function app.attach_tombstone_trigger(target regclass) returns void
language plpgsql
as $$
begin
  execute pg_catalog.format('create trigger record_tombstone after delete on %s for each row '
    'when (old.tenant_id is not null) execute function app.record_tombstone()', target);
end $$;

create or replace function app.enable_sync(target regclass) returns void
language plpgsql
as $$
declare
  short_name text := (select relname from pg_catalog.pg_class where oid = target);
begin
  execute pg_catalog.format('create trigger touch_sync_xid before update on %s for each row execute function app.touch_sync_xid()', target);
  perform app.attach_tombstone_trigger(target);
  execute pg_catalog.format('create index %I on %s (tenant_id, sync_xid, id)', short_name || '_tenant_sync_idx', target);
end $$;

do $$
declare
  t regclass;
begin
  for t in select tgrelid::regclass from pg_catalog.pg_trigger where tgname = 'record_tombstone' and not tgisinternal loop
    execute pg_catalog.format('drop trigger record_tombstone on %s', t);
    perform app.attach_tombstone_trigger(t);
  end loop;
end $$;

drop function app.write_tombstone(text, uuid, uuid);

-- Who reviewed, hid or claimed something, and when, always comes from the session: on every
-- update, not only on the transition that sets them.
create or replace function app.moderation_stamps() returns trigger
language plpgsql
as $$
begin
  if tg_table_name = 'templates' then
    new.version := old.version + 1;
    if new.status is distinct from old.status and new.status in ('published', 'rejected') then
      new.reviewer := session_user;
      new.reviewed_at := pg_catalog.now();
    else
      new.reviewer := old.reviewer;
      new.reviewed_at := old.reviewed_at;
    end if;
    if new.claimed_by is null then
      new.claimed_at := null;
    elsif new.claimed_by is distinct from old.claimed_by then
      new.claimed_by := session_user;
      new.claimed_at := pg_catalog.now();
    else
      new.claimed_at := old.claimed_at;
    end if;
  elsif new.hidden is distinct from old.hidden then
    new.hidden_by := case when new.hidden then session_user end;
    new.hidden_at := case when new.hidden then pg_catalog.now() end;
    new.hidden_reason := case when new.hidden then new.hidden_reason end;
  else
    new.hidden_by := old.hidden_by;
    new.hidden_at := old.hidden_at;
  end if;
  return new;
end $$;

do $$
declare
  f regprocedure;
begin
  -- Stamp columns are the trigger's to write.
  execute pg_catalog.format('revoke update (reviewer, reviewed_at) on public.templates from %s', app.role_list('moderator'));
  execute pg_catalog.format('revoke update (hidden_by, hidden_at) on public.reviews from %s', app.role_list('moderator'));
  -- Platform-wide jobs are not for finance or one-tenant admins (the functions check it too).
  execute pg_catalog.format('revoke execute on function app.refresh_daily_usage_summary() from %s', app.role_list('finance'));
  execute pg_catalog.format('grant execute on function app.visible_length(text) to %s', app.role_list('support', 'moderator', 'finance', 'admin'));

  -- Every function of the app schema that runs as the owner, or pins its own path, searches
  -- only pg_catalog and pg_temp (functions are never looked up in pg_temp); everything else is
  -- schema-qualified.
  for f in
    select p.oid::regprocedure from pg_catalog.pg_proc p
     where p.pronamespace = 'app'::regnamespace
       and (p.prosecdef or exists (select 1 from pg_catalog.unnest(p.proconfig) c where c like 'search\_path=%'))
  loop
    execute pg_catalog.format('alter function %s set search_path = pg_catalog, pg_temp', f);
  end loop;
end $$;

select set_config('role', 'none', true);
