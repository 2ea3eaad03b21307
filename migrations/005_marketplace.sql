-- Template marketplace (seed 004) with what moderation needs: a review queue (pending_review,
-- rejected with a reason), the reviewing operator, a claim so two moderators do not work the same
-- template, a version for optimistic concurrency, and hideable reviews.
select set_config('role', app.role_name('owner'), true);

create table public.templates (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  creator_user_id uuid not null,
  workflow_id uuid,
  name varchar(255) not null,
  description text not null,
  category varchar(100) not null,
  tags text[] not null default '{}',
  price numeric(10, 2) not null default 0 check (price >= 0),
  currency varchar(3) not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  is_free boolean not null default true,
  is_featured boolean not null default false,
  download_count integer not null default 0 check (download_count >= 0),
  rating_avg numeric(3, 2) not null default 0 check (rating_avg between 0 and 5),
  rating_count integer not null default 0 check (rating_count >= 0),
  status varchar(20) not null default 'draft'
    check (status in ('draft', 'pending_review', 'published', 'rejected', 'archived')),
  submitted_at timestamptz,
  published_at timestamptz,
  reviewer name,
  reviewed_at timestamptz,
  rejection_reason text,
  claimed_by name,
  claimed_at timestamptz,
  version integer not null default 1 check (version >= 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  foreign key (tenant_id, creator_user_id) references public.users (tenant_id, id),
  foreign key (tenant_id, workflow_id) references public.workflows (tenant_id, id),
  check (status <> 'rejected' or length(btrim(rejection_reason)) > 0),
  check (status <> 'published' or published_at is not null),
  check ((claimed_by is null) = (claimed_at is null)),
  check (is_free = (price = 0))
);
create index templates_tenant_idx on public.templates (tenant_id, created_at desc);
create index templates_queue_idx on public.templates (status, submitted_at, id);

create table public.template_purchases (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  template_id uuid not null references public.templates(id),
  buyer_user_id uuid not null,
  price_paid numeric(10, 2) not null check (price_paid >= 0),
  currency varchar(3) not null check (currency ~ '^[A-Z]{3}$'),
  stripe_payment_intent_id varchar(100),
  status varchar(50) not null default 'pending' check (status in ('pending', 'succeeded', 'failed', 'refunded')),
  purchased_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  foreign key (tenant_id, buyer_user_id) references public.users (tenant_id, id)
);
create index template_purchases_tenant_idx on public.template_purchases (tenant_id, purchased_at desc);
create index template_purchases_template_idx on public.template_purchases (template_id);

-- tenant_id is the reviewer's tenant.
create table public.reviews (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants(id),
  template_id uuid not null references public.templates(id),
  reviewer_user_id uuid not null,
  rating integer not null check (rating between 1 and 5),
  title varchar(255),
  content text,
  helpful_count integer not null default 0 check (helpful_count >= 0),
  hidden boolean not null default false,
  hidden_reason text,
  hidden_by name,
  hidden_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by text not null default session_user,
  updated_by text not null default session_user,
  unique (template_id, reviewer_user_id),
  foreign key (tenant_id, reviewer_user_id) references public.users (tenant_id, id),
  check (not hidden or length(btrim(hidden_reason)) > 0)
);
create index reviews_tenant_idx on public.reviews (tenant_id, created_at desc);
create index reviews_template_idx on public.reviews (template_id, created_at desc);

-- Who reviewed, claimed or hid something is the session user, never a value the client sends;
-- every change bumps the version the screens use for optimistic concurrency.
create function app.moderation_stamps() returns trigger
language plpgsql
as $$
begin
  if tg_table_name = 'templates' then
    new.version := old.version + 1;
    if new.status is distinct from old.status and new.status in ('published', 'rejected') then
      new.reviewer := session_user;
      new.reviewed_at := now();
    end if;
    if new.claimed_by is not null and new.claimed_by is distinct from old.claimed_by then
      new.claimed_by := session_user;
      new.claimed_at := now();
    end if;
  elsif new.hidden is distinct from old.hidden then
    new.hidden_by := case when new.hidden then session_user end;
    new.hidden_at := case when new.hidden then now() end;
    new.hidden_reason := case when new.hidden then new.hidden_reason end;
  end if;
  return new;
end $$;

create trigger moderation_stamps before update on public.templates for each row execute function app.moderation_stamps();
create trigger moderation_stamps before update on public.reviews for each row execute function app.moderation_stamps();

do $$
declare
  t regclass;
begin
  foreach t in array array['public.templates', 'public.template_purchases', 'public.reviews']::regclass[] loop
    perform app.attach_row_stamps(t);
    perform app.isolate_tenant_table(t);
  end loop;

  -- Moderation is platform-wide: explicit policies for the moderator group only.
  execute format('create policy moderation_read on public.templates for select to %s using (true)', app.role_list('moderator'));
  execute format('create policy moderation_write on public.templates for update to %s using (true) with check (true)', app.role_list('moderator'));
  execute format('create policy moderation_read on public.reviews for select to %s using (true)', app.role_list('moderator'));
  execute format('create policy moderation_write on public.reviews for update to %s using (true) with check (true)', app.role_list('moderator'));
  execute format('create policy moderation_read on public.template_purchases for select to %s using (true)', app.role_list('moderator'));
  execute format('create policy finance_platform on public.template_purchases for select to %s '
    'using (tenant_id = coalesce((select app.current_tenant_id()), tenant_id))', app.role_list('finance'));

  execute format('grant select on public.templates, public.reviews, public.template_purchases to %s', app.role_list('support', 'moderator', 'admin'));
  execute format('grant select on public.template_purchases to %s', app.role_list('finance'));
  execute format('grant update (status, published_at, reviewer, reviewed_at, rejection_reason, claimed_by, claimed_at, version, is_featured) '
    'on public.templates to %s', app.role_list('moderator'));
  execute format('grant update (hidden, hidden_reason, hidden_by, hidden_at) on public.reviews to %s', app.role_list('moderator'));
end $$;

select set_config('role', 'none', true);
