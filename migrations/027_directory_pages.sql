-- The tenant directory flat in the number of tenants (issue 14 §4). After 021 the figures were
-- kept, but each call still materialized every match (RETURN QUERY), sorted all of them and
-- counted all of them, so a page cost grew with the directory (5.5× from 500 to 10,000 tenants).
--
-- Now the work is bounded by the page and a cap, not by the directory:
--   - tenant_directory_summary gets a row for every tenant (statement triggers on tenants too) and
--     keeps, besides 021's figures, what a sort or filter needs: the lowered name (the tie-break of
--     every order), status, plan, industry, creation time, yesterday's usage ratio, and one lowered
--     search text (name, slug, e-mail, domains). One btree per sort key and direction, each ending
--     in (name_key, tenant_id) like the order's ties, lets LIMIT stop the scan after the page;
--   - the matches are counted only up to a cap the caller gives (the screen shows "1,000+").
--     At most the cap matches: they are read (a search through a trigram GIN index on the search
--     text) and sorted, work bounded by the cap. More: the page is read along the sort key's index,
--     filtered, and the scan stops at its last row. The count decides, not the planner's estimate
--     of LIKE '%…%', which is a guess. The exact 021 predicate is rechecked after the search text,
--     so a term spanning two of its fields matches nothing it did not match before;
--   - the usage sort orders by the kept ratio of a day (ratio_day). Days pass without a write, so
--     the page function first brings rows kept for another day to yesterday (once a day, under a
--     lock; the first usage-sorted page of a day pays for it);
--   - "credentials expiring within 14 days" changes as time passes, so no index keeps its order:
--     that sort still reads and sorts every match (the one sort proportional to the matches).
-- app.tenant_directory keeps its rows and rules (the inbox and the CSV export read every match).

-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner that applies the migrations
-- may create it. It ships with PostgreSQL 15 (contrib) and embedded-postgres 18.
create extension if not exists pg_trgm;

select set_config('role', app.role_name('owner'), true);

alter table public.tenant_directory_summary
  add column name_key text,
  add column slug text,
  add column email_key text,
  add column status text,
  add column plan_type text,
  add column business_industry text,
  add column created_at timestamptz,
  add column search_text text,
  -- agent calls on ratio_day / the active limit (null without a limit or with 0, as 021 sorted it).
  add column ratio_day date,
  add column usage_ratio numeric;

create or replace function app.refresh_directory_summary(tenants uuid[]) returns void
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  yesterday date := (now() at time zone 'UTC')::date - 1;
begin
  -- One writer per tenant's row at a time, in a fixed order: concurrent statements cannot deadlock.
  perform 1 from public.tenants t where t.id = any (tenants) order by t.id for no key update;
  delete from public.tenant_directory_summary s where s.tenant_id = any (tenants);
  insert into public.tenant_directory_summary (tenant_id, domains, verified_domains, agent_usage_limit, credential_expiries,
    name_key, slug, email_key, status, plan_type, business_industry, created_at, search_text, ratio_day, usage_ratio)
  select f.id, f.domains, f.verified_domains, f.agent_usage_limit, f.credential_expiries,
         f.name_key, f.slug, f.email_key, f.status, f.plan_type, f.business_industry, f.created_at,
         -- Every field the search matches, verbatim as the predicate reads it (a match in one is a match here).
         pg_catalog.concat_ws(E'\n', f.name_key, f.slug, f.email_key, pg_catalog.array_to_string(f.domains, E'\n')),
         yesterday,
         -- No usage row is no call: 0 with a limit, null without one (or with 0), as 021 sorted it.
         coalesce((select u.ai_calls from public.tenant_directory_usage u where u.tenant_id = f.id and u.usage_date = yesterday), 0)
           ::numeric / nullif(f.agent_usage_limit, 0)
  from (
    select t.id,
           coalesce((select pg_catalog.array_agg(d.domain::text order by d.domain::text) from public.tenant_domains d where d.tenant_id = t.id), '{}') as domains,
           (select pg_catalog.count(*)::integer from public.tenant_domains d where d.tenant_id = t.id and d.verified) as verified_domains,
           (select l.agent_usage_limit from public.tenant_limits l where l.tenant_id = t.id and l.active order by l.created_at desc, l.id limit 1) as agent_usage_limit,
           coalesce((select pg_catalog.array_agg(c.expires_at order by c.expires_at) from public.tenant_credentials c
                      where c.tenant_id = t.id and c.active and c.expires_at is not null), '{}') as credential_expiries,
           lower(t.name) as name_key, t.slug::text as slug, lower(t.contact_email) as email_key, t.status::text as status,
           t.plan_type::text as plan_type, t.business_industry::text as business_industry, t.created_at
      from public.tenants t where t.id = any (tenants)
  ) f;
