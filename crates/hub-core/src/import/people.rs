//! `import.people`: people from a spreadsheet. Each row is a person, found by their email
//! (else their phone) or new: a new one gets an account awaiting the password they choose
//! from an emailed invitation, a profile per role, and their cohort; a known one gets what
//! the row adds (a role, a cohort, a phone, a profile's field, a corrected name) and
//! nothing taken away. All rows or none: one refused row writes nothing, and the report
//! names it and why. The same file twice: the second changes nothing.

use super::{problem, read, report, Column, Table};
use crate::account_codes::{self, NO_PASSWORD};
use crate::mail::messages::Brand;
use crate::ops::Handler;
use crate::{Actor, Error, Hub, Result};
use hub_model::import::{ImportReport, ImportRequest, ImportRow, RowAction, RowProblem};
use hub_model::input::{Email, InvalidInput, PersonName, Phone, WebUrl};
use hub_model::ops::ImportPeople;
use sqlx::PgConnection;
use std::collections::HashMap;

const COLUMNS: &[Column] = &[
    Column { name: "full_name", aliases: &["name", "full name", "fullname", "student", "person"] },
    Column { name: "email", aliases: &["e mail", "email address", "e mail address", "mail"] },
    Column { name: "phone", aliases: &["phone number", "mobile", "telephone", "tel", "cell"] },
    Column { name: "roles", aliases: &["role"] },
    Column { name: "cohort", aliases: &["class", "group", "cohort name"] },
    Column { name: "bio", aliases: &["about", "biography"] },
    Column { name: "linkedin_url", aliases: &["linkedin", "linkedin url"] },
    Column { name: "github_url", aliases: &["github", "github url"] },
    Column { name: "portfolio_url", aliases: &["portfolio", "website", "portfolio url"] },
];

/// A person's roles as a row gives them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Roles {
    admin: bool,
    instructor: bool,
    student: bool,
}

/// The profile's fields a row may give (each checked).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ProfileFields {
    bio: Option<String>,
    linkedin_url: Option<String>,
    github_url: Option<String>,
    portfolio_url: Option<String>,
}

impl ProfileFields {
    fn named(&self) -> [(&'static str, &Option<String>); 4] {
        [
            ("bio", &self.bio),
            ("LinkedIn", &self.linkedin_url),
            ("GitHub", &self.github_url),
            ("portfolio", &self.portfolio_url),
        ]
    }
}

/// One row, read and checked on its own.
struct Row {
    line: u32,
    name: Option<PersonName>,
    email: Option<Email>,
    phone: Option<Phone>,
    /// `None`: the row names no role.
    roles: Option<Roles>,
    cohort: Option<String>,
    profile: ProfileFields,
    problems: Vec<RowProblem>,
}

impl Row {
    fn label(&self) -> String {
        self.email
            .as_ref()
            .map(|email| email.as_str().to_owned())
            .or_else(|| self.phone.as_ref().map(|phone| phone.as_str().to_owned()))
            .or_else(|| self.name.as_ref().map(|name| name.as_str().to_owned()))
            .unwrap_or_else(|| format!("line {}", self.line))
    }
}

fn roles(text: &str) -> std::result::Result<Roles, String> {
    let mut roles = Roles::default();
    for word in text.split([',', ';', '|', '/', '+']).flat_map(|part| part.split(" and ")) {
        match word.trim().to_lowercase().as_str() {
            "" => {}
            "student" | "students" | "learner" => roles.student = true,
            "instructor" | "instructors" | "teacher" | "trainer" | "mentor" => roles.instructor = true,
            "admin" | "admins" | "administrator" => roles.admin = true,
            other => return Err(format!("{other:?} is not a role: student, instructor or admin")),
        }
    }
    Ok(roles)
}

/// The value, or `None` with the refusal kept under its column.
fn checked<T>(problems: &mut Vec<RowProblem>, result: std::result::Result<T, InvalidInput>) -> Option<T> {
    result.map_err(|invalid| problems.push(problem(invalid.field, invalid.message))).ok()
}

fn row(line: u32, cells: &HashMap<&'static str, String>) -> Row {
    let mut problems = Vec::new();
    let take = |column: &'static str| cells.get(column).map(String::as_str);
    let name =
        take("full_name").and_then(|name| checked(&mut problems, PersonName::parse("full_name", name)));
    let email = take("email").and_then(|email| checked(&mut problems, Email::parse("email", email)));
    let phone = take("phone").and_then(|phone| checked(&mut problems, Phone::parse("phone", phone)));
    let mut url = |column: &'static str| {
        take(column)
            .and_then(|url| checked(&mut problems, WebUrl::parse(column, url)))
            .map(|url| url.as_str().to_owned())
    };
    let profile = ProfileFields {
        bio: take("bio").map(str::to_owned),
        linkedin_url: url("linkedin_url"),
        github_url: url("github_url"),
        portfolio_url: url("portfolio_url"),
    };
    let roles = match take("roles").map(roles) {
        None => None,
        Some(Ok(roles)) => Some(roles),
        Some(Err(message)) => {
            problems.push(problem("roles", message));
            None
        }
    };
    if profile.bio.as_ref().is_some_and(|bio| bio.chars().count() > 2000) {
        problems.push(problem("bio", "is longer than 2000 characters"));
    }
    if take("email").is_none() && take("phone").is_none() {
        problems.push(problem("email", "an email address or a phone number is needed"));
    }
    Row { line, name, email, phone, roles, cohort: take("cohort").map(str::to_owned), profile, problems }
}

