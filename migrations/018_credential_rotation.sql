-- Credential rotation (issue 13). Tenant credentials become versioned, and no console holds
-- anything it could read a tenant secret back from:
--   * a client secret is stored only as a verifier (SHA-256 of a 256-bit random secret) with its
--     visible prefix and a short fingerprint;
--   * the secrets the platform's runtime must use (webhook HMAC secret, JWT private key) are sealed
--     with HPKE (RFC 9180) to the runtime's public key, registered in public.runtime_keys;
--   * versions move pending → active → retiring (valid until grace_ends_at) → revoked, only through
--     the definer functions below; "expired" is not stored: a retiring version whose grace end has
--     passed is expired at read time, so a grace period ends on time even when nothing runs.
-- The columns *_encrypted of migration 002 (sealed by one console's keychain key, openable
-- nowhere else) are no longer written: new versions carry their own material.
select set_config('role', app.role_name('owner'), true);

-- The runtime's public keys. One active key: new secrets are sealed to it. A key being replaced
-- stays 'retiring' until the runtime has re-sealed every secret sealed to it (docs/credential-custody.md).
create table public.runtime_keys (
  key_id text primary key check (key_id ~ '^[A-Za-z0-9_-]{8,64}$'),
  -- The HPKE suite: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM.
  algorithm text not null check (algorithm = 'HPKE-X25519-SHA256-A256GCM'),
  -- The raw X25519 public key, base64url (32 bytes).
  public_key text not null check (public_key ~ '^[A-Za-z0-9_-]{43}$'),
  status text not null default 'active' check (status in ('active', 'retiring', 'retired')),
  created_at timestamptz not null default now(),
  retired_at timestamptz,
  created_by text not null default session_user,
  updated_at timestamptz not null default now(),
  updated_by text not null default session_user
);
create unique index runtime_keys_one_active on public.runtime_keys ((true)) where status = 'active';
select app.attach_row_stamps('public.runtime_keys');

-- The maximum age of a version, per credential kind: a new version expires that long after it is
-- activated; the screens list credentials due (within 14 days of expiry) and overdue.
create table public.credential_policies (
  id uuid primary key default gen_random_uuid(),
  kind text not null unique check (kind in ('client_secret', 'webhook_secret', 'jwt_signing_key')),
  max_age_days integer not null default 90 check (max_age_days between 1 and 3650),
  updated_at timestamptz not null default now(),
  updated_by text not null default session_user
);
insert into public.credential_policies (kind) values ('client_secret'), ('webhook_secret'), ('jwt_signing_key');

alter table public.tenant_credentials
  add column kind text not null default 'client_secret' check (kind in ('client_secret', 'webhook_secret', 'jwt_signing_key')),
  add column revoked_at timestamptz,
  add column revoked_by text,
  add column revoke_reason text,
  add column roll_requested_at timestamptz,
  add column roll_requested_by text,
  add column roll_request_note text,
  alter column client_secret_encrypted drop not null,
  alter column hmac_secret_encrypted drop not null;

create table public.credential_versions (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  credential_id uuid not null references public.tenant_credentials(id),
  version integer not null check (version > 0),
  state text not null default 'pending' check (state in ('pending', 'active', 'retiring', 'revoked')),
  -- Client secrets: what the runtime compares against; the secret itself is nowhere.
  secret_prefix text check (secret_prefix ~ '^[a-z_]{4,16}[A-Za-z0-9]{4}$'),
  secret_verifier text check (secret_verifier ~ '^sha256:[0-9a-f]{64}$'),
  -- A short fingerprint of the secret (or public key), for people to compare; every kind has one.
  fingerprint text check (fingerprint ~ '^[0-9a-f]{16}$'),
  -- Runtime secrets: HPKE-sealed to runtime_keys.key_id (base64url enc.ciphertext).
  sealed_secret text check (sealed_secret ~ '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$'),
  sealed_to_key text references public.runtime_keys(key_id),
  jwt_kid text,
  public_jwk jsonb check (public_jwk is null or (jsonb_typeof(public_jwk) = 'object' and not public_jwk ? 'd')),
  created_at timestamptz not null default now(),
  activated_at timestamptz,
  expires_at timestamptz,
  retiring_at timestamptz,
  grace_ends_at timestamptz,
  revoked_at timestamptz,
  revoked_by text,
  revoke_reason text,
  last_used_at timestamptz,
  created_by text not null default session_user,
  updated_at timestamptz not null default now(),
  updated_by text not null default session_user,
  unique (credential_id, version),
  check ((state = 'pending') = (activated_at is null) or state = 'revoked'),
  check (state <> 'retiring' or (retiring_at is not null and grace_ends_at is not null)),
  check ((state = 'revoked') = (revoked_at is not null)),
  check ((sealed_secret is null) = (sealed_to_key is null))
);
-- Never two active versions of one credential.
create unique index credential_versions_one_active on public.credential_versions (credential_id) where state = 'active';
create index credential_versions_tenant_idx on public.credential_versions (tenant_id, credential_id, version desc);
create index credential_versions_runtime_key_idx on public.credential_versions (sealed_to_key) where sealed_to_key is not null;

