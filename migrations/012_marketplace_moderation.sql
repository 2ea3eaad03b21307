-- Marketplace moderation enforced by the database (issue 11). Until now a moderator updated
-- templates directly: he could publish a draft, overwrite another moderator's claim, and hiding
-- the only review left its rating at 5.00. Here:
--   - every submission is an immutable, hashed version (what was approved is what is sold, not
--     the creator's live workflow);
--   - states change only through one definer function per transition, which refuses illegal ones
--     (SQLSTATE 55000, DETAIL = the current state) and stale ones (SQLSTATE P0409, DETAIL = who
--     changed the template since the version the moderator saw);
--   - claims are leases taken by compare-and-set, for a time set in moderation_settings;
--   - decisions carry a reason code from a catalogue and a note to the author, and land in
--     moderation_history, which moderators can read (the audit trail records the same actors);
--   - rating and download figures follow reviews and purchases in the same transaction.
select set_config('role', app.role_name('owner'), true);

-- Platform settings of the moderation desk (one row). Admins assigned to all tenants change them.
create table public.moderation_settings (
  singleton boolean primary key default true check (singleton),
  id uuid not null unique default gen_random_uuid(),
  claim_lease interval not null default interval '30 minutes' check (claim_lease between interval '1 second' and interval '1 day'),
  review_sla interval not null default interval '48 hours' check (review_sla > interval '0'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user
);
insert into public.moderation_settings default values;

-- Why a decision was taken. The code is what the screens filter on; the label is shown to the
-- author (rejections, takedowns) or to other moderators (hidden reviews).
create table public.moderation_reasons (
  code varchar(50) primary key check (code ~ '^[a-z][a-z0-9_]{1,49}$'),
  decision varchar(20) not null check (decision in ('approve', 'reject', 'take_down', 'hide_review', 'unhide_review')),
  label text not null check (length(btrim(label)) > 0),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user
);
insert into public.moderation_reasons (code, decision, label) values
  ('meets_guidelines', 'approve', 'Meets the marketplace guidelines'),
  ('approved_with_notes', 'approve', 'Approved; see the note for suggested improvements'),
  ('hardcoded_secret', 'reject', 'The workflow contains a hard-coded key or password'),
  ('unknown_outbound_host', 'reject', 'The workflow sends data to a host it does not explain'),
  ('executes_commands', 'reject', 'The workflow runs shell commands'),
  ('misleading_listing', 'reject', 'The name, description or price does not match what the workflow does'),
  ('broken_workflow', 'reject', 'The workflow does not run as submitted'),
  ('policy_violation', 'take_down', 'Removed for violating the marketplace policy'),
  ('security_issue', 'take_down', 'Removed because of a security issue'),
  ('author_request', 'take_down', 'Removed at the author''s request'),
  ('legal_request', 'take_down', 'Removed after a legal request'),
  ('spam', 'hide_review', 'Spam or advertising'),
  ('abusive', 'hide_review', 'Abusive or hateful language'),
  ('off_topic', 'hide_review', 'Not about this template'),
  ('personal_data', 'hide_review', 'Contains personal data'),
  ('hidden_in_error', 'unhide_review', 'Hidden in error'),
  ('edited_by_author', 'unhide_review', 'The author edited the review');

-- An immutable snapshot of what was submitted. tenant_id is the template's (the author's) tenant.
create table public.template_versions (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  template_id uuid not null references public.templates(id),
  number integer not null check (number >= 1),
  definition jsonb not null,
  name varchar(255) not null,
  description text not null,
  category varchar(100) not null,
  price numeric(10, 2) not null check (price >= 0),
  currency varchar(3) not null check (currency ~ '^[A-Z]{3}$'),
  content_hash text not null check (content_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  unique (template_id, number),
  unique (template_id, id)
);
create index template_versions_tenant_idx on public.template_versions (tenant_id, created_at desc);

-- SHA-256 over canonical JSON: jsonb's text form orders keys and spacing one way only, and the
-- price enters with its two decimals, so equal content always hashes alike.
create function app.template_content_hash(definition jsonb, name text, description text, category text, price numeric, currency text)
returns text
language sql immutable parallel safe
as $$
  select pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.jsonb_build_object(
    'definition', definition, 'name', name, 'description', description, 'category', category,
    'price', pg_catalog.round(price, 2)::text, 'currency', currency)::text, 'UTF8')), 'hex')
