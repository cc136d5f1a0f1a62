-- Replies to the website's contact messages: mailed to the visitor from the hub's address
-- (through the outbox, in the same transaction) and kept with the message, each with who
-- wrote it and when.
create table contact_replies (
    id bigserial primary key,
    message_id bigint not null references contact_messages(id) on delete cascade,
    body text not null check (length(btrim(body)) between 1 and 10000),
    replied_by bigint references users(id) on delete set null,
    created_at timestamptz not null default now()
);

create index contact_replies_message_idx on contact_replies (message_id, created_at, id);
-- Deleting a user sets their replies' author to null.
create index contact_replies_replied_by_idx on contact_replies (replied_by);

alter table mail_outbox drop constraint mail_outbox_kind_check;
alter table mail_outbox add constraint mail_outbox_kind_check check (kind in (
    'application_received', 'application_approved', 'application_waitlisted',
    'application_rejected', 'inbox_reply', 'test'));
