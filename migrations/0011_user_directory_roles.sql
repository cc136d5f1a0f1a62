-- The users list at 50,000 students: it filters by role and state and sorts by name, so the
-- directory keeps each user's roles and state beside the name, and an index per role walks
-- the names in order. Any page of "students by name" is then one index walk, the 1,000th as
-- quick as the first, and a search sorts only what it found.
-- Beyond the seed; the seed's tables are unchanged.

alter table user_directory
    add column is_admin boolean not null default false,
    add column is_instructor boolean not null default false,
    add column is_student boolean not null default false,
    add column is_active boolean not null default true;

create or replace function refresh_user_directory(target bigint) returns void
language plpgsql as $$
begin
    insert into user_directory (user_id, display_name, sort_name, haystack, is_admin, is_instructor, is_student,
                                is_active)
    select u.id, named.name, lower(named.name),
           lower(named.name) || e'\n' || lower(coalesce(u.email, '')) || e'\n'
               || regexp_replace(coalesce(u.phone, ''), '[^0-9]', '', 'g'),
           u.is_admin, u.is_instructor, u.is_student, u.is_active
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
           haystack = excluded.haystack,
           is_admin = excluded.is_admin,
           is_instructor = excluded.is_instructor,
           is_student = excluded.is_student,
           is_active = excluded.is_active
     where (user_directory.display_name, user_directory.haystack, user_directory.is_admin,
            user_directory.is_instructor, user_directory.is_student, user_directory.is_active)
           is distinct from (excluded.display_name, excluded.haystack, excluded.is_admin,
                             excluded.is_instructor, excluded.is_student, excluded.is_active);
end;
$$;

drop trigger user_directory_users on users;
create trigger user_directory_users
    after insert or update of email, phone, is_admin, is_instructor, is_student, is_active on users
    for each row execute function user_directory_from_users();

update user_directory d
   set is_admin = u.is_admin, is_instructor = u.is_instructor, is_student = u.is_student, is_active = u.is_active
  from users u
 where u.id = d.user_id;

create index user_directory_admins_idx on user_directory (sort_name, user_id) where is_admin;
create index user_directory_instructors_idx on user_directory (sort_name, user_id) where is_instructor;
create index user_directory_students_idx on user_directory (sort_name, user_id) where is_student;