$$;

-- The hash is computed here, never taken from the writer; ENABLE ALWAYS keeps it so during bulk
-- loads (session_replication_role = replica), which turn other triggers off.
create function app.hash_template_version() returns trigger
language plpgsql
as $$
begin
  new.content_hash := app.template_content_hash(new.definition, new.name, new.description, new.category, new.price, new.currency);
  return new;
end $$;
create trigger hash_template_version before insert on public.template_versions for each row execute function app.hash_template_version();
alter table public.template_versions enable always trigger hash_template_version;

-- What moderators did, in order: the table the screens read (the audit trail has the same actors).
-- tenant_id is the template's tenant; created_by is the actor.
create table public.moderation_history (
  id uuid primary key default gen_random_uuid(),
  seq bigint generated by default as identity unique,
  tenant_id uuid not null references public.tenants(id),
  template_id uuid not null references public.templates(id),
  version_id uuid,
  review_id uuid references public.reviews(id),
  action varchar(20) not null
    check (action in ('submit', 'claim', 'release', 'approve', 'reject', 'publish', 'take_down', 'hide_review', 'unhide_review')),
  from_status varchar(20),
  to_status varchar(20),
  reason_code varchar(50) references public.moderation_reasons(code),
  note text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  foreign key (template_id, version_id) references public.template_versions (template_id, id)
);
create index moderation_history_template_idx on public.moderation_history (template_id, seq);
create index moderation_history_tenant_idx on public.moderation_history (tenant_id, created_at desc);

-- Versions and history are append-only, for the owner too.
create function app.refuse_rewrite() returns trigger
language plpgsql
as $$
begin
  raise exception '% is append-only: rows cannot be changed or removed', tg_table_name using errcode = '55000';
end $$;
create trigger refuse_rewrite before update or delete on public.template_versions for each row execute function app.refuse_rewrite();
create trigger refuse_rewrite before update or delete on public.moderation_history for each row execute function app.refuse_rewrite();

-- Templates: the new states, the versions they point at, leases, decisions and takedowns.
alter table public.templates
  add column current_version_id uuid,
  add column approved_version_id uuid,
  add column published_version_id uuid,
  add column claim_expires_at timestamptz,
  add column decision_reason_code varchar(50) references public.moderation_reasons(code),
  add column decision_note text,
  add column takedown_reason_code varchar(50) references public.moderation_reasons(code),
  add column takedown_reason text,
  add column taken_down_by name,
  add column taken_down_at timestamptz,
  add foreign key (id, current_version_id) references public.template_versions (template_id, id),
  add foreign key (id, approved_version_id) references public.template_versions (template_id, id),
  add foreign key (id, published_version_id) references public.template_versions (template_id, id),
  drop constraint templates_status_check;

alter table public.reviews
  add column version integer not null default 1 check (version >= 1),
  add column hidden_reason_code varchar(50) references public.moderation_reasons(code);

-- Existing submissions become version 1 of their template, from the workflow they point at.
insert into public.template_versions (tenant_id, template_id, number, definition, name, description, category, price, currency, created_at)
select t.tenant_id, t.id, 1, coalesce(w.definition, '{}'), t.name, t.description, t.category, t.price, t.currency, coalesce(t.submitted_at, t.created_at)
  from public.templates t left join public.workflows w on w.tenant_id = t.tenant_id and w.id = t.workflow_id
 where t.status <> 'draft';

update public.templates t
   set current_version_id = v.id,
       approved_version_id = case when t.status in ('published', 'archived') then v.id end,
       published_version_id = case when t.status in ('published', 'archived') then v.id end,
       status = case t.status when 'pending_review' then case when t.claimed_by is null then 'submitted' else 'in_review' end
                              when 'archived' then 'taken_down' else t.status end,
       claim_expires_at = case when t.claimed_by is not null then pg_catalog.now() end,
       takedown_reason = case when t.status = 'archived' then 'Archived before moderation had versions' end
  from public.template_versions v
 where v.template_id = t.id;

