-- The audit trail's triggers, each its own function with its SQL written out (0027's one
-- function built its query with format() and ran it with EXECUTE, planned again for every
-- statement: 2.5 ms a change). Written out, PostgreSQL plans each query once per connection.
-- The fields are written out too, from the table's columns as they are now: a record is
-- to_jsonb() less the noise, its secrets replaced; an update's diff compares column by
-- column (0027 went through jsonb_each for every row, twice). What is recorded is
-- unchanged: the same audit_log entry per transaction, the same audit_changes rows, the same
-- keys, people, cohorts, secrets hidden and noise left out.
--
-- A migration that adds a column to an audited table runs `select audit_install();` after it
-- (tests/it/audit.rs fails until it does); one that audits a new table redefines
-- audit_install() with it in the list.

-- The audit_log entry of this transaction: found, or opened with who is writing (the hub
-- server says with set_config as it begins the transaction; 'system' when nobody said).
create function audit_entry() returns bigint
language plpgsql security definer set search_path = public, pg_temp as $$
declare
    entry bigint;
begin
    select id into entry from audit_log where xact = pg_current_xact_id();
    if entry is null then
        insert into audit_log (operation, actor_id, session_id, address)
        values (coalesce(nullif(current_setting('hub.operation', true), ''), 'system'),
                nullif(current_setting('hub.actor', true), '')::bigint,
                nullif(current_setting('hub.session', true), '')::bigint,
                nullif(current_setting('hub.address', true), '')::inet)
        returning id into entry;
    end if;
    return entry;
end;
$$;

-- A record of `tbl` named `alias` as the trail keeps it: noise left out, secrets "changed".
create function audit_sql_record(tbl text, alias text) returns text
language sql stable as $$
    select format('(to_jsonb(%s) - %L::text[])', alias,
                  '{updated_at,changed_xid,last_login_at}')
        || coalesce((select string_agg(format(' || jsonb_build_object(%L, case when %s.%I is null then null else ''changed'' end)',
                                              column_name, alias, column_name), '')
                       from information_schema.columns
                      where table_schema = 'public' and table_name = tbl
                        and column_name in ('password_hash', 'code_hash', 'secret')), '')
$$;

-- The fields of `tbl` an update changed, as they were (`side` 'o') or became ('r'): one
-- jsonb object, '{}' when only noise changed.
create function audit_sql_diff(tbl text, side text) returns text
language sql stable as $$
    select string_agg(
               format('case when o.%1$I is distinct from r.%1$I then jsonb_build_object(%2$L, %3$s) else ''{}''::jsonb end',
                      column_name, column_name,
                      case when column_name in ('password_hash', 'code_hash', 'secret')
                           then format('case when %s.%I is null then null else ''changed'' end', side, column_name)
                           else format('%s.%I', side, column_name) end),
               ' || ' order by ordinal_position)
      from information_schema.columns
     where table_schema = 'public' and table_name = tbl
       and column_name not in ('updated_at', 'changed_xid', 'last_login_at')
$$;

-- (Re)writes every audited table's trigger functions and triggers from its columns now.
create function audit_install() returns void
language plpgsql as $$
declare
    audited record;
    event text;
    name text;
    changes text;
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
            continue when audited.name = 'session_checkin' and event = 'insert';
            name := audited.name || '_audit_' || event;
            -- The entry is a scalar subquery: evaluated once, and only when a change is
            -- recorded (an update that touched nothing but noise opens none).
            changes := case event
                when 'insert' then format(
                    'select (select audit_entry()), %L, %s, %L, %s, %s, null::jsonb, %s
                       from new_rows r',
                    audited.name, format(audited.key_of, 'r'), event,
                    format(audited.person_of, 'r'), format(audited.cohort_of, 'r'),
                    audit_sql_record(audited.name, 'r'))
                when 'delete' then format(
                    'select (select audit_entry()), %L, %s, %L, %s, %s, %s, null::jsonb
                       from old_rows r',
                    audited.name, format(audited.key_of, 'r'), event,
                    format(audited.person_of, 'r'), format(audited.cohort_of, 'r'),
                    audit_sql_record(audited.name, 'r'))
                else format(
                    'select (select audit_entry()), %L, %s, %L, %s, %s, d.before, d.after
                       from new_rows r
                       join old_rows o on %s = %s
                       cross join lateral (select %s as before, %s as after) d
                      where d.after <> ''{}''::jsonb',
                    audited.name, format(audited.key_of, 'r'), event,
                    format(audited.person_of, 'r'), format(audited.cohort_of, 'r'),
                    format(audited.key_of, 'o'), format(audited.key_of, 'r'),
                    audit_sql_diff(audited.name, 'o'), audit_sql_diff(audited.name, 'r'))
            end;
            -- An update's changes join its rows before and after: planned once, when the
            -- first statement may have changed one row, a nested loop would be kept for the
            -- statement that changes 10,000 (and take minutes); a hash join suits both. And no
            -- JIT: compiling the 10,000 rows' statement took longer (0.6 s) than running it.
            execute format(
                'create or replace function %I() returns trigger
                 language plpgsql security definer set search_path = public, pg_temp %s as $f$
                 begin
                     insert into audit_changes (audit_id, table_name, record_key, action, person_id, cohort_id,
                                                before, after)
                     %s;
                     return null;
                 end;
                 $f$',
                name, case event when 'update' then 'set jit = off set enable_nestloop = off' else 'set jit = off' end,
                changes);
            execute format('drop trigger if exists %I on %I', name, audited.name);
            execute format(
                'create trigger %I after %s on %I referencing %s
                     for each statement execute function %I()',
                name, event, audited.name,
                case event
                    when 'insert' then 'new table as new_rows'
                    when 'delete' then 'old table as old_rows'
                    else 'old table as old_rows new table as new_rows'
                end,
                name);
        end loop;
    end loop;
end;
$$;

select audit_install();
drop function audit_change();

-- Only the triggers open an entry (they run as this function's owner): the server's role
-- may not open one of its own choosing.
revoke execute on function audit_entry() from public;
