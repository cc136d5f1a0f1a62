-- A person's profile fields as one answer, whichever of their profiles holds them (a
-- student's first, then an instructor's, then a manager's): what the people export writes
-- and the people import compares with, read in one place.
create function person_profile_fields(person bigint)
returns table (bio text, linkedin_url text, github_url text, portfolio_url text)
language sql stable as $$
    select bio, linkedin_url, github_url, portfolio_url from student_profiles where user_id = person
    union all
    select bio, linkedin_url, github_url, portfolio_url from instructor_profiles where user_id = person
    union all
    select bio, linkedin_url, github_url, portfolio_url from manager_profiles where user_id = person
    limit 1
$$;