end $$;

-- A tenant-day's calls change the kept ratio of that tenant.
create or replace function app.refresh_directory_usage(keys jsonb) returns void
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  delete from public.tenant_directory_usage u
   using pg_catalog.jsonb_to_recordset(keys) k(tenant_id uuid, usage_date date)
   where u.tenant_id = k.tenant_id and u.usage_date = k.usage_date;
  insert into public.tenant_directory_usage (tenant_id, usage_date, ai_calls)
  select k.tenant_id, k.usage_date, pg_catalog.sum(s.total_quantity)::bigint
    from (select distinct * from pg_catalog.jsonb_to_recordset(keys) x(tenant_id uuid, usage_date date)) k
    join public.daily_usage_summary s on s.tenant_id = k.tenant_id and s.usage_date = k.usage_date and s.usage_type = 'ai_calls'
   group by k.tenant_id, k.usage_date;
  perform app.refresh_directory_summary(array(select distinct x.tenant_id from pg_catalog.jsonb_to_recordset(keys) x(tenant_id uuid)));
end $$;

-- The tenant's own fields (name, status, …) are kept too: every tenant has its row, and no row
-- outlives its tenant (the page counts summary rows; a bulk delete with session_replication_role =
-- replica skips the foreign keys' cascade, but not these ENABLE ALWAYS triggers).
create trigger directory_summary_insert after insert on public.tenants
  referencing new table as new_rows for each statement execute function app.directory_summary_changed();
create trigger directory_summary_update after update on public.tenants
  referencing old table as old_rows new table as new_rows for each statement execute function app.directory_summary_changed();
create trigger directory_summary_delete after delete on public.tenants
  referencing old table as old_rows for each statement execute function app.directory_summary_changed();
alter table public.tenants enable always trigger directory_summary_insert;
alter table public.tenants enable always trigger directory_summary_update;
alter table public.tenants enable always trigger directory_summary_delete;

-- directory_summary_changed reads tenant_id from the transition tables; tenants name it id.
create or replace function app.directory_summary_changed() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  touched uuid[];
begin
  if tg_table_name = 'tenants' and tg_op = 'DELETE' then
    select pg_catalog.array_agg(o.id) into touched from old_rows o;
    delete from public.tenant_directory_usage u where u.tenant_id = any (touched);
  elsif tg_table_name = 'tenants' then
    select pg_catalog.array_agg(n.id) into touched from new_rows n;
  elsif tg_op = 'INSERT' then
    select pg_catalog.array_agg(distinct n.tenant_id) into touched from new_rows n;
  elsif tg_op = 'DELETE' then
    select pg_catalog.array_agg(distinct o.tenant_id) into touched from old_rows o;
  else
    select pg_catalog.array_agg(distinct x.tenant_id) into touched
      from (select n.tenant_id from new_rows n union select o.tenant_id from old_rows o) x;
  end if;
  if touched is not null then
    perform app.refresh_directory_summary(touched);
  end if;
  return null;
end $$;

-- Rows left by tenants deleted with the cascade skipped (bulk deletes as replica), then every tenant's row.
delete from public.tenant_directory_summary s where not exists (select 1 from public.tenants t where t.id = s.tenant_id);
delete from public.tenant_directory_usage u where not exists (select 1 from public.tenants t where t.id = u.tenant_id);
select app.refresh_directory_summary(array(select t.id from public.tenants t));

alter table public.tenant_directory_summary
  alter column name_key set not null, alter column slug set not null, alter column status set not null,
  alter column plan_type set not null, alter column created_at set not null, alter column search_text set not null,
  alter column ratio_day set not null;

-- One index per sort key and direction, in the exact order the page asks for (nulls last, ties by
-- name_key then tenant_id ascending), so a page is the first rows of one index range.
do $$
declare
  key text;
begin
  create index tenant_directory_summary_name_asc on public.tenant_directory_summary (name_key, tenant_id);
  create index tenant_directory_summary_name_desc on public.tenant_directory_summary (name_key desc nulls last, tenant_id);
  foreach key in array array['status', 'plan_type', 'verified_domains', 'usage_ratio', 'created_at'] loop
    execute pg_catalog.format('create index %I on public.tenant_directory_summary (%I asc nulls last, name_key, tenant_id)',
      'tenant_directory_summary_' || key || '_asc', key);
    execute pg_catalog.format('create index %I on public.tenant_directory_summary (%I desc nulls last, name_key, tenant_id)',
      'tenant_directory_summary_' || key || '_desc', key);
  end loop;
end $$;
create index tenant_directory_summary_ratio_day on public.tenant_directory_summary (ratio_day);
-- The filters' columns, so a filtered count reads index entries only (the heap of a table rewritten
-- by bulk loads is mostly dead space).
create index tenant_directory_summary_filters on public.tenant_directory_summary (status, plan_type, business_industry);