do $$
begin
  perform app.attach_row_stamps('public.credential_versions');
  perform app.isolate_tenant_table('public.credential_versions');
  perform app.attach_audit('public.credential_versions');
  perform app.attach_audit('public.credential_policies');
end $$;

-- Existing credentials get their first version: active (or revoked, when migration 002's flag said
-- inactive), with no material of the new custody. Their next roll issues a version that has it.
insert into public.credential_versions (tenant_id, credential_id, version, state, created_at, activated_at, expires_at, revoked_at, revoked_by, revoke_reason)
select c.tenant_id, c.id, 1, case when c.active then 'active' else 'revoked' end, c.created_at,
       coalesce(c.rotated_at, c.created_at), c.expires_at,
       case when c.active then null else c.updated_at end,
       case when c.active then null else c.updated_by end,
       case when c.active then null else 'inactive before versioning (migration 017)' end
  from public.tenant_credentials c;
update public.tenant_credentials set revoked_at = updated_at, revoked_by = updated_by, revoke_reason = 'inactive before versioning (migration 017)'
 where not active;

-- Validity at a given time: the one rule every read uses. Active is valid; retiring is valid
-- strictly before its grace end; pending and revoked never are.
create function app.credential_version_state(state text, grace_ends_at timestamptz, at timestamptz) returns text
language sql immutable parallel safe
as $$ select case when state = 'retiring' and grace_ends_at <= at then 'expired' else state end $$;

create function app.credential_version_valid(state text, grace_ends_at timestamptz, at timestamptz) returns boolean
language sql immutable parallel safe
as $$ select state = 'active' or (state = 'retiring' and at < grace_ends_at) $$;

-- The versions with their state now: the screens read this, never the stored state alone.
create view public.credential_versions_now with (security_invoker = true) as
select v.id, v.tenant_id, v.credential_id, v.version, v.state as stored_state,
       app.credential_version_state(v.state, v.grace_ends_at, pg_catalog.statement_timestamp()) as state,
       app.credential_version_valid(v.state, v.grace_ends_at, pg_catalog.statement_timestamp()) as valid,
       v.secret_prefix, v.fingerprint, v.jwt_kid, v.public_jwk, v.sealed_to_key,
       v.created_at, v.activated_at, v.expires_at, v.retiring_at, v.grace_ends_at, v.revoked_at, v.revoked_by, v.revoke_reason,
       v.last_used_at, v.created_by
  from public.credential_versions v;

-- The rules no function can skip, not even the owner's: legal transitions only, material written
-- once, and (at commit) a credential not revoked as a whole has an active version.
create function app.guard_credential_version() returns trigger
language plpgsql
set search_path = pg_catalog, pg_temp
as $$
begin
  if new.state <> old.state and not ((old.state, new.state) in (('pending', 'active'), ('pending', 'revoked'), ('active', 'retiring'),
      ('active', 'revoked'), ('retiring', 'revoked'))) then
    raise exception 'a credential version cannot go from % to %', old.state, new.state using errcode = '55000', detail = old.state;
  end if;
  if (new.secret_prefix, new.secret_verifier, new.fingerprint, new.jwt_kid, new.public_jwk, new.credential_id, new.tenant_id, new.version)
     is distinct from (old.secret_prefix, old.secret_verifier, old.fingerprint, old.jwt_kid, old.public_jwk, old.credential_id, old.tenant_id, old.version) then
    raise exception 'the material of a credential version is written once' using errcode = '55000', detail = old.state;
  end if;
  -- The sealed secret changes only when it is re-sealed to another runtime key.
  if new.sealed_secret is distinct from old.sealed_secret and new.sealed_to_key is not distinct from old.sealed_to_key then
    raise exception 'a sealed secret is only replaced by its re-sealing to another runtime key' using errcode = '55000', detail = old.state;
  end if;
  return new;
