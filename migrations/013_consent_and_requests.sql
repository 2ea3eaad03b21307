-- Consent and data-subject requests (issue 12), database side:
--   1. consent records are append-only; a revocation names the grant it ends; the current state
--      is a view; a session's consent flag names the grant it relies on;
--   3. identity lookup across the operator's tenants, audited with a keyed hash of the identity;
--   4. data-subject requests with their state machine, due dates, assignment and a four-eyes
--      erasure that reaches every tenant table, the audit trail and the offline caches;
--   5. global rows derived from people who revoked consent or were erased, with quarantine and
--      purge; anything global needs consent and anonymization, on every table that can be global;
--   6. finance and moderators get nothing of it.
--
-- SQLSTATEs of this file: 42501 refused for the role (append-only history, self-approval),
-- 22023 malformed input, P0002 unknown request/subject/tenant, AV409 stale version (DETAIL
-- names who changed the row and when), AV422 a state change the machine does not allow.
select set_config('role', app.role_name('owner'), true);

-- ---------------------------------------------------------------------------------------------
-- 1. Consent records
-- ---------------------------------------------------------------------------------------------

alter table public.user_consent
  add column policy_version varchar(40),
  add column legal_basis varchar(30) not null default 'consent'
    check (legal_basis in ('consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests')),
  add column source_channel varchar(50),
  add column source_agent varchar(100),
  add column source_form varchar(100),
  -- Proof of consent (IP address, user agent, form payload) only as a SHA-256, never in clear.
  add column evidence_hash text check (evidence_hash ~ '^[0-9a-f]{64}$'),
  add column revokes_id uuid,
  -- Lets the foreign key below require that the revoked record is a grant (granted = true).
  add column revokes_grant boolean generated always as (case when revokes_id is not null then true end) stored;

-- Existing rows: the provenance that lived in consent_details gets its columns; a raw IP
-- address becomes the evidence hash.
update public.user_consent
   set policy_version = consent_details ->> 'policyVersion',
       source_channel = consent_details ->> 'channel',
       source_form = consent_details ->> 'source',
       evidence_hash = case when consent_details ? 'ip' then encode(sha256(convert_to(consent_details ->> 'ip', 'UTF8')), 'hex') end,
       consent_details = consent_details - 'ip' - 'ip_address';

-- Existing revocations are linked to the newest earlier grant of the same person and type that
-- no other revocation ended; a revocation without any such grant gets a reconstructed grant
-- (marked as such), so the history stays complete instead of losing the revocation.
do $$
declare
  r record;
  grant_id uuid;
begin
  for r in select * from public.user_consent where not granted order by coalesce(revoked_at, created_at), id loop
    select g.id into grant_id from public.user_consent g
     where g.tenant_id = r.tenant_id and g.user_id = r.user_id and g.consent_type = r.consent_type and g.granted
       and g.created_at <= coalesce(r.revoked_at, r.created_at)
       and not exists (select 1 from public.user_consent o where o.revokes_id = g.id)
     order by g.created_at desc, g.id limit 1;
    if grant_id is null then
      insert into public.user_consent (tenant_id, user_id, consent_type, granted, granted_at, consent_details, created_at,
        policy_version, legal_basis, source_channel, source_form)
      values (r.tenant_id, r.user_id, r.consent_type, true, coalesce(r.granted_at, r.created_at),
        jsonb_build_object('reconstructed', true), coalesce(r.granted_at, r.created_at),
        r.policy_version, r.legal_basis, r.source_channel, 'migration:reconstructed_from_revocation')
      returning id into grant_id;
    end if;
    update public.user_consent set revokes_id = grant_id, revoked_at = coalesce(revoked_at, created_at) where id = r.id;
  end loop;
end $$;

create unique index user_consent_grant_key on public.user_consent (tenant_id, user_id, consent_type, id, granted);
create unique index user_consent_person_key on public.user_consent (tenant_id, user_id, id, granted);
-- A grant is ended at most once.
create unique index user_consent_revokes_key on public.user_consent (revokes_id);
alter table public.user_consent
  -- A revocation ends a grant of the same person and type; no orphan, no revocation of a revocation.
  add constraint user_consent_revokes_grant_fkey foreign key (tenant_id, user_id, consent_type, revokes_id, revokes_grant)
    references public.user_consent (tenant_id, user_id, consent_type, id, granted),
  add constraint user_consent_revocation_links_grant check (granted = (revokes_id is null)),
  add constraint user_consent_revocation_has_time check (granted or revoked_at is not null),
  add constraint user_consent_no_raw_ip check (not (consent_details ?| array['ip', 'ip_address', 'remote_addr', 'client_ip']));
create index user_consent_tenant_type_idx on public.user_consent (tenant_id, consent_type, created_at desc);

-- The erasure function is the only path that removes consent records. It names the person in
-- this table for its own transaction; no operator can read or write it.
-- (Not tenant data, so its tenant column is not called tenant_id: no policy, no sync, no audit.)
create table public.erasures_in_progress (
  xid xid8 not null default pg_current_xact_id(),
  erased_tenant_id uuid not null,
  external_id varchar(100) not null,
  primary key (xid, erased_tenant_id, external_id)
);
alter table public.erasures_in_progress enable row level security;
alter table public.erasures_in_progress force row level security;
do $$
begin
  execute format('create policy owner_maintenance on public.erasures_in_progress for all to %s using (true) with check (true)', app.role_list('owner'));
