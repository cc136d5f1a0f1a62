//! `import.marks`: attendance marks from a spreadsheet, one row per student and session. The
//! session is found by its cohort and date (and start time when the cohort has two that
//! day), the student by email among the cohort's enrollments. A row the hub holds already
//! is unchanged; the others are written through the same statement as every mark made in
//! the app (kept in history, made the record as an administrator's correction). All rows or
//! none; the same file twice changes nothing the second time.

use super::{problem, read, report, Column, Table};
use crate::ops::Handler;
use crate::{Actor, Error, Hub, Result};
use chrono::{NaiveDate, NaiveTime};
use hub_model::attendance::{checked_note, DeviceMark, Mark, PushOutcome};
use hub_model::import::{ImportReport, ImportRequest, ImportRow, RowAction, RowProblem};
use hub_model::input::Email;
use hub_model::ops::ImportMarks;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

const COLUMNS: &[Column] = &[
    Column { name: "date", aliases: &["day", "session date", "class date"] },
    Column { name: "cohort", aliases: &["class", "group", "cohort name"] },
    Column {
        name: "email",
        aliases: &["e mail", "student email", "student e mail", "email address", "mail", "student"],
    },
    Column { name: "status", aliases: &["attendance", "mark", "presence"] },
    Column { name: "note", aliases: &["notes", "comment", "remark", "remarks"] },
    Column { name: "time", aliases: &["start", "starts at", "start time", "session time"] },
];

/// One row, read and checked on its own.
struct Row {
    line: u32,
    date: Option<NaiveDate>,
    cohort: Option<String>,
    email: Option<Email>,
    time: Option<NaiveTime>,
    status: Option<Mark>,
    note: Option<String>,
    problems: Vec<RowProblem>,
}

impl Row {
    fn label(&self) -> String {
        let who = self.email.as_ref().map_or("?", Email::as_str);
        match self.date {
            Some(date) => format!("{who}, {date}"),
            None => who.to_owned(),
        }
    }
}

/// A date as a spreadsheet writes it when told to: 2026-11-03 (a time after it is ignored).
/// Day-first and month-first dates are refused rather than guessed.
fn date(text: &str) -> std::result::Result<NaiveDate, String> {
    let day = text.get(..10).unwrap_or(text);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date the hub reads: write it as 2026-11-03"))
}

fn time(text: &str) -> std::result::Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .map_err(|_| format!("{text:?} is not a time: write it as 09:30"))
}

/// A mark as people write it: the word, or its key on the roster.
fn mark(text: &str) -> std::result::Result<Mark, String> {
    match text.trim().to_lowercase().as_str() {
        "present" | "p" | "yes" | "here" => Ok(Mark::Present),
        "absent" | "a" | "no" => Ok(Mark::Absent),
        "late" | "l" => Ok(Mark::Late),
        "excused" | "e" => Ok(Mark::Excused),
        _ => Err(format!("{text:?} is not a mark: present, absent, late or excused (P, A, L, E)")),
    }
}

/// The value, or `None` with the refusal kept under its column.
fn kept<T>(
    problems: &mut Vec<RowProblem>,
    column: &str,
    result: std::result::Result<T, String>,
) -> Option<T> {
    result.map_err(|message| problems.push(problem(column, message))).ok()
}

fn row(line: u32, cells: &HashMap<&'static str, String>) -> Row {
    let mut problems = Vec::new();
    let take = |column: &'static str| cells.get(column).map(String::as_str);
    for (column, what) in [
        ("date", "the session's date"),
        ("cohort", "the session's cohort"),
        ("email", "the student's email"),
        ("status", "present, absent, late or excused"),
    ] {
        if take(column).is_none() {
            problems.push(problem(column, format!("is empty: {what}")));
        }
    }
    let date = take("date").and_then(|day| kept(&mut problems, "date", date(day)));
    let status = take("status").and_then(|status| kept(&mut problems, "status", mark(status)));
    let time = take("time").and_then(|at| kept(&mut problems, "time", time(at)));
    let note = kept(&mut problems, "note", checked_note(take("note"))).flatten();
    let email = take("email").and_then(|email| {
        kept(&mut problems, "email", Email::parse("email", email).map_err(|invalid| invalid.message))
    });
    Row { line, date, cohort: take("cohort").map(str::to_owned), email, time, status, note, problems }
}

/// A file must have the columns that say which mark a row is.
fn missing_column(table: &Table) -> Option<RowProblem> {
    let headers = table.headers.join(", ");
    ["date", "cohort", "email", "status"].into_iter().find_map(|name| {
        let found = table.columns.iter().any(|column| column.column == name && column.header.is_some());
        (!found).then(|| {
            problem(
                name,
                format!("no column of the file holds it (its columns: {headers}): choose which one does"),
            )
        })
    })
}

/// A session of a cohort the file names.
struct Session {
    id: i64,
    starts_at: Option<NaiveTime>,
}