end $$;
create trigger guard_credential_version before update on public.credential_versions
  for each row execute function app.guard_credential_version();

create function app.check_credential_has_active_version() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  -- A credential whose first version is still pending (never activated) is being issued, not emptied.
  if exists (select 1 from public.tenant_credentials c
              where c.id = new.credential_id and c.revoked_at is null
                and not exists (select 1 from public.credential_versions v where v.credential_id = c.id and v.state = 'active')
                and exists (select 1 from public.credential_versions v where v.credential_id = c.id and v.activated_at is not null)) then
    raise exception 'credential % would have no active version: roll it, or revoke the whole credential', new.credential_id
      using errcode = '23514', constraint = 'credential_has_active_version';
  end if;
  return null;
end $$;
create constraint trigger credential_has_active_version after insert or update on public.credential_versions
  deferrable initially deferred for each row execute function app.check_credential_has_active_version();

-- ---------------------------------------------------------------------------------------------
-- Transitions. Each is its own transaction and idempotent: a console that crashed between two
-- steps repeats the step it was at. Admins roll and revoke; support may only request a roll.
-- ---------------------------------------------------------------------------------------------

create function app.require_credential_admin(action text) returns void
language plpgsql stable
as $$
begin
  if not app.in_group('admin') then
    raise exception 'only admins may % credentials', action using errcode = '42501';
  end if;
end $$;

-- The credential, locked, if the operator may see its tenant and it is not revoked as a whole.
create function app.lock_credential(credential uuid, action text) returns public.tenant_credentials
language plpgsql volatile
as $$
declare
  c public.tenant_credentials;
begin
  select * into c from public.tenant_credentials where id = credential for update;
  if not found or not app.can_see_tenant(c.tenant_id) then
    raise exception 'credential % does not exist', credential using errcode = 'P0002';
  end if;
  if c.revoked_at is not null then
    raise exception 'cannot % a revoked credential', action using errcode = '55000', detail = 'revoked';
  end if;
  return c;
end $$;

-- Destructive steps name what they destroy: the credential's label (its client id when unlabelled).
create function app.require_credential_confirmation(c public.tenant_credentials, reason text, confirmation text) returns void
language plpgsql immutable
as $$
begin
  if reason is null or app.visible_length(reason) < 10 or pg_catalog.length(reason) > 500 then
    raise exception 'a revocation needs a reason of 10 to 500 visible characters' using errcode = '22023';
  end if;
  if confirmation is distinct from coalesce(c.label, c.client_id) then
    raise exception 'the confirmation does not match the credential''s label' using errcode = '22023';
  end if;
end $$;

-- Step 1 of a roll: a pending version with the new material (verifier and sealed forms only).
-- Repeating it with the same material returns the same version; a pending version left by an
-- earlier, unfinished roll is revoked (its secret was shown to nobody, so it can never be used).
create function app.begin_credential_roll(credential uuid, seen_version integer, secret_prefix text, secret_verifier text,
  fingerprint text, sealed_secret text, sealed_to_key text, jwt_kid text, public_jwk jsonb)
returns public.credential_versions
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  c public.tenant_credentials;
  live public.credential_versions;
  v public.credential_versions;
