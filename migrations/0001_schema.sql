-- Digital Hub schema, exactly as in shared/seed/digital-hub-schema.md (22 tables).
-- Additions beyond the seed are limited to what enforces its stated rules
-- (site_settings single row, the duplicate-application rule, updated_at upkeep)
-- and indexes. Later changes come as new, additive migrations; this file is
-- never edited once applied.

-- Keeps updated_at current on every table that has the column.
create function set_updated_at() returns trigger
language plpgsql as $$
begin
    new.updated_at := now();
    return new;
end;
$$;

-- 1) Users & roles -----------------------------------------------------------

create table users (
    id bigserial primary key,
    email text unique,
    phone text unique,
    password_hash text not null,
    is_admin boolean not null default false,
    is_instructor boolean not null default false,
    is_student boolean not null default false,
    is_active boolean not null default true,
    last_login_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

-- 2) Profiles ------------------------------------------------------------------

create table student_profiles (
    user_id bigint primary key references users (id) on delete cascade,
    full_name text not null,
    avatar_url text,
    bio text,
    linkedin_url text,
    github_url text,
    portfolio_url text,
    status text not null default 'active'
        check (status in ('active', 'inactive', 'graduated')),
    featured boolean not null default false,
    featured_rank integer,
    public_slug text unique,
    created_at timestamptz not null default now()
);

create table instructor_profiles (
    user_id bigint primary key references users (id) on delete cascade,
    full_name text not null,
    avatar_url text,
    bio text,
    expertise text,
    linkedin_url text,
    github_url text,
    portfolio_url text,
    created_at timestamptz not null default now()
);

create table manager_profiles (
    user_id bigint primary key references users (id) on delete cascade,
    full_name text not null,
    avatar_url text,
    bio text,
    job_title text,
    is_public boolean not null default true,
    sort_order integer not null default 0,
    linkedin_url text,
    github_url text,
    portfolio_url text,
    created_at timestamptz not null default now()
);

-- 3) Site CMS ------------------------------------------------------------------

create table site_settings (
    id smallint primary key default 1,
    site_name text not null default 'Digital Hub',
    default_event_location text not null default 'Digital Hub',
    contact_info jsonb not null default '{}'::jsonb,
    social_links jsonb not null default '{}'::jsonb,
    updated_by bigint references users (id) on delete set null,
    updated_at timestamptz not null default now(),
    -- One row only: the application always updates row 1.
    constraint site_settings_single_row check (id = 1)
);

-- The one row exists from the start, so settings are always updated, never inserted.
insert into site_settings (id) values (1);

create table theme_tokens (
    id bigserial primary key,
    key text unique not null,
    purpose text not null,
    value text not null,
    scope text not null default 'global'
        check (scope in ('global', 'web', 'admin')),
    updated_by bigint references users (id) on delete set null,
    updated_at timestamptz not null default now()
);

create table pages (
    id bigserial primary key,
    key text unique not null,
    title text,
    content jsonb not null default '{}'::jsonb,
    is_published boolean not null default true,
    updated_by bigint references users (id) on delete set null,
    updated_at timestamptz not null default now()
);

create table home_sections (
    id bigserial primary key,
    key text unique not null,
    title text,
    is_enabled boolean not null default true,
    sort_order integer not null default 0,
    content jsonb not null default '{}'::jsonb,
    updated_by bigint references users (id) on delete set null,
    updated_at timestamptz not null default now()
);

create index home_sections_is_enabled_sort_order_idx on home_sections (is_enabled, sort_order);

-- 4) Programs & cohorts --------------------------------------------------------

