-- Issue 15: text the contract limits or refuses is held to the same rules by the database, so a
-- direct write cannot store what the console would refuse. The limits are NOT VALID: rows written
-- before are left as they are, every new or changed row is checked.
select set_config('role', app.role_name('owner'), true);

-- Internationalized domain names are stored as punycode (the console converts ñandú.es to
-- xn--and-6ma2c.es and shows the Unicode form back); an internationalized top-level domain
-- (xn--p1ai) is accepted too. The same pattern as HOSTNAME_PATTERN in src/shared/rpc/areas/tenants.ts.
alter table public.tenant_domains drop constraint tenant_domains_domain_check;
alter table public.tenant_domains
  add constraint tenant_domains_domain_check
  check (domain ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$');

-- A tenant's name and industry are shown in every list: no bidirectional controls (U+202A-U+202E
-- embeddings and overrides, U+2066-U+2069 isolates, U+200E/U+200F marks, U+061C), which would
-- make "‮moc.evil" read as another name. The contract refuses the same (PLAIN_TEXT in
-- src/shared/visible-text.ts).
alter table public.tenants
  add constraint tenants_name_plain check (name !~ '[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]') not valid,
  add constraint tenants_business_industry_plain check (business_industry !~ '[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]') not valid;

-- Reasons the console writes are at most 500 characters, as the contract says (tenants,
-- consent and credentials reason schemas); migration 019 did it for tenants.status_reason.
alter table public.break_glass_grants
  add constraint break_glass_grants_reason_length check (char_length(reason) <= 500) not valid;
alter table public.data_subject_requests
  add constraint data_subject_requests_extension_reason_length check (char_length(extension_reason) <= 500) not valid,
  add constraint data_subject_requests_denial_reason_length check (char_length(denial_reason) <= 500) not valid;
alter table public.learnings
  add constraint learnings_quarantine_reason_length check (char_length(quarantine_reason) <= 500) not valid;
alter table public.embeddings
  add constraint embeddings_quarantine_reason_length check (char_length(quarantine_reason) <= 500) not valid;
alter table public.global_context
  add constraint global_context_quarantine_reason_length check (char_length(quarantine_reason) <= 500) not valid;
alter table public.tenant_credentials
  add constraint tenant_credentials_revoke_reason_length check (char_length(revoke_reason) <= 500) not valid,
  add constraint tenant_credentials_roll_request_note_length check (char_length(roll_request_note) <= 500) not valid;
alter table public.credential_versions
  add constraint credential_versions_revoke_reason_length check (char_length(revoke_reason) <= 500) not valid;

-- Moderators' notes and public reasons: at most 2,000 characters (NOTE_MAX, marketplace contract).
alter table public.templates
  add constraint templates_decision_note_length check (char_length(decision_note) <= 2000) not valid,
  add constraint templates_takedown_reason_length check (char_length(takedown_reason) <= 2000) not valid;
alter table public.reviews
  add constraint reviews_hidden_reason_length check (char_length(hidden_reason) <= 2000) not valid;
alter table public.moderation_history
  add constraint moderation_history_note_length check (char_length(note) <= 2000) not valid;

select set_config('role', 'none', true);
