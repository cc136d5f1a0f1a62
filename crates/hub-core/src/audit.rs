//! `audit.list` and `audit.export_csv`: the audit trail the triggers of migration 0027 write,
//! read back as sentences an administrator understands ("Maya Khoury made Karim Nassar an
//! admin"), with each record's fields before and after.

use crate::ops::{self, Handler};
use crate::paging::Paging;
use crate::text::csv_text;
use crate::{Actor, Error, Hub, Result};
use chrono::{DateTime, Utc};
use hub_model::attendance::CsvFile;
use hub_model::audit::{Activity, ActivityPage, ActivityRequest, Change, ChangeAction, FieldChange};
use hub_model::ops::{ExportActivity, ListActivity};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The most changes shown of one entry (an import changes thousands; the CSV has them all).
const CHANGES_SHOWN: i64 = 50;
/// The most entries one export holds.
const EXPORT_LIMIT: i64 = 100_000;

impl Handler for ListActivity {
    async fn handle(hub: &Hub, _: &Actor, request: ActivityRequest) -> Result<ActivityPage> {
        let paging = Paging::parse(request.page, request.per_page, 100)?;
        let filter = Filter::parse(&request)?;
        let page = paging
            .fetch(|limit, offset| entries(hub, &filter, limit, offset), |entry| entry.total, Ok)
            .await?;
        let items = activities(hub, &filter, page.items, Some(CHANGES_SHOWN)).await?;
        Ok(ActivityPage { items, total: page.total, page: page.page, per_page: page.per_page })
    }
}

impl Handler for ExportActivity {
    async fn handle(hub: &Hub, _: &Actor, request: ActivityRequest) -> Result<CsvFile> {
        let filter = Filter::parse(&request)?;
        let entries = entries(hub, &filter, EXPORT_LIMIT, 0).await?;
        let activities = activities(hub, &filter, entries, None).await?;
        let mut rows = Vec::new();
        for activity in &activities {
            let entry = |change: Option<&Change>| {
                vec![
                    activity.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    activity.actor_name.clone().unwrap_or_default(),
                    activity.operation.clone(),
                    activity.sentence.clone(),
                    change.map(|change| change.record_type.clone()).unwrap_or_default(),
                    change.map(|change| change.record_key.clone()).unwrap_or_default(),
                    change.map(|change| action_word(change.action).to_owned()).unwrap_or_default(),
                    change
                        .map(|change| fields_text(&change.fields, |field| &field.before))
                        .unwrap_or_default(),
                    change
                        .map(|change| fields_text(&change.fields, |field| &field.after))
                        .unwrap_or_default(),
                    activity.device.clone().unwrap_or_default(),
                    activity.address.clone().unwrap_or_default(),
                ]
            };
            if activity.changes.is_empty() {
                rows.push(entry(None));
            }
            rows.extend(activity.changes.iter().map(|change| entry(Some(change))));
        }
        let content = csv_text(
            &[
                "when",
                "who",
                "operation",
                "what",
                "record",
                "key",
                "change",
                "before",
                "after",
                "device",
                "address",
            ],
            rows,
        )?;
        Ok(CsvFile { filename: format!("activity-{}.csv", Utc::now().format("%Y-%m-%d")), content })
    }
}

/// A request's filters, checked.
struct Filter<'a> {
    request: &'a ActivityRequest,
    /// `users.set_roles` as is; an area `users` as `users.%`.
    operation: Option<String>,
    /// `%text%` for the directory's lower-cased names, emails and phones.
    search: Option<String>,
}

impl<'a> Filter<'a> {
    fn parse(request: &'a ActivityRequest) -> Result<Self> {
        if let (Some(from), Some(to)) = (request.from, request.to) {
            if to < from {
                return Err(Error::validation("to", "must not be before the first day (from)"));
            }
        }
        let operation = match request.operation.as_deref().map(str::trim).filter(|name| !name.is_empty()) {
            None => None,
            Some(name) if name.contains('.') || name == "system" => Some(name.to_owned()),
            Some(area) if area.chars().all(|c| c.is_ascii_lowercase() || c == '_') => {
                Some(format!("{area}.%"))
            }
            Some(other) => {
                return Err(Error::validation(
                    "operation",
                    format!("{other:?} is neither an operation (users.set_roles) nor an area (users)"),
                ))
            }
        };
        let search = crate::text::like_pattern(request.search.as_deref());
        Ok(Self { request, operation, search })
    }
}