begin
  perform app.require_credential_admin('roll');
  c := app.lock_credential(credential, 'roll');
  select * into live from public.credential_versions x where x.credential_id = c.id and x.state = 'active';
  if seen_version is distinct from live.version then
    raise exception 'credential % is at version %, not %', c.id, live.version, seen_version
      using errcode = 'P0409', detail = coalesce(live.updated_by, c.updated_by);
  end if;
  select * into v from public.credential_versions x
   where x.credential_id = c.id and x.state = 'pending' and x.fingerprint = begin_credential_roll.fingerprint;
  if found then
    return v;
  end if;
  if fingerprint is null
     or (c.kind = 'client_secret') is distinct from (secret_verifier is not null and secret_prefix is not null)
     or (c.kind <> 'client_secret') is distinct from (sealed_secret is not null)
     or (c.kind = 'jwt_signing_key') is distinct from (jwt_kid is not null and public_jwk is not null) then
    raise exception 'a % version needs exactly its own material', c.kind using errcode = '22023';
  end if;
  if sealed_secret is not null and not exists (select 1 from public.runtime_keys k where k.key_id = sealed_to_key and k.status = 'active') then
    raise exception 'runtime secrets are sealed to the active runtime key' using errcode = '22023';
  end if;
  update public.credential_versions x set state = 'revoked', revoked_at = pg_catalog.now(), revoked_by = session_user,
         revoke_reason = 'abandoned: a later roll replaced this unfinished one'
   where x.credential_id = c.id and x.state = 'pending';
  insert into public.credential_versions (tenant_id, credential_id, version, state, secret_prefix, secret_verifier, fingerprint,
    sealed_secret, sealed_to_key, jwt_kid, public_jwk)
  values (c.tenant_id, c.id, coalesce((select max(x.version) from public.credential_versions x where x.credential_id = c.id), 0) + 1, 'pending',
    secret_prefix, secret_verifier, fingerprint, sealed_secret, sealed_to_key, jwt_kid, public_jwk)
  returning * into v;
  return v;
end $$;

-- Step 2: the pending version becomes active and the active one retiring until now + grace, in one
-- transaction (never two active, never none). Repeating it on an active version changes nothing.
create function app.activate_credential_version(version_id uuid, grace interval) returns public.credential_versions
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  c public.tenant_credentials;
  v public.credential_versions;
  max_age integer;
begin
  perform app.require_credential_admin('roll');
  select x.credential_id into c.id from public.credential_versions x where x.id = version_id;
  if c.id is null then
    raise exception 'credential version % does not exist', version_id using errcode = 'P0002';
  end if;
  c := app.lock_credential(c.id, 'roll');
  select * into v from public.credential_versions x where x.id = version_id for update;
  if v.state = 'active' then
    return v;
  end if;
  if v.state <> 'pending' then
    raise exception 'only a pending version is activated; this one is %', v.state using errcode = '55000', detail = v.state;
  end if;
  if grace is null or grace not in (interval '0', interval '1 hour', interval '24 hours', interval '3 days', interval '7 days') then
    raise exception 'the grace period is now, 1 hour, 24 hours, 3 days or 7 days' using errcode = '22023';
  end if;
  select p.max_age_days into max_age from public.credential_policies p where p.kind = c.kind;
  update public.credential_versions x set state = 'retiring', retiring_at = pg_catalog.now(), grace_ends_at = pg_catalog.now() + grace
   where x.credential_id = c.id and x.state = 'active';
  update public.credential_versions x set state = 'active', activated_at = pg_catalog.now(),
         expires_at = pg_catalog.now() + pg_catalog.make_interval(days => max_age)
   where x.id = v.id
  returning * into v;
  update public.tenant_credentials x set active = true, rotated_at = pg_catalog.now(), expires_at = v.expires_at,
         roll_requested_at = null, roll_requested_by = null, roll_request_note = null
   where x.id = c.id;
  return v;
end $$;

-- Ends a pending or retiring version at once. The active version ends by a roll (its successor
-- takes over) or with the whole credential: a credential is never left with nothing valid.
create function app.revoke_credential_version(version_id uuid, reason text, confirmation text) returns public.credential_versions
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  c public.tenant_credentials;
  v public.credential_versions;
begin
  perform app.require_credential_admin('revoke');
  select x.credential_id into c.id from public.credential_versions x where x.id = version_id;
  if c.id is null then
    raise exception 'credential version % does not exist', version_id using errcode = 'P0002';
  end if;
  c := app.lock_credential(c.id, 'revoke');
  perform app.require_credential_confirmation(c, reason, confirmation);
  select * into v from public.credential_versions x where x.id = version_id for update;
  if v.state = 'revoked' then
    return v;
  end if;
  if v.state = 'active' then
    raise exception 'the active version ends by rolling the credential or revoking it as a whole' using errcode = '55000', detail = 'active';
  end if;
  update public.credential_versions x set state = 'revoked', revoked_at = pg_catalog.now(), revoked_by = session_user, revoke_reason = reason
   where x.id = v.id
  returning * into v;
  return v;
