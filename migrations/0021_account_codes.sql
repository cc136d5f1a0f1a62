-- Codes that set a password: an invitation (a new account, made by an approval or by an
-- administrator, has no password until its person chooses one) and a "forgot password?"
-- reset. A code is made by the mail worker at the moment it sends the message that carries
-- it, and only its SHA-256 is kept: no row, no message body and no log holds a code.
-- Each is single-use and expires; setting a password with one uses them all.
create table account_codes (
    id bigserial primary key,
    user_id bigint not null references users(id) on delete cascade,
    purpose text not null check (purpose in ('invitation', 'password_reset')),
    -- Null until the message carrying the code is sent; then the code's SHA-256.
    code_hash bytea unique check (code_hash is null or length(code_hash) = 32),
    issued_at timestamptz,
    expires_at timestamptz,
    used_at timestamptz,
    -- The administrator who asked for it; null when the person asked, or an approval did.
    requested_by bigint references users(id) on delete set null,
    created_at timestamptz not null default now(),
    check ((code_hash is null) = (issued_at is null) and (issued_at is null) = (expires_at is null))
);

-- A person's codes: the live ones are used up together, and a reset asked for again within
-- a minute sends nothing new.
create index account_codes_user_idx on account_codes (user_id, created_at desc);
create index account_codes_requested_by_idx on account_codes (requested_by);

-- The message that carries a code names it; its bodies hold a placeholder the worker fills
-- with the code as it sends.
alter table mail_outbox add column account_code_id bigint references account_codes(id) on delete set null;
create index mail_outbox_account_code_idx on mail_outbox (account_code_id);

alter table mail_outbox drop constraint mail_outbox_kind_check;
alter table mail_outbox add constraint mail_outbox_kind_check check (kind in (
    'application_received', 'application_approved', 'application_waitlisted',
    'application_rejected', 'inbox_reply', 'invitation', 'password_reset', 'test'));