alter table public.templates
  add constraint templates_status_check
    check (status in ('draft', 'submitted', 'in_review', 'approved', 'published', 'rejected', 'taken_down')),
  add constraint templates_submitted_has_version check (status = 'draft' or current_version_id is not null),
  add constraint templates_approved_has_version check (status not in ('approved', 'published', 'taken_down') or approved_version_id is not null),
  add constraint templates_published_has_version check (status not in ('published', 'taken_down') or published_version_id is not null),
  add constraint templates_in_review_is_claimed check (status <> 'in_review' or claimed_by is not null),
  add constraint templates_claim_has_lease check ((claimed_by is null) = (claim_expires_at is null)),
  add constraint templates_taken_down_has_reason check (status <> 'taken_down' or app.visible_length(takedown_reason) > 0);

-- Stamps from the session, as in 010, for the new states. The version counts what a moderator
-- sees: rating and download figures move with reviews and purchases and do not make his view stale.
create or replace function app.moderation_stamps() returns trigger
language plpgsql
as $$
declare
  derived constant text[] := array['version', 'rating_avg', 'rating_count', 'download_count', 'helpful_count', 'updated_at', 'updated_by'];
begin
  if (pg_catalog.to_jsonb(new) operator(pg_catalog.-) derived) is distinct from (pg_catalog.to_jsonb(old) operator(pg_catalog.-) derived) then
    new.version := old.version + 1;
  else
    new.version := old.version;
  end if;
  if tg_table_name = 'templates' then
    if new.status is distinct from old.status and new.status in ('approved', 'rejected') then
      new.reviewer := session_user;
      new.reviewed_at := pg_catalog.now();
    else
      new.reviewer := old.reviewer;
      new.reviewed_at := old.reviewed_at;
    end if;
    if new.status is distinct from old.status and new.status = 'taken_down' then
      new.taken_down_by := session_user;
      new.taken_down_at := pg_catalog.now();
    else
      new.taken_down_by := old.taken_down_by;
      new.taken_down_at := old.taken_down_at;
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
    new.hidden_reason_code := case when new.hidden then new.hidden_reason_code end;
  else
    new.hidden_by := old.hidden_by;
    new.hidden_at := old.hidden_at;
  end if;
  return new;
end $$;

-- Derived figures, in the transaction that moves them. The template row is locked first, so the
-- recount (a new snapshot per statement) sees every review committed before it: two moderators
-- hiding two reviews of one template at once both count.
create function app.recount_template_rating() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  ids uuid[];
  target uuid;
begin
  if tg_op = 'UPDATE' and new.template_id = old.template_id and new.rating = old.rating and new.hidden = old.hidden then
    return null;
  end if;
  ids := case tg_op when 'INSERT' then array[new.template_id] when 'DELETE' then array[old.template_id]
                    else array[old.template_id, new.template_id] end;
  foreach target in array ids loop
    perform 1 from public.templates where id = target for update;
    update public.templates t
       set rating_count = s.n, rating_avg = s.average
      from (select pg_catalog.count(*)::integer, coalesce(pg_catalog.round(pg_catalog.avg(r.rating), 2), 0)
              from public.reviews r where r.template_id = target and not r.hidden) s(n, average)
     where t.id = target and (t.rating_count, t.rating_avg) is distinct from (s.n, s.average);
  end loop;
  return null;
end $$;
create trigger recount_template_rating after insert or update or delete on public.reviews
  for each row execute function app.recount_template_rating();

-- Downloads are counted, not recomputed: free templates were downloaded without a purchase row.
create function app.count_template_download() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  was integer := case when tg_op <> 'INSERT' and old.status = 'succeeded' then 1 else 0 end;
  now_is integer := case when tg_op <> 'DELETE' and new.status = 'succeeded' then 1 else 0 end;
begin
  if tg_op = 'UPDATE' and old.template_id <> new.template_id then
    update public.templates set download_count = download_count - was where id = old.template_id;
    update public.templates set download_count = download_count + now_is where id = new.template_id;
  elsif now_is <> was then
    update public.templates set download_count = download_count + now_is - was
     where id = case when tg_op = 'DELETE' then old.template_id else new.template_id end;
  end if;
  return null;
end $$;
create trigger count_template_download after insert or update or delete on public.template_purchases
  for each row execute function app.count_template_download();

-- Moderators, and admins assigned to all tenants, moderate; nobody else.
create function app.require_moderator() returns void
language plpgsql stable
as $$
begin
  if not (app.in_group('moderator') or app.sees_all_tenants()) then
    raise exception 'only moderators and admins assigned to all tenants may moderate the marketplace' using errcode = '42501';
  end if;
end $$;

