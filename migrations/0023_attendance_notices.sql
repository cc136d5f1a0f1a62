-- Low attendance, by mail, once a week: each active student whose rate fell under their
-- cohort's threshold since the last notice is told, and the cohort's instructors get a
-- digest of who is under it. Both can be turned off per cohort.
alter table cohorts add column attendance_threshold numeric(3, 2) not null default 0.80
    check (attendance_threshold between 0 and 1);
alter table cohorts add column attendance_notices boolean not null default true;
alter table cohorts add column attendance_digests boolean not null default true;

-- Where each enrollment stood at the last weekly look: a student is told when they go
-- under the threshold, not every week they stay there.
create table attendance_alerts (
    enrollment_id bigint primary key references enrollments(id) on delete cascade,
    below boolean not null,
    rate numeric(5, 4),
    noticed_at timestamptz,
    checked_at timestamptz not null default now()
);

-- The weekly looks taken: the first hub server to claim a week takes it.
create table attendance_weeks (
    week date primary key check (extract(isodow from week) = 1),
    taken_at timestamptz not null default now(),
    notices integer not null default 0,
    digests integer not null default 0
);

alter table mail_outbox drop constraint mail_outbox_kind_check;
alter table mail_outbox add constraint mail_outbox_kind_check check (kind in (
    'application_received', 'application_approved', 'application_waitlisted',
    'application_rejected', 'inbox_reply', 'invitation', 'password_reset', 'announcement',
    'attendance_notice', 'attendance_digest', 'test'));
