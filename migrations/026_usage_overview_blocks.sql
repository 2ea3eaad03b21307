-- The usage overview at any period (issue 10): its figures summed every rollup row of the period
-- (135,000 for 90 days of 500 tenants with three types), four times per call: 306 ms against a
-- 50 ms goal. Two summaries of the daily rollup, kept by statement triggers on it, cut that:
--   - usage_blocks: a tenant's type and currency per ISO week (Monday) and per calendar month.
--     A period is covered by its whole months, then whole weeks inside what is left at each end,
--     then single days (app.usage_period_cover): 90 days read 13 rows per key instead of 90;
--   - platform_daily_usage: every tenant's usage per day, type and currency, for the platform
--     totals and trend of finance and all-tenant admins (81 rows a day at most, not 1,500).
-- Both change by the signed difference of each statement on daily_usage_summary (the fold, the
-- demo loader, a bulk load: ENABLE ALWAYS), so no path recomputes them whole. A row whose
-- record count reaches zero is deleted, as in the rollup. The counts have no CHECK: a negative
-- delta is the row an upsert proposes, and a CHECK judges that row before the conflict turns it
-- into an addition (the fold model test compares both summaries with the rollup instead). Every
-- fold rewrites the current week's and month's rows of each key it touched: pages keep 30 % free
-- (fillfactor 70) so those updates stay on their page (HOT) and leave the indexes alone.
select set_config('role', app.role_name('owner'), true);

create table public.usage_blocks (
  tenant_id uuid not null references public.tenants (id),
  usage_type varchar(50) not null,
  currency char(3) not null references public.currencies (code),
  span text not null check (span in ('week', 'month')),
  starts date not null,
  total_quantity bigint not null,
  total_amount numeric not null,
  record_count bigint not null,
  primary key (span, starts, tenant_id, usage_type, currency),
  check (case span when 'week' then extract(isodow from starts) = 1 else extract(day from starts) = 1 end)
) with (fillfactor = 70);
create index usage_blocks_tenant_idx on public.usage_blocks (tenant_id);

create table public.platform_daily_usage (
  usage_date date not null,
  usage_type varchar(50) not null,
  currency char(3) not null references public.currencies (code),
  total_quantity bigint not null,
  total_amount numeric not null,
  record_count bigint not null,
  primary key (usage_date, usage_type, currency)
) with (fillfactor = 70);

