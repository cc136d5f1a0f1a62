-- Visitors apply to cohorts. What "accepting applications" means is defined once, here,
-- for the website's cohort list and for the application itself; and an application is
-- written by one function that the public API's least-privileged role may execute without
-- being able to read a single applicant.
-- Beyond the seed; the seed's tables are unchanged.

-- Seats a cohort's enrollments hold: every enrollment but a dropped one.
create function cohort_seats_used(cohort cohorts) returns bigint
language sql stable as $$
    select count(*) from enrollments e where e.cohort_id = cohort.id and e.status <> 'dropped'
$$;

-- Its capacity: its own, else its program's default (null: no limit).
create function cohort_capacity(cohort cohorts) returns integer
language sql stable as $$
    select coalesce(cohort.capacity, (select default_capacity from programs where id = cohort.program_id))
$$;

-- Why a cohort does not take applications now, or null when it does: open, taking
-- applications, inside its enrollment window, a seat left.
create function cohort_application_refusal(cohort cohorts) returns text
language sql stable as $$
    select case
        when cohort.status <> 'open' then 'the cohort is not open for applications'
        when not cohort.allow_applications then 'the cohort does not take applications'
        when cohort.enrollment_open_at is not null and cohort.enrollment_open_at > now()
            then 'applications have not opened yet'
        when cohort.enrollment_close_at is not null and cohort.enrollment_close_at <= now()
            then 'applications have closed'
        when cohort_capacity(cohort) is not null and cohort_seats_used(cohort) >= cohort_capacity(cohort)
            then 'every seat is taken'
    end
$$;

-- One application, in one transaction: the applicant (the same person again when the
-- normalized email matches), the pending application, and the answers. Returns
-- ('created', id), ('duplicate', the active application's id), ('closed', null, reason)
-- or ('no_cohort', null). The answers were checked against the form by the caller.
create function submit_application(
    p_cohort_id bigint,
    p_form_id bigint,
    p_answers jsonb,
    p_full_name text,
    p_email text,
    p_phone text
) returns table (outcome text, application_id bigint, reason text)
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
    v_cohort cohorts;
    v_refusal text;
    v_email text := lower(trim(p_email));
    v_applicant bigint;
    v_application bigint;
begin
    select * into v_cohort from cohorts where id = p_cohort_id;
    if not found then
        return query select 'no_cohort'::text, null::bigint, null::text;
        return;
    end if;
    v_refusal := cohort_application_refusal(v_cohort);
    if v_refusal is not null then
        return query select 'closed'::text, null::bigint, v_refusal;
        return;
    end if;
    -- Two first applications from one address at once must find one applicant.
    perform pg_advisory_xact_lock(hashtext('applicant:' || v_email));
    select id into v_applicant from applicants where lower(trim(email)) = v_email order by id limit 1;
    if v_applicant is null then
        insert into applicants (full_name, email, phone) values (p_full_name, v_email, p_phone)
        returning id into v_applicant;
    else
        update applicants set full_name = coalesce(p_full_name, full_name), phone = coalesce(p_phone, phone)
         where id = v_applicant;
    end if;
    select id into v_application from applications
     where applicant_id = v_applicant and cohort_id = p_cohort_id
       and status in ('pending', 'approved', 'waitlisted');
    if found then
        return query select 'duplicate'::text, v_application, null::text;
        return;
    end if;
    insert into applications (cohort_id, applicant_id) values (p_cohort_id, v_applicant)
    returning id into v_application;
    insert into application_submissions (application_id, form_id, answers)
    values (v_application, p_form_id, p_answers);
    return query select 'created'::text, v_application, null::text;
end;
$$;

-- Only the roles it is granted to (the public API's, by `hubctl grant-public`) may call it.
revoke execute on function submit_application(bigint, bigint, jsonb, text, text, text) from public;

-- Finding applicants by their normalized email.
create index applicants_normalized_email_idx on applicants (lower(trim(email)));