-- The template as the moderator may act on it: locked, still at the version he saw, and in one
-- of the states the action starts from.
create function app.lock_template(template uuid, seen_version integer, action text, from_states text[]) returns public.templates
language plpgsql volatile
as $$
declare
  t public.templates;
begin
  if seen_version is null then
    raise exception 'a moderation action needs the version of the template it was decided on' using errcode = '22023';
  end if;
  select * into t from public.templates where id = template for update;
  if not found then
    raise exception 'template % does not exist', template using errcode = 'P0002';
  end if;
  if seen_version is distinct from t.version then
    raise exception 'template % changed since version %: it is at version %, last changed by %', template, seen_version, t.version, t.updated_by
      using errcode = 'P0409', detail = t.updated_by;
  end if;
  if not (t.status = any (from_states)) then
    raise exception 'cannot % a template that is %: only from %', action, t.status, pg_catalog.array_to_string(from_states, ', ')
      using errcode = '55000', detail = t.status;
  end if;
  return t;
end $$;

-- A decision needs the deciding moderator's own, unexpired claim.
create function app.require_own_claim(t public.templates, action text) returns void
language plpgsql stable
as $$
begin
  if t.claimed_by is distinct from session_user and t.claim_expires_at > pg_catalog.statement_timestamp() then
    raise exception 'cannot %: template % is claimed by %', action, t.id, t.claimed_by using errcode = 'P0409', detail = t.claimed_by;
  end if;
  if t.claimed_by is distinct from session_user or t.claim_expires_at <= pg_catalog.statement_timestamp() then
    raise exception 'cannot % without a claim: claim template % first', action, t.id using errcode = '55000', detail = 'unclaimed';
  end if;
end $$;

create function app.require_reason(reason_code text, decision text) returns void
language plpgsql stable
as $$
begin
  if not exists (select 1 from public.moderation_reasons r where r.code = reason_code and r.decision = require_reason.decision and r.active) then
    raise exception 'reason % is not a reason to %', coalesce(reason_code, 'null'), decision using errcode = '22023';
  end if;
end $$;

create function app.record_moderation(t public.templates, action text, to_status text, reason_code text, note text, review uuid default null)
returns void
language sql volatile
as $$
  insert into public.moderation_history (tenant_id, template_id, version_id, review_id, action, from_status, to_status, reason_code, note)
  values (t.tenant_id, t.id, t.current_version_id, review, action, t.status, to_status, reason_code, note)
$$;

-- draft or rejected → submitted: the author's workflow and the template's listing become a new
-- version. Called by the platform for the author (no operator group may submit).
create function app.submit_template(template uuid, seen_version integer, definition jsonb) returns public.template_versions
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  t public.templates := app.lock_template(template, seen_version, 'submit', array['draft', 'rejected']);
  v public.template_versions;
begin
  if pg_catalog.jsonb_typeof(definition) is distinct from 'object' then
    raise exception 'a workflow definition is a JSON object' using errcode = '22023';
  end if;
  insert into public.template_versions (tenant_id, template_id, number, definition, name, description, category, price, currency)
  values (t.tenant_id, t.id, coalesce((select max(number) from public.template_versions where template_id = t.id), 0) + 1,
          definition, t.name, t.description, t.category, t.price, t.currency)
  returning * into v;
  update public.templates set status = 'submitted', current_version_id = v.id, submitted_at = pg_catalog.now(),
         claimed_by = null, claim_expires_at = null, rejection_reason = null, decision_reason_code = null, decision_note = null
   where id = t.id;
  t.current_version_id := v.id;
  perform app.record_moderation(t, 'submit', 'submitted', null, null);
  return v;
end $$;

-- The lease: compare-and-set on the version the moderator saw. A claim that expired may be taken
-- over; an active one only renewed by its holder.
create function app.claim_template(template uuid, seen_version integer) returns public.templates
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  t public.templates;
  claimed public.templates;
begin
  perform app.require_moderator();
  t := app.lock_template(template, seen_version, 'claim', array['submitted', 'in_review']);
  if t.claimed_by is distinct from session_user and t.claim_expires_at > pg_catalog.statement_timestamp() then
    raise exception 'template % is already claimed by %', t.id, t.claimed_by using errcode = 'P0409', detail = t.claimed_by;
  end if;
  update public.templates
     set status = 'in_review', claimed_by = session_user,
         claim_expires_at = pg_catalog.statement_timestamp() + (select s.claim_lease from public.moderation_settings s)
   where id = t.id
  returning * into claimed;
  perform app.record_moderation(t, 'claim', 'in_review', null, null);
  return claimed;
