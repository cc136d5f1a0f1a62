-- A mark the server kept in history while another is the record (a later mark, or an
-- administrator's correction) is not silently forgotten: it stays in the outbox, not sent
-- again, with `rejected` saying why and `kept` set, until the person who made it reads it
-- and dismisses it.
alter table outbox add column kept integer not null default 0;