/// Someone the hub knows already.
#[derive(Debug, Clone)]
struct Known {
    id: i64,
    email: Option<String>,
    phone_digits: Option<String>,
    is_admin: bool,
    is_instructor: bool,
    is_student: bool,
    name: String,
    bio: Option<String>,
    linkedin_url: Option<String>,
    github_url: Option<String>,
    portfolio_url: Option<String>,
}

#[derive(Debug, Clone)]
struct Cohort {
    id: i64,
    name: String,
    status: String,
    /// Seats left (`None`: no limit).
    seats_left: Option<i64>,
}

/// What the rows are about, as the database holds it now.
struct World {
    known: Vec<Known>,
    cohorts: Vec<Cohort>,
    /// `(person, cohort)` of every enrollment of the people known in the cohorts named.
    enrolled: Vec<(i64, i64)>,
}

impl World {
    async fn load(connection: &mut PgConnection, rows: &[Row]) -> Result<Self> {
        let emails: Vec<&str> = rows.iter().filter_map(|row| row.email.as_ref().map(Email::as_str)).collect();
        let phones: Vec<&str> = rows.iter().filter_map(|row| row.phone.as_ref().map(Phone::digits)).collect();
        let known = sqlx::query_as!(
            Known,
            r#"select u.id, lower(u.email) as "email?",
                      regexp_replace(u.phone, '[^0-9]', '', 'g') as "phone_digits?",
                      u.is_admin, u.is_instructor, u.is_student, d.display_name as "name!",
                      p.bio as "bio?", p.linkedin_url as "linkedin_url?", p.github_url as "github_url?",
                      p.portfolio_url as "portfolio_url?"
                 from users u
                 join user_directory d on d.user_id = u.id
                 left join lateral person_profile_fields(u.id) p on true
                where lower(u.email) = any($1) or regexp_replace(u.phone, '[^0-9]', '', 'g') = any($2)"#,
            &emails as &[&str],
            &phones as &[&str],
        )
        .fetch_all(&mut *connection)
        .await?;
        let names: Vec<String> =
            rows.iter().filter_map(|row| row.cohort.as_ref().map(|name| name.to_lowercase())).collect();
        // Locked: two imports (or an import and an approval) cannot both take the last seat.
        // Seats as every other way into a cohort counts them: its capacity or its program's,
        // every enrollment but a dropped one.
        let cohorts = sqlx::query_as!(
            Cohort,
            r#"select c.id, c.name, c.status, cohort_capacity(c) - cohort_seats_used(c) as "seats_left?"
                 from cohorts c where lower(c.name) = any($1)
                order by c.id for update"#,
            &names,
        )
        .fetch_all(&mut *connection)
        .await?;
        let people: Vec<i64> = known.iter().map(|known| known.id).collect();
        let cohort_ids: Vec<i64> = cohorts.iter().map(|cohort| cohort.id).collect();
        let enrolled = sqlx::query!(
            "select student_user_id, cohort_id from enrollments where student_user_id = any($1) and cohort_id = any($2)",
            &people,
            &cohort_ids,
        )
        .fetch_all(&mut *connection)
        .await?
        .into_iter()
        .map(|row| (row.student_user_id, row.cohort_id))
        .collect();
        Ok(Self { known, cohorts, enrolled })
    }
}