end $$;

-- in_review → submitted: back to the queue, by the holder of the claim (or anyone once it expired).
create function app.release_template(template uuid, seen_version integer) returns public.templates
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  t public.templates;
  released public.templates;
begin
  perform app.require_moderator();
  t := app.lock_template(template, seen_version, 'release', array['in_review']);
  if t.claimed_by is distinct from session_user and t.claim_expires_at > pg_catalog.statement_timestamp() then
    raise exception 'cannot release: template % is claimed by %', t.id, t.claimed_by using errcode = 'P0409', detail = t.claimed_by;
  end if;
  update public.templates set status = 'submitted', claimed_by = null, claim_expires_at = null where id = t.id returning * into released;
  perform app.record_moderation(t, 'release', 'submitted', null, null);
  return released;
end $$;

create function app.approve_template(template uuid, seen_version integer, reason_code text, note text) returns public.templates
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  t public.templates;
  approved public.templates;
begin
  perform app.require_moderator();
  t := app.lock_template(template, seen_version, 'approve', array['in_review']);
  perform app.require_own_claim(t, 'approve');
  perform app.require_reason(reason_code, 'approve');
  update public.templates
     set status = 'approved', approved_version_id = current_version_id, claimed_by = null, claim_expires_at = null,
         decision_reason_code = reason_code, decision_note = nullif(pg_catalog.btrim(note), '')
   where id = t.id
  returning * into approved;
  perform app.record_moderation(t, 'approve', 'approved', reason_code, nullif(pg_catalog.btrim(note), ''));
  return approved;
end $$;

create function app.reject_template(template uuid, seen_version integer, reason_code text, note text) returns public.templates
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  t public.templates;
  rejected public.templates;
begin
  perform app.require_moderator();
  t := app.lock_template(template, seen_version, 'reject', array['in_review']);
  perform app.require_own_claim(t, 'reject');
  perform app.require_reason(reason_code, 'reject');
  if note is null or app.visible_length(note) < 10 then
    raise exception 'a rejection needs a note to the author of at least 10 visible characters' using errcode = '22023';
  end if;
  update public.templates
     set status = 'rejected', rejection_reason = pg_catalog.btrim(note), claimed_by = null, claim_expires_at = null,
         decision_reason_code = reason_code, decision_note = pg_catalog.btrim(note)
   where id = t.id
  returning * into rejected;
  perform app.record_moderation(t, 'reject', 'rejected', reason_code, pg_catalog.btrim(note));
  return rejected;
end $$;

-- approved → published: what is sold is the approved version.
create function app.publish_template(template uuid, seen_version integer) returns public.templates
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  t public.templates;
  published public.templates;
begin
  perform app.require_moderator();
  t := app.lock_template(template, seen_version, 'publish', array['approved']);
  update public.templates set status = 'published', published_version_id = approved_version_id, published_at = pg_catalog.now()
   where id = t.id
  returning * into published;
  perform app.record_moderation(t, 'publish', 'published', null, null);
  return published;
end $$;

-- published → taken_down, with a public reason. Purchases stay.
create function app.take_down_template(template uuid, seen_version integer, reason_code text, public_reason text) returns public.templates
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  t public.templates;
  removed public.templates;
begin
  perform app.require_moderator();
  t := app.lock_template(template, seen_version, 'take down', array['published']);
  perform app.require_reason(reason_code, 'take_down');
  if public_reason is null or app.visible_length(public_reason) < 10 then
    raise exception 'a takedown needs a public reason of at least 10 visible characters' using errcode = '22023';
  end if;
  update public.templates set status = 'taken_down', takedown_reason_code = reason_code, takedown_reason = pg_catalog.btrim(public_reason),
         is_featured = false
   where id = t.id
  returning * into removed;
  perform app.record_moderation(t, 'take_down', 'taken_down', reason_code, pg_catalog.btrim(public_reason));
  return removed;
end $$;

-- Hiding or showing a review again, on the version of the review the moderator saw.
create function app.set_review_hidden(review uuid, seen_version integer, hide boolean, reason_code text, note text) returns public.reviews
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  r public.reviews;
  changed public.reviews;
  t public.templates;
  action text := case when hide then 'hide_review' else 'unhide_review' end;
