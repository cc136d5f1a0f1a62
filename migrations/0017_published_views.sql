-- What the public website may read, as views in a schema of their own (issue 15).
--
-- The website's role (`hubctl grant-public`, hub_public by default) reads these views and
-- no table: each view holds only what may be published — published pages and programs,
-- enabled home sections, the cohorts a visitor may see, listed people, approved student
-- pages, active forms — so a mistake in one of the website's queries cannot leak a draft.
-- The views read the tables as their owner; `security_barrier` keeps a caller's predicates
-- from being evaluated before a view's own filter.

create schema published;

-- The functions the views call run as their owner too: they read tables the website's
-- role cannot (the site's default location, a cohort's enrollments and program).
alter function event_is_over(events) security definer set search_path = public, pg_temp;
alter function event_location(events) security definer set search_path = public, pg_temp;
alter function cohort_seats_used(cohorts) security definer set search_path = public, pg_temp;
alter function cohort_capacity(cohorts) security definer set search_path = public, pg_temp;
alter function cohort_application_refusal(cohorts) security definer set search_path = public, pg_temp;

create view published.site_settings with (security_barrier) as
    select site_name, default_event_location, contact_info, social_links
      from public.site_settings where id = 1;

create view published.theme_tokens with (security_barrier) as
    select key, value, purpose from public.theme_tokens where scope in ('global', 'web');

create view published.pages with (security_barrier) as
    select key, title, content, updated_at from public.pages where is_published;

create view published.home_sections with (security_barrier) as
    select id, key, title, content, sort_order from public.home_sections where is_enabled;

create view published.programs with (security_barrier) as
    select id, slug, title, summary, description, requirements
      from public.programs where is_published;

-- The cohorts a visitor sees: coming soon, open or running, of a published program.
create view published.cohorts with (security_barrier) as
    select c.id, p.slug as program_slug, p.title as program_title, c.name, c.status,
           c.start_date, c.end_date, c.enrollment_open_at, c.enrollment_close_at,
           public.cohort_capacity(c) as capacity,
           public.cohort_capacity(c) - public.cohort_seats_used(c) as seats_left,
           public.cohort_application_refusal(c) is null as accepting_applications
      from public.cohorts c
      join public.programs p on p.id = c.program_id
     where p.is_published and c.status in ('coming_soon', 'open', 'running');

-- Why a cohort takes no application now (null: it does), for the apply form to say
-- before it reads the answers — of any cohort, as the form has always said.
create view published.application_windows with (security_barrier) as
    select c.id, public.cohort_application_refusal(c) as refusal from public.cohorts c;

-- Who teaches a visible cohort: active instructors who chose to be listed.
create view published.cohort_instructors with (security_barrier) as
    select ci.cohort_id, ip.full_name, ci.cohort_role
      from public.cohort_instructors ci
      join public.users u on u.id = ci.instructor_user_id and u.is_active and u.is_instructor
      join public.instructor_profiles ip on ip.user_id = u.id and ip.is_public
      join public.cohorts c on c.id = ci.cohort_id and c.status in ('coming_soon', 'open', 'running')
      join public.programs p on p.id = c.program_id and p.is_published;

create view published.events with (security_barrier) as
    select e.id, e.slug, e.title, e.description, public.event_location(e) as location,
           e.starts_at, e.ends_at, public.event_is_over(e) as is_done
      from public.events e where e.is_published;

-- For the website: any addressed to it (a cohort's "coming soon" among them), and those for
-- everyone that no cohort narrows, once their time has come.
create view published.announcements with (security_barrier) as
    select id, title, body, coalesce(publish_at, created_at) as published_at
      from public.announcements
     where is_published
       and (target_audience = 'website' or (target_audience = 'all' and cohort_id is null))
       and (publish_at is null or publish_at <= now());

create view published.managers with (security_barrier) as
    select m.full_name, m.job_title, m.bio, m.avatar_url, m.linkedin_url, m.github_url,
           m.portfolio_url, m.sort_order
      from public.manager_profiles m join public.users u on u.id = m.user_id
     where m.is_public and u.is_active and u.is_admin;

create view published.instructors with (security_barrier) as
    select i.full_name, i.expertise, i.bio, i.avatar_url, i.linkedin_url, i.github_url, i.portfolio_url
      from public.instructor_profiles i join public.users u on u.id = i.user_id
     where i.is_public and u.is_active and u.is_instructor;

-- Students' public pages: the text an administrator approved, nothing they wrote since.
create view published.students with (security_barrier) as
    select s.public_slug, s.approved_full_name as full_name, s.status, s.approved_bio as bio,
           s.approved_avatar_url as avatar_url, s.approved_linkedin_url as linkedin_url,
           s.approved_github_url as github_url, s.approved_portfolio_url as portfolio_url,
           s.featured, s.featured_rank
      from public.student_profiles s join public.users u on u.id = s.user_id
     where u.is_active and u.is_student and s.status <> 'inactive' and s.public_slug is not null
       and s.approved_at is not null and s.approved_full_name is not null;

create view published.forms with (security_barrier) as
    select id, key, title, description from public.forms where is_active;

create view published.form_fields with (security_barrier) as
    select f.id, f.form_id, f.name, f.label, f.type as field_type, f.required, f.options,
           f.placeholder, f.min_length, f.max_length, f.sort_order
      from public.form_fields f join public.forms on forms.id = f.form_id and forms.is_active
     where f.is_enabled;

-- The website's role, where it exists under its default name: the views, and no table.
-- (`hubctl grant-public ROLE` does the same for a role of another name.)
do $$
begin
    if exists (select from pg_roles where rolname = 'hub_public') then
        revoke select on all tables in schema public from hub_public;
        grant usage on schema published to hub_public;
        grant select on all tables in schema published to hub_public;
        grant select (id) on contact_messages to hub_public;
    end if;
    -- The hub server builds the desktop's preview of the website from the same views.
    if exists (select from pg_roles where rolname = 'hub_server') then
        grant usage on schema published to hub_server;
        grant select on all tables in schema published to hub_server;
    end if;
end
$$;