-- Signed rollup rows in, summaries adjusted: one upsert per summary; a row it brings to zero
-- records then goes (rare: only when records leave a block). The deltas arrive as JSON (exact
-- numerics), not through a temporary table: a definer must not write a table an operator could
-- have created first in their own temporary schema. Rows are upserted in key order, so two
-- statements touching the same platform day cannot deadlock.
create function app.apply_usage_block_deltas(deltas jsonb) returns void
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  emptied jsonb;
begin
  with d as (
    select x.* from pg_catalog.jsonb_to_recordset(deltas)
      x(tenant_id uuid, usage_type varchar(50), usage_date date, currency char(3), quantity bigint, amount numeric, records bigint)
  ), upserted as (
    insert into public.usage_blocks as b (tenant_id, usage_type, currency, span, starts, total_quantity, total_amount, record_count)
    select d.tenant_id, d.usage_type, d.currency, s.span, s.starts, pg_catalog.sum(d.quantity), pg_catalog.sum(d.amount), pg_catalog.sum(d.records)
      from d
      cross join lateral (values ('week', d.usage_date - (pg_catalog.date_part('isodow', d.usage_date)::integer - 1)),
                                 ('month', pg_catalog.date_trunc('month', d.usage_date::timestamp)::date)) s(span, starts)
     group by 1, 2, 3, 4, 5
     order by 4, 5, 1, 2, 3
    on conflict (span, starts, tenant_id, usage_type, currency) do update
       set total_quantity = b.total_quantity + excluded.total_quantity,
           total_amount = b.total_amount + excluded.total_amount,
           record_count = b.record_count + excluded.record_count
    returning b.span, b.starts, b.tenant_id, b.usage_type, b.currency, b.record_count
  )
  select pg_catalog.jsonb_agg(pg_catalog.to_jsonb(u)) into emptied from upserted u where u.record_count = 0;
  if emptied is not null then
    delete from public.usage_blocks b
     using pg_catalog.jsonb_to_recordset(emptied) e(span text, starts date, tenant_id uuid, usage_type varchar(50), currency char(3))
     where b.span = e.span and b.starts = e.starts and b.tenant_id = e.tenant_id and b.usage_type = e.usage_type and b.currency = e.currency;
  end if;

  with d as (
    select x.* from pg_catalog.jsonb_to_recordset(deltas)
      x(usage_type varchar(50), usage_date date, currency char(3), quantity bigint, amount numeric, records bigint)
  ), upserted as (
    insert into public.platform_daily_usage as p (usage_date, usage_type, currency, total_quantity, total_amount, record_count)
    select d.usage_date, d.usage_type, d.currency, pg_catalog.sum(d.quantity), pg_catalog.sum(d.amount), pg_catalog.sum(d.records)
      from d
     group by 1, 2, 3
     order by 1, 2, 3
    on conflict (usage_date, usage_type, currency) do update
       set total_quantity = p.total_quantity + excluded.total_quantity,
           total_amount = p.total_amount + excluded.total_amount,
           record_count = p.record_count + excluded.record_count
    returning p.usage_date, p.usage_type, p.currency, p.record_count
  )
  select pg_catalog.jsonb_agg(pg_catalog.to_jsonb(u)) into emptied from upserted u where u.record_count = 0;
  if emptied is not null then
    delete from public.platform_daily_usage p
     using pg_catalog.jsonb_to_recordset(emptied) e(usage_date date, usage_type varchar(50), currency char(3))
     where p.usage_date = e.usage_date and p.usage_type = e.usage_type and p.currency = e.currency;
  end if;
end $$;

create function app.usage_blocks_changed() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  deltas jsonb;
begin
  if tg_op = 'INSERT' then
    select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('tenant_id', n.tenant_id, 'usage_type', n.usage_type, 'usage_date', n.usage_date,
             'currency', n.currency, 'quantity', n.total_quantity, 'amount', n.total_amount, 'records', n.record_count)) into deltas
      from new_rows n;
  elsif tg_op = 'DELETE' then
    select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('tenant_id', o.tenant_id, 'usage_type', o.usage_type, 'usage_date', o.usage_date,
             'currency', o.currency, 'quantity', -o.total_quantity, 'amount', -o.total_amount, 'records', -o.record_count)) into deltas
      from old_rows o;
  else
    -- One net change per rollup row (the fold rewrites each once): after minus before.
    select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('tenant_id', x.tenant_id, 'usage_type', x.usage_type, 'usage_date', x.usage_date,
             'currency', x.currency, 'quantity', x.q, 'amount', x.a, 'records', x.n)) into deltas
      from (select y.tenant_id, y.usage_type, y.usage_date, y.currency, pg_catalog.sum(y.q) as q, pg_catalog.sum(y.a) as a, pg_catalog.sum(y.n) as n
              from (select n.tenant_id, n.usage_type, n.usage_date, n.currency, n.total_quantity as q, n.total_amount as a, n.record_count as n from new_rows n
                    union all
                    select o.tenant_id, o.usage_type, o.usage_date, o.currency, -o.total_quantity, -o.total_amount, -o.record_count from old_rows o) y
             group by 1, 2, 3, 4) x;
  end if;
  if deltas is not null then
    perform app.apply_usage_block_deltas(deltas);
  end if;
  return null;
end $$;

do $$
declare
  op text;
