-- Several people may sign in on one machine (a shared office laptop): each keeps their own
-- sessions and rosters and their own pull cursor, and each mark waiting in the outbox is
-- sent as the person who made it, whoever is signed in when the network comes back.

-- The cached sessions and rosters are refilled by the next sync: made again, per person.
drop table sessions;
drop table students;

create table sessions (
    user_id integer not null,
    id integer not null,
    cohort_id integer not null,
    cohort_name text not null,
    date text not null,
    starts_at text,
    ends_at text,
    title text not null,
    primary key (user_id, id)
);

create table students (
    user_id integer not null,
    enrollment_id integer not null,
    cohort_id integer not null,
    student_id integer not null,
    full_name text not null,
    primary key (user_id, enrollment_id)
);

create index students_cohort_idx on students (user_id, cohort_id);

-- Who made the mark. Marks queued before this column existed have none and go as whoever
-- syncs next (one person per machine, then).
alter table outbox add column marked_by integer;

-- The one machine-wide cursor becomes one per person; the next pull of each is a full one.
delete from meta where key = 'cursor';
