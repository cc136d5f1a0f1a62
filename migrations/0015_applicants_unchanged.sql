-- Unauthenticated input never changes an existing applicant: anyone could apply with
-- someone's email and a phone of their own, and `submit_application` then rewrote that
-- applicant's name and phone — which approval gives the new account, as a sign-in
-- identifier. Now the applicant keeps what its first application said; each submission keeps
-- what it said in its answers, and approval reads the approved application's own.
-- Beyond the seed; the seed's tables are unchanged.

create or replace function submit_application(
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

revoke execute on function submit_application(bigint, bigint, jsonb, text, text, text) from public;
