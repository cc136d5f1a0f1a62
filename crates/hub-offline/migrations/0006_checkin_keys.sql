-- The check-in keys of the sessions a person teaches (yesterday to two weeks ahead), so the
-- check-in screen shows its codes with no network. Replaced with each offline pack.
create table checkin_keys (
    user_id integer not null,
    session_id integer not null,
    -- The key as the hub sent it (JSON: the secret in hex and the session's window).
    key text not null,
    primary key (user_id, session_id)
);