struct Entry {
    id: i64,
    at: DateTime<Utc>,
    operation: String,
    actor_id: Option<i64>,
    actor_name: Option<String>,
    device: Option<String>,
    address: Option<String>,
    change_count: i64,
    total: i64,
}

async fn entries(hub: &Hub, filter: &Filter<'_>, limit: i64, offset: i64) -> Result<Vec<Entry>> {
    let request = filter.request;
    Ok(sqlx::query_as!(
        Entry,
        r#"with zone as (select coalesce((select time_zone from site_settings where id = 1), 'UTC') as name)
           select l.id, l.at, l.operation, l.actor_id, d.display_name as "actor_name?", s.device as "device?",
                  host(l.address) as address,
                  (select count(*) from audit_changes c
                    where c.audit_id = l.id and ($1::bigint is null or c.person_id = $1)
                      and ($2::bigint is null or c.cohort_id = $2)) as "change_count!",
                  count(*) over () as "total!"
             from audit_log l
             left join user_directory d on d.user_id = l.actor_id
             left join staff_sessions s on s.id = l.session_id
            where ($1::bigint is null or exists (select from audit_changes c where c.audit_id = l.id and c.person_id = $1))
              and ($2::bigint is null or exists (select from audit_changes c where c.audit_id = l.id and c.cohort_id = $2))
              and ($3::bigint is null or l.actor_id = $3)
              and ($4::text is null or l.operation like $4)
              and ($5::date is null or l.at >= ($5::date::timestamp at time zone (select name from zone)))
              and ($6::date is null or l.at < (($6::date + 1)::timestamp at time zone (select name from zone)))
              and ($9::text is null
                   or d.haystack like $9
                   or exists (select from audit_changes c join user_directory p on p.user_id = c.person_id
                               where c.audit_id = l.id and p.haystack like $9))
            order by l.id desc
            limit $7 offset $8"#,
        request.person_id,
        request.cohort_id,
        request.actor_id,
        filter.operation,
        request.from,
        request.to,
        limit,
        offset,
        filter.search,
    )
    .fetch_all(hub.pool())
    .await?)
}

struct ChangeRow {
    audit_id: i64,
    table_name: String,
    record_key: String,
    action: String,
    person_name: Option<String>,
    cohort_name: Option<String>,
    before: Option<Value>,
    after: Option<Value>,
}

/// The entries with their changes (up to `shown` each; on a person's or a cohort's history,
/// only theirs) and sentences.
async fn activities(
    hub: &Hub,
    filter: &Filter<'_>,
    entries: Vec<Entry>,
    shown: Option<i64>,
) -> Result<Vec<Activity>> {
    let ids: Vec<i64> = entries.iter().map(|entry| entry.id).collect();
    let rows = sqlx::query_as!(
        ChangeRow,
        r#"select c.audit_id, c.table_name, c.record_key, c.action,
                  d.display_name as "person_name?", k.name as "cohort_name?", c.before, c.after
             from (select c.*, row_number() over (partition by c.audit_id order by c.id) as nth
                     from audit_changes c
                    where c.audit_id = any($1) and ($3::bigint is null or c.person_id = $3)
                      and ($4::bigint is null or c.cohort_id = $4)) c
             left join user_directory d on d.user_id = c.person_id
             left join cohorts k on k.id = c.cohort_id
            where $2::bigint is null or c.nth <= $2
            order by c.audit_id, c.id"#,
        &ids,
        shown,
        filter.request.person_id,
        filter.request.cohort_id,
    )
    .fetch_all(hub.pool())
    .await?;
    let mut by_entry: HashMap<i64, Vec<ChangeRow>> = HashMap::new();
    for row in rows {
        by_entry.entry(row.audit_id).or_default().push(row);
    }
    Ok(entries
        .into_iter()
        .map(|entry| {
            let rows = by_entry.remove(&entry.id).unwrap_or_default();
            let sentence = sentence(&entry, &rows);
            let summary = ops::find(&entry.operation).map_or("", |operation| operation.summary);
            Activity {
                id: entry.id,
                at: entry.at,
                changes_total: entry.change_count,
                operation_summary: summary.to_owned(),
                sentence,
                actor_id: entry.actor_id,
                actor_name: entry.actor_name,
                device: entry.device,
                address: entry.address,
                operation: entry.operation,
                changes: rows.into_iter().map(change).collect(),
            }
        })
        .collect())
}