end $$;

-- Refuses every UPDATE and DELETE, for every role including the owner (a trigger binds the
-- table's owner too, unlike a missing grant); the one exception is a DELETE of the person that
-- an erasure of this very transaction names.
create function app.refuse_consent_change() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  if tg_op = 'DELETE' and exists (select 1 from public.erasures_in_progress e
                                    where e.xid = pg_catalog.pg_current_xact_id() and e.erased_tenant_id = old.tenant_id
                                      and e.external_id = old.user_id) then
    return old;
  end if;
  raise exception 'consent records are append-only: record a revocation that names the grant instead of changing or deleting one'
    using errcode = '42501';
end $$;

create function app.refuse_consent_truncate() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  raise exception 'consent records are append-only: they cannot be truncated' using errcode = '42501';
end $$;

create trigger append_only before update or delete on public.user_consent for each row execute function app.refuse_consent_change();
create trigger append_only_truncate before truncate on public.user_consent for each statement execute function app.refuse_consent_truncate();

-- The current consent of each person per type, derived from the records: granted while a grant
-- is not ended by a revocation. `record_id` is that grant, or the newest record.
create view public.consent_current with (security_invoker = true) as
select distinct on (c.tenant_id, c.user_id, c.consent_type)
       c.tenant_id, c.user_id, c.consent_type,
       (c.granted and r.id is null) as granted,
       c.id as record_id,
       coalesce(r.created_at, c.created_at) as since,
       c.policy_version, c.legal_basis
  from public.user_consent c
  left join public.user_consent r on r.revokes_id = c.id
 order by c.tenant_id, c.user_id, c.consent_type, (c.granted and r.id is null) desc, c.created_at desc, c.id;

-- A session's consent flag names the grant of the same person it relies on.
alter table public.sessions
  add column consent_record_id uuid,
  add column consent_record_is_grant boolean generated always as (case when consent_record_id is not null then true end) stored;
update public.sessions s
   set consent_record_id = (select c.record_id from public.consent_current c
                             where c.tenant_id = s.tenant_id and c.user_id = s.user_id and c.granted
                             order by (c.consent_type = 'data_processing') desc, c.since desc limit 1)
 where s.consent_flag;
-- A flag with no consent record behind it cannot be proven: it is withdrawn, not kept.
update public.sessions set consent_flag = false where consent_flag and consent_record_id is null;
alter table public.sessions
  add constraint sessions_consent_record_fkey foreign key (tenant_id, user_id, consent_record_id, consent_record_is_grant)
    references public.user_consent (tenant_id, user_id, id, granted),
  add constraint sessions_consent_flag_has_record check (consent_flag = (consent_record_id is not null));
create index sessions_consent_record_idx on public.sessions (consent_record_id) where consent_record_id is not null;

-- ---------------------------------------------------------------------------------------------
-- 3. Data subjects and the identity lookup
-- ---------------------------------------------------------------------------------------------

-- The tenants' customers as data subjects: `external_id` is the user_id of their sessions,
-- conversations and consent records; email and phone are how they identify themselves.
create table public.data_subjects (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  external_id varchar(100) not null check (external_id ~ '^[a-z][a-z0-9_]{0,15}:[!-~]{1,80}$'),
  email varchar(255) check (email = lower(email) and email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[a-z]{2,63}$'),
  phone varchar(16) check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  unique (tenant_id, id),
  unique (tenant_id, external_id)
);
create index data_subjects_email_idx on public.data_subjects (email) where email is not null;
create index data_subjects_phone_idx on public.data_subjects (phone) where phone is not null;
create index data_subjects_external_idx on public.data_subjects (external_id);

-- Everyone already known by an id; WhatsApp ids carry the phone number.
insert into public.data_subjects (tenant_id, external_id, phone)
select distinct on (tenant_id, user_id) tenant_id, user_id,
       case when user_id ~ '^wa:\+[1-9][0-9]{6,14}$' then substr(user_id, 4) end
  from (select tenant_id, user_id from public.user_consent
        union select tenant_id, user_id from public.sessions where user_id is not null
        union select tenant_id, user_id from public.conversations where user_id is not null) known
 where user_id ~ '^[a-z][a-z0-9_]{0,15}:[!-~]{1,80}$'
 order by tenant_id, user_id;

-- The key of the identity hashes, as the two padded blocks of HMAC-SHA256 (RFC 2104): K xor
-- ipad and K xor opad, with K 32 bytes from gen_random_uuid (PostgreSQL's strong random source;
-- 244 random bits, pgcrypto is not assumed). Only the owner can read it.
create table public.identity_hash_key (
  singleton boolean primary key default true check (singleton),
  inner_block bytea not null check (length(inner_block) = 64),
  outer_block bytea not null check (length(outer_block) = 64),
  created_at timestamptz not null default now()
);
alter table public.identity_hash_key enable row level security;
alter table public.identity_hash_key force row level security;
do $$
begin
  execute format('create policy owner_maintenance on public.identity_hash_key for all to %s using (true) with check (true)', app.role_list('owner'));
end $$;
with k as (
  select decode(replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''), 'hex') as key
), block as (
  select key || decode(repeat('00', 64 - length(key)), 'hex') as b from k
)
insert into public.identity_hash_key (inner_block, outer_block)
select decode(string_agg(lpad(to_hex(get_byte(b, i) # 54), 2, '0'), '' order by i), 'hex'),
       decode(string_agg(lpad(to_hex(get_byte(b, i) # 92), 2, '0'), '' order by i), 'hex')
  from block, generate_series(0, 63) i;

-- HMAC-SHA256(K, value), hex. Not granted to anyone: it would be an oracle for guessing phones.
create function app.identity_hmac(value text) returns text
language sql stable security definer
set search_path = pg_catalog, pg_temp
as $$
  select pg_catalog.encode(pg_catalog.sha256(k.outer_block
           operator(pg_catalog.||) pg_catalog.sha256(k.inner_block operator(pg_catalog.||) pg_catalog.convert_to(value, 'UTF8'))), 'hex')
    from public.identity_hash_key k
$$;

-- The canonical form of an identity, or 22023 naming what is wrong with it.
create function app.normalize_identity(kind text, identity text) returns text
language plpgsql immutable
set search_path = pg_catalog, pg_temp
as $$
declare
  value text := pg_catalog.btrim(identity);
begin
  if kind = 'email' then
    value := pg_catalog.lower(value);
    if value is null or value !~ '^[^@[:space:]]+@[^@[:space:]]+\.[a-z]{2,63}$' or pg_catalog.length(value) > 255 then
      raise exception 'not an email address' using errcode = '22023';
    end if;
  elsif kind = 'phone' then
    value := pg_catalog.regexp_replace(value, '[ ().-]', '', 'g');
    if value is null or value !~ '^\+[1-9][0-9]{6,14}$' then
      raise exception 'not a phone number in international form (+ and 7 to 15 digits)' using errcode = '22023';
    end if;
  elsif kind = 'external_id' then
    if value is null or value !~ '^[a-z][a-z0-9_]{0,15}:[!-~]{1,80}$' then
      raise exception 'not an external id (channel:identifier)' using errcode = '22023';
    end if;
  else
    raise exception 'unknown identity kind %: use email, phone or external_id', pg_catalog.quote_literal(kind) using errcode = '22023';
  end if;
  return value;
end $$;

-- People matching one identity in the tenants the operator may see. Every lookup, with or
-- without matches, leaves an audit row (in each matched tenant's chain, else the platform
-- chain) holding the keyed hash of the identity, never the identity.
create function app.lookup_subject(kind text, identity text)
returns table (subject_id uuid, tenant_id uuid, tenant_name text, external_id text, email text, phone text)
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
#variable_conflict use_column
declare
  value text;
  fingerprint text;
  ids uuid[];
  matched uuid[];
  tenant uuid;
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators may look up data subjects' using errcode = '42501';
  end if;
  value := app.normalize_identity(kind, identity);
  fingerprint := app.identity_hmac(kind operator(pg_catalog.||) ':' operator(pg_catalog.||) value);

  -- One query per kind, so each is a plain equality on its own index.
  if kind = 'email' then
    select pg_catalog.array_agg(s.id) into ids from public.data_subjects s where s.email = value and app.can_see_tenant(s.tenant_id);
  elsif kind = 'phone' then
    select pg_catalog.array_agg(s.id) into ids from public.data_subjects s where s.phone = value and app.can_see_tenant(s.tenant_id);
  else
    select pg_catalog.array_agg(s.id) into ids from public.data_subjects s where s.external_id = value and app.can_see_tenant(s.tenant_id);
  end if;
  ids := coalesce(ids, '{}');
  select pg_catalog.array_agg(distinct s.tenant_id) into matched from public.data_subjects s where s.id = any (ids);
  if matched is null then
    perform app.append_audit(null, 'LOOKUP', 'data_subjects', null, null,
      pg_catalog.jsonb_build_object('kind', kind, 'identity_hmac', fingerprint, 'matches', 0));
  else
    foreach tenant in array matched loop
      perform app.append_audit(tenant, 'LOOKUP', 'data_subjects', null, null,
        pg_catalog.jsonb_build_object('kind', kind, 'identity_hmac', fingerprint,
          'matches', (select pg_catalog.count(*) from public.data_subjects s where s.id = any (ids) and s.tenant_id = tenant)));
    end loop;
  end if;
  return query select s.id, s.tenant_id, t.name::text, s.external_id::text, s.email::text, s.phone::text
    from public.data_subjects s join public.tenants t on t.id = s.tenant_id
   where s.id = any (ids)
   order by t.name, s.external_id;
end $$;

-- ---------------------------------------------------------------------------------------------
-- 4. Data-subject requests
-- ---------------------------------------------------------------------------------------------

create table public.data_subject_requests (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  -- Cleared by the erasure: the request outlives the person it was about.
  subject_id uuid,
  request_type varchar(20) not null check (request_type in ('access', 'erasure', 'rectification', 'restriction')),
  regulation varchar(10) not null check (regulation in ('gdpr', 'ccpa')),
  status varchar(20) not null default 'received'
    check (status in ('received', 'identity_verified', 'in_progress', 'fulfilled', 'denied')),
  received_at timestamptz not null default now(),
  due_at timestamptz not null,
  extension_reason text,
  extended_by text,
  extended_at timestamptz,
  assigned_to text,
  requested_by text not null default session_user,
  identity_verified_by text,
  identity_verified_at timestamptz,
  erasure_approved_by text,
  erasure_approved_at timestamptz,
  denial_reason text,
  closed_at timestamptz,
  version integer not null default 1 check (version >= 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  foreign key (tenant_id, subject_id) references public.data_subjects (tenant_id, id) on delete set null (subject_id),
  check (subject_id is not null or status in ('fulfilled', 'denied')),
  check (status <> 'denied' or app.visible_length(denial_reason) >= 10),
  check (extension_reason is null or (regulation = 'gdpr' and app.visible_length(extension_reason) >= 10)),
  check (request_type = 'erasure' or erasure_approved_by is null),
  -- Four eyes, declared: whoever asked for an erasure cannot be the one who approved it.
  check (erasure_approved_by is null or erasure_approved_by <> requested_by),
  check (status <> 'fulfilled' or request_type <> 'erasure' or erasure_approved_by is not null),
  check ((status in ('fulfilled', 'denied')) = (closed_at is not null))
);
create index data_subject_requests_tenant_due_idx on public.data_subject_requests (tenant_id, status, due_at);
create index data_subject_requests_subject_idx on public.data_subject_requests (tenant_id, subject_id);

-- Days a regulation gives to answer: GDPR art. 12(3) one month (30 days here), extendable once
-- by two months with a reason; CCPA 45 days.
create function app.request_deadline_days(regulation text) returns integer
language sql immutable parallel safe
as $$ select case regulation when 'gdpr' then 30 when 'ccpa' then 45 end $$;

create function app.request_extension_days(regulation text) returns integer
language sql immutable parallel safe
as $$ select case regulation when 'gdpr' then 60 end $$;

-- The state machine, for every writer including the owner: legal moves only, the stamps from
-- the session, identity fields and the deadline fixed, the version bumped on every change.
create function app.guard_subject_request() returns trigger
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
begin
  if tg_op = 'INSERT' then
    if new.status <> 'received' then
      raise exception 'a request starts as received' using errcode = 'AV422';
    end if;
    new.requested_by := session_user;
    new.version := 1;
    new.due_at := new.received_at + pg_catalog.make_interval(days => app.request_deadline_days(new.regulation));
    new.extension_reason := null; new.extended_by := null; new.extended_at := null;
    new.identity_verified_by := null; new.identity_verified_at := null;
    new.erasure_approved_by := null; new.erasure_approved_at := null;
    new.denial_reason := null; new.closed_at := null;
    return new;
  end if;
  if (new.tenant_id, new.request_type, new.regulation, new.received_at, new.requested_by)
     is distinct from (old.tenant_id, old.request_type, old.regulation, old.received_at, old.requested_by)
     or (new.subject_id is distinct from old.subject_id and new.subject_id is not null) then
    raise exception 'the tenant, subject, type, regulation and origin of a request never change' using errcode = 'AV422';
  end if;
  if new.status is distinct from old.status and not (old.status, new.status) in (
      ('received', 'identity_verified'), ('received', 'denied'), ('identity_verified', 'in_progress'),
      ('identity_verified', 'denied'), ('in_progress', 'fulfilled'), ('in_progress', 'denied')) then
    raise exception 'a request cannot go from % to %', old.status, new.status using errcode = 'AV422';
  end if;
  if old.status in ('fulfilled', 'denied') and new.subject_id is not distinct from old.subject_id then
    raise exception 'the request is closed (%)', old.status using errcode = 'AV422';
  end if;
  if new.extension_reason is distinct from old.extension_reason then
    if old.extension_reason is not null then
      raise exception 'a request can be extended only once' using errcode = 'AV422';
    end if;
    new.extended_by := session_user;
    new.extended_at := pg_catalog.now();
    new.due_at := old.due_at + pg_catalog.make_interval(days => app.request_extension_days(old.regulation));
  else
    new.extended_by := old.extended_by; new.extended_at := old.extended_at; new.due_at := old.due_at;
  end if;
  if new.status = 'identity_verified' and old.status = 'received' then
    new.identity_verified_by := session_user; new.identity_verified_at := pg_catalog.now();
  else
    new.identity_verified_by := old.identity_verified_by; new.identity_verified_at := old.identity_verified_at;
  end if;
  if new.erasure_approved_by is distinct from old.erasure_approved_by then
    -- Approval and fulfilment are one step (app.approve_erasure erases in the same transaction).
    if old.erasure_approved_by is not null or not (old.status = 'in_progress' and new.status = 'fulfilled') then
      raise exception 'an erasure is approved only when it is fulfilled, once' using errcode = 'AV422';
    end if;
    new.erasure_approved_by := session_user;
    new.erasure_approved_at := pg_catalog.now();
  else
    new.erasure_approved_at := old.erasure_approved_at;
  end if;
  if new.status in ('fulfilled', 'denied') and old.status not in ('fulfilled', 'denied') then
    new.closed_at := pg_catalog.now();
  else
    new.closed_at := old.closed_at;
  end if;
  if new.status <> 'denied' then
    new.denial_reason := old.denial_reason;
  end if;
  new.version := old.version + 1;
  return new;
end $$;

create trigger guard_subject_request before insert or update on public.data_subject_requests
  for each row execute function app.guard_subject_request();

-- An erasure leaves this: what was removed and who decided, nothing about the person.
create table public.erasure_receipts (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  request_id uuid not null unique references public.data_subject_requests(id),
  requested_by text not null,
  approved_by text not null,
  erased_at timestamptz not null default now(),
  removed jsonb not null,
  pseudonymized jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user
);
create index erasure_receipts_tenant_idx on public.erasure_receipts (tenant_id, erased_at desc);

-- The request, locked, if the operator may change it: unknown or invisible → P0002; a version
-- other than the one the operator saw → AV409 naming who changed it last and when.
create function app.claim_subject_request(request uuid, seen_version integer) returns public.data_subject_requests
language plpgsql volatile
set search_path = pg_catalog, pg_temp
as $$
declare
  r public.data_subject_requests;
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators may handle data-subject requests' using errcode = '42501';
  end if;
  select * into r from public.data_subject_requests d where d.id = request for update;
  if not found or not app.can_see_tenant(r.tenant_id) then
    raise exception 'data-subject request % does not exist', request using errcode = 'P0002';
  end if;
  if seen_version is null or r.version <> seen_version then
    raise exception 'the request changed since you saw it (version % is now %)', seen_version, r.version
      using errcode = 'AV409', detail = pg_catalog.jsonb_build_object('changedBy', r.updated_by, 'changedAt', r.updated_at, 'version', r.version)::text;
  end if;
  return r;
end $$;

create function app.create_subject_request(tenant uuid, subject uuid, request_type text, regulation text)
returns public.data_subject_requests
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  created public.data_subject_requests;
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators may open data-subject requests' using errcode = '42501';
  end if;
  if request_type is null or request_type not in ('access', 'erasure', 'rectification', 'restriction') then
    raise exception 'unknown request type: use access, erasure, rectification or restriction' using errcode = '22023';
  end if;
  if regulation is null or regulation not in ('gdpr', 'ccpa') then
    raise exception 'unknown regulation: use gdpr or ccpa' using errcode = '22023';
  end if;
  if tenant is null or not app.can_see_tenant(tenant) or not exists (select 1 from public.tenants t where t.id = tenant) then
    raise exception 'tenant % does not exist', tenant using errcode = 'P0002';
  end if;
  if subject is null or not exists (select 1 from public.data_subjects s where s.tenant_id = tenant and s.id = subject) then
    raise exception 'data subject % does not exist in this tenant', subject using errcode = 'P0002';
  end if;
  insert into public.data_subject_requests (tenant_id, subject_id, request_type, regulation, due_at)
  values (tenant, subject, request_type, regulation, pg_catalog.now())
  returning * into created;
  return created;
end $$;

-- received → identity_verified → in_progress → fulfilled, or → denied with a reason. An erasure
-- is fulfilled only by app.approve_erasure.
create function app.advance_subject_request(request uuid, seen_version integer, to_status text, reason text default null)
returns public.data_subject_requests
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  r public.data_subject_requests := app.claim_subject_request(request, seen_version);
begin
  if to_status is null or to_status not in ('identity_verified', 'in_progress', 'fulfilled', 'denied') then
    raise exception 'unknown target state %', pg_catalog.quote_literal(to_status) using errcode = '22023';
  end if;
  if to_status = 'denied' and (reason is null or app.visible_length(reason) < 10) then
    raise exception 'a denial needs a reason of at least 10 visible characters' using errcode = '22023';
  end if;
  if to_status = 'fulfilled' and r.request_type = 'erasure' then
    raise exception 'an erasure is fulfilled by its approval (app.approve_erasure)' using errcode = 'AV422';
  end if;
  update public.data_subject_requests d
     set status = to_status, denial_reason = case when to_status = 'denied' then pg_catalog.btrim(reason) end
   where d.id = r.id returning * into r;
  return r;
end $$;

create function app.extend_subject_request(request uuid, seen_version integer, reason text)
returns public.data_subject_requests
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  r public.data_subject_requests := app.claim_subject_request(request, seen_version);
begin
  if r.regulation <> 'gdpr' then
    raise exception 'only GDPR deadlines can be extended' using errcode = 'AV422';
  end if;
  if reason is null or app.visible_length(reason) < 10 then
    raise exception 'an extension needs a reason of at least 10 visible characters' using errcode = '22023';
  end if;
  update public.data_subject_requests d set extension_reason = pg_catalog.btrim(reason) where d.id = r.id returning * into r;
  return r;
end $$;

-- Assign to an operator who may see the tenant (null unassigns).
create function app.assign_subject_request(request uuid, seen_version integer, assignee text)
returns public.data_subject_requests
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  r public.data_subject_requests := app.claim_subject_request(request, seen_version);
begin
  if assignee is not null and not exists (
      select 1 from public.operator_tenants o
       where o.operator = assignee
         and (o.tenant_id = r.tenant_id
              or (o.tenant_id is null and pg_catalog.pg_has_role(assignee, app.role_name('admin'), 'MEMBER')))) then
    raise exception 'operator % is not assigned to this tenant', pg_catalog.quote_ident(assignee) using errcode = '22023';
  end if;
  update public.data_subject_requests d set assigned_to = assignee where d.id = r.id returning * into r;
  return r;
end $$;

-- Offline caches drop rows of these tables by tombstone too (a separate trigger function from
-- app.record_tombstone, which keeps its own list for the synced tables).
alter table public.sync_tombstones drop constraint sync_tombstones_table_name_check;
alter table public.sync_tombstones add constraint sync_tombstones_table_name_check
  check (table_name in ('executions', 'execution_steps', 'audit_logs', 'usage_records', 'sessions', 'conversations', 'user_consent'));

create function app.record_subject_tombstone() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  if tg_table_schema <> 'public' or tg_table_name not in ('sessions', 'conversations', 'user_consent') then
    raise exception 'table %.% does not publish subject tombstones', tg_table_schema, tg_table_name using errcode = '42501';
  end if;
  insert into public.sync_tombstones (table_name, row_id, tenant_id) values (tg_table_name, old.id, old.tenant_id);
  return null;
end $$;

create trigger record_tombstone after delete on public.sessions for each row execute function app.record_subject_tombstone();
create trigger record_tombstone after delete on public.conversations for each row execute function app.record_subject_tombstone();
create trigger record_tombstone after delete on public.user_consent for each row execute function app.record_subject_tombstone();

-- ---------------------------------------------------------------------------------------------
-- 5. Where global knowledge came from, and its quarantine
-- ---------------------------------------------------------------------------------------------

create table public.derivation_sources (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  derived_table varchar(20) not null check (derived_table in ('learnings', 'embeddings', 'global_context')),
  derived_id uuid not null,
  subject_id uuid,
  subject_erased boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  foreign key (tenant_id, subject_id) references public.data_subjects (tenant_id, id) on delete set null (subject_id),
  check (subject_id is not null or subject_erased),
  unique (derived_table, derived_id, tenant_id, subject_id)
);
create index derivation_sources_subject_idx on public.derivation_sources (tenant_id, subject_id);
create index derivation_sources_derived_idx on public.derivation_sources (derived_table, derived_id);

alter table public.learnings
  add column quarantined_at timestamptz, add column quarantined_by text, add column quarantine_reason text;
alter table public.embeddings
  add column quarantined_at timestamptz, add column quarantined_by text, add column quarantine_reason text;
alter table public.global_context
  add column quarantined_at timestamptz, add column quarantined_by text, add column quarantine_reason text;

-- Anything global needs consent and anonymization, on every table that can hold global rows
-- (embeddings and learnings had it since 002). Raw sessions and conversations are personal by
-- nature: they stay local. Existing rows that break the rule are withdrawn from the global
-- scope: global_context rows are dropped from the shared set (they were never readable by
-- operators: its policy shows only anonymized rows).
delete from public.global_context where not (consent_flag and anonymized);
alter table public.global_context add constraint global_context_needs_consent_and_anonymization check (consent_flag and anonymized);
update public.sessions set context_scope = 'local' where context_scope <> 'local';
update public.conversations set context_scope = 'local' where context_scope <> 'local';
alter table public.sessions add constraint sessions_personal_stays_local check (context_scope = 'local');
alter table public.conversations add constraint conversations_personal_stays_local check (context_scope = 'local');

-- Global rows that came from a person who revoked the consent to train on their data, or was
-- erased, in the tenants the operator may see.
create function app.consent_impact()
returns table (tenant_id uuid, derived_table text, derived_id uuid, reason text, quarantined boolean)
language sql stable security definer
set search_path = pg_catalog, pg_temp
as $$
  select distinct on (d.tenant_id, d.derived_table, d.derived_id)
         d.tenant_id, d.derived_table::text, d.derived_id,
         case when d.subject_erased then 'erased' else 'revoked' end,
         coalesce(l.quarantined_at, e.quarantined_at, g.quarantined_at) is not null
    from public.derivation_sources d
    left join public.data_subjects s on s.tenant_id = d.tenant_id and s.id = d.subject_id
    left join public.learnings l on d.derived_table = 'learnings' and l.id = d.derived_id
    left join public.embeddings e on d.derived_table = 'embeddings' and e.id = d.derived_id
    left join public.global_context g on d.derived_table = 'global_context' and g.id = d.derived_id
   where (app.in_group('support') or app.in_group('admin'))
     and app.can_see_tenant(d.tenant_id)
     and coalesce(l.id, e.id, g.id) is not null
     and (d.subject_erased or exists (
           select 1 from public.user_consent c
            where c.tenant_id = s.tenant_id and c.user_id = s.external_id and c.consent_type = 'ai_training')
         and not exists (
           select 1 from public.user_consent c
            where c.tenant_id = s.tenant_id and c.user_id = s.external_id and c.consent_type = 'ai_training' and c.granted
              and not exists (select 1 from public.user_consent r where r.revokes_id = c.id)))
   order by d.tenant_id, d.derived_table, d.derived_id, d.subject_erased desc
$$;

-- Per tenant, and the total (tenant_id null).
create function app.consent_impact_totals()
returns table (tenant_id uuid, revoked bigint, erased bigint, quarantined bigint, total bigint)
language sql stable
set search_path = pg_catalog, pg_temp
as $$
  select i.tenant_id, pg_catalog.count(*) filter (where i.reason = 'revoked'), pg_catalog.count(*) filter (where i.reason = 'erased'),
         pg_catalog.count(*) filter (where i.quarantined), pg_catalog.count(*)
    from app.consent_impact() i
   group by rollup (i.tenant_id)
   order by i.tenant_id nulls last
$$;

-- Quarantine (kept, out of use) or purge (deleted) one derived row; admins only, with a reason,
-- audited in the source tenant's chain.
create function app.resolve_consent_impact(action text, derived_table text, derived_id uuid, reason text) returns void
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  source uuid;
  affected integer;
begin
  if not app.in_group('admin') then
    raise exception 'only admins may quarantine or purge derived knowledge' using errcode = '42501';
  end if;
  if action is null or action not in ('quarantine', 'purge') then
    raise exception 'unknown action: use quarantine or purge' using errcode = '22023';
  end if;
  if derived_table is null or derived_table not in ('learnings', 'embeddings', 'global_context') then
    raise exception 'unknown derived table: use learnings, embeddings or global_context' using errcode = '22023';
  end if;
  if reason is null or app.visible_length(reason) < 10 then
    raise exception 'a reason of at least 10 visible characters is required' using errcode = '22023';
  end if;
  select i.tenant_id into source from app.consent_impact() i where i.derived_table = resolve_consent_impact.derived_table and i.derived_id = resolve_consent_impact.derived_id limit 1;
  if source is null then
    raise exception 'no derived row % in % comes from a revoked or erased person you may see', derived_id, derived_table using errcode = 'P0002';
  end if;
  if action = 'quarantine' then
    execute pg_catalog.format('update public.%I set quarantined_at = pg_catalog.now(), quarantined_by = session_user, quarantine_reason = $2 where id = $1', derived_table)
      using derived_id, pg_catalog.btrim(reason);
  else
    delete from public.derivation_sources d where d.derived_table = resolve_consent_impact.derived_table and d.derived_id = resolve_consent_impact.derived_id;
    execute pg_catalog.format('delete from public.%I where id = $1', derived_table) using derived_id;
  end if;
  get diagnostics affected = row_count;
  perform app.append_audit(source, pg_catalog.upper(action), derived_table, derived_id, null,
    pg_catalog.jsonb_build_object('reason', pg_catalog.btrim(reason), 'rows', affected));
end $$;

-- ---------------------------------------------------------------------------------------------
-- 4b. The erasure
-- ---------------------------------------------------------------------------------------------

-- Replaces every occurrence of the person's identifiers in a JSON document by the pseudonym
-- (on the JSON text, where strings appear escaped).
create function app.pseudonymize_json(doc jsonb, identifiers text[], pseudonym text) returns jsonb
language plpgsql immutable
set search_path = pg_catalog, pg_temp
as $$
declare
  body text := doc::text;
  needle text;
begin
  if doc is null then
    return null;
  end if;
  foreach needle in array identifiers loop
    if needle is not null and needle <> '' then
      body := pg_catalog.replace(body, pg_catalog.btrim(pg_catalog.to_jsonb(needle)::text, '"'), pseudonym);
    end if;
  end loop;
  return body::jsonb;
end $$;

-- Pseudonymizes the JSON columns of one tenant's rows that mention an identifier (a LIKE on the
-- JSON text picks the rows, so untouched rows are neither rewritten nor re-synced). Returns how
-- many rows changed. Runs as the owner from app.erase_subject only.
create function app.pseudonymize_rows(target regclass, json_columns text[], tenant uuid, identifiers text[], pseudonym text) returns integer
language plpgsql volatile
set search_path = pg_catalog, pg_temp
as $$
declare
  patterns text[];
  changed integer;
begin
  select pg_catalog.array_agg('%' || pg_catalog.replace(pg_catalog.replace(pg_catalog.btrim(pg_catalog.to_jsonb(i)::text, '"'), '%', '\%'), '_', '\_') || '%')
    into patterns from pg_catalog.unnest(identifiers) i where i is not null and i <> '';
  execute pg_catalog.format('update %s set %s where tenant_id = $1 and (%s)', target,
    (select pg_catalog.string_agg(pg_catalog.format('%1$I = app.pseudonymize_json(%1$I, $2, $3)', c), ', ') from pg_catalog.unnest(json_columns) c),
    (select pg_catalog.string_agg(pg_catalog.format('%I::text like any ($4)', c), ' or ') from pg_catalog.unnest(json_columns) c))
    using tenant, identifiers, pseudonym, patterns;
  get diagnostics changed = row_count;
  return changed;
end $$;

-- Removes one person from their tenant in the caller's transaction (all their requests closed): conversations, sessions and
-- consent records are deleted (tombstones tell the offline caches), derived knowledge is marked
-- as coming from an erased person, usage and billing rows and the tenant's audit trail keep
-- their rows with the identifiers replaced by a pseudonym (the audit chain is re-sealed), and
-- the subject row goes. Returns what was removed and pseudonymized. Not granted to anyone: it
-- runs through app.approve_erasure.
create function app.erase_subject(tenant uuid, subject uuid, pseudonym text, out removed jsonb, out pseudonymized jsonb)
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  person public.data_subjects;
  identifiers text[];
  n_conversations integer; n_sessions integer; n_revocations integer; n_grants integer; n_derived integer;
  n_usage integer; n_audit integer; n_events integer; n_executions integer;
begin
  select * into strict person from public.data_subjects s where s.tenant_id = tenant and s.id = subject for update;
  if exists (select 1 from public.data_subject_requests d
              where d.tenant_id = tenant and d.subject_id = subject and d.status not in ('fulfilled', 'denied')) then
    raise exception 'the person has other open requests: close them before the erasure' using errcode = 'AV422';
  end if;
  identifiers := array[person.id::text, person.external_id::text, person.email::text, person.phone::text];
  insert into public.erasures_in_progress (erased_tenant_id, external_id) values (tenant, person.external_id);

  delete from public.conversations c where c.tenant_id = tenant and c.user_id = person.external_id;
  get diagnostics n_conversations = row_count;
  delete from public.sessions s where s.tenant_id = tenant and s.user_id = person.external_id;
  get diagnostics n_sessions = row_count;
  -- Revocations first: they reference the grants they end.
  delete from public.user_consent c where c.tenant_id = tenant and c.user_id = person.external_id and not c.granted;
  get diagnostics n_revocations = row_count;
  delete from public.user_consent c where c.tenant_id = tenant and c.user_id = person.external_id;
  get diagnostics n_grants = row_count;
  update public.derivation_sources d set subject_erased = true where d.tenant_id = tenant and d.subject_id = subject;
  get diagnostics n_derived = row_count;

  -- Billing keeps its rows (the law requires them); workflow runs and analytics keep theirs too,
  -- since the person is only mentioned in their payloads (synced runs reach caches re-written).
  n_usage := app.pseudonymize_rows('public.usage_records', array['metadata'], tenant, identifiers, pseudonym);
  n_events := app.pseudonymize_rows('public.events', array['event_data'], tenant, identifiers, pseudonym);
  update public.events e set session_id = pseudonym where e.tenant_id = tenant and e.session_id = any (identifiers);
  n_executions := app.pseudonymize_rows('public.executions', array['input_data', 'output_data', 'error_data'], tenant, identifiers, pseudonym)
    + app.pseudonymize_rows('public.execution_steps', array['input_data', 'output_data'], tenant, identifiers, pseudonym)
    + app.pseudonymize_rows('public.executions_archive', array['input_data', 'output_data', 'error_data', 'steps'], tenant, identifiers, pseudonym);

  -- The request rows of this person lose the link before the person goes (their audit rows,
  -- written by this update, are pseudonymized below with the rest).
  update public.data_subject_requests d set subject_id = null where d.tenant_id = tenant and d.subject_id = subject;
  delete from public.data_subjects s where s.tenant_id = tenant and s.id = subject;

  n_audit := app.pseudonymize_rows('public.audit_logs', array['old_values', 'new_values'], tenant, identifiers, pseudonym);
  if n_audit > 0 then
    perform app.audit_rechain(tenant);
  end if;

  delete from public.erasures_in_progress e where e.xid = pg_catalog.pg_current_xact_id() and e.erased_tenant_id = tenant;
  removed := pg_catalog.jsonb_build_object('conversations', n_conversations, 'sessions', n_sessions, 'consent_records', n_revocations + n_grants,
    'data_subjects', 1);
  pseudonymized := pg_catalog.jsonb_build_object('usage_records', n_usage, 'events', n_events, 'executions', n_executions, 'audit_logs', n_audit,
    'derivation_sources', n_derived);
end $$;

-- Four eyes: an admin other than the requester approves an erasure that is in progress; the
-- erasure runs in the same transaction and fulfills the request; the receipt is returned.
create function app.approve_erasure(request uuid, seen_version integer) returns public.erasure_receipts
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  r public.data_subject_requests := app.claim_subject_request(request, seen_version);
  outcome record;
  receipt public.erasure_receipts;
begin
  if not app.in_group('admin') then
    raise exception 'only an admin may approve an erasure' using errcode = '42501';
  end if;
  if r.requested_by = session_user then
    raise exception 'the operator who requested an erasure cannot approve it' using errcode = '42501';
  end if;
  if r.request_type <> 'erasure' then
    raise exception 'request % is not an erasure', request using errcode = 'AV422';
  end if;
  if r.status <> 'in_progress' then
    raise exception 'an erasure is approved while in progress, not %', r.status using errcode = 'AV422';
  end if;
  -- Fulfilled first: the erasure refuses to run while the person has an open request.
  update public.data_subject_requests d set status = 'fulfilled', erasure_approved_by = session_user where d.id = r.id;
  select * into outcome from app.erase_subject(r.tenant_id, r.subject_id,
    'erased:' || pg_catalog.left(app.identity_hmac('request:' || r.id::text), 16));
  insert into public.erasure_receipts (tenant_id, request_id, requested_by, approved_by, removed, pseudonymized)
  values (r.tenant_id, r.id, r.requested_by, session_user, outcome.removed, outcome.pseudonymized)
  returning * into receipt;
  return receipt;
end $$;

-- ---------------------------------------------------------------------------------------------
-- RLS, audit, grants (6. finance and moderators get nothing here)
-- ---------------------------------------------------------------------------------------------

do $$
declare
  t regclass;
begin
  foreach t in array array['public.data_subjects', 'public.data_subject_requests', 'public.erasure_receipts', 'public.derivation_sources']::regclass[] loop
    perform app.attach_row_stamps(t);
    perform app.isolate_tenant_table(t);
  end loop;
  -- Changes made through the definer functions are audited with their operator as actor (the
  -- approval of an erasure is the request's change to fulfilled, with its approver).
  perform app.attach_audit('public.data_subject_requests');

  execute format('revoke update on public.user_consent from %s', app.role_list('support', 'moderator', 'finance', 'admin'));
  execute format('grant select on public.consent_current, public.data_subjects, public.data_subject_requests, public.erasure_receipts, '
    'public.derivation_sources to %s', app.role_list('support', 'admin'));
  execute format('grant execute on function app.lookup_subject(text, text), app.create_subject_request(uuid, uuid, text, text), '
    'app.advance_subject_request(uuid, integer, text, text), app.extend_subject_request(uuid, integer, text), '
    'app.assign_subject_request(uuid, integer, text), app.consent_impact(), app.consent_impact_totals(), '
    'app.request_deadline_days(text), app.request_extension_days(text) to %s', app.role_list('support', 'admin'));
  execute format('grant execute on function app.approve_erasure(uuid, integer), app.resolve_consent_impact(text, text, uuid, text) to %s',
    app.role_list('admin'));
end $$;

select set_config('role', 'none', true);
