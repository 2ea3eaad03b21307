-- Tenant data of seed 000 (credentials, domains, limits, sessions, conversations, context,
-- consent, embeddings and learnings) and seed 004's users and roles, merged and corrected.
select set_config('role', app.role_name('owner'), true);

create table public.tenant_credentials (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  label varchar(100),
  client_id varchar(100) not null unique,
  -- Encrypted by the console (envelope key in the OS keychain); never readable by operators.
  client_secret_encrypted text not null,
  hmac_secret_encrypted text not null,
  jwt_public_key text,
  jwt_private_key_encrypted text,
  active boolean not null default true,
  expires_at timestamptz,
  rotated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user
);
create index tenant_credentials_tenant_idx on public.tenant_credentials (tenant_id, expires_at);

create table public.tenant_domains (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  domain varchar(255) not null check (domain ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$'),
  verified boolean not null default false,
  verification_token text not null default encode(sha256(gen_random_uuid()::text::bytea), 'hex'),
  verified_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user
);
create unique index tenant_domains_domain_key on public.tenant_domains (domain);
create index tenant_domains_tenant_idx on public.tenant_domains (tenant_id, domain);

create table public.tenant_limits (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  agent_usage_limit integer not null default 1000 check (agent_usage_limit >= 0),
  requests_per_minute integer not null default 100 check (requests_per_minute >= 0),
  requests_per_hour integer not null default 5000 check (requests_per_hour >= 0),
  storage_limit_mb integer not null default 1000 check (storage_limit_mb >= 0),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user
);
create unique index tenant_limits_active_key on public.tenant_limits (tenant_id) where active;
create index tenant_limits_tenant_idx on public.tenant_limits (tenant_id, created_at desc);

-- Platform users of a tenant (the customers' staff), not database roles: seed 004's FK to
-- Supabase's auth.users is dropped.
create table public.users (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  email varchar(255) not null,
  full_name varchar(255),
  role varchar(50) not null default 'user',
  preferences jsonb not null default '{}',
  last_login_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  unique (tenant_id, id)
);
create unique index users_tenant_email_key on public.users (tenant_id, lower(email));

create table public.user_roles (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  user_id uuid not null,
  role varchar(50) not null,
  permissions jsonb not null default '[]',
  granted_by_user_id uuid,
  granted_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  foreign key (tenant_id, user_id) references public.users (tenant_id, id) on delete cascade,
  foreign key (tenant_id, granted_by_user_id) references public.users (tenant_id, id)
);
create index user_roles_tenant_idx on public.user_roles (tenant_id, user_id);

-- Seed 000's memory structure: the session's preferences and business context live in
-- `context`; the conversation history is the conversations table.
create table public.sessions (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  session_key varchar(100) not null unique,
  user_id varchar(100),
  channel varchar(50),
  device varchar(20),
  last_activity timestamptz not null default now(),
  expires_at timestamptz,
  context jsonb not null default '{}',
  context_scope text not null default 'local' check (context_scope in ('local', 'global')),
  consent_flag boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  unique (tenant_id, id)
);
create index sessions_tenant_activity_idx on public.sessions (tenant_id, last_activity desc, id);

create table public.conversations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  session_id uuid,
  user_id varchar(100),
  message text,
  response text,
  agent_name varchar(100),
  sentiment varchar(20) check (sentiment in ('positive', 'negative', 'neutral')),
  confidence_score numeric(3, 2) check (confidence_score between 0 and 1),
  context_scope text not null default 'local' check (context_scope in ('local', 'global')),
  consent_flag boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  foreign key (tenant_id, session_id) references public.sessions (tenant_id, id) on delete cascade
);
create index conversations_tenant_session_idx on public.conversations (tenant_id, session_id, created_at);
create index conversations_tenant_created_idx on public.conversations (tenant_id, created_at desc);

create table public.local_context (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  context_key varchar(255) not null,
  context_value jsonb,
  context_scope text not null default 'local' check (context_scope = 'local'),
  consent_flag boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  unique (tenant_id, context_key)
);

-- Platform-wide knowledge; only anonymized rows are readable by operators.
create table public.global_context (
  id uuid primary key default gen_random_uuid(),
  context_key varchar(255) not null unique,
  context_value jsonb,
  source_tenant_id uuid references public.tenants(id) on delete set null,
  anonymized boolean not null default false,
  context_scope text not null default 'global' check (context_scope = 'global'),
  consent_flag boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user
);

-- One row per grant or revocation event, so the history is kept.
create table public.user_consent (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  user_id varchar(100) not null,
  consent_type varchar(100) not null,
  granted boolean not null default false,
  granted_at timestamptz,
  revoked_at timestamptz,
  consent_details jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  check (not granted or granted_at is not null),
  check (revoked_at is null or not granted)
);
create index user_consent_tenant_user_idx on public.user_consent (tenant_id, user_id, consent_type, created_at desc);

-- Seed 000's embedding JSON shape as a table (no pgvector dependency: real[]).
create table public.embeddings (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  source_text text not null,
  vector real[] not null,
  content_type varchar(20) not null check (content_type in ('conversation', 'document', 'faq')),
  language varchar(10),
  tags text[] not null default '{}',
  anonymized boolean not null default false,
  anonymization_method varchar(20) check (anonymization_method in ('masking', 'hashing', 'removal')),
  anonymized_fields text[] not null default '{}',
  context_scope text not null default 'local' check (context_scope in ('local', 'global')),
  consent_flag boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  -- Shared beyond the tenant only with consent and anonymized.
  check (context_scope = 'local' or (consent_flag and anonymized))
);
create index embeddings_tenant_idx on public.embeddings (tenant_id, created_at desc);

-- Seed 000's learning JSON shape as a table; tenant_id is the source tenant.
create table public.learnings (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  learning_type varchar(20) not null check (learning_type in ('pattern', 'insight', 'correlation')),
  pattern text not null,
  confidence numeric(3, 2) check (confidence between 0 and 1),
  supporting_data jsonb not null default '[]',
  application text,
  contributors uuid[] not null default '{}',
  anonymized boolean not null default false,
  validation_status varchar(20) not null default 'pending' check (validation_status in ('pending', 'validated', 'rejected')),
  context_scope text not null default 'local' check (context_scope in ('local', 'global')),
  consent_flag boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  check (context_scope = 'local' or (consent_flag and anonymized))
);
create index learnings_tenant_idx on public.learnings (tenant_id, created_at desc);

do $$
declare
  t regclass;
begin
  foreach t in array array['public.tenant_credentials', 'public.tenant_domains', 'public.tenant_limits', 'public.users',
    'public.user_roles', 'public.sessions', 'public.conversations', 'public.local_context', 'public.global_context',
    'public.user_consent', 'public.embeddings', 'public.learnings']::regclass[] loop
    perform app.attach_row_stamps(t);
  end loop;
  foreach t in array array['public.tenant_credentials', 'public.tenant_domains', 'public.tenant_limits', 'public.users',
    'public.user_roles', 'public.sessions', 'public.conversations', 'public.local_context',
    'public.user_consent', 'public.embeddings', 'public.learnings']::regclass[] loop
    perform app.isolate_tenant_table(t);
  end loop;

  alter table public.global_context enable row level security;
  alter table public.global_context force row level security;
  create policy anonymized_only on public.global_context for select using (anonymized);
  execute format('create policy owner_maintenance on public.global_context for all to %s using (true) with check (true)', app.role_list('owner'));

  execute format('grant select on public.tenant_domains, public.tenant_limits, public.users, public.user_roles, public.sessions, '
    'public.conversations, public.local_context, public.global_context, public.user_consent, public.embeddings, public.learnings to %s',
    app.role_list('support', 'admin'));
  -- Nobody reads the encrypted columns back.
  execute format('grant select (id, tenant_id, label, client_id, jwt_public_key, active, expires_at, rotated_at, created_at, updated_at, created_by, updated_by) '
    'on public.tenant_credentials to %s', app.role_list('support', 'admin'));
  execute format('grant insert, delete on public.tenant_domains to %s', app.role_list('support', 'admin'));
  execute format('grant update (verified, verified_at) on public.tenant_domains to %s', app.role_list('admin'));
  execute format('grant insert, update on public.tenant_limits to %s', app.role_list('admin'));
  execute format('grant insert, update (label, active, expires_at, rotated_at, client_secret_encrypted, hmac_secret_encrypted, jwt_public_key, jwt_private_key_encrypted) '
    'on public.tenant_credentials to %s', app.role_list('admin'));
  execute format('grant insert, update (granted, granted_at, revoked_at, consent_details) on public.user_consent to %s', app.role_list('admin'));
  execute format('grant update (expires_at) on public.sessions to %s', app.role_list('support', 'admin'));
end $$;

select set_config('role', 'none', true);