end $$;

-- Ends the credential and every version of it at once.
create function app.revoke_credential(credential uuid, reason text, confirmation text) returns public.tenant_credentials
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  c public.tenant_credentials;
begin
  perform app.require_credential_admin('revoke');
  select * into c from public.tenant_credentials x where x.id = credential for update;
  if not found or not app.can_see_tenant(c.tenant_id) then
    raise exception 'credential % does not exist', credential using errcode = 'P0002';
  end if;
  perform app.require_credential_confirmation(c, reason, confirmation);
  if c.revoked_at is not null then
    return c;
  end if;
  update public.tenant_credentials x set active = false, revoked_at = pg_catalog.now(), revoked_by = session_user, revoke_reason = reason,
         roll_requested_at = null, roll_requested_by = null, roll_request_note = null
   where x.id = c.id
  returning * into c;
  update public.credential_versions x set state = 'revoked', revoked_at = pg_catalog.now(), revoked_by = session_user, revoke_reason = reason
   where x.credential_id = c.id and x.state <> 'revoked';
  return c;
end $$;

-- Support's part: ask an admin to roll. Audited as a change of the credential row.
create function app.request_credential_roll(credential uuid, note text) returns public.tenant_credentials
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  c public.tenant_credentials;
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators request a roll' using errcode = '42501';
  end if;
  c := app.lock_credential(credential, 'request a roll of');
  if note is null or app.visible_length(note) < 10 or pg_catalog.length(note) > 500 then
    raise exception 'a roll request needs a reason of 10 to 500 visible characters' using errcode = '22023';
  end if;
  update public.tenant_credentials x set roll_requested_at = pg_catalog.now(), roll_requested_by = session_user, roll_request_note = note
   where x.id = c.id
  returning * into c;
  return c;
end $$;

-- ---------------------------------------------------------------------------------------------
-- The runtime key registry (platform-wide: an admin assigned to all tenants, or the owner).
-- ---------------------------------------------------------------------------------------------

-- A new active key; the previous one is retiring until every secret sealed to it is re-sealed.
create function app.register_runtime_key(key_id text, algorithm text, public_key text) returns public.runtime_keys
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  k public.runtime_keys;
begin
  perform app.require_platform_admin('register_runtime_key');
  update public.runtime_keys x set status = 'retiring' where x.status = 'active';
  insert into public.runtime_keys (key_id, algorithm, public_key) values (key_id, algorithm, public_key) returning * into k;
  perform app.audit_platform_job('register_runtime_key', pg_catalog.jsonb_build_object('key_id', k.key_id, 'algorithm', k.algorithm));
  return k;
end $$;

-- The runtime (which alone holds the private keys) opens a secret with the old key and seals it
-- to the active one; this records the new sealed form. Consoles never can: they hold no private key.
create function app.reseal_credential_version(version_id uuid, to_key text, sealed text) returns public.credential_versions
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  v public.credential_versions;
begin
  perform app.require_platform_admin('reseal_credential_version');
  if not exists (select 1 from public.runtime_keys k where k.key_id = to_key and k.status = 'active') then
    raise exception 'secrets are re-sealed to the active runtime key' using errcode = '22023';
  end if;
  select * into v from public.credential_versions x where x.id = version_id for update;
  if not found or v.sealed_secret is null then
    raise exception 'credential version % has no sealed secret', version_id using errcode = 'P0002';
  end if;
  if v.sealed_to_key = to_key then
    return v;
  end if;
  update public.credential_versions x set sealed_secret = sealed, sealed_to_key = to_key where x.id = v.id returning * into v;
  perform app.audit_platform_job('reseal_credential_version', pg_catalog.jsonb_build_object('version_id', v.id, 'to_key', to_key));
  return v;
end $$;

-- A retiring key is retired once nothing that can still be used is sealed to it.
create function app.retire_runtime_key(key_id text) returns public.runtime_keys
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  k public.runtime_keys;
  left_over integer;
