-- Sessions on the hub server: one row per sign-in on a device. The desktop app holds the
-- token; the database holds only its SHA-256, so a copy of this table signs nobody in.
-- A session ends when revoked (sign-out, a password change or reset, a deactivation, an
-- administrator), after `idle_timeout` without use, or at `expires_at` whatever happens.
-- Beyond the seed; the seed's tables are unchanged.

create table staff_sessions (
    id bigserial primary key,
    user_id bigint not null references users (id) on delete cascade,
    token_hash bytea not null unique check (octet_length(token_hash) = 32),
    device text not null check (char_length(device) between 1 and 100),
    created_at timestamptz not null default now(),
    -- Noted at most once a minute, so a busy session costs no write per call.
    last_seen_at timestamptz not null default now(),
    -- The client's address as the server saw it (behind a proxy, the proxy's word for it).
    last_address text check (char_length(last_address) <= 45),
    idle_timeout interval not null check (idle_timeout > interval '0'),
    idle_expires_at timestamptz not null,
    expires_at timestamptz not null,
    revoked_at timestamptz,
    revoked_reason text check (revoked_reason in
        ('signed_out', 'password_changed', 'password_reset', 'deactivated', 'revoked_by_admin')),
    check (idle_expires_at <= expires_at),
    check ((revoked_at is null) = (revoked_reason is null))
);

-- A person's sessions: the devices list, revoking them all at once, and the cascade when the
-- person is removed.
create index staff_sessions_user_idx on staff_sessions (user_id);
