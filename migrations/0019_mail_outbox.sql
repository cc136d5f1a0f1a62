-- Mail: a transactional outbox. Every message is a row written in the same transaction as
-- the change that causes it (an approval that rolls back leaves no row; one that commits
-- always has its row); the mail worker of each `hubctl serve` claims due rows with
-- `for update skip locked`, sends them over SMTP and records what the server answered.
create table mail_outbox (
    id bigserial primary key,
    -- The event the message comes from, and its idempotency key: one message per event
    -- and recipient ('application:42:received'); enqueuing the same key again keeps the first.
    event_key text not null unique check (length(event_key) between 1 and 200),
    kind text not null check (kind in (
        'application_received', 'application_approved', 'application_waitlisted',
        'application_rejected', 'test')),
    recipient text not null check (recipient ~ '^[^@\s]+@[^@\s]+$'),
    -- Where replies go, when not to the hub's own address (an inbox reply: the admin's).
    reply_to text check (reply_to is null or reply_to ~ '^[^@\s]+@[^@\s]+$'),
    subject text not null check (length(subject) between 1 and 300),
    text_body text not null,
    html_body text not null,
    status text not null default 'queued' check (status in ('queued', 'sent', 'failed')),
    -- Sends tried so far; the next one not before next_attempt_at.
    attempts integer not null default 0 check (attempts >= 0),
    next_attempt_at timestamptz not null default now(),
    -- A worker holds the row until then while it sends (a worker killed mid-send lets go).
    claimed_until timestamptz,
    -- What the SMTP server last answered: its acceptance ('250 2.0.0 queued as …') or why not.
    provider_answer text,
    sent_at timestamptz,
    created_at timestamptz not null default now(),
    check ((status = 'sent') = (sent_at is not null))
);

-- The worker's question: what is due, oldest first.
create index mail_outbox_due_idx on mail_outbox (next_attempt_at, id) where status = 'queued';
-- A person's messages go in order: is an earlier one still waiting?
create index mail_outbox_queued_recipient_idx on mail_outbox (recipient, id) where status = 'queued';
-- The admin's: by recipient, newest first.
create index mail_outbox_recipient_idx on mail_outbox (lower(recipient) text_pattern_ops);
create index mail_outbox_created_idx on mail_outbox (created_at desc, id desc);

-- Workers sleep until a message is queued (and look every few seconds anyway).
create function mail_outbox_queued() returns trigger language plpgsql as $$
begin
    perform pg_notify('mail_outbox', '');
    return null;
end
$$;

create trigger mail_outbox_queued after insert on mail_outbox
    for each statement execute function mail_outbox_queued();

-- The website's role queues the applicant's "we received your application" in the
-- transaction that stores the application; it reads no message. (`hubctl grant-public`
-- grants the same to a role of another name.)
do $$
begin
    if exists (select from pg_roles where rolname = 'hub_public') then
        grant insert (event_key, kind, recipient, reply_to, subject, text_body, html_body) on mail_outbox to hub_public;
        grant usage on sequence mail_outbox_id_seq to hub_public;
    end if;
end
$$;
