//! Self check-in: a student gives the code on their instructor's screen and is marked present
//! or late at once; wrong, stale, early, late-closed, foreign and paused attempts are refused
//! and said why; five wrong codes lock the student out for five minutes; an instructor's mark
//! always stands; thirty students checking in at once all land, once.

use chrono::{DateTime, Duration, Utc};
use hub_model::applications::SetEnrollmentStatusRequest;
use hub_model::attendance::{
    DeviceMark, HistoryRequest, Mark, MarkAttendanceRequest, PushMarksRequest, PushOutcome,
};
use hub_model::checkin::{
    self, CheckinAnswer, CheckinMinutes, CheckinOutcome, SetCohortCheckinRequest, SetSessionCheckinRequest,
    SubmitCheckinRequest, WindowState,
};
use hub_model::cms::{IdRequest, UpdateSiteSettings};
use hub_model::ops;
use hub_model::programs::{CohortRole, EnrollmentStatus};
use hub_model::{ErrorKind, NoRequest};
use hub_tests::{Caller, CohortBuilder};
use sqlx::PgPool;
use uuid::Uuid;

/// A running cohort taught by Karim, with `students` students, and a session of its starting
/// `minutes` from now (negative: started that long ago) in the hub's time zone.
struct Class {
    pool: PgPool,
    cohort: i64,
    karim: Caller,
    students: Vec<Caller>,
    enrollments: Vec<i64>,
    session: i64,
}

async fn class(pool: &PgPool, name: &str, students: i64, minutes: i64) -> Class {
    // The tests move sessions up to an hour either side of now: in a time zone where that
    // stays within today whenever they run (Tokyo is nine hours ahead of a late UTC evening).
    sqlx::query(
        "update site_settings set time_zone = case when extract(hour from now() at time zone 'UTC') between 2 and 20
                                                   then 'UTC' else 'Asia/Tokyo' end",
    )
    .execute(pool)
    .await
    .unwrap();
    let cohort = CohortBuilder::new(pool, name)
        .staff(&format!("karim.{name}@example.org"), CohortRole::Instructor)
        .students(students)
        .build()
        .await;
    let student_ids: Vec<i64> =
        sqlx::query_scalar("select student_user_id from enrollments where id = any($1) order by id")
            .bind(&cohort.enrollments)
            .fetch_all(pool)
            .await
            .unwrap();
    let session = session_starting(pool, cohort.id, minutes).await;
    Class {
        pool: pool.clone(),
        cohort: cohort.id,
        karim: Caller::as_user(pool, cohort.staff[0]),
        students: student_ids.into_iter().map(|id| Caller::as_user(pool, id)).collect(),
        enrollments: cohort.enrollments,
        session,
    }
}

/// A session of `cohort` starting `minutes` from now, read in the hub's time zone.
async fn session_starting(pool: &PgPool, cohort: i64, minutes: i64) -> i64 {
    sqlx::query_scalar(
        "insert into sessions (cohort_id, date, starts_at, title)
         select $1, local::date, local::time, 'Check-in practice'
           from (select (now() at time zone (select time_zone from site_settings)) + make_interval(mins => $2::int)
                        as local) t
         returning id",
    )
    .bind(cohort)
    .bind(minutes as i32)
    .fetch_one(pool)
    .await
    .unwrap()
}

impl Class {
    /// The code on Karim's screen now.
    async fn code_on_screen(&self) -> String {
        self.code_for(self.session).await
    }

    /// The code on Karim's screen for another of the cohort's sessions.
    async fn code_for(&self, session: i64) -> String {
        self.karim.call::<ops::CheckinCodeNow>(&IdRequest { id: session }).await.unwrap().code
    }

    /// The session's code `steps` steps ago, made from its secret, with time left in the step
    /// for the check-in to land in it.
    async fn code_steps_ago(&self, steps: i64) -> String {
        self.code_on_screen().await;
        let (secret, now): (Vec<u8>, DateTime<Utc>) =
            sqlx::query_as("select secret, now() from session_checkin where session_id = $1")
                .bind(self.session)
                .fetch_one(&self.pool)
                .await
                .unwrap();
        let step = checkin::step_at(now);
        if checkin::step_ends_at(step) - now < Duration::seconds(3) {
            tokio::time::sleep(std::time::Duration::from_secs(3)).await;
            return Box::pin(self.code_steps_ago(steps)).await;
        }
        checkin::code(&secret, step - steps)
    }