begin
  perform app.require_moderator();
  select * into r from public.reviews where id = review for update;
  if not found then
    raise exception 'review % does not exist', review using errcode = 'P0002';
  end if;
  if seen_version is distinct from r.version then
    raise exception 'review % changed since version %: it is at version %, last changed by %', review, seen_version, r.version, r.updated_by
      using errcode = 'P0409', detail = r.updated_by;
  end if;
  if r.hidden = hide then
    raise exception 'review % is already %', review, case when hide then 'hidden' else 'visible' end
      using errcode = '55000', detail = case when hide then 'hidden' else 'visible' end;
  end if;
  perform app.require_reason(reason_code, action);
  if hide and (note is null or app.visible_length(note) < 3) then
    raise exception 'hiding a review needs a note of at least 3 visible characters' using errcode = '22023';
  end if;
  update public.reviews
     set hidden = hide,
         hidden_reason = case when hide then pg_catalog.btrim(note) end,
         hidden_reason_code = case when hide then reason_code end
   where id = r.id
  returning * into changed;
  select * into t from public.templates where id = r.template_id;
  perform app.record_moderation(t, action, t.status, reason_code, nullif(pg_catalog.btrim(note), ''), r.id);
  return changed;
end $$;

do $$
declare
  t regclass;
  f regprocedure;
begin
  foreach t in array array['public.template_versions', 'public.moderation_history']::regclass[] loop
    perform app.attach_row_stamps(t);
    perform app.isolate_tenant_table(t);
    execute pg_catalog.format('create policy moderation_read on %s for select to %s using (true)', t, app.role_list('moderator'));
  end loop;
  perform app.attach_row_stamps('public.moderation_settings');
  perform app.attach_row_stamps('public.moderation_reasons');

  -- Admins assigned to all tenants read what moderators read.
  foreach t in array array['public.templates', 'public.reviews', 'public.template_purchases', 'public.template_versions',
                           'public.moderation_history']::regclass[] loop
    execute pg_catalog.format('create policy moderation_admin_read on %s for select to %s using ((select app.sees_all_tenants()))',
      t, app.role_list('admin'));
  end loop;

  foreach t in array array['public.moderation_settings', 'public.moderation_reasons']::regclass[] loop
    execute pg_catalog.format('alter table %s enable row level security', t);
    execute pg_catalog.format('alter table %s force row level security', t);
    execute pg_catalog.format('create policy owner_maintenance on %s for all to %s using (true) with check (true)', t, app.role_list('owner'));
    execute pg_catalog.format('create policy everyone_reads on %s for select to %s using (true)', t, app.role_list('support', 'moderator', 'admin'));
  end loop;
  execute pg_catalog.format('create policy platform_admin_changes on public.moderation_settings for update to %s '
    'using ((select app.sees_all_tenants())) with check ((select app.sees_all_tenants()))', app.role_list('admin'));

  -- Moderators change templates and reviews through the functions above only.
  execute pg_catalog.format('revoke update on public.templates, public.reviews from %s', app.role_list('moderator'));
  drop policy moderation_write on public.templates;
  drop policy moderation_write on public.reviews;

  execute pg_catalog.format('grant select on public.template_versions, public.moderation_history, public.moderation_reasons, '
    'public.moderation_settings to %s', app.role_list('support', 'moderator', 'admin'));
  execute pg_catalog.format('grant update (claim_lease, review_sla) on public.moderation_settings to %s', app.role_list('admin'));
  execute pg_catalog.format('grant execute on function app.claim_template(uuid, integer), app.release_template(uuid, integer), '
    'app.approve_template(uuid, integer, text, text), app.reject_template(uuid, integer, text, text), '
    'app.publish_template(uuid, integer), app.take_down_template(uuid, integer, text, text), '
    'app.set_review_hidden(uuid, integer, boolean, text, text), app.template_content_hash(jsonb, text, text, text, numeric, text) to %s',
    app.role_list('moderator', 'admin'));

  perform app.attach_audit('public.moderation_settings');

  for f in
    select p.oid::regprocedure from pg_catalog.pg_proc p
     where p.pronamespace = 'app'::regnamespace
       and (p.prosecdef or exists (select 1 from pg_catalog.unnest(p.proconfig) c where c like 'search\_path=%'))
  loop
    execute pg_catalog.format('alter function %s set search_path = pg_catalog, pg_temp', f);
  end loop;
end $$;

select set_config('role', 'none', true);
