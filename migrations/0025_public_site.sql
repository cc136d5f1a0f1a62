-- The hub's own website (issue 19): served as HTML by the public module beside the JSON
-- API, from the same published views. A visitor reads times on the hub's clock, so the
-- site's time zone (migration 0024) is published with the rest of the site settings; it
-- names a place's rules, nothing private.

create or replace view published.site_settings with (security_barrier) as
    select site_name, default_event_location, contact_info, social_links, time_zone
      from public.site_settings where id = 1;