/// What a checked row does.
enum Step {
    Create { roles: Roles, cohort: Option<i64> },
    Update { id: i64, add: Roles, email: bool, phone: bool, name: bool, cohort: Option<i64>, profile: bool },
    Nothing,
}

struct Planned {
    row: Row,
    step: Step,
    changes: Vec<String>,
}

fn plan(rows: Vec<Row>, world: &World) -> Vec<Planned> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut seats: HashMap<i64, Option<i64>> =
        world.cohorts.iter().map(|cohort| (cohort.id, cohort.seats_left.map(|left| left.max(0)))).collect();
    let mut planned = Vec::with_capacity(rows.len());
    for mut row in rows {
        let mut changes = Vec::new();
        // The same person twice in one file: which line wins would be a guess.
        let keys = [
            row.email.as_ref().map(|email| ("email", format!("email:{}", email.as_str()))),
            row.phone.as_ref().map(|phone| ("phone", format!("phone:{}", phone.digits()))),
        ];
        for (column, key) in keys.into_iter().flatten() {
            if let Some(first) = seen.insert(key, row.line) {
                row.problems.push(problem(column, format!("is on line {first} too: one row per person")));
            }
        }
        let by_email = row.email.as_ref().and_then(|email| {
            world.known.iter().find(|known| known.email.as_deref() == Some(email.as_str()))
        });
        let by_phone = row.phone.as_ref().and_then(|phone| {
            world.known.iter().find(|known| known.phone_digits.as_deref() == Some(phone.digits()))
        });
        let known = match (by_email, by_phone) {
            (Some(one), Some(other)) if one.id != other.id => {
                row.problems.push(problem(
                    "phone",
                    format!("belongs to {}, and the email to {}", other.name, one.name),
                ));
                None
            }
            (Some(known), _) | (None, Some(known)) => Some(known),
            (None, None) => None,
        };
        let cohort = match &row.cohort {
            None => None,
            Some(name) => {
                let named: Vec<&Cohort> = world
                    .cohorts
                    .iter()
                    .filter(|cohort| cohort.name.to_lowercase() == name.to_lowercase())
                    .collect();
                match named.as_slice() {
                    [] => {
                        row.problems.push(problem("cohort", format!("no cohort is named {name:?}")));
                        None
                    }
                    // Someone of a finished cohort already is no one new to take.
                    [cohort]
                        if matches!(cohort.status.as_str(), "completed" | "cancelled")
                            && !known
                                .is_some_and(|known| world.enrolled.contains(&(known.id, cohort.id))) =>
                    {
                        row.problems.push(problem(
                            "cohort",
                            format!("{} is {}: it takes no one", cohort.name, cohort.status),
                        ));
                        None
                    }
                    [cohort] => Some(*cohort),
                    _ => {
                        row.problems.push(problem(
                            "cohort",
                            format!("{} cohorts are named {name:?}: rename one", named.len()),
                        ));
                        None
                    }
                }
            }
        };
        if known.is_none()
            && row.name.is_none()
            && !row.problems.iter().any(|problem| problem.column == "full_name")
        {
            row.problems.push(problem("full_name", "is needed for someone new"));
        }
        let joins = cohort
            .filter(|cohort| !known.is_some_and(|known| world.enrolled.contains(&(known.id, cohort.id))));
        if let Some(cohort) = joins {
            if row.problems.is_empty() {
                match seats.get_mut(&cohort.id) {
                    Some(Some(0)) => row.problems.push(problem(
                        "cohort",
                        format!("{} is full: no seat is left for this row", cohort.name),
                    )),
                    Some(Some(left)) => *left -= 1,
                    _ => {}
                }
            }
        }
        if !row.problems.is_empty() {
            planned.push(Planned { row, step: Step::Nothing, changes });
            continue;
        }
        let step = match known {
            None => {
                let roles = row.roles.unwrap_or(Roles { student: true, ..Roles::default() });
                changes.push(format!("new account: {}", role_words(roles)));
                if let Some(cohort) = joins {
                    changes.push(format!("enrolled in {}", cohort.name));
                }
                if row.email.is_some() {
                    changes.push("invited by email to choose a password".to_owned());
                }
                Step::Create { roles, cohort: joins.map(|cohort| cohort.id) }
            }
            Some(known) => {
                let given = row.roles.unwrap_or_default();
                let add = Roles {
                    admin: given.admin && !known.is_admin,
                    instructor: given.instructor && !known.is_instructor,
                    student: given.student && !known.is_student,
                };
                if add != Roles::default() {
                    changes.push(format!("made {}", role_words(add)));
                }
                let email =
                    row.email.as_ref().is_some_and(|email| known.email.as_deref() != Some(email.as_str()));
                if email {
                    changes.push(format!("email {}", row.email.as_ref().map_or("", Email::as_str)));
                }
                let phone = row
                    .phone
                    .as_ref()
                    .is_some_and(|phone| known.phone_digits.as_deref() != Some(phone.digits()));
                if phone {
                    changes.push(format!("phone {}", row.phone.as_ref().map_or("", Phone::as_str)));
                }
                let name = row.name.as_ref().is_some_and(|name| name.as_str() != known.name);
                if name {
                    changes.push(format!(
                        "name {} → {}",
                        known.name,
                        row.name.as_ref().map_or("", PersonName::as_str)
                    ));
                }
                let theirs = [&known.bio, &known.linkedin_url, &known.github_url, &known.portfolio_url];
                let mut profile = false;
                for ((label, given), current) in row.profile.named().into_iter().zip(theirs) {
                    if given.is_some() && given != current {
                        changes.push(format!("{label} changed"));
                        profile = true;
                    }
                }
                if let Some(cohort) = joins {
                    changes.push(format!("enrolled in {}", cohort.name));
                }
                if changes.is_empty() {
                    Step::Nothing
                } else {
                    Step::Update {
                        id: known.id,
                        add,
                        email,
                        phone,
                        name,
                        cohort: joins.map(|cohort| cohort.id),
                        profile,
                    }
                }
            }
        };
        planned.push(Planned { row, step, changes });
    }
    planned
}