fn change(row: ChangeRow) -> Change {
    let action = match row.action.as_str() {
        "insert" => ChangeAction::Insert,
        "delete" => ChangeAction::Delete,
        _ => ChangeAction::Update,
    };
    let record_name = record_name(&row);
    let before = as_map(row.before);
    let after = as_map(row.after);
    let mut names: Vec<&String> = after.keys().chain(before.keys()).collect();
    names.sort();
    names.dedup();
    let fields = names
        .into_iter()
        .map(|field| FieldChange {
            field: field.clone(),
            before: before.get(field).cloned().unwrap_or(Value::Null),
            after: after.get(field).cloned().unwrap_or(Value::Null),
        })
        // A new or removed record's empty fields say nothing.
        .filter(|field| action == ChangeAction::Update || !(field.before.is_null() && field.after.is_null()))
        .collect();
    Change { record_type: row.table_name, record_key: row.record_key, record_name, action, fields }
}

fn as_map(value: Option<Value>) -> Map<String, Value> {
    match value {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// What a record is called: a person's name, a cohort's, or the record's own name or title.
fn record_name(row: &ChangeRow) -> Option<String> {
    let own = |key: &str| {
        [&row.after, &row.before]
            .into_iter()
            .flatten()
            .find_map(|record| record.get(key).and_then(Value::as_str).map(str::to_owned))
    };
    match row.table_name.as_str() {
        "users" | "student_profiles" | "instructor_profiles" | "manager_profiles" | "account_codes" => {
            row.person_name.clone().or_else(|| own("full_name")).or_else(|| own("email"))
        }
        "cohorts" => own("name").or_else(|| row.cohort_name.clone()),
        "enrollments" | "attendance_records" | "cohort_instructors" => {
            match (&row.person_name, &row.cohort_name) {
                (Some(person), Some(cohort)) => Some(format!("{person}, {cohort}")),
                (person, cohort) => person.clone().or_else(|| cohort.clone()),
            }
        }
        _ => own("title").or_else(|| own("name")).or_else(|| own("full_name")).or_else(|| own("key")),
    }
}

fn action_word(action: ChangeAction) -> &'static str {
    match action {
        ChangeAction::Insert => "added",
        ChangeAction::Update => "changed",
        ChangeAction::Delete => "removed",
    }
}

/// `field=value; …` for the CSV.
fn fields_text(fields: &[FieldChange], side: impl Fn(&FieldChange) -> &Value) -> String {
    // Nothing before an insert, nothing after a delete: an empty cell.
    if fields.iter().all(|field| side(field).is_null()) {
        return String::new();
    }
    fields
        .iter()
        .map(|field| format!("{}={}", field.field, plain(side(field))))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A value as a person reads it: text without quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "(none)".to_owned(),
        other => other.to_string(),
    }
}

/// The entry as a sentence: what an administrator would say happened.
fn sentence(entry: &Entry, rows: &[ChangeRow]) -> String {
    let who = match &entry.actor_name {
        Some(name) => name.clone(),
        None if entry.operation.starts_with("website.") => "A visitor of the website".to_owned(),
        None if ops::find(&entry.operation).is_none() => "The system".to_owned(),
        None => "Someone not signed in".to_owned(),
    };
    if let Some(what) = said(entry, rows) {
        return format!("{who} {what}");
    }
    let what = {
        let summary =
            ops::find(&entry.operation).map_or(entry.operation.as_str(), |operation| operation.summary);
        let mut names: Vec<String> = rows.iter().filter_map(record_name).collect();
        names.dedup();
        let shown = names.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
        let more = names.len().saturating_sub(3);
        let records = match (shown.is_empty(), more) {
            (true, _) => String::new(),
            (false, 0) => format!(" ({shown})"),
            (false, more) => format!(" ({shown} and {more} more)"),
        };
        format!("— {}{records}", lowercase_first(summary))
    };
    let count = match entry.change_count {
        0 | 1 => String::new(),
        n => format!(" · {n} changes"),
    };
    format!("{who} {what}{count}")
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
}

