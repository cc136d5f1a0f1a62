-- The history of marks is an audit log, and it outlives what it speaks of: deleting a
-- session or an enrollment, or removing a user, no longer takes the marks they were given
-- with it (the statement that writes a mark checks its session and enrollment itself). A
-- batch pushed from a device also stops paying three foreign-key lookups per mark.
-- Beyond the seed; the seed's tables are unchanged.

alter table attendance_history drop constraint attendance_history_session_id_fkey;
alter table attendance_history drop constraint attendance_history_enrollment_id_fkey;
alter table attendance_history drop constraint attendance_history_marked_by_fkey;

-- Only the foreign keys' cascades needed these; history is read by session and enrollment,
-- which attendance_history_session_enrollment_idx serves.
drop index attendance_history_marked_by_idx;
drop index attendance_history_enrollment_idx;