begin
  perform app.require_platform_admin('retire_runtime_key');
  select * into k from public.runtime_keys x where x.key_id = retire_runtime_key.key_id for update;
  if not found then
    raise exception 'runtime key % does not exist', key_id using errcode = 'P0002';
  end if;
  if k.status <> 'retiring' then
    raise exception 'only a retiring runtime key is retired; this one is %', k.status using errcode = '55000', detail = k.status;
  end if;
  select count(*) into left_over from public.credential_versions v
   where v.sealed_to_key = k.key_id and v.state in ('pending', 'active', 'retiring')
     and app.credential_version_state(v.state, v.grace_ends_at, pg_catalog.statement_timestamp()) <> 'expired';
  if left_over > 0 then
    raise exception '% secrets are still sealed to runtime key %: re-seal them first', left_over, k.key_id using errcode = '55000', detail = 'retiring';
  end if;
  update public.runtime_keys x set status = 'retired', retired_at = pg_catalog.now() where x.key_id = k.key_id returning * into k;
  perform app.audit_platform_job('retire_runtime_key', pg_catalog.jsonb_build_object('key_id', k.key_id));
  return k;
end $$;

-- ---------------------------------------------------------------------------------------------
-- Reads across the visible tenants (one query, not one per tenant: the list pages through tens of
-- thousands of credentials by expiry, soonest first).
-- ---------------------------------------------------------------------------------------------

create index tenant_credentials_expiry_key_idx on public.tenant_credentials ((coalesce(expires_at, 'infinity'::timestamptz)), id);
create index credential_versions_state_idx on public.credential_versions (credential_id, state);

-- A credential's state now: revoked as a whole, rolling (a retiring version still in its grace) or active;
-- and how due its active version is: overdue (past expiry), due (within due_days of it) or ok.
create function app.credential_list(search text, kind_filter text, state_filter text, due_filter text, tenant_filter uuid,
  due_days integer, after_key timestamptz, after_id uuid, page_size integer)
returns table (id uuid, tenant_id uuid, tenant_slug text, tenant_name text, label text, client_id text, kind text, state text, due text,
  version integer, activated_at timestamptz, created_at timestamptz, rotated_at timestamptz, expires_at timestamptz,
  last_used_at timestamptz, grace_ends_at timestamptz, retiring_last_used_at timestamptz,
  roll_requested_at timestamptz, roll_requested_by text, revoked_at timestamptz, sort_key timestamptz)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  pattern text := case when nullif(pg_catalog.btrim(search), '') is null then null else app.like_pattern(pg_catalog.lower(pg_catalog.btrim(search))) end;
  all_tenants boolean := app.sees_all_tenants();
  granted uuid[] := app.granted_tenant_ids();
  at timestamptz := pg_catalog.statement_timestamp();
  due_at timestamptz := pg_catalog.statement_timestamp() + pg_catalog.make_interval(days => due_days);
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators see credentials' using errcode = '42501';
  end if;
  return query
  select c.id, c.tenant_id, t.slug::text, t.name::text, c.label::text, c.client_id::text, c.kind,
         case when c.revoked_at is not null then 'revoked' when r.grace_ends_at is not null then 'rolling' else 'active' end,
         case when c.revoked_at is not null or c.expires_at is null then 'ok' when c.expires_at <= at then 'overdue'
              when c.expires_at <= due_at then 'due' else 'ok' end,
         a.version, a.activated_at, c.created_at, c.rotated_at, c.expires_at,
         greatest(a.last_used_at, r.last_used_at), r.grace_ends_at, r.last_used_at,
         c.roll_requested_at, c.roll_requested_by, c.revoked_at, coalesce(c.expires_at, 'infinity'::timestamptz)
    from public.tenant_credentials c
    join public.tenants t on t.id = c.tenant_id
    left join lateral (select v.version, v.activated_at, v.last_used_at from public.credential_versions v
                        where v.credential_id = c.id and v.state = 'active') a on true
    left join lateral (select max(v.grace_ends_at) as grace_ends_at, max(v.last_used_at) as last_used_at from public.credential_versions v
                        where v.credential_id = c.id and v.state = 'retiring' and v.grace_ends_at > at
                       having count(*) > 0) r on true
   where (all_tenants or c.tenant_id = any (granted))
     and (tenant_filter is null or c.tenant_id = tenant_filter)
     and (kind_filter is null or c.kind = kind_filter)
     and (state_filter is null
          or (state_filter = 'revoked' and c.revoked_at is not null)
          or (state_filter = 'rolling' and c.revoked_at is null and r.grace_ends_at is not null)
          or (state_filter = 'active' and c.revoked_at is null and r.grace_ends_at is null)
          or (state_filter = 'requested' and c.roll_requested_at is not null))
     and (due_filter is null
          or (due_filter = 'overdue' and c.revoked_at is null and c.expires_at <= at)
          or (due_filter = 'due' and c.revoked_at is null and c.expires_at > at and c.expires_at <= due_at)
          or (due_filter = 'attention' and c.revoked_at is null and c.expires_at <= due_at))
     and (pattern is null or pg_catalog.lower(c.label) like pattern or pg_catalog.lower(c.client_id) like pattern
          or pg_catalog.lower(t.name) like pattern or t.slug like pattern)
     and (after_id is null or (coalesce(c.expires_at, 'infinity'::timestamptz), c.id) > (after_key, after_id))
   order by coalesce(c.expires_at, 'infinity'::timestamptz), c.id
   limit page_size;