begin
  foreach op in array array['insert', 'update', 'delete'] loop
    execute pg_catalog.format('create trigger usage_blocks_%s after %s on public.daily_usage_summary referencing %s for each statement execute function app.usage_blocks_changed()',
      op, op, case op when 'insert' then 'new table as new_rows' when 'delete' then 'old table as old_rows' else 'old table as old_rows new table as new_rows' end);
    execute pg_catalog.format('alter table public.daily_usage_summary enable always trigger usage_blocks_%s', op);
  end loop;
end $$;

-- The rollup as it is now.
insert into public.usage_blocks (tenant_id, usage_type, currency, span, starts, total_quantity, total_amount, record_count)
select d.tenant_id, d.usage_type, d.currency, s.span, s.starts, sum(d.total_quantity), sum(d.total_amount), sum(d.record_count)
  from public.daily_usage_summary d
  cross join lateral (values ('week', d.usage_date - (extract(isodow from d.usage_date)::integer - 1)),
                             ('month', date_trunc('month', d.usage_date::timestamp)::date)) s(span, starts)
 group by 1, 2, 3, 4, 5;
insert into public.platform_daily_usage (usage_date, usage_type, currency, total_quantity, total_amount, record_count)
select d.usage_date, d.usage_type, d.currency, sum(d.total_quantity), sum(d.total_amount), sum(d.record_count)
  from public.daily_usage_summary d
 group by 1, 2, 3;

-- A period's loose days are read index-only. The fold's rewrites of rollup rows are not HOT
-- anyway (their pages are full), so they already wrote this index's entry; it is only wider now.
create index daily_usage_summary_date_cover_idx on public.daily_usage_summary (usage_date)
  include (tenant_id, usage_type, currency, total_quantity, total_amount);
drop index public.daily_usage_summary_date_idx;

-- Tenants' rows under the tenant rules; the platform's rows for the owner only. Operators read
-- both through the functions below, which apply the usage rules.
select app.isolate_tenant_table('public.usage_blocks');
alter table public.platform_daily_usage enable row level security;
alter table public.platform_daily_usage force row level security;
do $$
begin
  execute pg_catalog.format('create policy owner_maintenance on public.platform_daily_usage for all to %s using (true) with check (true)', app.role_list('owner'));
end $$;

-- [from_date, to_date] as blocks: its whole months; in what is left at each end, whole ISO weeks;
-- then days. Every day of the period is in exactly one block. src/main/domains/usage/cover.ts is
-- the same rule for the offline cache; a test holds the two equal.
create function app.usage_period_cover(from_date date, to_date date)
returns table (span text, starts date)
language plpgsql immutable
set search_path = pg_catalog, pg_temp
as $$
declare
  hi date := to_date + 1;
  m1 date := case when pg_catalog.date_part('day', from_date) = 1 then from_date
                  else (pg_catalog.date_trunc('month', from_date::timestamp) + interval '1 month')::date end;
  m2 date := pg_catalog.date_trunc('month', hi::timestamp)::date;
  los date[];
  his date[];
  d date;
  edge_end date;
  first_week date;
begin
  if m1 < m2 then
    d := m1;
    while d < m2 loop
      span := 'month'; starts := d; return next;
      d := (d + interval '1 month')::date;
    end loop;
    los := array[from_date, m2];
    his := array[m1, hi];
  else
    los := array[from_date];
    his := array[hi];
  end if;
  for i in 1 .. pg_catalog.array_length(los, 1) loop
    d := los[i];
    edge_end := his[i];
    first_week := d + (8 - pg_catalog.date_part('isodow', d)::integer) % 7;
    while d < first_week and d < edge_end loop
      span := 'day'; starts := d; return next;
      d := d + 1;
    end loop;
    while d + 7 <= edge_end loop
      span := 'week'; starts := d; return next;
      d := d + 7;
    end loop;
    while d < edge_end loop
      span := 'day'; starts := d; return next;
      d := d + 1;
    end loop;
  end loop;