create table programs (
    id bigserial primary key,
    slug text unique not null,
    title text not null,
    summary text,
    description text,
    requirements text,
    default_capacity integer check (default_capacity >= 0),
    is_published boolean not null default true,
    created_by bigint references users (id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table cohorts (
    id bigserial primary key,
    program_id bigint not null references programs (id) on delete cascade,
    name text not null,
    status text not null default 'planned'
        check (status in ('planned', 'coming_soon', 'open', 'running', 'completed', 'cancelled')),
    allow_applications boolean not null default false,
    capacity integer check (capacity >= 0),
    enrollment_open_at timestamptz,
    enrollment_close_at timestamptz,
    start_date date,
    end_date date,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create table cohort_instructors (
    cohort_id bigint not null references cohorts (id) on delete cascade,
    instructor_user_id bigint not null references users (id) on delete cascade,
    cohort_role text not null default 'instructor',
    primary key (cohort_id, instructor_user_id)
);

-- 5) Events --------------------------------------------------------------------

create table events (
    id bigserial primary key,
    slug text unique not null,
    title text not null,
    description text,
    location text,
    starts_at timestamptz not null,
    ends_at timestamptz,
    is_published boolean not null default false,
    is_done boolean not null default false,
    done_at timestamptz,
    created_by bigint references users (id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

-- 6) Dynamic forms -------------------------------------------------------------

create table forms (
    id bigserial primary key,
    key text unique not null,
    title text,
    description text,
    is_active boolean not null default true,
    created_by bigint references users (id) on delete set null,
    updated_at timestamptz not null default now()
);

create table form_fields (
    id bigserial primary key,
    form_id bigint not null references forms (id) on delete cascade,
    name text not null,
    label text not null,
    type text not null
        check (type in ('text', 'textarea', 'email', 'phone', 'select', 'checkbox', 'date', 'file')),
    required boolean not null default false,
    options jsonb,
    placeholder text,
    min_length integer,
    max_length integer,
    sort_order integer not null default 0,
    is_enabled boolean not null default true,
    unique (form_id, name)
);

-- 7) Applications --------------------------------------------------------------

create table applicants (
    id bigserial primary key,
    full_name text,
    email text,
    phone text,
    created_at timestamptz not null default now()
);

create table applications (
    id bigserial primary key,
    cohort_id bigint not null references cohorts (id) on delete cascade,
    applicant_id bigint references applicants (id) on delete set null,
    status text not null default 'pending'
        check (status in ('pending', 'approved', 'rejected', 'waitlisted')),
    reviewed_by bigint references users (id) on delete set null,
    reviewed_at timestamptz,
    submitted_at timestamptz not null default now()
);

-- Duplicate prevention: one active application per applicant and cohort.
create unique index applications_one_active_per_applicant_idx
    on applications (applicant_id, cohort_id)
    where status in ('pending', 'approved', 'waitlisted');

create table application_submissions (
    id bigserial primary key,
    application_id bigint not null references applications (id) on delete cascade,
    form_id bigint not null references forms (id) on delete restrict,
    answers jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now()
);

-- 8) Enrollments ---------------------------------------------------------------

create table enrollments (
    id bigserial primary key,
    student_user_id bigint not null references users (id) on delete cascade,
    cohort_id bigint not null references cohorts (id) on delete cascade,
    application_id bigint unique references applications (id) on delete set null,
    status text not null default 'active'
        check (status in ('active', 'paused', 'completed', 'dropped')),
    enrolled_at timestamptz not null default now(),
    unique (student_user_id, cohort_id)
);

-- 9) Sessions ------------------------------------------------------------------

create table sessions (
    id bigserial primary key,
    cohort_id bigint not null references cohorts (id) on delete cascade,
    date date not null,
    starts_at time,
    ends_at time,
    delivery_mode text not null default 'onsite'
        check (delivery_mode in ('onsite', 'remote', 'hybrid')),
    location text,
    title text not null,
    day_plan text,
    description text,
    session_type text not null default 'normal'
        check (session_type in ('normal', 'visitor', 'unusual', 'exam', 'workshop')),
    created_by bigint references users (id) on delete set null,
    created_at timestamptz not null default now()
);

-- 10) Attendance ---------------------------------------------------------------

create table attendance_records (
    session_id bigint not null references sessions (id) on delete cascade,
    enrollment_id bigint not null references enrollments (id) on delete cascade,
    status text not null
        check (status in ('present', 'absent', 'late', 'excused')),
    note text,
    marked_by bigint references users (id) on delete set null,
    marked_at timestamptz not null default now(),
    primary key (session_id, enrollment_id)
);

-- 11) Announcements ------------------------------------------------------------