end $$;

create function app.credential_counts(due_days integer)
returns table (total integer, overdue integer, due integer, rolling integer, requested integer, revoked integer)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  all_tenants boolean := app.sees_all_tenants();
  granted uuid[] := app.granted_tenant_ids();
  at timestamptz := pg_catalog.statement_timestamp();
  due_at timestamptz := pg_catalog.statement_timestamp() + pg_catalog.make_interval(days => due_days);
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators see credentials' using errcode = '42501';
  end if;
  return query
  select count(*)::integer,
         (count(*) filter (where c.revoked_at is null and c.expires_at <= at))::integer,
         (count(*) filter (where c.revoked_at is null and c.expires_at > at and c.expires_at <= due_at))::integer,
         (count(*) filter (where c.revoked_at is null and exists (select 1 from public.credential_versions v
            where v.credential_id = c.id and v.state = 'retiring' and v.grace_ends_at > at)))::integer,
         (count(*) filter (where c.roll_requested_at is not null))::integer,
         (count(*) filter (where c.revoked_at is not null))::integer
    from public.tenant_credentials c
   where all_tenants or c.tenant_id = any (granted);
end $$;

-- ---------------------------------------------------------------------------------------------
-- Grants: reads for support and admin; every change through the functions above.
-- ---------------------------------------------------------------------------------------------

do $$
begin
  -- The verifier and the sealed secret stay in the database: no operator reads them.
  execute format('grant select (id, tenant_id, credential_id, version, state, secret_prefix, fingerprint, sealed_to_key, jwt_kid, public_jwk, '
    'created_at, activated_at, expires_at, retiring_at, grace_ends_at, revoked_at, revoked_by, revoke_reason, last_used_at, created_by, updated_at, updated_by) '
    'on public.credential_versions to %s', app.role_list('support', 'admin'));
  execute format('grant select on public.credential_versions_now, public.runtime_keys, public.credential_policies to %s', app.role_list('support', 'admin'));
  execute format('grant select (kind, revoked_at, revoked_by, revoke_reason, roll_requested_at, roll_requested_by, roll_request_note) '
    'on public.tenant_credentials to %s', app.role_list('support', 'admin'));
  execute format('grant update (max_age_days) on public.credential_policies to %s', app.role_list('admin'));
  execute format('grant execute on function app.credential_version_state(text, timestamptz, timestamptz), '
    'app.credential_version_valid(text, timestamptz, timestamptz), app.credential_list(text, text, text, text, uuid, integer, timestamptz, uuid, integer), '
    'app.credential_counts(integer), app.request_credential_roll(uuid, text) to %s', app.role_list('support', 'admin'));
  execute format('grant execute on function app.begin_credential_roll(uuid, integer, text, text, text, text, text, text, jsonb), '
    'app.activate_credential_version(uuid, interval), app.revoke_credential_version(uuid, text, text), app.revoke_credential(uuid, text, text), '
    'app.register_runtime_key(text, text, text), app.reseal_credential_version(uuid, text, text), app.retire_runtime_key(text) to %s',
    app.role_list('admin'));
end $$;

select set_config('role', 'none', true);