end $$;

-- Per tenant, type and currency, the usage of [from_date, to_date] under the usage rules (those of
-- app.usage_rollup), from the period's blocks and its days outside them, narrowed by the filters.
create function app.usage_tenant_totals(from_date date, to_date date, tenant_ids uuid[] default null,
  usage_type_filter text default null, currency_filter text default null)
returns table (tenant_id uuid, usage_type text, currency char(3), total_quantity numeric, total_amount numeric)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
-- Planned per call: a generic plan cannot know how many days and blocks the period has.
set plan_cache_mode = force_custom_plan
as $$
declare
  context uuid := app.current_tenant_id();
  scope uuid[] := app.usage_tenant_scope();
begin
  perform app.require_period(from_date, to_date);
  if context is not null and not (app.in_group('finance') or app.can_see_tenant(context)) then
    return;
  end if;
  return query
  with cover as (select * from app.usage_period_cover(from_date, to_date)),
  parts as (
    select b.tenant_id, b.usage_type, b.currency, b.total_quantity, b.total_amount
      from cover c join public.usage_blocks b on b.span = c.span and b.starts = c.starts
    union all
    select d.tenant_id, d.usage_type, d.currency, d.total_quantity, d.total_amount
      from public.daily_usage_summary d
     where d.usage_date = any (array(select c.starts from cover c where c.span = 'day'))
  )
  select p.tenant_id, p.usage_type::text, p.currency, pg_catalog.sum(p.total_quantity), pg_catalog.sum(p.total_amount)
    from parts p
   where (scope is null or p.tenant_id = any (scope))
     and (context is null or p.tenant_id = context)
     and (tenant_ids is null or p.tenant_id = any (tenant_ids))
     and (usage_type_filter is null or p.usage_type = usage_type_filter)
     and (currency_filter is null or p.currency::text = currency_filter)
   group by 1, 2, 3;
end $$;

-- Every readable tenant's usage per day, type and currency over [from_date, to_date]: for those
-- who read the whole platform, its kept summary; for everyone else, their tenants' rollup rows.
create function app.usage_days_all(from_date date, to_date date, usage_type_filter text default null, currency_filter text default null)
returns table (usage_date date, usage_type text, currency char(3), total_quantity numeric, total_amount numeric)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
-- Planned per call: a generic plan cannot know how many days and blocks the period has.
set plan_cache_mode = force_custom_plan
as $$
declare
  context uuid := app.current_tenant_id();
  scope uuid[] := app.usage_tenant_scope();
begin
  perform app.require_period(from_date, to_date);
  if context is null and scope is null then
    return query
    select p.usage_date, p.usage_type::text, p.currency, p.total_quantity::numeric, p.total_amount
      from public.platform_daily_usage p
     where p.usage_date between from_date and to_date
       and (usage_type_filter is null or p.usage_type = usage_type_filter)
       and (currency_filter is null or p.currency::text = currency_filter);
    return;
  end if;
  if context is not null and not (app.in_group('finance') or app.can_see_tenant(context)) then
    return;
  end if;
  return query
  select d.usage_date, d.usage_type::text, d.currency, pg_catalog.sum(d.total_quantity), pg_catalog.sum(d.total_amount)
    from public.daily_usage_summary d
   where d.usage_date between from_date and to_date
     and (scope is null or d.tenant_id = any (scope))
     and (context is null or d.tenant_id = context)
     and (usage_type_filter is null or d.usage_type = usage_type_filter)
     and (currency_filter is null or d.currency::text = currency_filter)
   group by 1, 2, 3;
end $$;

do $$
begin
  execute format('grant execute on function app.usage_tenant_totals(date, date, uuid[], text, text), app.usage_days_all(date, date, text, text) to %s',
    app.role_list('support', 'finance', 'admin'));
end $$;

select set_config('role', 'none', true);
