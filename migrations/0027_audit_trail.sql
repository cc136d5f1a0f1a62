-- The audit trail: every change made to the hub's records, written in the transaction that
-- makes it, so a change that rolls back leaves no trace and a change that commits cannot
-- leave none.
--
-- One row of audit_log per transaction that changed something: which operation (the hub
-- server says, with `set_config('hub.operation', …, true)` as it begins the transaction;
-- 'system' when nobody said), who, from which session and address, when. One row of
-- audit_changes per record changed: the table and record, insert/update/delete, the fields
-- before → after (an update keeps only the fields it changed; secrets are "changed", never
-- their value), and the person and cohort the record belongs to, for their pages' history.
--
-- The triggers write both tables as their owner (security definer); the hub server's role
-- is given select only: it can neither forge a row nor change or delete one.
-- Beyond the seed; the seed's tables are unchanged.

create table audit_log (
    id bigint generated always as identity primary key,
    xact xid8 not null default pg_current_xact_id() unique,
    at timestamptz not null default now(),
    operation text not null,
    actor_id bigint,
    session_id bigint,
    address inet
);

create index audit_log_actor_id_idx on audit_log (actor_id, id);
create index audit_log_operation_idx on audit_log (operation, id);
create index audit_log_at_idx on audit_log (at);

create table audit_changes (
    id bigint generated always as identity primary key,
    audit_id bigint not null references audit_log (id),
    table_name text not null,
    record_key text not null,
    action text not null check (action in ('insert', 'update', 'delete')),
    person_id bigint,
    cohort_id bigint,
    before jsonb,
    after jsonb
);

create index audit_changes_audit_id_idx on audit_changes (audit_id);
create index audit_changes_person_id_idx on audit_changes (person_id, audit_id) where person_id is not null;
create index audit_changes_cohort_id_idx on audit_changes (cohort_id, audit_id) where cohort_id is not null;
create index audit_changes_record_idx on audit_changes (table_name, record_key);

-- A field's value as the trail keeps it: a secret only says whether there is one.
create function audit_value(field text, value jsonb) returns jsonb
language sql immutable as $$
    select case
        when field not in ('password_hash', 'code_hash', 'secret') or value = 'null'::jsonb then value
        else '"changed"'::jsonb
    end
$$;

-- Fields that change on their own and say nothing about what a person did.
create function audit_noise(field text) returns boolean
language sql immutable as $$
    select field in ('updated_at', 'changed_xid', 'last_login_at')
$$;

-- A whole record (inserted or deleted), secrets hidden and noise left out.
create function audit_record_fields(record jsonb) returns jsonb
language sql immutable as $$
    select coalesce(jsonb_object_agg(key, audit_value(key, value)), '{}'::jsonb)
      from jsonb_each(record) where not audit_noise(key)
$$;

-- The fields an update changed, before and after; both null when it changed none.
create function audit_diff(old_record jsonb, new_record jsonb, out before jsonb, out after jsonb)
language sql immutable as $$
    select jsonb_object_agg(n.key, audit_value(n.key, o.value)),
           jsonb_object_agg(n.key, audit_value(n.key, n.value))
      from jsonb_each(new_record) n
      join jsonb_each(old_record) o on o.key = n.key
     where n.value is distinct from o.value and not audit_noise(n.key)
$$;

-- After each statement on an audited table. Its arguments are SQL written by this migration
-- with %1$s for a row: the record's key, the person it belongs to, the cohort it belongs to.
create function audit_change() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    key_of text := tg_argv[0];
    person_of text := tg_argv[1];
    cohort_of text := tg_argv[2];
    changes text;
