-- Images uploaded from the app (issue 19): avatars, hero, program and page images, kept by
-- the hub itself so a school needs no other file host. An upload is checked by its content,
-- decoded once and stored re-encoded at a few widths; the original bytes are not kept (what
-- is served is what we made, never a file as a stranger sent it, metadata and all).
--
-- An image is named by a hash of what was uploaded (`key`): its address never changes its
-- meaning, so the site and the app cache it for a year, and the same file uploaded twice is
-- one image.

create table media (
    id bigserial primary key,
    -- The first 24 hex digits of the upload's SHA-256: the address's unguessable part.
    key text not null unique check (key ~ '^[0-9a-f]{24}$'),
    -- How every width is encoded: jpeg for photographs, png for images with transparency.
    format text not null check (format in ('jpeg', 'png')),
    -- The stored image's size at its largest width (after turning it upright).
    width integer not null check (width > 0),
    height integer not null check (height > 0),
    -- The file's name on the uploader's computer, for the people who pick images.
    file_name text not null default '',
    uploaded_by bigint references users(id) on delete set null,
    created_at timestamptz not null default now()
);

create index media_uploaded_by on media (uploaded_by, created_at);

create table media_variants (
    media_id bigint not null references media(id) on delete cascade,
    -- One of the widths the hub makes (hub_model::media::WIDTHS); an image narrower than a
    -- width is stored at its own size under that width's name (never enlarged).
    width integer not null check (width > 0),
    bytes bytea not null,
    primary key (media_id, width)
);

-- The website serves an image to whoever holds its address, as a photo host's unlisted
-- links: the address holds 96 bits of the content's hash and is listed nowhere but where
-- the image is used.
create view published.media_files with (security_barrier) as
    select m.key, m.format, v.width, v.bytes
      from public.media m join public.media_variants v on v.media_id = m.id;

do $$
begin
    if exists (select from pg_roles where rolname = 'hub_public') then
        grant select on published.media_files to hub_public;
    end if;
    if exists (select from pg_roles where rolname = 'hub_server') then
        grant select on published.media_files to hub_server;
        grant select, insert, update, delete on media, media_variants to hub_server;
        grant usage, select on sequence media_id_seq to hub_server;
    end if;
end
$$;

-- A person's photo as the app shows it beside their name: the one on their profiles (the
-- profile form writes the same photo to each of them).
create function user_avatar(person bigint) returns text
    language sql stable
    set search_path = public, pg_temp
    as $$
        select coalesce(
            (select avatar_url from manager_profiles where user_id = person),
            (select avatar_url from instructor_profiles where user_id = person),
            (select avatar_url from student_profiles where user_id = person))
    $$;

-- A program's picture, on its card and its page of the website.
alter table programs add column image_url text;

create or replace view published.programs with (security_barrier) as
    select id, slug, title, summary, description, requirements, image_url
      from public.programs where is_published;