    async fn submit(&self, student: usize, code: &str) -> CheckinAnswer {
        self.submit_to(self.session, student, code).await
    }

    async fn submit_to(&self, session: i64, student: usize, code: &str) -> CheckinAnswer {
        self.students[student]
            .call::<ops::SubmitCheckin>(&SubmitCheckinRequest {
                session_id: session,
                code: code.to_owned(),
                method: None,
            })
            .await
            .unwrap()
    }

    async fn record(&self, student: usize) -> Option<(Mark, Option<i64>, Option<String>)> {
        self.record_of(self.session, student).await
    }

    async fn record_of(&self, session: i64, student: usize) -> Option<(Mark, Option<i64>, Option<String>)> {
        sqlx::query_as::<_, (String, Option<i64>, Option<String>)>(
            "select status, marked_by, note from attendance_records where session_id = $1 and enrollment_id = $2",
        )
        .bind(session)
        .bind(self.enrollments[student])
        .fetch_optional(&self.pool)
        .await
        .unwrap()
        .map(|(status, by, note)| (status.parse().unwrap(), by, note))
    }
}

async fn set_minutes(class: &Class, opens: i16, late: i16, closes: i16) {
    let admin = Caller::admin(&class.pool).await;
    admin
        .call::<ops::SetCohortCheckin>(&SetCohortCheckinRequest {
            cohort_id: class.cohort,
            minutes: CheckinMinutes { opens, late, closes },
        })
        .await
        .unwrap();
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_code_on_screen_checks_a_student_in_as_present_once(pool: PgPool) {
    let class = class(&pool, "web", 2, 0).await;
    let code = class.code_on_screen().await;
    assert_eq!(code.len(), checkin::CODE_LENGTH);
    // Typed as read off the screen: lower case, with the space.
    let typed = checkin::display(&code).to_lowercase();
    let answer = class.submit(0, &typed).await;
    assert_eq!(
        (answer.outcome, answer.accepted, answer.mark),
        (CheckinOutcome::Present, true, Some(Mark::Present))
    );
    assert!(answer.message.starts_with("You're checked in to Check-in practice at "), "{}", answer.message);
    let (mark, by, note) = class.record(0).await.unwrap();
    assert_eq!((mark, by), (Mark::Present, None));
    assert!(note.as_deref().is_some_and(|note| note.starts_with("Self check-in at ")), "{note:?}");
    // History keeps it as a mark by nobody, with the note.
    let history = class
        .karim
        .call::<ops::AttendanceHistory>(&HistoryRequest {
            session_id: class.session,
            enrollment_id: class.enrollments[0],
        })
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].status, history[0].marked_by.as_deref(), history[0].note.as_ref()),
        (Mark::Present, None, note.as_ref())
    );

    // The audit trail has it as the student's own check-in, and the mark it made.
    let trail = || async {
        sqlx::query_as::<_, (String, Option<i64>, String, String)>(
            "select l.operation, l.actor_id, c.table_name, c.action
               from audit_log l join audit_changes c on c.audit_id = l.id
              where l.operation = 'checkin.submit'",
        )
        .fetch_all(&pool)
        .await
        .unwrap()
    };
    let student = class.students[0].id;
    let entries = trail().await;
    assert_eq!(
        entries,
        [("checkin.submit".to_owned(), Some(student), "attendance_records".to_owned(), "insert".to_owned())]
    );

    // Again: told so, and nothing changes.
    let again = class.submit(0, &class.code_on_screen().await).await;
    assert_eq!((again.outcome, again.accepted), (CheckinOutcome::AlreadyCheckedIn, true));
    assert_eq!(trail().await, entries, "nothing new in the trail");
    assert_eq!(again.checked_in_at, answer.checked_in_at);
    let kept: i64 =
        sqlx::query_scalar("select count(*) from attendance_history").fetch_one(&pool).await.unwrap();
    assert_eq!(kept, 1);

    // The live list: the student first, checked in; the other not yet.
    let live = class.karim.call::<ops::CheckinLiveList>(&IdRequest { id: class.session }).await.unwrap();
    assert_eq!(live.checked_in, 1);
    assert_eq!(live.students[0].enrollment_id, class.enrollments[0]);
    assert_eq!(live.students[0].checked_in_at, answer.checked_in_at);
    assert!(live.students[0].mark_is_checkin);
    assert_eq!((live.students[1].checked_in_at, live.students[1].mark), (None, None));
    assert_eq!(live.window.state_at(live.server_now), WindowState::Open);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_previous_code_still_counts_and_one_two_steps_old_does_not(pool: PgPool) {
    let class = class(&pool, "web", 2, 0).await;
    let stale = class.code_steps_ago(2).await;
    let refused = class.submit(0, &stale).await;
    assert_eq!((refused.outcome, refused.accepted), (CheckinOutcome::WrongCode, false));
    assert!(refused.message.contains("not the code on the screen"), "{}", refused.message);
    assert_eq!(class.record(0).await, None, "a refused code marks nothing");

    let previous = class.code_steps_ago(1).await;
    assert_eq!(class.submit(1, &previous).await.outcome, CheckinOutcome::Present);

    // A code that cannot be one is a validation error naming the field, and counts for nothing.
    class.students[0]
        .refuses::<ops::SubmitCheckin>(
            &SubmitCheckinRequest { session_id: class.session, code: "12O".to_owned(), method: None },
            "code",
            "6 letters and digits",
        )
        .await;
    let attempts: i64 =
        sqlx::query_scalar("select count(*) from attendance_checkins").fetch_one(&pool).await.unwrap();
    assert_eq!(attempts, 2);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn five_wrong_codes_lock_the_student_out_of_the_session_for_five_minutes(pool: PgPool) {
    let class = class(&pool, "web", 2, 0).await;
    let right = class.code_on_screen().await;
    let wrong = if right == "AAAAAA" { "BBBBBB" } else { "AAAAAA" };
    for attempt in 1..=5 {
        let answer = class.submit(0, wrong).await;
        assert_eq!(answer.outcome, CheckinOutcome::WrongCode, "attempt {attempt}");
        if attempt == 5 {
            assert!(answer.message.contains("try again at"), "{}", answer.message);
        }
    }
    // Even the right code waits now, and says how long.
    let locked = class.submit(0, &class.code_on_screen().await).await;
    assert_eq!((locked.outcome, locked.accepted), (CheckinOutcome::Locked, false));
    let wait = locked.retry_after_seconds.expect("says how long");
    assert!((290..=300).contains(&wait), "{wait}");
    assert_eq!(class.record(0).await, None);
    // Another student of the class is not held back.
    assert_eq!(class.submit(1, &class.code_on_screen().await).await.outcome, CheckinOutcome::Present);
    // Karim's list says who is locked out.
    let live = class.karim.call::<ops::CheckinLiveList>(&IdRequest { id: class.session }).await.unwrap();
    let row = live.students.iter().find(|row| row.enrollment_id == class.enrollments[0]).unwrap();
    assert!(row.locked_until.is_some());

    // Five minutes later (the attempts moved back in time), the right code checks them in.
    sqlx::query("update attendance_checkins set attempted_at = attempted_at - interval '5 minutes 1 second'")
        .execute(&pool)
        .await
        .unwrap();
    let answer = class.submit(0, &class.code_on_screen().await).await;
    assert_eq!(answer.outcome, CheckinOutcome::Present);
    assert_eq!(class.record(0).await.map(|record| record.0), Some(Mark::Present));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn after_the_late_threshold_a_check_in_is_late_and_after_closing_it_is_refused(pool: PgPool) {
    // Started 15 minutes ago: late from 10 minutes, closed at 30.
    let class = class(&pool, "web", 1, -15).await;
    let answer = class.submit(0, &class.code_on_screen().await).await;
    assert_eq!((answer.outcome, answer.mark), (CheckinOutcome::Late, Some(Mark::Late)));
    assert!(answer.message.contains("late: it started at"), "{}", answer.message);
    assert_eq!(class.record(0).await.map(|record| record.0), Some(Mark::Late));

    // The cohort's times changed: a 20-minute late threshold makes the next student present.
    set_minutes(&class, 15, 20, 30).await;
    let on_time = session_starting(&pool, class.cohort, -15).await;
    assert_eq!(
        class.submit_to(on_time, 0, &class.code_for(on_time).await).await.outcome,
        CheckinOutcome::Present
    );

    // A session that started 40 minutes ago is closed; one in an hour is not open yet.
    for (minutes, outcome, says) in
        [(-40, CheckinOutcome::Closed, "closed at"), (60, CheckinOutcome::NotOpenYet, "opens at")]
    {
        let session = session_starting(&pool, class.cohort, minutes).await;
        let answer = class.submit_to(session, 0, &class.code_for(session).await).await;
        assert_eq!((answer.outcome, answer.accepted), (outcome, false), "{minutes}");
        assert!(answer.message.contains(says), "{}", answer.message);
        assert_eq!(class.record_of(session, 0).await, None);
    }
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn an_instructors_mark_stands_before_and_after_a_check_in(pool: PgPool) {
    let class = class(&pool, "web", 2, 0).await;
    // Karim marked the first student absent before they checked in: his mark stands.
    class
        .karim
        .call::<ops::MarkAttendance>(&MarkAttendanceRequest {
            session_id: class.session,
            enrollment_id: class.enrollments[0],
            status: Mark::Absent,
            note: None,
        })
        .await
        .unwrap();
    let answer = class.submit(0, &class.code_on_screen().await).await;
    assert_eq!(
        (answer.outcome, answer.accepted, answer.mark),
        (CheckinOutcome::AlreadyMarked, true, Some(Mark::Absent))
    );
    assert!(answer.message.contains("already marked you absent"), "{}", answer.message);
    assert_eq!(class.record(0).await.map(|record| record.0), Some(Mark::Absent));

    // The second checks in; Karim's mark made offline an hour before, pushed now, wins
    // over the check-in although it is older.
    assert_eq!(class.submit(1, &class.code_on_screen().await).await.outcome, CheckinOutcome::Present);
    let pushed = class
        .karim
        .call::<ops::PushMarks>(&PushMarksRequest {
            marks: vec![DeviceMark {
                client_id: Uuid::new_v4(),
                session_id: class.session,
                enrollment_id: class.enrollments[1],
                status: Mark::Excused,
                note: Some("doctor".to_owned()),
                marked_at: Utc::now() - Duration::minutes(1),
            }],
        })
        .await
        .unwrap();
    assert_eq!(pushed.marks[0].outcome, PushOutcome::Applied);
    let (status, by, _) = class.record(1).await.unwrap();
    assert_eq!((status, by), (Mark::Excused, Some(class.karim.id)));
    // The list still says the student checked in, and that the mark is Karim's.
    let live = class.karim.call::<ops::CheckinLiveList>(&IdRequest { id: class.session }).await.unwrap();
    let row = live.students.iter().find(|row| row.enrollment_id == class.enrollments[1]).unwrap();
    assert_eq!(
        (row.checked_in_as, row.mark, row.mark_is_checkin),
        (Some(Mark::Present), Some(Mark::Excused), false)
    );
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn other_cohorts_paused_students_other_days_and_cancelled_cohorts_are_refused(pool: PgPool) {
    let class = class(&pool, "web", 2, 0).await;
    let other = self::class(&pool, "data", 1, 0).await;
    let code = class.code_on_screen().await;

    // A student of another cohort, with this session's right code.
    let outsider = other.students[0]
        .call::<ops::SubmitCheckin>(&SubmitCheckinRequest {
            session_id: class.session,
            code: code.clone(),
            method: None,
        })
        .await
        .unwrap();
    assert_eq!(outsider.outcome, CheckinOutcome::NotEnrolled);
    assert!(outsider.message.contains("not a student of this session's cohort"), "{}", outsider.message);

    // A paused student.
    let admin = Caller::admin(&pool).await;
    admin
        .call::<ops::SetEnrollmentStatus>(&SetEnrollmentStatusRequest {
            id: class.enrollments[1],
            status: EnrollmentStatus::Paused,
        })
        .await
        .unwrap();
    let paused = class.submit(1, &code).await;
    assert_eq!(paused.outcome, CheckinOutcome::NotActive);
    assert!(paused.message.contains("is paused"), "{}", paused.message);

    // Tomorrow's session, at this very time, and yesterday's.
    for (minutes, says) in [(24 * 60, "not today"), (-24 * 60, "check-in is for today's sessions")] {
        let session = session_starting(&pool, class.cohort, minutes).await;
        let answer = class.submit_to(session, 0, &class.code_for(session).await).await;
        assert_eq!(answer.outcome, CheckinOutcome::NotToday, "{minutes}");
        assert!(answer.message.contains(says), "{}", answer.message);
    }

    // A cancelled cohort.
    sqlx::query("update cohorts set status = 'cancelled' where id = $1")
        .bind(other.cohort)
        .execute(&pool)
        .await
        .unwrap();
    let cancelled = other.submit(0, &other.code_on_screen().await).await;
    assert_eq!(cancelled.outcome, CheckinOutcome::Cancelled);

    let marks: i64 =
        sqlx::query_scalar("select count(*) from attendance_records").fetch_one(&pool).await.unwrap();
    assert_eq!(marks, 0, "no refused attempt marked anyone");
    let kept: Vec<String> = sqlx::query_scalar("select outcome from attendance_checkins order by id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(kept, ["not_enrolled", "not_active", "not_today", "not_today", "cancelled"]);
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn thirty_students_checking_in_in_the_same_second_all_land_once(pool: PgPool) {
    let class = std::sync::Arc::new(class(&pool, "web", 30, 0).await);
    let code = class.code_on_screen().await;
    // Each student taps twice (a double click), all sixty at once.
    let attempts = (0..60).map(|n| {
        let (class, code) = (class.clone(), code.clone());
        tokio::spawn(async move { (n % 30, class.submit(n % 30, &code).await.outcome) })
    });
    let answers = futures_join(attempts).await;
    for student in 0..30 {
        let mine: Vec<CheckinOutcome> =
            answers.iter().filter(|(who, _)| *who == student).map(|(_, outcome)| *outcome).collect();
        let mut sorted = mine.clone();
        sorted.sort_by_key(|outcome| outcome.as_str());
        assert_eq!(sorted, [CheckinOutcome::AlreadyCheckedIn, CheckinOutcome::Present], "student {student}");
    }
    let (records, history, checked_in): (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from attendance_records where status = 'present'),
                (select count(*) from attendance_history),
                (select count(*) from attendance_checkins where outcome = 'present')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((records, history, checked_in), (30, 30, 30));
    let live = class.karim.call::<ops::CheckinLiveList>(&IdRequest { id: class.session }).await.unwrap();
    assert_eq!(live.checked_in, 30);
}

async fn futures_join<T: Send + 'static>(tasks: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut done = Vec::new();
    for task in tasks.collect::<Vec<_>>() {
        done.push(task.await.unwrap());
    }
    done
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn only_the_sessions_staff_see_its_code_and_its_times_read_in_the_hubs_time_zone(pool: PgPool) {
    let class = class(&pool, "web", 1, 0).await;
    let other = self::class(&pool, "data", 1, 0).await;
    // A student, and another cohort's instructor, are refused the code and the list.
    let student =
        class.students[0].call::<ops::CheckinCodeNow>(&IdRequest { id: class.session }).await.unwrap_err();
    assert_eq!(student.kind, ErrorKind::Forbidden);
    let stranger =
        other.karim.call::<ops::CheckinLiveList>(&IdRequest { id: class.session }).await.unwrap_err();
    assert_eq!(stranger.kind, ErrorKind::Forbidden);
    // Instructors do not check in (the operation is the students').
    let instructor = class
        .karim
        .call::<ops::SubmitCheckin>(&SubmitCheckinRequest {
            session_id: class.session,
            code: "AAAAAA".to_owned(),
            method: None,
        })
        .await
        .unwrap_err();
    assert_eq!(instructor.kind, ErrorKind::Forbidden);

    // The hub in Beirut: a session at 09:00 there opens at 08:45 Beirut time.
    let admin = Caller::admin(&pool).await;
    let settings = admin.call::<ops::GetSite>(&NoRequest {}).await.unwrap();
    let update = |zone: &str| UpdateSiteSettings {
        site_name: settings.site_name.clone(),
        default_event_location: settings.default_event_location.clone(),
        time_zone: Some(zone.to_owned()),
        ..UpdateSiteSettings::default()
    };
    admin.refuses::<ops::UpdateSite>(&update("Mars/Olympus"), "time_zone", "is not a time zone").await;
    assert_eq!(admin.call::<ops::UpdateSite>(&update("asia/beirut")).await.unwrap().time_zone, "Asia/Beirut");
    sqlx::query("update sessions set date = '2026-07-01', starts_at = '09:00' where id = $1")
        .bind(class.session)
        .execute(&pool)
        .await
        .unwrap();
    let code = class.karim.call::<ops::CheckinCodeNow>(&IdRequest { id: class.session }).await.unwrap();
    // Summer time in Beirut is UTC+3.
    assert_eq!(code.window.starts_at, Some("2026-07-01T06:00:00Z".parse().unwrap()));
    assert_eq!(code.window.opens_at, "2026-07-01T05:45:00Z".parse::<DateTime<Utc>>().unwrap());
    assert_eq!(code.window.late_from, Some("2026-07-01T06:10:00Z".parse().unwrap()));
    assert_eq!(code.window.closes_at, "2026-07-01T06:30:00Z".parse::<DateTime<Utc>>().unwrap());
    assert_eq!(code.window.time_zone, "Asia/Beirut");

    // The session's own times, then back to the cohort's; bad minutes name their field.
    let own = CheckinMinutes { opens: 5, late: 0, closes: 60 };
    let window = class
        .karim
        .call::<ops::SetSessionCheckin>(&SetSessionCheckinRequest {
            session_id: class.session,
            minutes: Some(own),
        })
        .await
        .unwrap();
    assert_eq!((window.minutes, window.own_minutes), (own, true));
    assert_eq!(window.closes_at, "2026-07-01T07:00:00Z".parse::<DateTime<Utc>>().unwrap());
    class
        .karim
        .refuses::<ops::SetSessionCheckin>(
            &SetSessionCheckinRequest {
                session_id: class.session,
                minutes: Some(CheckinMinutes { opens: 800, ..own }),
            },
            "opens_minutes",
            "between 0 and 720",
        )
        .await;
    let back = class
        .karim
        .call::<ops::SetSessionCheckin>(&SetSessionCheckinRequest {
            session_id: class.session,
            minutes: None,
        })
        .await
        .unwrap();
    assert_eq!((back.minutes, back.own_minutes), (checkin::DEFAULT_MINUTES, false));
}

#[sqlx::test(migrator = "hub_core::MIGRATOR")]
async fn the_offline_pack_carries_the_keys_that_make_the_same_codes(pool: PgPool) {
    let class = class(&pool, "web", 1, 0).await;
    let pack = class.karim.call::<ops::GetOfflinePack>(&NoRequest {}).await.unwrap();
    let key =
        pack.checkin.iter().find(|key| key.session_id == class.session).expect("today's session has a key");
    let secret = checkin::secret_from_hex(&key.secret).unwrap();
    let on_screen = class.karim.call::<ops::CheckinCodeNow>(&IdRequest { id: class.session }).await.unwrap();
    let step = checkin::step_at(on_screen.server_now);
    assert!([step, step - 1].iter().any(|step| checkin::code(&secret, *step) == on_screen.code));
    assert_eq!(key.window, on_screen.window);
    // Students' sessions today, with the check-in open.
    let today = class.students[0].call::<ops::MyCheckinsToday>(&NoRequest {}).await.unwrap();
    assert_eq!(today.sessions.len(), 1);
    assert_eq!((today.sessions[0].session.id, today.sessions[0].state), (class.session, WindowState::Open));
    class.submit(0, &on_screen.code).await;
    let today = class.students[0].call::<ops::MyCheckinsToday>(&NoRequest {}).await.unwrap();
    assert_eq!(today.sessions[0].mark, Some(Mark::Present));
    assert!(today.sessions[0].checked_in_at.is_some());
}
