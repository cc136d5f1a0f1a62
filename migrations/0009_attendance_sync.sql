-- Attendance marked on many devices, online or not, synced later: every mark ever received
-- is kept (who, when, from which device's mark), the current record is the last writer's by
-- marked_at (ties: the larger client id), and a device pulls what changed since its cursor.
-- Beyond the seed; attendance_records gains two columns, nothing is removed.

create table attendance_history (
    id bigserial primary key,
    -- The device's id for this mark: the same mark sent twice is kept once.
    client_id uuid not null unique,
    session_id bigint not null references sessions (id) on delete cascade,
    enrollment_id bigint not null references enrollments (id) on delete cascade,
    status text not null check (status in ('present', 'absent', 'late', 'excused')),
    note text,
    marked_by bigint references users (id) on delete set null,
    marked_at timestamptz not null,
    received_at timestamptz not null default now()
);

create index attendance_history_session_enrollment_idx on attendance_history (session_id, enrollment_id, marked_at);
create index attendance_history_enrollment_idx on attendance_history (enrollment_id);
create index attendance_history_marked_by_idx on attendance_history (marked_by);

-- The mark that won, and the transaction that last changed the record (what a device's
-- cursor compares with: a transaction still running when a device pulled has an id at or
-- above that pull's snapshot xmin, so its rows come with the next pull).
alter table attendance_records add column client_id uuid;
alter table attendance_records add column changed_xid xid8 not null default pg_current_xact_id();

create function attendance_records_changed() returns trigger
language plpgsql as $$
begin
    new.changed_xid := pg_current_xact_id();
    return new;
end;
$$;

create trigger attendance_records_set_changed_xid before update on attendance_records
    for each row execute function attendance_records_changed();

create index attendance_records_changed_xid_idx on attendance_records (changed_xid);
create index attendance_records_enrollment_idx on attendance_records (enrollment_id);