begin
    -- A statement that touched no row (an update of a profile the person does not have)
    -- records nothing, without building the query below.
    if tg_op = 'DELETE' then
        if not exists (select from old_rows) then
            return null;
        end if;
    elsif not exists (select from new_rows) then
        return null;
    end if;
    if tg_op = 'INSERT' then
        changes := format('select %s as record_key, %s as person_id, %s as cohort_id,
                                  null::jsonb as before, audit_record_fields(to_jsonb(r)) as after
                             from new_rows r',
                          format(key_of, 'r'), format(person_of, 'r'), format(cohort_of, 'r'));
    elsif tg_op = 'DELETE' then
        changes := format('select %s as record_key, %s as person_id, %s as cohort_id,
                                  audit_record_fields(to_jsonb(r)) as before, null::jsonb as after
                             from old_rows r',
                          format(key_of, 'r'), format(person_of, 'r'), format(cohort_of, 'r'));
    else
        changes := format('select %s as record_key, %s as person_id, %s as cohort_id, d.before, d.after
                             from new_rows r
                             join old_rows o on %s = %s
                             cross join lateral audit_diff(to_jsonb(o), to_jsonb(r)) d
                            where d.after is not null',
                          format(key_of, 'r'), format(person_of, 'r'), format(cohort_of, 'r'),
                          format(key_of, 'o'), format(key_of, 'r'));
    end if;
    execute format(
        'with changes as (%s),
              opened as (
                  insert into audit_log (operation, actor_id, session_id, address)
                  select coalesce(nullif(current_setting(''hub.operation'', true), ''''), ''system''),
                         nullif(current_setting(''hub.actor'', true), '''')::bigint,
                         nullif(current_setting(''hub.session'', true), '''')::bigint,
                         nullif(current_setting(''hub.address'', true), '''')::inet
                   where exists (select from changes)
                  on conflict (xact) do nothing
                  returning id)
         insert into audit_changes (audit_id, table_name, record_key, action, person_id, cohort_id, before, after)
         select coalesce((select id from opened), (select id from audit_log where xact = pg_current_xact_id())),
                %L, c.record_key, %L, c.person_id, c.cohort_id, c.before, c.after
           from changes c',
        changes, tg_table_name, lower(tg_op));
    return null;
end;
$$;

do $$
declare
    audited record;
    event text;
begin
    for audited in
        select * from (values
            ('users', '%1$s.id::text', '%1$s.id', 'null::bigint'),
            ('student_profiles', '%1$s.user_id::text', '%1$s.user_id', 'null::bigint'),
            ('instructor_profiles', '%1$s.user_id::text', '%1$s.user_id', 'null::bigint'),
            ('manager_profiles', '%1$s.user_id::text', '%1$s.user_id', 'null::bigint'),
            ('account_codes', '%1$s.id::text', '%1$s.user_id', 'null::bigint'),
            ('site_settings', '%1$s.id::text', 'null::bigint', 'null::bigint'),
            ('theme_tokens', '%1$s.id::text', 'null::bigint', 'null::bigint'),
            ('pages', '%1$s.id::text', 'null::bigint', 'null::bigint'),
            ('home_sections', '%1$s.id::text', 'null::bigint', 'null::bigint'),
            ('programs', '%1$s.id::text', 'null::bigint', 'null::bigint'),
            ('cohorts', '%1$s.id::text', 'null::bigint', '%1$s.id'),
            ('cohort_instructors', '%1$s.cohort_id || '':'' || %1$s.instructor_user_id',
             '%1$s.instructor_user_id', '%1$s.cohort_id'),
            ('enrollments', '%1$s.id::text', '%1$s.student_user_id', '%1$s.cohort_id'),
            ('applications', '%1$s.id::text',
             '(select u.id from applicants a join users u on lower(u.email) = lower(a.email) where a.id = %1$s.applicant_id)',
             '%1$s.cohort_id'),
            ('events', '%1$s.id::text', 'null::bigint', 'null::bigint'),
            ('announcements', '%1$s.id::text', 'null::bigint', '%1$s.cohort_id'),
            ('forms', '%1$s.id::text', 'null::bigint', 'null::bigint'),
            ('form_fields', '%1$s.id::text', 'null::bigint', 'null::bigint'),
            ('contact_messages', '%1$s.id::text', 'null::bigint', 'null::bigint'),
            ('contact_replies', '%1$s.id::text', 'null::bigint', 'null::bigint'),
            ('sessions', '%1$s.id::text', 'null::bigint', '%1$s.cohort_id'),
            ('session_checkin', '%1$s.session_id::text', 'null::bigint',
             '(select s.cohort_id from sessions s where s.id = %1$s.session_id)'),
            ('attendance_records', '%1$s.session_id || '':'' || %1$s.enrollment_id',
             '(select e.student_user_id from enrollments e where e.id = %1$s.enrollment_id)',
             '(select e.cohort_id from enrollments e where e.id = %1$s.enrollment_id)')
        ) as audited (name, key_of, person_of, cohort_of)
    loop
        foreach event in array array['insert', 'update', 'delete'] loop
            -- A session's check-in secret is made when first needed (its code shown, an
            -- offline pack fetched): machinery, not a change anyone made. Its times, set
            -- by an instructor, are updates.
            continue when audited.name = 'session_checkin' and event = 'insert';
            execute format(
                'create trigger %I after %s on %I referencing %s
                     for each statement execute function audit_change(%L, %L, %L)',
                audited.name || '_audit_' || event, event, audited.name,
                case event
                    when 'insert' then 'new table as new_rows'
                    when 'delete' then 'old table as old_rows'
                    else 'old table as old_rows new table as new_rows'
                end,
                audited.key_of, audited.person_of, audited.cohort_of);
        end loop;
    end loop;
end;
$$;

-- The hub server reads the trail and nothing more (`hubctl grant-server` says the same for
-- a role of another name).
do $$
begin
    if exists (select from pg_roles where rolname = 'hub_server') then
        revoke insert, update, delete, truncate on audit_log, audit_changes from hub_server;
        grant select on audit_log, audit_changes to hub_server;
    end if;
end;
$$;
