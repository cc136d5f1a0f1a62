-- The hub's own today: the date in its time zone (Admin → Website), not the database
-- server's. A session is held, and counts in a student's rate, from its day in the hub's
-- time zone: in Beirut a session at 01:05 on the 4th is held on the 4th, while the
-- database's clock (UTC) still says the 3rd.
-- Beyond the seed; the seed's tables are unchanged.

create function hub_today() returns date
language sql stable as $$
    select (now() at time zone coalesce((select time_zone from site_settings where id = 1), 'UTC'))::date
$$;
