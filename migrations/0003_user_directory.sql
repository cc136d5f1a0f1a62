-- The admins' users list at scale: each user's display name, its sort key and one
-- lower-cased haystack (name, email, phone digits) for substring search, kept current by
-- triggers, so listing, sorting and searching 50,000 users reads one narrow indexed table
-- instead of joining three profile tables for every user on every request.
-- Beyond the seed; the seed's tables are unchanged.

create extension if not exists pg_trgm;

create table user_directory (
    user_id      bigint primary key references users (id) on delete cascade,
    -- A profile's full name (manager, instructor, then student), else the email or phone.
    display_name text not null,
    sort_name    text not null,
    -- lower(display_name) \n lower(email) \n phone digits: what a search matches.
    haystack     text not null
);

create index user_directory_sort_name_idx on user_directory (sort_name, user_id);
create index user_directory_haystack_idx on user_directory using gin (haystack gin_trgm_ops);

create function refresh_user_directory(target bigint) returns void
language plpgsql as $$
begin
    insert into user_directory (user_id, display_name, sort_name, haystack)
    select u.id, named.name, lower(named.name),
           lower(named.name) || e'\n' || lower(coalesce(u.email, '')) || e'\n'
               || regexp_replace(coalesce(u.phone, ''), '[^0-9]', '', 'g')
      from users u
      left join manager_profiles m on m.user_id = u.id
      left join instructor_profiles i on i.user_id = u.id
      left join student_profiles s on s.user_id = u.id
     cross join lateral (
         select coalesce(m.full_name, i.full_name, s.full_name, u.email, u.phone, 'User ' || u.id) as name
     ) named
     where u.id = target
    on conflict (user_id) do update
       set display_name = excluded.display_name,
           sort_name = excluded.sort_name,
           haystack = excluded.haystack
     where (user_directory.display_name, user_directory.haystack)
           is distinct from (excluded.display_name, excluded.haystack);
end;
$$;

create function user_directory_from_users() returns trigger
language plpgsql as $$
begin
    perform refresh_user_directory(new.id);
    return null;
end;
$$;

create function user_directory_from_profiles() returns trigger
language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform refresh_user_directory(old.user_id);
    end if;
    if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.user_id <> old.user_id) then
        perform refresh_user_directory(new.user_id);
    end if;
    return null;
end;
$$;

create trigger user_directory_users
    after insert or update of email, phone on users
    for each row execute function user_directory_from_users();

create trigger user_directory_managers
    after insert or delete or update of full_name, user_id on manager_profiles
    for each row execute function user_directory_from_profiles();

create trigger user_directory_instructors
    after insert or delete or update of full_name, user_id on instructor_profiles
    for each row execute function user_directory_from_profiles();

create trigger user_directory_students
    after insert or delete or update of full_name, user_id on student_profiles
    for each row execute function user_directory_from_profiles();

-- Everyone who is already there.
select refresh_user_directory(id) from users;

-- The list's other sorts and filters.
create index users_created_at_idx on users (created_at, id);
create index users_last_login_at_idx on users (last_login_at, id);