/// The operations a sentence tells better than a summary.
fn said(entry: &Entry, rows: &[ChangeRow]) -> Option<String> {
    let person =
        || rows.iter().find_map(|row| row.person_name.clone()).unwrap_or_else(|| "someone".to_owned());
    let cohort =
        || rows.iter().find_map(|row| row.cohort_name.clone()).unwrap_or_else(|| "a cohort".to_owned());
    let user_update = || rows.iter().find(|row| row.table_name == "users" && row.action == "update");
    let flag = |row: &ChangeRow, field: &str| row.after.as_ref()?.get(field)?.as_bool();
    Some(match entry.operation.as_str() {
        "users.set_roles" => {
            let row = user_update()?;
            let role_names =
                [("is_admin", "an admin"), ("is_instructor", "an instructor"), ("is_student", "a student")];
            let given: Vec<&str> = role_names
                .iter()
                .filter(|(field, _)| flag(row, field) == Some(true))
                .map(|(_, name)| *name)
                .collect();
            let taken: Vec<&str> = role_names
                .iter()
                .filter(|(field, _)| flag(row, field) == Some(false))
                .map(|(_, name)| name.trim_start_matches("an ").trim_start_matches("a "))
                .collect();
            match (given.is_empty(), taken.is_empty()) {
                (false, true) => format!("made {} {}", person(), and_list(&given)),
                (true, false) => format!("took the {} away from {}", roles(&taken), person()),
                (false, false) => {
                    format!("made {} {} and took the {} away", person(), and_list(&given), roles(&taken))
                }
                (true, true) => return None,
            }
        }
        "users.set_active" => match flag(user_update()?, "is_active")? {
            true => format!("reactivated {}'s account", person()),
            false => format!("deactivated {}'s account", person()),
        },
        "users.create" => format!("added {}", person()),
        "users.invite" => format!("emailed {} an invitation code", person()),
        "users.reset_password" => format!("reset {}'s password", person()),
        "auth.change_password" => "changed their password".to_owned(),
        "auth.redeem_code" => format!("set {}'s password with a code", person()),
        "auth.forgot_password" => format!("asked for a password code for {}", person()),
        "enrollments.add" => format!("enrolled {} in {}", person(), cohort()),
        "enrollments.set_status" => {
            let status =
                rows.iter().find_map(|row| row.after.as_ref()?.get("status")?.as_str().map(str::to_owned))?;
            format!("set {}'s enrollment in {} to {status}", person(), cohort())
        }
        "applications.approve" => format!("approved {}'s application to {}", person(), cohort()),
        "applications.decide" => {
            let row = rows.iter().find(|row| row.table_name == "applications")?;
            let status = row.after.as_ref()?.get("status")?.as_str()?;
            let verb = match status {
                "rejected" => "rejected",
                "waitlisted" => "waitlisted",
                "pending" => "reopened",
                other => other,
            };
            format!("{verb} an application to {}", cohort())
        }
        "cohorts.assign_instructor" => format!("made {} an instructor of {}", person(), cohort()),
        "cohorts.remove_instructor" => format!("removed {} from {}'s instructors", person(), cohort()),
        "attendance.mark" => {
            let status =
                rows.iter().find_map(|row| row.after.as_ref()?.get("status")?.as_str().map(str::to_owned))?;
            format!("marked {} {status} in {}", person(), cohort())
        }
        "attendance.push" => format!("synced marks made offline in {}", cohort()),
        "checkin.submit" => format!("checked in to a session of {}", cohort()),
        "website.apply" => format!("applied to {}", cohort()),
        "website.contact" => "sent a message through the contact form".to_owned(),
        "demo.seed" | "demo.seed_large" => "loaded the demo's data".to_owned(),
        "events.mark_ended" => "marked the events that ended as done".to_owned(),
        "announcements.mail_due" => "emailed an announcement whose time had come".to_owned(),
        "mail.issue_code" => format!("made the code in the message to {} as it was sent", person()),
        _ => return None,
    })
}