fn role_words(roles: Roles) -> String {
    let words: Vec<&str> =
        [(roles.student, "student"), (roles.instructor, "instructor"), (roles.admin, "admin")]
            .into_iter()
            .filter_map(|(has, word)| has.then_some(word))
            .collect();
    if words.is_empty() {
        "no role".to_owned()
    } else {
        words.join(", ")
    }
}

impl Handler for ImportPeople {
    async fn handle(hub: &Hub, actor: &Actor, request: ImportRequest) -> Result<ImportReport> {
        let admin = actor.require_admin()?;
        let table = read(&request.csv, COLUMNS, &request.columns)?;
        let missing = missing_column(&table);
        let mut rows: Vec<Row> = table.rows.iter().map(|(line, cells)| row(*line, cells)).collect();
        if let Some(missing) = missing {
            for row in &mut rows {
                row.problems = vec![missing.clone()];
            }
        }
        let brand = Brand::current(hub.pool()).await?;
        let mut tx = hub.begin().await?;
        // One import of people at a time: what one finds new, the other must not create too.
        sqlx::query!("select pg_advisory_xact_lock(hashtext('digital-hub-import-people'))")
            .execute(&mut *tx)
            .await?;
        let world = World::load(&mut tx, &rows).await?;
        let planned = plan(rows, &world);
        let action = |planned: &Planned| match (&planned.step, planned.row.problems.is_empty()) {
            (_, false) => RowAction::Refused,
            (Step::Create { .. }, true) => RowAction::Create,
            (Step::Update { .. }, true) => RowAction::Update,
            (Step::Nothing, true) => RowAction::Unchanged,
        };
        let rows = planned
            .iter()
            .map(|planned| ImportRow {
                line: planned.row.line,
                label: planned.row.label(),
                action: action(planned),
                changes: planned.changes.clone(),
                problems: planned.row.problems.clone(),
            })
            .collect();
        let mut report = report(table.columns, table.headers, rows);
        report.invitations = u32::try_from(
            planned
                .iter()
                .filter(|planned| matches!(planned.step, Step::Create { .. }) && planned.row.email.is_some())
                .count(),
        )
        .unwrap_or(u32::MAX);
        if request.dry_run || report.refused > 0 || report.created + report.updated == 0 {
            // Nothing written: the transaction (and its locks) just ends.
            report.invitations = if report.refused > 0 { 0 } else { report.invitations };
            return Ok(report);
        }
        report.invitations = apply(&mut tx, &planned, &brand, admin.id).await?;
        tx.commit().await?;
        report.written = true;
        Ok(report)
    }
}

