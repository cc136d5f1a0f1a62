-- Which announcements each person has read, so their feed marks the rest as unread.
-- Beyond the seed; the seed's tables are unchanged.

create table announcement_reads (
    user_id         bigint not null references users (id) on delete cascade,
    announcement_id bigint not null references announcements (id) on delete cascade,
    read_at         timestamptz not null default now(),
    primary key (user_id, announcement_id)
);

create index announcement_reads_announcement_idx on announcement_reads (announcement_id);
