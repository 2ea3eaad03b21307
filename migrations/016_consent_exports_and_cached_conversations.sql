-- Consent area, second part (issue 12):
--   1. an access export is recorded in the audit trail by the database, with its operator, in
--      the same transaction that reads the person's data (a failed export leaves no record);
--   2. conversations reach the offline caches (xid8 cursor and index), so an erasure, whose
--      deletes already publish tombstones (migration 013), drops them from every console that
--      synced them at its next sync.
--
-- SQLSTATEs: 42501 refused for the role, P0002 unknown or invisible request, AV422 not an access
-- request whose identity was verified.
select set_config('role', app.role_name('owner'), true);

-- The person behind an access request, once its identity is verified; audits the export in the
-- request's tenant chain (the request id and what is exported, never the person's identifiers).
create function app.record_access_export(request uuid)
returns table (tenant_id uuid, subject_id uuid, external_id text)
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  r public.data_subject_requests;
  person public.data_subjects;
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators may export a person''s data' using errcode = '42501';
  end if;
  select * into r from public.data_subject_requests d where d.id = request;
  if not found or not app.can_see_tenant(r.tenant_id) then
    raise exception 'data-subject request % does not exist', request using errcode = 'P0002';
  end if;
  if r.request_type <> 'access' then
    raise exception 'request % is not an access request', request using errcode = 'AV422';
  end if;
  -- GDPR art. 12(6): the data goes out only to a verified identity, and only while the request is open.
  if r.status not in ('identity_verified', 'in_progress') then
    raise exception 'an access export needs a verified, open request, not %', r.status using errcode = 'AV422';
  end if;
  select * into strict person from public.data_subjects s where s.tenant_id = r.tenant_id and s.id = r.subject_id;
  perform app.append_audit(r.tenant_id, 'EXPORT', 'data_subject_requests', r.id, null,
    pg_catalog.jsonb_build_object('kind', 'access', 'regulation', r.regulation));
  return query select r.tenant_id, person.id, person.external_id::text;
end $$;

-- Conversations are synced like executions: an xid8 cursor set on insert and update, and the
-- keyset index. Their delete trigger (app.record_subject_tombstone, 013) already writes tombstones.
alter table public.conversations add column sync_xid xid8 not null default pg_current_xact_id();
create trigger touch_sync_xid before update on public.conversations for each row execute function app.touch_sync_xid();
create index conversations_tenant_sync_idx on public.conversations (tenant_id, sync_xid, id);

do $$
begin
  execute format('grant execute on function app.record_access_export(uuid) to %s', app.role_list('support', 'admin'));
end $$;

select set_config('role', 'none', true);