-- The trigram index, with the operator class of wherever pg_trgm is installed. No pending list
-- (fastupdate off): a search never scans the entries a bulk load left unmerged; writes are rare.
do $$
begin
  execute pg_catalog.format('create index tenant_directory_summary_search on public.tenant_directory_summary using gin (search_text %I.gin_trgm_ops) with (fastupdate = off)',
    (select n.nspname from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'));
end $$;

-- Rows kept for another day than yesterday are brought to yesterday's ratio (once: the lock
-- serializes callers, and the second finds nothing left to do).
create function app.roll_directory_usage_day() returns void
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  yesterday date := (now() at time zone 'UTC')::date - 1;
begin
  if not exists (select 1 from public.tenant_directory_summary s where s.ratio_day < yesterday or s.ratio_day > yesterday) then
    return;
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('app.roll_directory_usage_day'));
  update public.tenant_directory_summary s
     set ratio_day = yesterday,
         usage_ratio = coalesce((select u.ai_calls from public.tenant_directory_usage u where u.tenant_id = s.tenant_id and u.usage_date = yesterday), 0)
                       ::numeric / nullif(s.agent_usage_limit, 0)
   where s.ratio_day < yesterday or s.ratio_day > yesterday;
end $$;

-- The WHERE of a directory query over the summary `s`, from fixed fragments: $1 pattern, $2 status,
-- $3 plan, $4 industry, $5 granted tenants (only those fragments whose argument is given).
create function app.directory_conditions(pattern text, status_filter text, plan_filter text, industry_filter text, all_tenants boolean)
returns text
language sql immutable
set search_path = pg_catalog, pg_temp
as $$
  select 'true'
    || case when all_tenants then '' else ' and s.tenant_id = any ($5)' end
    || case when status_filter is null then '' else ' and s.status = $2' end
    || case when plan_filter is null then '' else ' and s.plan_type = $3' end
    || case when industry_filter is null then '' else ' and s.business_industry = $4' end
    -- The trigram-indexed text first, then 021's predicate itself.
    || case when pattern is null then '' else
       ' and s.search_text like $1 and (s.name_key like $1 or s.slug like $1 or s.email_key like $1'
       ' or exists (select 1 from pg_catalog.unnest(s.domains) d where d like $1))' end
$$;

