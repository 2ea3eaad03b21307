-- The moderation queue's first page at any marketplace size (issue 11: p95 ≤ 50 ms, and 50,000
-- templates no slower than 1.5× 5,000). Three parts of the page grew with the table:
--   - the waiting items (submitted or in review), oldest first: now an ordered scan of a partial
--     index that holds only them, stopped at the page size;
--   - the counts per state: now kept in template_state_counts by statement triggers on templates
--     (signed deltas from the transition tables, so a bulk load counts in one statement); the
--     queue reads them when no filter narrows the counts, and counts live otherwise;
--   - the list of categories: a loose index scan over templates_category_idx.
-- And the review screen names a template's author: moderators read the name (not the e-mail or
-- anything else) of the users who authored a template, and no other user.
select set_config('role', app.role_name('owner'), true);

create index templates_waiting_idx on public.templates (submitted_at, id) where status in ('submitted', 'in_review');
create index templates_category_idx on public.templates (category);

-- Platform-wide figures, not a tenant's rows: moderators and all-tenant admins read them.
create table public.template_state_counts (
  status varchar(20) primary key check (status in ('draft', 'submitted', 'in_review', 'approved', 'published', 'rejected', 'taken_down')),
  templates bigint not null default 0 check (templates >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user
);
insert into public.template_state_counts (status, templates)
select s.status, (select pg_catalog.count(*) from public.templates t where t.status = s.status)
  from pg_catalog.unnest(array['draft', 'submitted', 'in_review', 'approved', 'published', 'rejected', 'taken_down']::text[]) s(status);

-- One function for the three triggers: +1 per row that arrives in a state, −1 per row that leaves it.
create function app.count_template_states() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  if tg_op = 'INSERT' then
    update public.template_state_counts c set templates = c.templates + d.n
      from (select status, pg_catalog.count(*) as n from new_rows group by status) d where c.status = d.status;
  elsif tg_op = 'DELETE' then
    update public.template_state_counts c set templates = c.templates - d.n
      from (select status, pg_catalog.count(*) as n from old_rows group by status) d where c.status = d.status;
  else
    update public.template_state_counts c set templates = c.templates + d.n
      from (select status, pg_catalog.sum(delta) as n
              from (select status, 1 as delta from new_rows union all select status, -1 from old_rows) moved
             group by status having pg_catalog.sum(delta) <> 0) d
     where c.status = d.status;
  end if;
  return null;
end $$;

create trigger count_template_states_insert after insert on public.templates
  referencing new table as new_rows for each statement execute function app.count_template_states();
create trigger count_template_states_update after update on public.templates
  referencing old table as old_rows new table as new_rows for each statement execute function app.count_template_states();
create trigger count_template_states_delete after delete on public.templates
  referencing old table as old_rows for each statement execute function app.count_template_states();
-- Bulk loads (session_replication_role = replica) switch ordinary triggers off; the counts must follow them too.
alter table public.templates enable always trigger count_template_states_insert;
alter table public.templates enable always trigger count_template_states_update;
alter table public.templates enable always trigger count_template_states_delete;

-- The policy below looks authors up by (tenant, user).
create index templates_author_idx on public.templates (tenant_id, creator_user_id);

do $$
begin
  execute pg_catalog.format('grant select (id, tenant_id, full_name) on public.users to %s', app.role_list('moderator'));
  execute pg_catalog.format('create policy moderation_template_authors on public.users for select to %s '
    'using (exists (select 1 from public.templates t where t.tenant_id = users.tenant_id and t.creator_user_id = users.id))', app.role_list('moderator'));
  perform app.attach_row_stamps('public.template_state_counts');
  alter table public.template_state_counts enable row level security;
  alter table public.template_state_counts force row level security;
  execute pg_catalog.format('create policy owner_maintenance on public.template_state_counts for all to %s using (true) with check (true)', app.role_list('owner'));
  execute pg_catalog.format('create policy moderation_read on public.template_state_counts for select to %s using (true)', app.role_list('moderator'));
  execute pg_catalog.format('create policy moderation_admin_read on public.template_state_counts for select to %s using ((select app.sees_all_tenants()))', app.role_list('admin'));
  execute pg_catalog.format('grant select on public.template_state_counts to %s', app.role_list('moderator', 'admin'));
end $$;

select set_config('role', 'none', true);
