-- The public API keeps serialized responses in memory; these triggers tell it (LISTEN
-- hub_public_content) that something it serves changed, so an edit in the app is served
-- within a second. Statement-level: one notification per statement, however many rows.
-- Beyond the seed; the seed's tables are unchanged.

create function notify_public_content() returns trigger
language plpgsql as $$
begin
    perform pg_notify('hub_public_content', tg_table_name);
    return null;
end;
$$;

do $$
declare
    content_table text;
begin
    foreach content_table in array array[
        'site_settings', 'theme_tokens', 'pages', 'home_sections', 'programs', 'cohorts',
        'cohort_instructors', 'enrollments', 'events', 'forms', 'form_fields', 'announcements',
        'manager_profiles', 'instructor_profiles', 'student_profiles'
    ] loop
        execute format(
            'create trigger %I after insert or update or delete or truncate on %I
                 for each statement execute function notify_public_content()',
            content_table || '_notify_public', content_table);
    end loop;
end;
$$;

-- Users matter to the website only through who is active and in which role: sign-ins
-- (last_login_at) and password changes do not empty the cache.
create trigger users_notify_public
    after insert or delete or update of is_active, is_admin, is_instructor, is_student on users
    for each statement execute function notify_public_content();