/// What the rows are about, as the database holds it now.
#[derive(Default)]
struct World {
    /// Cohort ids by lower-cased name (two cohorts may share one).
    cohorts: HashMap<String, Vec<(i64, String)>>,
    sessions: HashMap<(i64, NaiveDate), Vec<Session>>,
    /// `(cohort, email)` → the enrollment.
    enrollments: HashMap<(i64, String), i64>,
    /// `(session, enrollment)` → the record's status and note.
    records: HashMap<(i64, i64), (String, Option<String>)>,
}

impl World {
    async fn load(connection: &mut PgConnection, rows: &[Row]) -> Result<Self> {
        let mut names: Vec<String> =
            rows.iter().filter_map(|row| row.cohort.as_ref().map(|name| name.to_lowercase())).collect();
        names.sort_unstable();
        names.dedup();
        let mut world = Self::default();
        let cohorts =
            sqlx::query!("select id, name from cohorts where lower(name) = any($1) order by id", &names)
                .fetch_all(&mut *connection)
                .await?;
        for cohort in &cohorts {
            world
                .cohorts
                .entry(cohort.name.to_lowercase())
                .or_default()
                .push((cohort.id, cohort.name.clone()));
        }
        let ids: Vec<i64> = cohorts.iter().map(|cohort| cohort.id).collect();
        let mut days: Vec<NaiveDate> = rows.iter().filter_map(|row| row.date).collect();
        days.sort_unstable();
        days.dedup();
        let sessions = sqlx::query!(
            "select id, cohort_id, date, starts_at from sessions
              where cohort_id = any($1) and date = any($2) order by starts_at nulls first, id",
            &ids,
            &days
        )
        .fetch_all(&mut *connection)
        .await?;
        let session_ids: Vec<i64> = sessions.iter().map(|session| session.id).collect();
        for session in sessions {
            world
                .sessions
                .entry((session.cohort_id, session.date))
                .or_default()
                .push(Session { id: session.id, starts_at: session.starts_at });
        }
        let enrollments = sqlx::query!(
            r#"select e.id, e.cohort_id, lower(u.email) as "email!"
                 from enrollments e join users u on u.id = e.student_user_id
                where e.cohort_id = any($1) and u.email is not null"#,
            &ids
        )
        .fetch_all(&mut *connection)
        .await?;
        world.enrollments = enrollments.into_iter().map(|row| ((row.cohort_id, row.email), row.id)).collect();
        let records = sqlx::query!(
            "select session_id, enrollment_id, status, note from attendance_records where session_id = any($1)",
            &session_ids
        )
        .fetch_all(&mut *connection)
        .await?;
        world.records = records
            .into_iter()
            .map(|row| ((row.session_id, row.enrollment_id), (row.status, row.note)))
            .collect();
        Ok(world)
    }
}

/// A checked row and the mark it makes (`None`: refused, or unchanged).
struct Planned {
    row: Row,
    action: RowAction,
    changes: Vec<String>,
    mark: Option<DeviceMark>,
}

fn plan(rows: Vec<Row>, world: &World) -> Vec<Planned> {
    let mut seen: HashMap<(i64, i64), u32> = HashMap::new();
    let now = chrono::Utc::now();
    rows.into_iter()
        .map(|mut row| {
            let found = find(&mut row, world);
            let Some((session_id, enrollment_id)) = found else {
                return Planned { row, action: RowAction::Refused, changes: Vec::new(), mark: None };
            };
            if let Some(first) = seen.insert((session_id, enrollment_id), row.line) {
                row.problems.push(problem("row", format!("is the same student and session as line {first}")));
            }
            let (Some(status), true) = (row.status, row.problems.is_empty()) else {
                return Planned { row, action: RowAction::Refused, changes: Vec::new(), mark: None };
            };
            let wanted = (status.as_str(), row.note.as_deref());
            let (action, changes) = match world.records.get(&(session_id, enrollment_id)) {
                Some((current, note)) if (current.as_str(), note.as_deref()) == wanted => {
                    (RowAction::Unchanged, Vec::new())
                }
                Some((current, _)) => (RowAction::Update, vec![format!("{current} → {}", status.as_str())]),
                None => (RowAction::Create, vec![status.as_str().to_owned()]),
            };
            let mark = (action != RowAction::Unchanged).then(|| DeviceMark {
                client_id: Uuid::new_v4(),
                session_id,
                enrollment_id,
                status,
                note: row.note.clone(),
                marked_at: now,
            });
            Planned { row, action, changes, mark }
        })
        .collect()
}