create table announcements (
    id bigserial primary key,
    title text not null,
    body text not null,
    target_audience text not null default 'all'
        check (target_audience in ('all', 'website', 'student', 'instructor', 'admin')),
    cohort_id bigint references cohorts (id) on delete cascade,
    is_auto boolean not null default false,
    is_published boolean not null default true,
    publish_at timestamptz,
    created_by bigint references users (id) on delete set null,
    created_at timestamptz not null default now()
);

-- 12) Contact messages ---------------------------------------------------------

create table contact_messages (
    id bigserial primary key,
    name text not null,
    email text not null,
    phone text,
    subject text,
    message text not null,
    status text not null default 'new'
        check (status in ('new', 'in_progress', 'resolved')),
    assigned_to bigint references users (id) on delete set null,
    created_at timestamptz not null default now(),
    resolved_at timestamptz
);

-- updated_at upkeep --------------------------------------------------------------

create trigger users_set_updated_at before update on users
    for each row execute function set_updated_at();
create trigger site_settings_set_updated_at before update on site_settings
    for each row execute function set_updated_at();
create trigger theme_tokens_set_updated_at before update on theme_tokens
    for each row execute function set_updated_at();
create trigger pages_set_updated_at before update on pages
    for each row execute function set_updated_at();
create trigger home_sections_set_updated_at before update on home_sections
    for each row execute function set_updated_at();
create trigger programs_set_updated_at before update on programs
    for each row execute function set_updated_at();
create trigger cohorts_set_updated_at before update on cohorts
    for each row execute function set_updated_at();
create trigger events_set_updated_at before update on events
    for each row execute function set_updated_at();
create trigger forms_set_updated_at before update on forms
    for each row execute function set_updated_at();

-- Indexes on foreign keys (where no primary or unique key already leads with the
-- column) and on the columns lists filter and sort by ----------------------------

create index site_settings_updated_by_idx on site_settings (updated_by);
create index theme_tokens_updated_by_idx on theme_tokens (updated_by);
create index theme_tokens_scope_idx on theme_tokens (scope);
create index pages_updated_by_idx on pages (updated_by);
create index home_sections_updated_by_idx on home_sections (updated_by);

create index student_profiles_featured_rank_idx on student_profiles (featured_rank) where featured;
create index student_profiles_status_idx on student_profiles (status);
create index manager_profiles_public_sort_idx on manager_profiles (sort_order) where is_public;

create index programs_created_by_idx on programs (created_by);
create index programs_is_published_idx on programs (is_published);
create index cohorts_program_id_idx on cohorts (program_id);
create index cohorts_status_idx on cohorts (status);
create index cohort_instructors_instructor_user_id_idx on cohort_instructors (instructor_user_id);

create index events_created_by_idx on events (created_by);
create index events_published_starts_at_idx on events (is_published, starts_at);

create index forms_created_by_idx on forms (created_by);
create index form_fields_form_id_sort_order_idx on form_fields (form_id, sort_order);

create index applicants_email_idx on applicants (lower(email));
create index applications_cohort_id_status_idx on applications (cohort_id, status);
create index applications_applicant_id_idx on applications (applicant_id);
create index applications_reviewed_by_idx on applications (reviewed_by);
create index application_submissions_application_id_idx on application_submissions (application_id);
create index application_submissions_form_id_idx on application_submissions (form_id);

create index enrollments_cohort_id_status_idx on enrollments (cohort_id, status);

create index sessions_cohort_id_date_idx on sessions (cohort_id, date);
create index sessions_date_idx on sessions (date);
create index sessions_created_by_idx on sessions (created_by);

create index attendance_records_enrollment_id_idx on attendance_records (enrollment_id);
create index attendance_records_marked_by_idx on attendance_records (marked_by);

create index announcements_cohort_id_idx on announcements (cohort_id);
create index announcements_created_by_idx on announcements (created_by);
create index announcements_audience_publish_idx
    on announcements (target_audience, is_published, publish_at);

create index contact_messages_status_created_at_idx on contact_messages (status, created_at);
create index contact_messages_assigned_to_idx on contact_messages (assigned_to);
