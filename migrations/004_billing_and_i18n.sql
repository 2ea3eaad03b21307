-- Billing and usage (seed 004), the daily usage summary, translations and the price book.
select set_config('role', app.role_name('owner'), true);

create table public.subscriptions (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  stripe_subscription_id varchar(100) unique,
  stripe_customer_id varchar(100) not null,
  plan_id varchar(100) not null,
  status varchar(50) not null check (status in ('trialing', 'active', 'past_due', 'canceled', 'unpaid', 'incomplete')),
  current_period_start timestamptz,
  current_period_end timestamptz,
  trial_end timestamptz,
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  unique (tenant_id, id)
);
create index subscriptions_tenant_idx on public.subscriptions (tenant_id, created_at desc);

create table public.usage_records (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  subscription_id uuid,
  usage_type varchar(50) not null check (usage_type in ('executions', 'ai_calls', 'storage')),
  quantity integer not null check (quantity >= 0),
  unit_price numeric(10, 4),
  metadata jsonb not null default '{}',
  period_start timestamptz not null,
  period_end timestamptz not null,
  recorded_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  sync_xid xid8 not null default pg_current_xact_id(),
  foreign key (tenant_id, subscription_id) references public.subscriptions (tenant_id, id),
  check (period_end >= period_start)
);
create index usage_records_tenant_recorded_idx on public.usage_records (tenant_id, recorded_at, id);

-- Days are UTC days, whatever the refreshing session's TimeZone.
create materialized view public.daily_usage_summary as
select tenant_id,
       usage_type,
       (recorded_at at time zone 'UTC')::date as usage_date,
       sum(quantity)::bigint as total_quantity,
       sum(quantity * coalesce(unit_price, 0)) as total_amount,
       count(*) as record_count,
       min(recorded_at) as first_record,
       max(recorded_at) as last_record
from public.usage_records
group by tenant_id, usage_type, (recorded_at at time zone 'UTC')::date;
-- REFRESH … CONCURRENTLY needs a unique index covering every row.
create unique index daily_usage_summary_key on public.daily_usage_summary (tenant_id, usage_type, usage_date);
create index daily_usage_summary_date_idx on public.daily_usage_summary (usage_date);

create function app.refresh_daily_usage_summary() returns void
language plpgsql volatile security definer
set search_path = pg_catalog, public, pg_temp
as $$
begin
  refresh materialized view concurrently public.daily_usage_summary;
end $$;

-- A materialized view cannot have row-level security, so no operator gets SELECT on it. This
-- function is the only way in and applies the same rules as the policies: with a tenant context
-- that tenant (if visible, or for finance); without one every tenant for finance and for admins
-- assigned to all, else the operator's visible tenants.
create function app.daily_usage(from_date date default null, to_date date default null)
returns setof public.daily_usage_summary
language plpgsql stable security definer
set search_path = pg_catalog, public, pg_temp
as $$
declare
  context uuid := app.current_tenant_id();
  is_finance boolean := app.in_group('finance');
begin
  if context is not null then
    if not (is_finance or app.can_see_tenant(context)) then
      return;
    end if;
    return query select * from public.daily_usage_summary d
      where d.tenant_id = context
        and (from_date is null or d.usage_date >= from_date) and (to_date is null or d.usage_date <= to_date)
      order by d.usage_date, d.usage_type;
  elsif is_finance or app.sees_all_tenants() then
    return query select * from public.daily_usage_summary d
      where (from_date is null or d.usage_date >= from_date) and (to_date is null or d.usage_date <= to_date)
      order by d.usage_date, d.tenant_id, d.usage_type;
  else
    return query select * from public.daily_usage_summary d
      where d.tenant_id = any (app.granted_tenant_ids())
        and (from_date is null or d.usage_date >= from_date) and (to_date is null or d.usage_date <= to_date)
      order by d.usage_date, d.tenant_id, d.usage_type;
  end if;
end $$;

create table public.translations (
  id uuid primary key default gen_random_uuid(),
  namespace varchar(100) not null,
  key varchar(255) not null,
  locale varchar(10) not null,
  value text not null,
  context jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  unique (namespace, key, locale)
);

create table public.price_book (
  id uuid primary key default gen_random_uuid(),
  plan_id varchar(100) not null,
  currency varchar(3) not null check (currency ~ '^[A-Z]{3}$'),
  amount numeric(10, 2) not null check (amount >= 0),
  stripe_price_id varchar(100) unique,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  unique (plan_id, currency)
);

do $$
declare
  t regclass;
begin
  foreach t in array array['public.subscriptions', 'public.usage_records', 'public.translations', 'public.price_book']::regclass[] loop
    perform app.attach_row_stamps(t);
  end loop;
  perform app.enable_sync('public.usage_records');
  perform app.isolate_tenant_table('public.subscriptions');
  perform app.isolate_tenant_table('public.usage_records');

  -- Finance reads billing platform-wide; a tenant context narrows it to that tenant.
  execute format('create policy finance_platform on public.usage_records for select to %s '
    'using (tenant_id = coalesce((select app.current_tenant_id()), tenant_id))', app.role_list('finance'));
  execute format('create policy finance_platform on public.subscriptions for select to %s '
    'using (tenant_id = coalesce((select app.current_tenant_id()), tenant_id))', app.role_list('finance'));
  execute format('create policy finance_usage_tombstones on public.sync_tombstones for select to %s '
    'using (table_name = ''usage_records'' and tenant_id = coalesce((select app.current_tenant_id()), tenant_id))', app.role_list('finance'));

  execute format('grant select on public.subscriptions, public.usage_records to %s', app.role_list('support', 'finance', 'admin'));
  execute format('grant select on public.sync_tombstones to %s', app.role_list('finance'));
  execute format('grant select on public.translations, public.price_book to %s', app.role_list('support', 'moderator', 'finance', 'admin'));
  execute format('grant insert, update, delete on public.translations, public.price_book to %s', app.role_list('admin'));
  execute format('grant execute on function app.daily_usage(date, date) to %s', app.role_list('support', 'finance', 'admin'));
  execute format('grant execute on function app.refresh_daily_usage_summary() to %s', app.role_list('finance', 'admin'));
end $$;

select set_config('role', 'none', true);
