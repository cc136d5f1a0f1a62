-- Who acts as a cohort's staff: an assignment counts only while its person is an active
-- instructor. Switching a person's instructor role off (or deactivating them) used to leave
-- them marking, reading reports and deleting sessions of the cohorts they had taught; the
-- assignment rows stay (the cohort page names them "no longer an instructor"), and every
-- right that comes from teaching a cohort is read from this view instead.
-- Beyond the seed; the seed's tables are unchanged.

create view cohort_staff as
select ci.cohort_id, ci.instructor_user_id, ci.cohort_role
  from cohort_instructors ci
  join users u on u.id = ci.instructor_user_id
 where u.is_instructor and u.is_active;
