-- Students check themselves in to a session with a code that changes every 30 seconds
-- (issue 18). Additive: the schema's tables keep every column and rule they had.

-- The hub's own time zone: a session's date and times are its local time, so "today" and
-- "opens 15 minutes before the start" are read in it, whatever zone the servers run in.
alter table site_settings add column time_zone text not null default 'UTC';

-- Refuses a zone PostgreSQL does not know (hub-core says so first, naming the field).
create function site_settings_time_zone_known() returns trigger
language plpgsql as $$
begin
    perform now() at time zone new.time_zone;
    return new;
end;
$$;

create trigger site_settings_time_zone_known
    before insert or update of time_zone on site_settings
    for each row execute function site_settings_time_zone_known();

-- A cohort's check-in times, in minutes around a session's start: check-in opens this long
-- before it, counts as late from this long after it, and closes this long after it.
alter table cohorts add column checkin_opens_minutes smallint not null default 15
    check (checkin_opens_minutes between 0 and 720);
alter table cohorts add column checkin_late_minutes smallint not null default 10
    check (checkin_late_minutes between 0 and 720);
alter table cohorts add column checkin_closes_minutes smallint not null default 30
    check (checkin_closes_minutes between 0 and 720);

-- One row a session whose check-in code was ever asked for: the secret its codes are made
-- from (never sent to a student), and the times that differ from its cohort's (null: the
-- cohort's).
create table session_checkin (
    session_id bigint primary key references sessions (id) on delete cascade,
    secret bytea not null check (octet_length(secret) = 32),
    opens_minutes smallint check (opens_minutes between 0 and 720),
    late_minutes smallint check (late_minutes between 0 and 720),
    closes_minutes smallint check (closes_minutes between 0 and 720),
    -- A session has its own times, all three, or none.
    constraint session_checkin_minutes_together check (
        (opens_minutes is null) = (late_minutes is null) and (late_minutes is null) = (closes_minutes is null)),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create trigger session_checkin_updated_at before update on session_checkin
    for each row execute function set_updated_at();

-- Every attempt a student made, and how it ended: the lockout counts the wrong codes, the
-- live list shows the accepted ones, and an administrator can see the rest.
create table attendance_checkins (
    id bigserial primary key,
    session_id bigint not null references sessions (id) on delete cascade,
    student_user_id bigint not null references users (id) on delete cascade,
    -- The student's enrollment in the session's cohort; null when they have none.
    enrollment_id bigint references enrollments (id) on delete cascade,
    attempted_at timestamptz not null default now(),
    method text not null default 'code' check (method in ('code', 'qr')),
    -- The device the student's session was opened on, and the address the attempt came from.
    device text,
    address text check (char_length(address) <= 45),
    outcome text not null check (outcome in (
        'present', 'late', 'already_marked', 'already_checked_in', 'wrong_code', 'locked',
        'not_open_yet', 'closed', 'not_today', 'not_enrolled', 'not_active', 'cancelled')),
    -- The mark the check-in made (its attendance_history.client_id), when it made one.
    mark_client_id uuid
);

-- A student is checked in to a session once, however many attempts race.
create unique index attendance_checkins_once on attendance_checkins (session_id, enrollment_id)
    where outcome in ('present', 'late');
create index attendance_checkins_student_idx on attendance_checkins (session_id, student_user_id, attempted_at);
create index attendance_checkins_student_user_id_idx on attendance_checkins (student_user_id);
create index attendance_checkins_enrollment_id_idx on attendance_checkins (enrollment_id);

-- The record came from the student's own check-in: any mark by the session's staff or an
-- administrator replaces it, whenever it was made.
alter table attendance_records add column self_checkin boolean not null default false;

-- When each session's check-in opens, turns late and closes, as instants: its date and start
-- read in the hub's time zone. A session with no start time is open its whole day, never late.
create view session_checkin_windows as
select s.id as session_id,
       st.time_zone,
       coalesce(k.opens_minutes, c.checkin_opens_minutes) as opens_minutes,
       coalesce(k.late_minutes, c.checkin_late_minutes) as late_minutes,
       coalesce(k.closes_minutes, c.checkin_closes_minutes) as closes_minutes,
       k.opens_minutes is not null as own_minutes,
       start.at as starts_at,
       coalesce(start.at - make_interval(mins => coalesce(k.opens_minutes, c.checkin_opens_minutes)),
                s.date::timestamp at time zone st.time_zone) as opens_at,
       start.at + make_interval(mins => coalesce(k.late_minutes, c.checkin_late_minutes)) as late_from,
       coalesce(start.at + make_interval(mins => coalesce(k.closes_minutes, c.checkin_closes_minutes)),
                (s.date + 1)::timestamp at time zone st.time_zone) as closes_at,
       -- The session's date against the hub's today.
       s.date - (now() at time zone st.time_zone)::date as days_from_today,
       -- The hub's offset from UTC on the session's day, to show its times as local times.
       extract(epoch from local.at - ((local.at at time zone st.time_zone) at time zone 'UTC'))::integer
           as utc_offset_seconds
  from sessions s
  join cohorts c on c.id = s.cohort_id
  cross join site_settings st
  left join session_checkin k on k.session_id = s.id
  cross join lateral (select (s.date + s.starts_at) at time zone st.time_zone as at) start
  cross join lateral (select s.date + coalesce(s.starts_at, time '12:00') as at) local;
