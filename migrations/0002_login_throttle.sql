-- Failed sign-ins per identifier, so repeated guessing is slowed down across every
-- desktop that shares the database. A successful sign-in deletes the row.
create table login_throttle (
    -- The identifier as looked up: a lower-cased email, or a phone number's digits.
    identifier text primary key,
    failures integer not null default 0 check (failures >= 0),
    locked_until timestamptz,
    last_failure_at timestamptz not null default now()
);

-- Sign-in by phone matches on digits, however the number was typed.
create index users_phone_digits_idx on users (regexp_replace(phone, '[^0-9]', '', 'g'));