create function app.check_directory_reader() returns void
language plpgsql stable
set search_path = pg_catalog, pg_temp
as $$
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators use the tenant directory' using errcode = '42501';
  end if;
end $$;

-- How many rows of the summary match, counted up to cap + 1 (so "more than cap" is known).
-- A search is counted through the trigram index: the planner's estimate of a LIKE '%…%' is a guess
-- (it took a term matching every tenant for a rare one, and the reverse), so it is not asked.
create function app.directory_matches(conditions text, pattern text, status_filter text, plan_filter text, industry_filter text,
  granted uuid[], cap integer) returns integer
language plpgsql volatile
set search_path = pg_catalog, pg_temp
-- Set here, so what the body changes of them ends with the call. Without JIT: the cost of a path
-- ruled out is a huge number, and a plan costed that high would be compiled (~1 s) for its few rows.
set enable_seqscan = on set enable_indexscan = on set jit = off
as $$
declare
  n integer;
begin
  if pattern is not null then
    perform pg_catalog.set_config('enable_seqscan', 'off', true), pg_catalog.set_config('enable_indexscan', 'off', true);
  end if;
  execute 'select pg_catalog.count(*)::integer from (select 1 from public.tenant_directory_summary s where ' || conditions || ' limit $6 + 1) x'
    into n using pattern, status_filter, plan_filter, industry_filter, granted, cap;
  return n;
end $$;

-- One page of the directory: app.tenant_directory's rows, rules and order (sort key, direction,
-- nulls last, then lower(name), id), plus the caller's break-glass end for a tenant seen only
-- through break-glass (app.visible_tenants' rule), and on every row how many tenants match, counted
-- up to count_cap (total_capped: there are more). Planned per call (EXECUTE), by what the count found:
--   - at most count_cap matches: they are few, read them all (a search through the trigram index)
--     and sort them: work bounded by the cap;
--   - more: they are many, so the page is the first rows of the sort key's index that pass the
--     filter; the scan stops at the page's last row, after about (offset + limit) / share of matches rows.
create function app.tenant_directory_page(search text, status_filter text, plan_filter text, industry_filter text,
  sort_key text, descending boolean, page_offset integer, page_limit integer, count_cap integer)
returns table (id uuid, slug text, name text, contact_email text, website_url text, business_industry text,
  plan_type text, status text, status_changed_at timestamptz, created_at timestamptz,
  domains text[], domain_count integer, verified_domains integer,
  agent_usage bigint, agent_usage_limit integer,
  credentials_expiring integer, next_credential_expiry timestamptz, break_glass_until timestamptz,
  total integer, total_capped boolean)
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
-- Set here, so what the body changes of them ends with the call; no JIT (see app.directory_matches).
set enable_seqscan = on set enable_bitmapscan = on set enable_indexscan = on set enable_sort = on set jit = off
as $$
declare
  pattern text := case when nullif(btrim(search), '') is null then null else app.like_pattern(lower(btrim(search))) end;
  all_tenants boolean := app.sees_all_tenants();
  granted uuid[] := app.granted_tenant_ids();
  usage_day date := (now() at time zone 'UTC')::date - 1;
  conditions text;
  -- The order, with %1$s for the alias of the summary's rows (the page's scan, then its join).
  sort_expression text;
  matches integer;
  many boolean;
