-- Public profiles are opt-in (issue 15).
--
-- An instructor is on the website's team page only once they chose to be (or an
-- administrator listed them): no one is published for merely holding the role.
alter table instructor_profiles add column is_public boolean not null default false;

-- What a student's public page shows is what an administrator approved: a copy of their
-- name, avatar, bio and links taken at approval. Their own later edits wait, unseen by the
-- website, for the next approval; until the first one, the page is not served at all.
alter table student_profiles
    add column approved_full_name text,
    add column approved_avatar_url text,
    add column approved_bio text,
    add column approved_linkedin_url text,
    add column approved_github_url text,
    add column approved_portfolio_url text,
    add column approved_at timestamptz,
    add column approved_by bigint references users (id) on delete set null;

-- Every foreign key has its index (deleting a user finds their approvals at once).
create index student_profiles_approved_by_idx on student_profiles (approved_by);
