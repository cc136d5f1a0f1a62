-- The desktop's local store: what an instructor needs to mark attendance with no network,
-- and the marks waiting to reach the server.

create table meta (
    key text primary key,
    value text not null
);

-- Who signed in on this machine, and a verifier made here from their password at an online
-- sign-in (an argon2id hash of its own, never the password, never the server's hash).
create table people (
    user_id integer primary key,
    identifier text not null unique,
    verifier text not null,
    full_name text not null,
    email text,
    phone text,
    is_admin integer not null,
    is_instructor integer not null,
    is_student integer not null,
    saved_at text not null
);

create table sessions (
    id integer primary key,
    cohort_id integer not null,
    cohort_name text not null,
    date text not null,
    starts_at text,
    ends_at text,
    title text not null
);

create table students (
    enrollment_id integer primary key,
    cohort_id integer not null,
    student_id integer not null,
    full_name text not null
);

-- The marks as this machine knows them: the server's, or a newer one made here.
create table marks (
    session_id integer not null,
    enrollment_id integer not null,
    status text not null,
    note text,
    marked_at text not null,
    client_id text,
    primary key (session_id, enrollment_id)
);

-- Marks made here, until the server has committed them. A mark the server refused keeps its
-- reason and waits for a person, without holding back the others.
create table outbox (
    client_id text primary key,
    session_id integer not null,
    enrollment_id integer not null,
    status text not null,
    note text,
    marked_at text not null,
    queued_at text not null,
    attempts integer not null default 0,
    rejected text
);

create index outbox_waiting_idx on outbox (queued_at) where rejected is null;