/// A file must say who each row is: a name, and an email or a phone. Without a column for
/// one, every row is refused saying so (the report still lists the file's columns, to
/// choose the one that holds it).
fn missing_column(table: &Table) -> Option<RowProblem> {
    let has =
        |name: &str| table.columns.iter().any(|column| column.column == name && column.header.is_some());
    let headers = table.headers.join(", ");
    if !has("full_name") {
        return Some(problem(
            "full_name",
            format!("no column of the file holds the names (its columns: {headers}): choose which one does"),
        ));
    }
    if !has("email") && !has("phone") {
        return Some(problem(
            "email",
            format!("no column of the file holds emails or phone numbers (its columns: {headers}): choose which one does"),
        ));
    }
    None
}

/// Writes what the plan says, a statement per kind of change whatever the number of rows.
/// Returns how many invitations were queued.
async fn apply(connection: &mut PgConnection, planned: &[Planned], brand: &Brand, admin: i64) -> Result<u32> {
    // New people.
    let new: Vec<(&Row, Roles, Option<i64>)> = planned
        .iter()
        .filter_map(|planned| match planned.step {
            Step::Create { roles, cohort } => Some((&planned.row, roles, cohort)),
            _ => None,
        })
        .collect();
    let column = |get: fn(&Row, Roles) -> Option<String>| {
        new.iter().map(|(row, roles, _)| get(row, *roles)).collect::<Vec<_>>()
    };
    let flags = |get: fn(Roles) -> bool| new.iter().map(|(_, roles, _)| get(*roles)).collect::<Vec<_>>();
    let emails = column(|row, _| row.email.as_ref().map(|email| email.as_str().to_owned()));
    let phones = column(|row, _| row.phone.as_ref().map(|phone| phone.as_str().to_owned()));
    let made = sqlx::query!(
        "insert into users (email, phone, password_hash, is_admin, is_instructor, is_student)
         select email, phone, $6, admin, instructor, student
           from unnest($1::text[], $2::text[], $3::bool[], $4::bool[], $5::bool[])
                as person (email, phone, admin, instructor, student)
         returning id, email, phone",
        &emails as &[Option<String>],
        &phones as &[Option<String>],
        &flags(|roles| roles.admin),
        &flags(|roles| roles.instructor),
        &flags(|roles| roles.student),
        NO_PASSWORD,
    )
    .fetch_all(&mut *connection)
    .await?;
    // Each new account to its row, by the email and phone it was made with (one row per
    // person: the plan refused the same email or phone twice).
    let positions: HashMap<(Option<&str>, Option<&str>), usize> = emails
        .iter()
        .zip(&phones)
        .enumerate()
        .map(|(position, (email, phone))| ((email.as_deref(), phone.as_deref()), position))
        .collect();
    let mut new_ids = vec![0_i64; new.len()];
    for made in &made {
        let position = positions
            .get(&(made.email.as_deref(), made.phone.as_deref()))
            .ok_or_else(|| Error::Internal("a new account matches no row".to_owned()))?;
        new_ids[*position] = made.id;
    }

    // Everyone the file touches, with the roles they have after it and their name.
    struct Touched<'a> {
        id: i64,
        row: &'a Row,
        roles: Roles,
        rename: bool,
        profile: bool,
        cohort: Option<i64>,
    }
    let mut touched: Vec<Touched<'_>> = new
        .iter()
        .zip(&new_ids)
        .map(|((row, roles, cohort), id)| Touched {
            id: *id,
            row,
            roles: *roles,
            rename: false,
            profile: true,
            cohort: *cohort,
        })
        .collect();
    let mut updates = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for planned in planned {
        if let Step::Update { id, add, email, phone, name, cohort, profile } = planned.step {
            let row = &planned.row;
            updates.0.push(id);
            updates
                .1
                .push(email.then(|| row.email.as_ref().map(|email| email.as_str().to_owned())).flatten());
            updates
                .2
                .push(phone.then(|| row.phone.as_ref().map(|phone| phone.as_str().to_owned())).flatten());
            updates.3.push(add.admin);
            updates.4.push(add.instructor);
            updates.5.push(add.student);
            touched.push(Touched { id, row, roles: add, rename: name, profile, cohort });
        }
    }
    sqlx::query!(
        "update users u
            set email = coalesce(x.email, u.email), phone = coalesce(x.phone, u.phone),
                is_admin = u.is_admin or x.admin, is_instructor = u.is_instructor or x.instructor,
                is_student = u.is_student or x.student
           from unnest($1::bigint[], $2::text[], $3::text[], $4::bool[], $5::bool[], $6::bool[])
                as x (id, email, phone, admin, instructor, student)
          where u.id = x.id
            and (x.email is not null or x.phone is not null or x.admin or x.instructor or x.student)",
        &updates.0,
        &updates.1 as &[Option<String>],
        &updates.2 as &[Option<String>],
        &updates.3,
        &updates.4,
        &updates.5,
    )
    .execute(&mut *connection)
    .await
    .map_err(|error| match crate::error::violated_constraint(&error) {
        Some("users_email_key") => Error::validation("email", "is already used by another account"),
        Some("users_phone_key") => Error::validation("phone", "is already used by another account"),
        _ => Error::Db(error),
    })?;

    // A profile for each role given (a known person's name stays when the row has none),
    // then the names and the profiles' fields the rows give.
    let ids: Vec<i64> = touched.iter().map(|person| person.id).collect();
    let names: Vec<Option<String>> =
        touched.iter().map(|person| person.row.name.as_ref().map(|name| name.as_str().to_owned())).collect();
    let role = |get: fn(Roles) -> bool| touched.iter().map(|person| get(person.roles)).collect::<Vec<_>>();
    sqlx::query!(
        "with person as (
             select x.id, coalesce(x.name, d.display_name) as name, x.admin, x.instructor, x.student
               from unnest($1::bigint[], $2::text[], $3::bool[], $4::bool[], $5::bool[])
                    as x (id, name, admin, instructor, student)
               left join user_directory d on d.user_id = x.id),
         manager as (
             insert into manager_profiles (user_id, full_name, is_public)
             select id, name, false from person where admin on conflict (user_id) do nothing),
         instructor as (
             insert into instructor_profiles (user_id, full_name)
             select id, name from person where instructor on conflict (user_id) do nothing)
         insert into student_profiles (user_id, full_name)
         select id, name from person where student on conflict (user_id) do nothing",
        &ids,
        &names as &[Option<String>],
        &role(|roles| roles.admin),
        &role(|roles| roles.instructor),
        &role(|roles| roles.student),
    )
    .execute(&mut *connection)
    .await?;
    let renamed: Vec<&Touched<'_>> = touched.iter().filter(|person| person.rename).collect();
    let fielded: Vec<&Touched<'_>> = touched.iter().filter(|person| person.profile).collect();
    let text = |people: &[&Touched<'_>], get: fn(&Row) -> Option<String>| {
        people.iter().map(|person| get(person.row)).collect::<Vec<_>>()
    };
    // A person's name and fields are the same on each of their profiles.
    let renamed_ids: Vec<i64> = renamed.iter().map(|person| person.id).collect();
    sqlx::query!(
        "with x as (select * from unnest($1::bigint[], $2::text[]) as x (id, name)),
         student as (
             update student_profiles p set full_name = x.name from x
              where p.user_id = x.id and p.full_name is distinct from x.name),
         instructor as (
             update instructor_profiles p set full_name = x.name from x
              where p.user_id = x.id and p.full_name is distinct from x.name)
         update manager_profiles p set full_name = x.name from x
          where p.user_id = x.id and p.full_name is distinct from x.name",
        &renamed_ids,
        &text(&renamed, |row| row.name.as_ref().map(|name| name.as_str().to_owned())) as &[Option<String>],
    )
    .execute(&mut *connection)
    .await?;
    let fielded_ids: Vec<i64> = fielded.iter().map(|person| person.id).collect();
    sqlx::query!(
        "with x as (
             select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])
                 as x (id, bio, linkedin, github, portfolio)
              where (bio, linkedin, github, portfolio) is distinct from (null, null, null, null)),
         student as (
             update student_profiles p
                set bio = coalesce(x.bio, p.bio), linkedin_url = coalesce(x.linkedin, p.linkedin_url),
                    github_url = coalesce(x.github, p.github_url), portfolio_url = coalesce(x.portfolio, p.portfolio_url)
               from x where p.user_id = x.id),
         instructor as (
             update instructor_profiles p
                set bio = coalesce(x.bio, p.bio), linkedin_url = coalesce(x.linkedin, p.linkedin_url),
                    github_url = coalesce(x.github, p.github_url), portfolio_url = coalesce(x.portfolio, p.portfolio_url)
               from x where p.user_id = x.id)
         update manager_profiles p
            set bio = coalesce(x.bio, p.bio), linkedin_url = coalesce(x.linkedin, p.linkedin_url),
                github_url = coalesce(x.github, p.github_url), portfolio_url = coalesce(x.portfolio, p.portfolio_url)
           from x where p.user_id = x.id",
        &fielded_ids,
        &text(&fielded, |row| row.profile.bio.clone()) as &[Option<String>],
        &text(&fielded, |row| row.profile.linkedin_url.clone()) as &[Option<String>],
        &text(&fielded, |row| row.profile.github_url.clone()) as &[Option<String>],
        &text(&fielded, |row| row.profile.portfolio_url.clone()) as &[Option<String>],
    )
    .execute(&mut *connection)
    .await?;

    // Their cohorts.
    let joining: Vec<(i64, i64)> =
        touched.iter().filter_map(|person| person.cohort.map(|cohort| (person.id, cohort))).collect();
    sqlx::query!(
        "insert into enrollments (student_user_id, cohort_id)
         select * from unnest($1::bigint[], $2::bigint[])
         on conflict (student_user_id, cohort_id) do nothing",
        &joining.iter().map(|(person, _)| *person).collect::<Vec<_>>(),
        &joining.iter().map(|(_, cohort)| *cohort).collect::<Vec<_>>(),
    )
    .execute(&mut *connection)
    .await?;

    // Invitations for the new people with an email: the password is theirs to choose.
    let invited: Vec<(i64, String, String)> = new
        .iter()
        .zip(&new_ids)
        .filter_map(|((row, _, _), id)| {
            let email = row.email.as_ref()?.as_str().to_owned();
            let name = row.name.as_ref().map_or_else(|| email.clone(), |name| name.as_str().to_owned());
            Some((*id, email, name))
        })
        .collect();
    if invited.is_empty() {
        return Ok(0);
    }
    account_codes::queue_invitations(connection, brand, &invited, admin).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_read_as_people_write_them_and_a_stray_word_is_named() {
        assert_eq!(
            roles("Student; Instructor").unwrap(),
            Roles { student: true, instructor: true, admin: false }
        );
        assert_eq!(
            roles("teacher and admin").unwrap(),
            Roles { instructor: true, admin: true, student: false }
        );
        assert_eq!(roles("").unwrap(), Roles::default());
        assert!(roles("student, janitor").unwrap_err().contains("\"janitor\" is not a role"));
    }

    #[test]
    fn a_row_names_each_bad_cell_by_its_column() {
        let cells = HashMap::from([
            ("full_name", "Nour Karam".to_owned()),
            ("email", "not an email".to_owned()),
            ("github_url", "ftp://nope".to_owned()),
        ]);
        let row = row(3, &cells);
        let columns: Vec<&str> = row.problems.iter().map(|problem| problem.column.as_str()).collect();
        assert_eq!(columns, ["email", "github_url"], "{:?}", row.problems);
        assert_eq!(row.label(), "Nour Karam");
    }
}
