-- A device's clock is its own, and may be wrong by years. A pushed mark's time is trusted
-- only between the day before its session and five minutes past the server's clock; outside
-- that the server's receipt time is the mark's, and history keeps what the device said.
-- An administrator's correction is the record whatever a device's clock says: a device
-- mark replaces it only when dated more than five minutes after it (corrected_at).
-- Beyond the seed; the seed's tables gain nullable columns only.

alter table attendance_history add column device_marked_at timestamptz;
comment on column attendance_history.device_marked_at is
    'The time the device gave, when it was out of bounds and the server''s receipt time was used instead';

alter table attendance_records add column corrected_at timestamptz;
comment on column attendance_records.corrected_at is
    'When an administrator''s correction made this the record; null once a later mark replaces it';
