-- A cohort's staff roles are a closed set: the schema's default 'instructor' and the
-- lead / assistant / mentor it lists. The app reads them as one enum; a role outside the
-- set would have no duties and no label, so the database refuses it.
alter table cohort_instructors
    add constraint cohort_instructors_cohort_role_check
    check (cohort_role in ('instructor', 'lead', 'assistant', 'mentor'));
