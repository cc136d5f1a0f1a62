-- Two rules about events, defined once where every reader shares them: the admin screens,
-- the public API and the job that marks ended events done.
-- Beyond the seed; the seed's tables are unchanged.

-- Over: marked done by hand, or its end (its start, when it has no end) has passed.
create function event_is_over(event events) returns boolean
language sql stable as $$
    select event.is_done or coalesce(event.ends_at, event.starts_at) < now()
$$;

-- Where it happens, as visitors read it: its own location, else the site's default.
create function event_location(event events) returns text
language sql stable as $$
    select coalesce(nullif(trim(event.location), ''),
                    (select default_event_location from site_settings where id = 1))
$$;
