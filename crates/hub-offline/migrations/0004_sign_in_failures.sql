-- Wrong passwords typed at the offline sign-in, per identifier (known here or not): five are
-- free, then each locks the identifier on this computer for 30 s, doubling up to 15 minutes,
-- as the hub does online. A right password clears the count.
create table sign_in_failures (
    identifier text primary key,
    failures integer not null,
    locked_until text
);