/// The session and enrollment a row names, or its problems said.
fn find(row: &mut Row, world: &World) -> Option<(i64, i64)> {
    let (Some(name), Some(date)) = (row.cohort.as_deref(), row.date) else { return None };
    let cohort = match world.cohorts.get(&name.to_lowercase()).map(Vec::as_slice) {
        None | Some([]) => {
            row.problems.push(problem("cohort", format!("no cohort is named {name:?}")));
            return None;
        }
        Some([(id, _)]) => *id,
        Some(several) => {
            row.problems.push(problem(
                "cohort",
                format!("{} cohorts are named {name:?}: rename one in the app first", several.len()),
            ));
            return None;
        }
    };
    let sessions = world.sessions.get(&(cohort, date)).map(Vec::as_slice).unwrap_or_default();
    let session = match (sessions, row.time) {
        ([], _) => {
            row.problems.push(problem("date", format!("{name} has no session on {date}")));
            None
        }
        ([only], None) => Some(only.id),
        (several, None) => {
            let times: Vec<String> = several
                .iter()
                .map(|session| {
                    session.starts_at.map_or("no time".to_owned(), |at| at.format("%H:%M").to_string())
                })
                .collect();
            row.problems.push(problem(
                "time",
                format!(
                    "{name} has {} sessions on {date} ({}): add a start time column",
                    several.len(),
                    times.join(", ")
                ),
            ));
            None
        }
        (several, Some(at)) => {
            let found =
                several.iter().find(|session| session.starts_at == Some(at)).map(|session| session.id);
            if found.is_none() {
                row.problems.push(problem(
                    "time",
                    format!("{name} has no session starting at {} on {date}", at.format("%H:%M")),
                ));
            }
            found
        }
    };
    let email = row.email.as_ref()?;
    let enrollment = world.enrollments.get(&(cohort, email.as_str().to_owned())).copied();
    if enrollment.is_none() {
        row.problems.push(problem("email", format!("{} is not enrolled in {name}", email.as_str())));
    }
    Some((session?, enrollment?))
}

impl Handler for ImportMarks {
    async fn handle(hub: &Hub, actor: &Actor, request: ImportRequest) -> Result<ImportReport> {
        actor.require_admin()?;
        let table = read(&request.csv, COLUMNS, &request.columns)?;
        let missing = missing_column(&table);
        let mut rows: Vec<Row> = table.rows.iter().map(|(line, cells)| row(*line, cells)).collect();
        if let Some(missing) = missing {
            for row in &mut rows {
                row.problems = vec![missing.clone()];
            }
        }
        let mut tx = hub.begin().await?;
        let world = World::load(&mut tx, &rows).await?;
        let planned = plan(rows, &world);
        let rows = planned
            .iter()
            .map(|planned| ImportRow {
                line: planned.row.line,
                label: planned.row.label(),
                action: planned.action,
                changes: planned.changes.clone(),
                problems: planned.row.problems.clone(),
            })
            .collect();
        let mut report = report(table.columns, table.headers, rows);
        if request.dry_run || report.refused > 0 || report.created + report.updated == 0 {
            return Ok(report);
        }
        let marks: Vec<(u32, DeviceMark)> =
            planned.into_iter().filter_map(|planned| Some((planned.row.line, planned.mark?))).collect();
        for chunk in marks.chunks(crate::attendance::MAX_BATCH) {
            let batch: Vec<DeviceMark> = chunk.iter().map(|(_, mark)| mark.clone()).collect();
            let pushed = crate::attendance::import(&mut tx, actor, &batch).await?;
            // Checked above under the same transaction; a refusal now is a change made in
            // between (a session deleted): said by line, and nothing is written.
            for ((line, _), pushed) in chunk.iter().zip(pushed) {
                if let PushOutcome::Rejected { reason } = pushed.outcome {
                    return Err(Error::validation("csv", format!("line {line}: {reason}")));
                }
            }
        }
        tx.commit().await?;
        report.written = true;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_dates_and_times_are_read_as_people_write_them_and_others_are_named() {
        assert_eq!(mark(" P "), Ok(Mark::Present));
        assert_eq!(mark("Excused"), Ok(Mark::Excused));
        assert!(mark("sick").unwrap_err().contains("present, absent, late or excused"));
        assert_eq!(date("2026-11-03 09:00"), Ok(NaiveDate::from_ymd_opt(2026, 11, 3).unwrap()));
        assert!(date("03/11/2026").unwrap_err().contains("2026-11-03"), "day or month first is not guessed");
        assert_eq!(time("13:30"), Ok(NaiveTime::from_hms_opt(13, 30, 0).unwrap()));
        assert!(time("1.30pm").is_err());
    }

    #[test]
    fn a_row_names_each_bad_cell_by_its_column() {
        let cells = HashMap::from([
            ("date", "yesterday".to_owned()),
            ("email", "nour@".to_owned()),
            ("status", "here-ish".to_owned()),
            ("note", "x".repeat(600)),
        ]);
        let checked = row(7, &cells);
        let mut columns: Vec<&str> = checked.problems.iter().map(|problem| problem.column.as_str()).collect();
        columns.sort_unstable();
        assert_eq!(columns, ["cohort", "date", "email", "note", "status"]);
    }
}