begin
  perform app.check_directory_reader();
  if page_offset is null or page_offset < 0 or page_limit is null or page_limit < 0 or count_cap is null or count_cap < 0 then
    raise exception 'a page needs an offset, a limit and a count cap of at least 0' using errcode = '22023';
  end if;
  -- Fixed expressions only; the sort key chooses one, it is never interpolated.
  sort_expression := case sort_key
    when 'name' then '%1$s.name_key'
    when 'status' then '%1$s.status'
    when 'plan' then '%1$s.plan_type'
    when 'verifiedDomains' then '%1$s.verified_domains'
    when 'usage' then '%1$s.usage_ratio'
    when 'createdAt' then '%1$s.created_at'
    when 'credentialsExpiring' then '(select pg_catalog.count(*) from pg_catalog.unnest(%1$s.credential_expiries) e where e <= $6 + interval ''14 days'')'
  end || case when descending then ' desc' else ' asc' end || ' nulls last, %1$s.name_key, %1$s.tenant_id';
  if sort_expression is null or descending is null then
    raise exception 'unknown directory sort key' using errcode = '22023';
  end if;
  if sort_key = 'usage' then
    perform app.roll_directory_usage_day();
  end if;
  conditions := app.directory_conditions(pattern, status_filter, plan_filter, industry_filter, all_tenants);
  matches := app.directory_matches(conditions, pattern, status_filter, plan_filter, industry_filter, granted, count_cap);
  many := matches > count_cap;
  if many and sort_key <> 'credentialsExpiring' then
    -- Only the sort key's index, in its order (no other way to find the rows, no sort).
    perform pg_catalog.set_config('enable_seqscan', 'off', true), pg_catalog.set_config('enable_bitmapscan', 'off', true),
            pg_catalog.set_config('enable_sort', 'off', true);
  elsif pattern is not null then
    perform pg_catalog.set_config('enable_seqscan', 'off', true), pg_catalog.set_config('enable_indexscan', 'off', true);
  end if;
  return query execute
    'select t.id, t.slug::text, t.name::text, t.contact_email::text, t.website_url::text, t.business_industry::text,
            t.plan_type::text, t.status::text, t.status_changed_at, t.created_at,
            p.domains, pg_catalog.cardinality(p.domains), p.verified_domains,
            coalesce(u.ai_calls, 0)::bigint, p.agent_usage_limit,
            (select pg_catalog.count(*)::integer from pg_catalog.unnest(p.credential_expiries) e where e <= $6 + interval ''14 days''),
            (select pg_catalog.min(e) from pg_catalog.unnest(p.credential_expiries) e where e > $6),
            (select pg_catalog.max(g.expires_at) from public.break_glass_grants g
              where g.operator = session_user and g.tenant_id = t.id and g.expires_at > pg_catalog.statement_timestamp() and not $9
                and not exists (select 1 from public.operator_tenants o where o.operator = session_user and o.tenant_id = g.tenant_id)),
            least($11, $12), $11 > $12
       from (select s.* from public.tenant_directory_summary s
              where ' || conditions || '
              order by ' || pg_catalog.format(sort_expression, 's') || '
             offset $7 limit $8) p
       join public.tenants t on t.id = p.tenant_id
       left join public.tenant_directory_usage u on u.tenant_id = p.tenant_id and u.usage_date = $10
      order by ' || pg_catalog.format(sort_expression, 'p')
    using pattern, status_filter, plan_filter, industry_filter, granted, now(), page_offset, page_limit, all_tenants, usage_day,
          matches, count_cap;
end $$;

-- The count alone, for a page that came back empty (past the end): same rules and cap.
create function app.tenant_directory_count(search text, status_filter text, plan_filter text, industry_filter text, cap integer)
returns table (total integer, capped boolean)
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  pattern text := case when nullif(btrim(search), '') is null then null else app.like_pattern(lower(btrim(search))) end;
  n integer;
begin
  perform app.check_directory_reader();
  if cap is null or cap < 0 then
    raise exception 'a count needs a cap of at least 0' using errcode = '22023';
  end if;
  n := app.directory_matches(app.directory_conditions(pattern, status_filter, plan_filter, industry_filter, app.sees_all_tenants()),
    pattern, status_filter, plan_filter, industry_filter, app.granted_tenant_ids(), cap);
  return query select least(n, cap), n > cap;
end $$;

-- The helpers run only inside these two (as the owner): no grant.
do $$
begin
  execute pg_catalog.format('grant execute on function app.tenant_directory_page(text, text, text, text, text, boolean, integer, integer, integer), '
    'app.tenant_directory_count(text, text, text, text, integer) to %s', app.role_list('support', 'admin'));
end $$;

select set_config('role', 'none', true);
