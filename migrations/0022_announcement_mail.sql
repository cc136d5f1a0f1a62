-- Announcements "also sent by email": mailed to each person of their audience once, when
-- they go live (at once, or at their scheduled time), through the outbox.
alter table announcements add column send_email boolean not null default false;
-- When its messages were queued; null until then. A later edit mails nobody again.
alter table announcements add column emailed_at timestamptz;

-- The server's minute job: what is due to be mailed.
create index announcements_mail_due_idx on announcements (publish_at)
    where send_email and emailed_at is null and is_published;

alter table mail_outbox drop constraint mail_outbox_kind_check;
alter table mail_outbox add constraint mail_outbox_kind_check check (kind in (
    'application_received', 'application_approved', 'application_waitlisted',
    'application_rejected', 'inbox_reply', 'invitation', 'password_reset', 'announcement', 'test'));
