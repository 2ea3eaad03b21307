-- Analytics events partitioned by month (seed 004 created one partition only and scheduled work
-- with pg_cron, which is not available everywhere: partitions are created by a function the
-- console or a scheduler calls), and the tenant analytics view under the caller's RLS.
select set_config('role', app.role_name('owner'), true);

create table public.events (
  id uuid not null default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  user_id uuid,
  event_type varchar(100) not null,
  event_data jsonb not null default '{}',
  session_id varchar(100),
  ip_address inet,
  user_agent text,
  occurred_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  created_by text not null default session_user,
  primary key (id, occurred_at)
) partition by range (occurred_at);
create index events_tenant_occurred_idx on public.events (tenant_id, occurred_at desc);

-- Creates the monthly partitions from `months_back` months before the current one to
-- `months_ahead` after it; existing ones are kept. Returns how many it created.
create function app.create_event_partitions(months_ahead integer, months_back integer default 0) returns integer
language plpgsql volatile security definer
set search_path = pg_catalog, public, pg_temp
as $$
declare
  first_month date := (date_trunc('month', now() at time zone 'UTC') - make_interval(months => months_back))::date;
  month_start date;
  partition_name text;
  created integer := 0;
begin
  if months_ahead is null or months_ahead < 0 or months_ahead > 120 or months_back is null or months_back < 0 or months_back > 240 then
    raise exception 'months_ahead must be 0..120 and months_back 0..240' using errcode = '22023';
  end if;
  for i in 0 .. months_back + months_ahead loop
    month_start := (first_month + make_interval(months => i))::date;
    partition_name := format('events_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
    if to_regclass('public.' || partition_name) is null then
      execute format('create table public.%I partition of public.events for values from (%L) to (%L)',
        partition_name, (month_start::timestamp at time zone 'UTC'), ((month_start + interval '1 month')::timestamp at time zone 'UTC'));
      perform app.isolate_tenant_table(('public.' || quote_ident(partition_name))::regclass);
      created := created + 1;
    end if;
  end loop;
  return created;
end $$;

select app.create_event_partitions(3, 24);

create view public.tenant_analytics_daily with (security_invoker = true) as
select tenant_id,
       (occurred_at at time zone 'UTC')::date as analytics_date,
       count(*) filter (where event_type = 'workflow_execution') as executions,
       count(*) filter (where event_type = 'user_login') as logins,
       count(distinct user_id) filter (where event_type = 'user_login') as active_users,
       count(*) filter (where event_type = 'template_purchase') as purchases,
       sum(case when event_data ->> 'amount' ~ '^-?[0-9]+(\.[0-9]+)?$' then (event_data ->> 'amount')::numeric end)
         filter (where event_type = 'template_purchase') as revenue
from public.events
group by tenant_id, (occurred_at at time zone 'UTC')::date;

do $$
begin
  perform app.isolate_tenant_table('public.events');
  execute format('create policy finance_platform on public.events for select to %s '
    'using (tenant_id = coalesce((select app.current_tenant_id()), tenant_id))', app.role_list('finance'));
  execute format('grant select on public.events, public.tenant_analytics_daily to %s', app.role_list('support', 'finance', 'admin'));
  execute format('grant execute on function app.create_event_partitions(integer, integer) to %s', app.role_list('admin'));
end $$;

select set_config('role', 'none', true);