/// "admin role", "admin and student roles".
fn roles(names: &[&str]) -> String {
    format!("{} {}", and_list(names), if names.len() == 1 { "role" } else { "roles" })
}

fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [first @ .., last] => format!("{} and {last}", first.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(operation: &str, actor: Option<&str>, change_count: i64) -> Entry {
        Entry {
            id: 1,
            at: Utc::now(),
            operation: operation.to_owned(),
            actor_id: actor.map(|_| 1),
            actor_name: actor.map(str::to_owned),
            device: None,
            address: None,
            change_count,
            total: 1,
        }
    }

    fn row(table: &str, action: &str, person: Option<&str>, before: Value, after: Value) -> ChangeRow {
        ChangeRow {
            audit_id: 1,
            table_name: table.to_owned(),
            record_key: "7".to_owned(),
            action: action.to_owned(),
            person_name: person.map(str::to_owned),
            cohort_name: Some("Web 2027".to_owned()),
            before: Some(before),
            after: Some(after),
        }
    }

    #[test]
    fn a_role_given_is_told_as_a_person_would_say_it() {
        let rows = [row(
            "users",
            "update",
            Some("Karim Nassar"),
            json!({"is_admin": false}),
            json!({"is_admin": true}),
        )];
        assert_eq!(
            sentence(&entry("users.set_roles", Some("Maya Khoury"), 1), &rows),
            "Maya Khoury made Karim Nassar an admin"
        );
        let rows = [row(
            "users",
            "update",
            Some("Karim Nassar"),
            json!({"is_admin": true, "is_student": false}),
            json!({"is_admin": false, "is_student": true}),
        )];
        assert_eq!(
            sentence(&entry("users.set_roles", Some("Maya Khoury"), 1), &rows),
            "Maya Khoury made Karim Nassar a student and took the admin role away"
        );
    }

    #[test]
    fn an_operation_without_its_own_sentence_says_its_summary_and_records() {
        let rows = [
            row("programs", "update", None, json!({"title": "Web"}), json!({"title": "Web Development"})),
            row("programs", "insert", None, Value::Null, json!({"title": "Data"})),
        ];
        let said = sentence(&entry("programs.save", Some("Maya Khoury"), 2), &rows);
        assert!(said.starts_with("Maya Khoury — "), "{said}");
        assert!(said.contains("(Web Development, Data)"), "{said}");
        assert!(said.ends_with("· 2 changes"), "{said}");
        let visitor = sentence(&entry("website.contact", None, 1), &[]);
        assert!(visitor.starts_with("A visitor of the website"), "{visitor}");
    }

    #[test]
    fn a_secret_stays_changed_and_an_update_lists_only_its_fields() {
        let change = change(row(
            "users",
            "update",
            Some("Nour Karam"),
            json!({"password_hash": "changed"}),
            json!({"password_hash": "changed"}),
        ));
        assert_eq!(change.record_name.as_deref(), Some("Nour Karam"));
        assert_eq!(change.fields.len(), 1);
        assert_eq!(change.fields[0].after, json!("changed"));
        assert_eq!(fields_text(&change.fields, |field| &field.after), "password_hash=changed");
    }

    #[test]
    fn an_area_is_a_filter_and_a_stray_word_is_refused_naming_the_field() {
        let request = ActivityRequest { operation: Some("users".to_owned()), ..Default::default() };
        assert_eq!(Filter::parse(&request).unwrap().operation.as_deref(), Some("users.%"));
        let request = ActivityRequest { operation: Some("drop table".to_owned()), ..Default::default() };
        let refused = Filter::parse(&request).err().unwrap().to_api();
        assert_eq!(refused.field.as_deref(), Some("operation"));
        let backwards = ActivityRequest {
            from: chrono::NaiveDate::from_ymd_opt(2026, 12, 3),
            to: chrono::NaiveDate::from_ymd_opt(2026, 12, 1),
            ..Default::default()
        };
        assert_eq!(Filter::parse(&backwards).err().unwrap().to_api().field.as_deref(), Some("to"));
    }
}
