-- Usage analytics groundwork (issue 10): the daily usage summary becomes a rollup table folded
-- incrementally, and money always carries its currency.
--
-- Rollup design. A statement trigger on usage_records writes, in the writer's own transaction,
-- one signed delta per (tenant, type, UTC day, currency) it touched: an insert adds, a delete
-- subtracts, an update subtracts the old version and adds the new one. A fold DELETEs the deltas
-- it can see and adds them into the rollup, in ONE statement, so one snapshot decides both what
-- is consumed and what the rollup becomes. A writer that commits after that snapshot (even one
-- whose xid is older than the fold's: a late commit) leaves its deltas in the table for the next
-- fold; an aborted writer's deltas never become visible. This is the xid8 watermark idea of the
-- sync without the cursor: the sync must not skip a late row, so it reads only below
-- pg_snapshot_xmin; a fold consumes by deletion, so nothing it has not seen is ever behind it.
-- Folds are serialized on a fold-state row no operator can read (and, as every platform job, on
-- the platform audit chain's head), so two folds never add the same delta twice.
select set_config('role', app.role_name('owner'), true);

-- Nobody writes usage while its rollup is rebuilt and its triggers are attached.
lock table public.usage_records in share row exclusive mode;

-- ISO 4217 codes the platform bills in (minor units for formatting). A code outside this table
-- is refused everywhere, as input and as data.
create table public.currencies (
  code char(3) primary key check (code ~ '^[A-Z]{3}$'),
  minor_units smallint not null check (minor_units between 0 and 4),
  name text not null
);
insert into public.currencies (code, minor_units, name) values
  ('ARS', 2, 'Argentine peso'), ('AUD', 2, 'Australian dollar'), ('BOB', 2, 'Boliviano'), ('BRL', 2, 'Brazilian real'),
  ('CAD', 2, 'Canadian dollar'), ('CHF', 2, 'Swiss franc'), ('CLP', 0, 'Chilean peso'), ('CNY', 2, 'Renminbi'),
  ('COP', 2, 'Colombian peso'), ('CRC', 2, 'Costa Rican colón'), ('CZK', 2, 'Czech koruna'), ('DKK', 2, 'Danish krone'),
  ('DOP', 2, 'Dominican peso'), ('EUR', 2, 'Euro'), ('GBP', 2, 'Pound sterling'), ('GTQ', 2, 'Quetzal'),
  ('HKD', 2, 'Hong Kong dollar'), ('HUF', 2, 'Forint'), ('INR', 2, 'Indian rupee'), ('JPY', 0, 'Yen'),
  ('KRW', 0, 'Won'), ('MXN', 2, 'Mexican peso'), ('NOK', 2, 'Norwegian krone'), ('NZD', 2, 'New Zealand dollar'),
  ('PEN', 2, 'Sol'), ('PLN', 2, 'Zloty'), ('PYG', 0, 'Guaraní'), ('SEK', 2, 'Swedish krona'),
  ('SGD', 2, 'Singapore dollar'), ('USD', 2, 'US dollar'), ('UYU', 2, 'Uruguayan peso'), ('ZAR', 2, 'Rand');

-- The price book: currencies from the list; per-unit prices per usage type, in the entry's
-- currency (the composite key makes the two impossible to disagree).
alter table public.price_book alter column currency type char(3);
alter table public.price_book add foreign key (currency) references public.currencies (code);
alter table public.price_book add unique (id, currency), add unique (id, plan_id);

create table public.price_book_unit_prices (
  id uuid primary key default gen_random_uuid(),
  price_book_id uuid not null,
  currency char(3) not null,
  usage_type varchar(50) not null check (usage_type in ('executions', 'ai_calls', 'storage')),
  unit_price numeric(14, 6) not null check (unit_price >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  unique (price_book_id, usage_type),
  foreign key (price_book_id, currency) references public.price_book (id, currency) on delete cascade on update cascade
);

-- A subscription points at the price-book entry it is billed by (same plan).
alter table public.subscriptions add column price_book_id uuid;
alter table public.subscriptions add foreign key (price_book_id, plan_id) references public.price_book (id, plan_id);
update public.subscriptions s
   set price_book_id = p.id
  from public.tenants t, public.price_book p
 where t.id = s.tenant_id and p.plan_id = s.plan_id and p.currency = coalesce(t.settings ->> 'currency', 'USD');

-- Usage records carry their currency. Older rows take their subscription's, else the tenant's
-- billing currency, else US dollars (the price book's reference currency).
alter table public.usage_records add column currency char(3) references public.currencies (code);
update public.usage_records u
   set currency = coalesce(
         (select p.currency from public.subscriptions s join public.price_book p on p.id = s.price_book_id
           where s.tenant_id = u.tenant_id and s.id = u.subscription_id),
         (select c.code from public.tenants t join public.currencies c on c.code = t.settings ->> 'currency' where t.id = u.tenant_id),
         'USD');
alter table public.usage_records alter column currency set not null;
create index usage_records_subscription_idx on public.usage_records (tenant_id, subscription_id, recorded_at);

-- A writer that omits the currency gets its subscription's; with none to take, the row is refused.
create function app.fill_usage_currency() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  if new.currency is null and new.subscription_id is not null then
    select p.currency into new.currency
      from public.subscriptions s join public.price_book p on p.id = s.price_book_id
     where s.tenant_id = new.tenant_id and s.id = new.subscription_id;
  end if;
  if new.currency is null then
    raise exception 'usage record needs a currency (its subscription has no price-book entry to take it from)' using errcode = '23502';
  end if;
  return new;
end $$;
create trigger fill_usage_currency before insert or update of currency, subscription_id on public.usage_records
  for each row execute function app.fill_usage_currency();

-- The rollup replaces the materialized view of migration 004 (same name and key plus currency).
drop function app.daily_usage(date, date);
drop function app.refresh_daily_usage_summary();
drop materialized view public.daily_usage_summary;
-- Same scale as the price book's unit prices (4 decimals rounded 0.000092 EUR to 0.0001); the
-- view above was the last object that used the column.
alter table public.usage_records alter column unit_price type numeric(14, 6);

create table public.daily_usage_summary (
  tenant_id uuid not null references public.tenants(id),
  usage_type varchar(50) not null,
  usage_date date not null,
  currency char(3) not null references public.currencies (code),
  total_quantity bigint not null,
  total_amount numeric not null,
  -- A count that would drop to zero deletes the row; below zero the fold fails loudly.
  record_count bigint not null check (record_count > 0),
  first_record timestamptz not null,
  last_record timestamptz not null,
  -- A function of the key: the same row has the same id on every database and after every fold.
  id uuid primary key generated always as (md5(tenant_id::text || '/' || usage_type || '/' || (usage_date - date '2000-01-01')::text || '/' || currency)::uuid) stored,
  unique (tenant_id, usage_type, usage_date, currency)
);
create index daily_usage_summary_date_idx on public.daily_usage_summary (usage_date);

insert into public.daily_usage_summary (tenant_id, usage_type, usage_date, currency, total_quantity, total_amount, record_count, first_record, last_record)
select tenant_id, usage_type, (recorded_at at time zone 'UTC')::date, currency, sum(quantity), sum(quantity * coalesce(unit_price, 0)),
       count(*), min(recorded_at), max(recorded_at)
  from public.usage_records
 group by 1, 2, 3, 4;

-- Signed changes not yet folded (a fold consumes all it sees).
create table public.usage_rollup_deltas (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  usage_type varchar(50) not null,
  usage_date date not null,
  currency char(3) not null,
  quantity bigint not null,
  amount numeric not null,
  records bigint not null,
  first_added timestamptz,
  last_added timestamptz,
  -- Rows left the key: its first/last record must be read again from the records.
  removed boolean not null
);

-- "Complete up to": every usage record committed before this time is in the rollup.
create table public.usage_fold_state (
  singleton boolean primary key default true check (singleton),
  complete_up_to timestamptz not null,
  folded_at timestamptz not null,
  folded_by text not null,
  last_changes bigint not null default 0
);
insert into public.usage_fold_state (complete_up_to, folded_at, folded_by) values (now(), now(), session_user);

-- Transition tables: one insert of grouped deltas per statement, however many rows it wrote.
create function app.record_usage_deltas() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into public.usage_rollup_deltas (tenant_id, usage_type, usage_date, currency, quantity, amount, records, removed)
    select o.tenant_id, o.usage_type, (o.recorded_at at time zone 'UTC')::date, o.currency,
           -sum(o.quantity), -sum(o.quantity * coalesce(o.unit_price, 0)), -count(*), true
      from old_rows o
     group by 1, 2, 3, 4;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.usage_rollup_deltas (tenant_id, usage_type, usage_date, currency, quantity, amount, records, first_added, last_added, removed)
    select n.tenant_id, n.usage_type, (n.recorded_at at time zone 'UTC')::date, n.currency,
           sum(n.quantity), sum(n.quantity * coalesce(n.unit_price, 0)), count(*), min(n.recorded_at), max(n.recorded_at), false
      from new_rows n
     group by 1, 2, 3, 4;
  end if;
  return null;
end $$;
create trigger usage_deltas_insert after insert on public.usage_records
  referencing new table as new_rows for each statement execute function app.record_usage_deltas();
create trigger usage_deltas_update after update on public.usage_records
  referencing old table as old_rows new table as new_rows for each statement execute function app.record_usage_deltas();
create trigger usage_deltas_delete after delete on public.usage_records
  referencing old table as old_rows for each statement execute function app.record_usage_deltas();

create function app.fold_daily_usage() returns bigint
language plpgsql volatile security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  stamp timestamptz;
  changes bigint;
  keys bigint;
begin
  perform app.require_platform_admin('fold_daily_usage');
  perform app.lock_audit_chain(null);
  perform 1 from public.usage_fold_state for update;
  -- Under READ COMMITTED the fold statement takes its snapshot after this instant; under a
  -- snapshot isolation the snapshot is the transaction's, which is younger than its start.
  stamp := case when pg_catalog.current_setting('transaction_isolation') = 'read committed'
                then pg_catalog.clock_timestamp() else pg_catalog.now() end;

  with consumed as (
    delete from public.usage_rollup_deltas returning *
  ), changed as (
    select c.tenant_id, c.usage_type, c.usage_date, c.currency, sum(c.quantity) as quantity, sum(c.amount) as amount,
           sum(c.records) as records, min(c.first_added) as first_added, max(c.last_added) as last_added, bool_or(c.removed) as removed
      from consumed c
     group by 1, 2, 3, 4
  ), folded as (
    select c.tenant_id, c.usage_type, c.usage_date, c.currency,
           coalesce(r.total_quantity, 0) + c.quantity as total_quantity,
           coalesce(r.total_amount, 0) + c.amount as total_amount,
           coalesce(r.record_count, 0) + c.records as record_count,
           case when c.removed then b.first_record else least(r.first_record, c.first_added) end as first_record,
           case when c.removed then b.last_record else greatest(r.last_record, c.last_added) end as last_record
      from changed c
      left join public.daily_usage_summary r
        on r.tenant_id = c.tenant_id and r.usage_type = c.usage_type and r.usage_date = c.usage_date and r.currency = c.currency
      -- A removal may have taken the first or last record: read them again (same snapshot).
      left join lateral (
        select min(u.recorded_at) as first_record, max(u.recorded_at) as last_record
          from public.usage_records u
         where c.removed and u.tenant_id = c.tenant_id and u.usage_type = c.usage_type and u.currency = c.currency
           and u.recorded_at >= (c.usage_date::timestamp at time zone 'UTC')
           and u.recorded_at < ((c.usage_date + 1)::timestamp at time zone 'UTC')
      ) b on true
  ), emptied as (
    delete from public.daily_usage_summary r
     using folded f
     where f.record_count = 0
       and r.tenant_id = f.tenant_id and r.usage_type = f.usage_type and r.usage_date = f.usage_date and r.currency = f.currency
    returning 1
  ), upserted as (
    insert into public.daily_usage_summary (tenant_id, usage_type, usage_date, currency, total_quantity, total_amount, record_count, first_record, last_record)
    select f.tenant_id, f.usage_type, f.usage_date, f.currency, f.total_quantity, f.total_amount, f.record_count, f.first_record, f.last_record
      from folded f
     where f.record_count <> 0
    on conflict (tenant_id, usage_type, usage_date, currency) do update
      set total_quantity = excluded.total_quantity, total_amount = excluded.total_amount, record_count = excluded.record_count,
          first_record = excluded.first_record, last_record = excluded.last_record
    returning 1
  )
  select (select count(*) from consumed), (select count(*) from emptied) + (select count(*) from upserted) into changes, keys;

  update public.usage_fold_state
     set complete_up_to = greatest(complete_up_to, stamp), folded_at = pg_catalog.statement_timestamp(),
         folded_by = session_user, last_changes = changes;
  perform app.audit_platform_job('fold_daily_usage',
    pg_catalog.jsonb_build_object('changes', changes, 'keys', keys, 'complete_up_to', stamp));
  return changes;
end $$;

-- As of when the rollup is complete, and how many changes wait for the next fold.
create function app.daily_usage_freshness()
returns table (complete_up_to timestamptz, folded_at timestamptz, folded_by text, pending_changes bigint)
language sql stable security definer
set search_path = pg_catalog, pg_temp
as $$
  select s.complete_up_to, s.folded_at, s.folded_by, (select count(*) from public.usage_rollup_deltas)
    from public.usage_fold_state s
$$;

-- Input checks of the usage functions (they run inside them, as the owner).
-- Periods are UTC days, at most three years long.
create function app.require_period(from_date date, to_date date) returns void
language plpgsql immutable
as $$
begin
  if from_date is null or to_date is null then
    raise exception 'a period needs a start and an end date' using errcode = '22023';
  end if;
  if from_date > to_date then
    raise exception 'the period starts (%) after it ends (%)', from_date, to_date using errcode = '22023';
  end if;
  if to_date > from_date + interval '3 years' then
    raise exception 'the period from % to % is longer than three years', from_date, to_date using errcode = '22023';
  end if;
end $$;

create function app.require_currency(wanted text) returns void
language plpgsql stable
as $$
begin
  if wanted is null or not exists (select 1 from public.currencies c where c.code::text = wanted) then
    raise exception 'unknown currency %', coalesce(pg_catalog.quote_literal(wanted), 'NULL') using errcode = '22023';
  end if;
end $$;

-- Unknown and invisible tenants get the same answer, so the error is no existence oracle.
create function app.require_usage_tenant(tenant uuid) returns void
language plpgsql stable
as $$
begin
  if tenant is null or not exists (select 1 from public.tenants t where t.id = tenant)
     or not (app.in_group('finance') or app.can_see_tenant(tenant)) then
    raise exception 'unknown tenant %', coalesce(tenant::text, 'NULL') using errcode = '22023';
  end if;
end $$;

-- Which tenants' usage the caller may read: finance and all-tenants admins the platform, others
-- their visible tenants (NULL = all).
create function app.usage_tenant_scope() returns uuid[]
language sql stable
as $$ select case when app.in_group('finance') or app.sees_all_tenants() then null else app.granted_tenant_ids() end $$;

-- Same rules as migration 004's function, over the rollup, one row per currency.
create function app.daily_usage(from_date date default null, to_date date default null)
returns setof public.daily_usage_summary
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  context uuid := app.current_tenant_id();
  scope uuid[] := app.usage_tenant_scope();
begin
  if from_date > to_date then
    raise exception 'the period starts (%) after it ends (%)', from_date, to_date using errcode = '22023';
  end if;
  if context is not null then
    if not (app.in_group('finance') or app.can_see_tenant(context)) then
      return;
    end if;
    return query select * from public.daily_usage_summary d
      where d.tenant_id = context
        and (from_date is null or d.usage_date >= from_date) and (to_date is null or d.usage_date <= to_date)
      order by d.usage_date, d.usage_type, d.currency;
  else
    return query select * from public.daily_usage_summary d
      where (scope is null or d.tenant_id = any (scope))
        and (from_date is null or d.usage_date >= from_date) and (to_date is null or d.usage_date <= to_date)
      order by d.usage_date, d.tenant_id, d.usage_type, d.currency;
  end if;
end $$;

-- An invoice for [cycle_start, cycle_end) UTC days: the plan fee of the subscription's
-- price-book entry and one metered line per usage type priced in that entry, all in its currency.
create function app.invoice_preview(tenant uuid, cycle_start date, cycle_end date)
returns table (line text, usage_type text, currency char(3), quantity numeric, unit_price numeric, amount numeric)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  entry public.price_book;
begin
  perform app.require_usage_tenant(tenant);
  perform app.require_period(cycle_start, cycle_end);
  if cycle_start = cycle_end then
    raise exception 'a billing cycle needs at least one day' using errcode = '22023';
  end if;
  select p.* into entry
    from public.subscriptions s join public.price_book p on p.id = s.price_book_id
   where s.tenant_id = tenant
     and (s.current_period_end is null or s.current_period_end > (cycle_start::timestamp at time zone 'UTC'))
   order by s.current_period_start desc nulls last, s.created_at desc
   limit 1;
  if entry.id is null then
    raise exception 'tenant % has no subscription with a price-book entry for that cycle', tenant using errcode = 'P0002';
  end if;
  return query
  select 'plan_fee', null::text, entry.currency, 1::numeric, entry.amount::numeric, entry.amount::numeric
  union all
  select 'metered', p.usage_type::text, entry.currency, q.quantity, p.unit_price, q.quantity * p.unit_price
    from public.price_book_unit_prices p
    cross join lateral (
      select coalesce(sum(d.total_quantity), 0)::numeric as quantity
        from public.daily_usage_summary d
       where d.tenant_id = tenant and d.usage_type = p.usage_type and d.usage_date >= cycle_start and d.usage_date < cycle_end
    ) q
   where p.price_book_id = entry.id
   order by 1 desc, 2;
end $$;

-- Rollup next to the raw records, per tenant, type, day and currency, for [from_date, to_date].
-- The difference is zero once every change is folded (app.daily_usage_freshness counts the rest).
create function app.usage_reconciliation(from_date date, to_date date, currency_filter text default null)
returns table (tenant_id uuid, usage_type text, usage_date date, currency char(3),
  rollup_quantity bigint, raw_quantity bigint, quantity_difference bigint,
  rollup_amount numeric, raw_amount numeric, amount_difference numeric,
  rollup_records bigint, raw_records bigint)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  scope uuid[] := app.usage_tenant_scope();
begin
  perform app.require_period(from_date, to_date);
  if currency_filter is not null then
    perform app.require_currency(currency_filter);
  end if;
  return query
  with raw as (
    select u.tenant_id, u.usage_type, (u.recorded_at at time zone 'UTC')::date as usage_date, u.currency,
           sum(u.quantity)::bigint as quantity, sum(u.quantity * coalesce(u.unit_price, 0)) as amount, count(*) as records
      from public.usage_records u
     where u.recorded_at >= (from_date::timestamp at time zone 'UTC') and u.recorded_at < ((to_date + 1)::timestamp at time zone 'UTC')
       and (scope is null or u.tenant_id = any (scope))
       and (currency_filter is null or u.currency::text = currency_filter)
     group by 1, 2, 3, 4
  ), rolled as (
    select d.* from public.daily_usage_summary d
     where d.usage_date between from_date and to_date
       and (scope is null or d.tenant_id = any (scope))
       and (currency_filter is null or d.currency::text = currency_filter)
  )
  select coalesce(r.tenant_id, w.tenant_id), coalesce(r.usage_type, w.usage_type)::text, coalesce(r.usage_date, w.usage_date),
         coalesce(r.currency, w.currency),
         coalesce(r.total_quantity, 0), coalesce(w.quantity, 0), coalesce(r.total_quantity, 0) - coalesce(w.quantity, 0),
         coalesce(r.total_amount, 0), coalesce(w.amount, 0), coalesce(r.total_amount, 0) - coalesce(w.amount, 0),
         coalesce(r.record_count, 0), coalesce(w.records, 0)
    from rolled r
    full join raw w on w.tenant_id = r.tenant_id and w.usage_type = r.usage_type and w.usage_date = r.usage_date and w.currency = r.currency
   order by 3, 1, 2, 4;
end $$;

-- Usage records recorded in [from_date, to_date] that no subscription covers: none named, or
-- recorded before the subscription began or after a canceled one ended.
create function app.unbilled_usage(from_date date, to_date date)
returns table (id uuid, tenant_id uuid, subscription_id uuid, usage_type text, currency char(3), quantity integer,
  recorded_at timestamptz, problem text)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  scope uuid[] := app.usage_tenant_scope();
begin
  perform app.require_period(from_date, to_date);
  return query
  select u.id, u.tenant_id, u.subscription_id, u.usage_type::text, u.currency, u.quantity, u.recorded_at,
         case when u.subscription_id is null then 'no_subscription' else 'outside_subscription' end
    from public.usage_records u
    left join public.subscriptions s on s.tenant_id = u.tenant_id and s.id = u.subscription_id
   where u.recorded_at >= (from_date::timestamp at time zone 'UTC') and u.recorded_at < ((to_date + 1)::timestamp at time zone 'UTC')
     and (scope is null or u.tenant_id = any (scope))
     and (u.subscription_id is null
          or u.recorded_at < s.created_at
          or (s.status = 'canceled' and u.recorded_at >= s.current_period_end))
   order by u.recorded_at, u.id;
end $$;

-- The directory's daily agent usage sums the day's currencies (quantities, not amounts).
create or replace function app.tenant_directory(search text default null, status_filter text default null,
  plan_filter text default null, industry_filter text default null)
returns table (id uuid, slug text, name text, contact_email text, website_url text, business_industry text,
  plan_type text, status text, status_changed_at timestamptz, created_at timestamptz,
  domains text[], domain_count integer, verified_domains integer,
  agent_usage bigint, agent_usage_limit integer,
  credentials_expiring integer, next_credential_expiry timestamptz)
language plpgsql stable security definer
set search_path = pg_catalog, pg_temp
as $$
declare
  pattern text := case when nullif(btrim(search), '') is null then null else app.like_pattern(lower(btrim(search))) end;
  all_tenants boolean := app.sees_all_tenants();
  granted uuid[] := app.granted_tenant_ids();
  usage_day date := (now() at time zone 'UTC')::date - 1;
begin
  if not (app.in_group('support') or app.in_group('admin')) then
    raise exception 'only support and admin operators use the tenant directory' using errcode = '42501';
  end if;
  return query
  with listed as (
    select t.* from public.tenants t
     where (all_tenants or t.id = any (granted))
       and (status_filter is null or t.status = status_filter)
       and (plan_filter is null or t.plan_type = plan_filter)
       and (industry_filter is null or t.business_industry = industry_filter)
       and (pattern is null
            or lower(t.name) like pattern or t.slug like pattern or lower(t.contact_email) like pattern
            or exists (select 1 from public.tenant_domains d where d.tenant_id = t.id and d.domain like pattern))
  ), domains as (
    select d.tenant_id, array_agg(d.domain::text order by d.domain) as names, count(*)::integer as total,
           (count(*) filter (where d.verified))::integer as verified
      from public.tenant_domains d where d.tenant_id in (select l.id from listed l) group by d.tenant_id
  ), credentials as (
    select c.tenant_id, (count(*) filter (where c.expires_at <= now() + interval '14 days'))::integer as expiring,
           min(c.expires_at) filter (where c.expires_at > now()) as next_expiry
      from public.tenant_credentials c
     where c.active and c.expires_at is not null and c.tenant_id in (select l.id from listed l)
     group by c.tenant_id
  ), agent_usage as (
    select u.tenant_id, sum(u.total_quantity)::bigint as total
      from public.daily_usage_summary u
     where u.usage_type = 'ai_calls' and u.usage_date = usage_day and u.tenant_id in (select l.id from listed l)
     group by u.tenant_id
  )
  select l.id, l.slug::text, l.name::text, l.contact_email::text, l.website_url::text, l.business_industry::text,
         l.plan_type::text, l.status::text, l.status_changed_at, l.created_at,
         coalesce(d.names, '{}'), coalesce(d.total, 0), coalesce(d.verified, 0),
         coalesce(u.total, 0)::bigint, lim.agent_usage_limit,
         coalesce(c.expiring, 0), c.next_expiry
    from listed l
    left join domains d on d.tenant_id = l.id
    left join credentials c on c.tenant_id = l.id
    left join public.tenant_limits lim on lim.tenant_id = l.id and lim.active
    left join agent_usage u on u.tenant_id = l.id;
end $$;

-- Migration 006's view added purchase amounts of every currency into one "revenue". Revenue
-- moves to its own view, one row per currency; a purchase without a valid currency has no
-- revenue to add (it is still counted in purchases).
drop view public.tenant_analytics_daily;
create view public.tenant_analytics_daily with (security_invoker = true) as
select tenant_id,
       (occurred_at at time zone 'UTC')::date as analytics_date,
       count(*) filter (where event_type = 'workflow_execution') as executions,
       count(*) filter (where event_type = 'user_login') as logins,
       count(distinct user_id) filter (where event_type = 'user_login') as active_users,
       count(*) filter (where event_type = 'template_purchase') as purchases
from public.events
group by tenant_id, (occurred_at at time zone 'UTC')::date;

create view public.tenant_revenue_daily with (security_invoker = true) as
select e.tenant_id,
       (e.occurred_at at time zone 'UTC')::date as revenue_date,
       (e.event_data ->> 'currency')::char(3) as currency,
       count(*) as purchases,
       sum((e.event_data ->> 'amount')::numeric) as revenue
from public.events e
where e.event_type = 'template_purchase'
  and e.event_data ->> 'amount' ~ '^-?[0-9]+(\.[0-9]+)?$'
  and e.event_data ->> 'currency' ~ '^[A-Z]{3}$'
group by 1, 2, 3;

do $$
begin
  perform app.attach_row_stamps('public.price_book_unit_prices');
  perform app.attach_audit('public.price_book_unit_prices');
  -- Operators have no grant on these three: app.daily_usage is the way in, and only the owner
  -- (trigger, fold) writes them.
  perform app.isolate_tenant_table('public.daily_usage_summary');
  perform app.isolate_tenant_table('public.usage_rollup_deltas');
  alter table public.usage_fold_state enable row level security;
  alter table public.usage_fold_state force row level security;
  execute format('create policy owner_maintenance on public.usage_fold_state for all to %s using (true) with check (true)', app.role_list('owner'));

  -- Finance reads usage, rollups, subscriptions, the price book and tenant names and plans:
  -- not the events (users, IP addresses, user agents), nor the marketplace's purchases.
  drop policy finance_platform on public.events;
  drop policy finance_platform on public.template_purchases;
  execute format('revoke select on public.events, public.template_purchases from %s', app.role_list('finance'));

  execute format('grant select on public.currencies to %s', app.role_list('support', 'moderator', 'finance', 'admin'));
  execute format('grant select on public.price_book_unit_prices to %s', app.role_list('support', 'moderator', 'finance', 'admin'));
  execute format('grant insert, update, delete on public.price_book_unit_prices to %s', app.role_list('admin'));
  execute format('grant select on public.tenant_analytics_daily, public.tenant_revenue_daily to %s', app.role_list('support', 'admin'));
  execute format('grant execute on function app.daily_usage(date, date), app.daily_usage_freshness(), '
    'app.invoice_preview(uuid, date, date) to %s', app.role_list('support', 'finance', 'admin'));
  execute format('grant execute on function app.usage_reconciliation(date, date, text), app.unbilled_usage(date, date) to %s',
    app.role_list('finance', 'admin'));
  -- Platform-wide job: the function checks for an admin assigned to all tenants.
  execute format('grant execute on function app.fold_daily_usage() to %s', app.role_list('admin'));
end $$;

select set_config('role', 'none', true);
