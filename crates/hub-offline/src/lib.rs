//! The desktop's local store, a SQLite file in the app's data folder: the sessions and
//! rosters an instructor needs offline, the marks as this machine knows them, the outbox of
//! marks the server has not committed yet, and an offline sign-in verifier. [`sync`] moves
//! marks between it and the hub server.
//!
//! A mark is written to `marks` and `outbox` in one SQLite transaction (WAL, synchronous
//! FULL) before the UI says it is saved, so it survives a crash or a power cut at once.
//! The file is readable by its owner only.

pub mod sync;
mod verifier;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use hub_model::attendance::{
    checked_note, DeviceMark, LocalRosterEntry, Mark, OfflinePack, PushOutcome, PushedMark, RecordChange,
    RejectedMark, SessionInfo, WaitingPerson, SUPERSEDED,
};
use hub_model::auth::CurrentUser;
use hub_model::checkin::CheckinKey;
use hub_model::{ApiError, ErrorKind};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::path::Path;
use uuid::Uuid;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the local store: {0}")]
    Store(#[from] sqlx::Error),
    #[error("the local store's schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The hub's answer: refused, or not there at all.
    #[error("{}", .0.message)]
    Hub(#[from] ApiError),
    /// The server answered something this build cannot read.
    #[error("the server's answer cannot be read: {0}")]
    Server(String),
    #[error("the local store holds something unreadable: {0}")]
    Corrupt(String),
    #[error("the local store's file: {0}")]
    File(String),
    /// A mark that cannot be kept as asked; nothing was written.
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    /// Too many wrong passwords at the offline sign-in: the identifier is locked on this
    /// computer for this many seconds.
    #[error("too many wrong passwords on this computer; try again in {} s", .0)]
    Locked(i64),
}

/// Wrong offline passwords that are free before the identifier locks; then 30 s, doubling
/// with each further failure up to 15 minutes (the hub's own rule for sign-ins).
const FREE_FAILURES: i64 = 5;

impl Error {
    /// The hub did not answer (as opposed to answering "no").
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Hub(error) if error.kind == ErrorKind::Unavailable)
    }

    /// The hub no longer takes the session the marks were sent with: its person must sign
    /// in again (the marks wait).
    pub fn is_signed_out(&self) -> bool {
        matches!(self, Self::Hub(error) if error.kind == ErrorKind::Unauthenticated)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What the sync state line shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LocalStatus {
    /// Marks the person made here that the server has not committed yet.
    pub waiting: i64,
    /// Marks others made here, waiting for them to sign in online.
    pub waiting_for_others: Vec<WaitingPerson>,
    /// The person's marks the server refused, with why: they wait for the person to read them.
    pub rejected: Vec<RejectedMark>,
    pub last_sync_at: Option<DateTime<Utc>>,
}

pub struct LocalStore {
    pool: SqlitePool,
}

fn parse_uuid(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|error| Error::Corrupt(format!("client id {text:?}: {error}")))
}

fn parse_mark(text: &str) -> Result<Mark> {
    Mark::parse(text).ok_or_else(|| Error::Corrupt(format!("mark {text:?}")))
}

impl LocalStore {
    /// Opens (creating it if need be) the store at `path`, readable by its owner only: it
    /// holds rosters and sign-in verifiers. (SQLite gives its journal files the same
    /// permissions as the store.)
    pub async fn open(path: &Path) -> Result<Self> {
        restrict_to_owner(path)?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // What is deleted (a verifier replaced, a column dropped) is overwritten, not
            // left in free pages for whoever copies the file.
            .pragma("secure_delete", "on");
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    /// A write transaction that holds the store's write lock from its start. A deferred one
    /// (SQLite's default) that read first cannot take the lock once another connection has
    /// written since its read: SQLite answers "database is locked" at once, whatever the busy
    /// timeout, and a mark made while the sync wrote was refused. An immediate one waits its
    /// turn (the busy timeout) and then sees the latest data.
    async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Closes the file (what a quitting app does; a killed one does not, and loses nothing).
    pub async fn close(self) {
        self.pool.close().await;
    }

    /// Records a mark `marked_by` made on this machine: the mark as shown, and the outbox
    /// entry that will carry it to the server, in one transaction. Returns the mark as it
    /// will be sent. Refused, with nothing written, when the note is too long or the student
    /// is not on the session's roster as this person's last sync left it.
    pub async fn mark(
        &self,
        marked_by: i64,
        session_id: i64,
        enrollment_id: i64,
        status: Mark,
        note: Option<&str>,
        marked_at: DateTime<Utc>,
    ) -> Result<DeviceMark> {
        let note = checked_note(note).map_err(|message| Error::Invalid { field: "note", message })?;
        let mut marks =
            self.record(marked_by, session_id, &[(enrollment_id, status, note)], marked_at).await?;
        marks.pop().ok_or_else(|| Error::Corrupt("a mark was not recorded".to_owned()))
    }

    /// Records several marks of one session at once (the rest of the roster present, say), in
    /// one transaction: all of them, or none when one cannot be kept.
    pub async fn mark_many(
        &self,
        marked_by: i64,
        session_id: i64,
        marks: &[(i64, Mark)],
        marked_at: DateTime<Utc>,
    ) -> Result<Vec<DeviceMark>> {
        let marks: Vec<(i64, Mark, Option<String>)> =
            marks.iter().map(|(enrollment_id, status)| (*enrollment_id, *status, None)).collect();
        self.record(marked_by, session_id, &marks, marked_at).await
    }

    async fn record(
        &self,
        marked_by: i64,
        session_id: i64,
        marks: &[(i64, Mark, Option<String>)],
        marked_at: DateTime<Utc>,
    ) -> Result<Vec<DeviceMark>> {
        let mut tx = self.write().await?;
        let mut recorded = Vec::with_capacity(marks.len());
        for (enrollment_id, status, note) in marks {
            let on_roster: bool = sqlx::query_scalar(
                "select exists (select 1 from sessions s
                                  join students st on st.user_id = s.user_id and st.cohort_id = s.cohort_id
                                 where s.user_id = ?1 and s.id = ?2 and st.enrollment_id = ?3)",
            )
            .bind(marked_by)
            .bind(session_id)
            .bind(enrollment_id)
            .fetch_one(&mut *tx)
            .await?;
            if !on_roster {
                return Err(Error::Invalid {
                    field: "enrollment_id",
                    message: format!(
                        "enrollment {enrollment_id} is not on the roster of session {session_id} kept here; sync, then try again"
                    ),
                });
            }
            let mark = DeviceMark {
                client_id: Uuid::new_v4(),
                session_id,
                enrollment_id: *enrollment_id,
                status: *status,
                note: note.clone(),
                marked_at,
            };
            sqlx::query(
                "insert into marks (session_id, enrollment_id, status, note, marked_at, client_id)
                 values (?1, ?2, ?3, ?4, ?5, ?6)
                 on conflict (session_id, enrollment_id) do update
                    set status = excluded.status, note = excluded.note, marked_at = excluded.marked_at,
                        client_id = excluded.client_id",
            )
            .bind(session_id)
            .bind(enrollment_id)
            .bind(status.as_str())
            .bind(&mark.note)
            .bind(marked_at)
            .bind(mark.client_id.to_string())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "insert into outbox (client_id, session_id, enrollment_id, status, note, marked_at, queued_at, marked_by)
                 values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .bind(mark.client_id.to_string())
            .bind(session_id)
            .bind(enrollment_id)
            .bind(status.as_str())
            .bind(&mark.note)
            .bind(marked_at)
            .bind(Utc::now())
            .bind(marked_by)
            .execute(&mut *tx)
            .await?;
            recorded.push(mark);
        }
        tx.commit().await?;
        Ok(recorded)
    }

    /// The oldest marks `marked_by` made here that wait for the server (refused ones
    /// excluded; marks from before the outbox knew who made them count as anyone's), at
    /// most `limit`, after skipping the `skip` oldest (a batch already on its way).
    pub async fn waiting(&self, marked_by: i64, limit: i64, skip: i64) -> Result<Vec<DeviceMark>> {
        let rows = sqlx::query(
            "select client_id, session_id, enrollment_id, status, note, marked_at from outbox
              where rejected is null and (marked_by = ?2 or marked_by is null)
              order by queued_at, client_id limit ?1 offset ?3",
        )
        .bind(limit)
        .bind(marked_by)
        .bind(skip)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DeviceMark {
                    client_id: parse_uuid(row.get("client_id"))?,
                    session_id: row.get("session_id"),
                    enrollment_id: row.get("enrollment_id"),
                    status: parse_mark(row.get("status"))?,
                    note: row.get("note"),
                    marked_at: row.get("marked_at"),
                })
            })
            .collect()
    }

    /// Takes the server's answer for pushed marks: applied or already received ones leave the
    /// outbox; refused ones, and ones the server kept while another mark is the record, stay
    /// with the reason, are not sent again, and are shown to their maker until dismissed.
    pub async fn acknowledge(&self, results: &[PushedMark]) -> Result<()> {
        let mut tx = self.write().await?;
        // Refused, or kept but not the record: each stays, not sent again, for its maker to
        // read, unless what is the record is a later mark made here (marked absent, then
        // late: nothing to tell).
        for result in results {
            let id = result.client_id.to_string();
            match &result.outcome {
                PushOutcome::Rejected { reason } => {
                    sqlx::query(
                        "update outbox set rejected = ?2, attempts = attempts + 1 where client_id = ?1",
                    )
                    .bind(&id)
                    .bind(reason)
                    .execute(&mut *tx)
                    .await?;
                }
                PushOutcome::Superseded { .. } => {
                    sqlx::query(
                        "update outbox set rejected = ?2, kept = 1, attempts = attempts + 1
                          where client_id = ?1
                            and not exists (select 1 from outbox later
                                             where later.session_id = outbox.session_id
                                               and later.enrollment_id = outbox.enrollment_id
                                               and later.marked_at > outbox.marked_at)",
                    )
                    .bind(&id)
                    .bind(SUPERSEDED)
                    .execute(&mut *tx)
                    .await?;
                }
                PushOutcome::Applied | PushOutcome::Duplicate => {}
            }
        }
        // The rest is on the server: one statement for the whole batch, the ids as JSON.
        let committed: Vec<String> = results
            .iter()
            .filter(|result| !matches!(result.outcome, PushOutcome::Rejected { .. }))
            .map(|result| result.client_id.to_string())
            .collect();
        let ids = serde_json::to_string(&committed).map_err(|error| Error::Corrupt(error.to_string()))?;
        sqlx::query(
            "delete from outbox where client_id in (select value from json_each(?1)) and rejected is null",
        )
        .bind(ids)
        .execute(&mut *tx)
        .await?;
        // The record that beat a mark is shown at once: no pull would bring it when it has
        // not changed since this device's last one.
        for result in results {
            if let PushOutcome::Superseded { record: Some(record) } = &result.outcome {
                apply_record(&mut tx, record).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The people other than `user_id` whose marks wait here: each person's marks go with
    /// their own session, so they wait until that person signs in online on this computer.
    pub async fn waiting_for_others(&self, user_id: i64) -> Result<Vec<WaitingPerson>> {
        let rows = sqlx::query(
            "select o.marked_by, coalesce(p.full_name, 'someone who signed in here') as full_name,
                    count(*) as marks
               from outbox o left join people p on p.user_id = o.marked_by
              where o.rejected is null and o.marked_by is not null and o.marked_by <> ?1
              group by o.marked_by order by full_name",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| WaitingPerson {
                user_id: row.get("marked_by"),
                full_name: row.get("full_name"),
                marks: row.get("marks"),
            })
            .collect())
    }

    /// A refused mark a person has seen: it leaves the outbox (the mark shown stays until
    /// the next pull brings the server's).
    pub async fn dismiss(&self, client_id: Uuid) -> Result<()> {
        sqlx::query("delete from outbox where client_id = ?1 and rejected is not null")
            .bind(client_id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Takes the server's records: each replaces the one shown unless a mark made here,
    /// still waiting, is newer.
    pub async fn apply_records(&self, records: &[RecordChange]) -> Result<()> {
        let mut tx = self.write().await?;
        for record in records {
            apply_record(&mut tx, record).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Replaces the sessions and students kept for `user_id` with the server's.
    pub async fn replace_pack(&self, user_id: i64, pack: &OfflinePack) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("delete from sessions where user_id = ?1").bind(user_id).execute(&mut *tx).await?;
        sqlx::query("delete from students where user_id = ?1").bind(user_id).execute(&mut *tx).await?;
        sqlx::query("delete from checkin_keys where user_id = ?1").bind(user_id).execute(&mut *tx).await?;
        for key in &pack.checkin {
            let kept = serde_json::to_string(key).map_err(|error| Error::Corrupt(error.to_string()))?;
            sqlx::query("insert into checkin_keys (user_id, session_id, key) values (?1, ?2, ?3)")
                .bind(user_id)
                .bind(key.session_id)
                .bind(kept)
                .execute(&mut *tx)
                .await?;
        }
        for session in &pack.sessions {
            sqlx::query(
                "insert into sessions (user_id, id, cohort_id, cohort_name, date, starts_at, ends_at, title)
                 values (?8, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .bind(session.id)
            .bind(session.cohort_id)
            .bind(&session.cohort_name)
            .bind(session.date)
            .bind(session.starts_at)
            .bind(session.ends_at)
            .bind(&session.title)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        for student in &pack.students {
            sqlx::query(
                "insert into students (user_id, enrollment_id, cohort_id, student_id, full_name)
                 values (?5, ?1, ?2, ?3, ?4)",
            )
            .bind(student.enrollment_id)
            .bind(student.cohort_id)
            .bind(student.student_id)
            .bind(&student.full_name)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The check-in key kept here for one of `user_id`'s sessions, if the hub sent one.
    pub async fn checkin_key(&self, user_id: i64, session_id: i64) -> Result<Option<CheckinKey>> {
        let kept: Option<String> =
            sqlx::query_scalar("select key from checkin_keys where user_id = ?1 and session_id = ?2")
                .bind(user_id)
                .bind(session_id)
                .fetch_optional(&self.pool)
                .await?;
        kept.map(|key| serde_json::from_str(&key).map_err(|error| Error::Corrupt(error.to_string())))
            .transpose()
    }

    /// The sessions kept here for `user_id`, in time order.
    pub async fn sessions(&self, user_id: i64) -> Result<Vec<SessionInfo>> {
        let rows = sqlx::query(
            "select id, cohort_id, cohort_name, date, starts_at, ends_at, title from sessions
              where user_id = ?1 order by date, starts_at, id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| SessionInfo {
                id: row.get("id"),
                cohort_id: row.get("cohort_id"),
                cohort_name: row.get("cohort_name"),
                date: row.get::<NaiveDate, _>("date"),
                starts_at: row.get::<Option<NaiveTime>, _>("starts_at"),
                ends_at: row.get::<Option<NaiveTime>, _>("ends_at"),
                title: row.get("title"),
            })
            .collect())
    }

    /// A session kept for `user_id`: its students and their marks as this machine knows them.
    pub async fn roster(&self, user_id: i64, session_id: i64) -> Result<Vec<LocalRosterEntry>> {
        let rows = sqlx::query(
            "select st.enrollment_id, st.full_name, m.status, m.note,
                    exists(select 1 from outbox o where o.session_id = ?1 and o.enrollment_id = st.enrollment_id
                                                    and o.rejected is null) as waiting
               from sessions s
               join students st on st.user_id = s.user_id and st.cohort_id = s.cohort_id
               left join marks m on m.session_id = s.id and m.enrollment_id = st.enrollment_id
              where s.id = ?1 and s.user_id = ?2
              order by st.full_name, st.enrollment_id",
        )
        .bind(session_id)
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(LocalRosterEntry {
                    enrollment_id: row.get("enrollment_id"),
                    full_name: row.get("full_name"),
                    status: row.get::<Option<&str>, _>("status").map(parse_mark).transpose()?,
                    note: row.get("note"),
                    waiting: row.get("waiting"),
                })
            })
            .collect()
    }

    /// What the sync line shows `user_id` (marks from before the outbox knew who made
    /// them count as anyone's).
    pub async fn status(&self, user_id: i64) -> Result<LocalStatus> {
        let waiting: i64 = sqlx::query_scalar(
            "select count(*) from outbox where rejected is null and (marked_by = ?1 or marked_by is null)",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await?;
        let rejected = sqlx::query(
            "select client_id, session_id, enrollment_id, status, rejected, kept from outbox
              where rejected is not null and (marked_by = ?1 or marked_by is null) order by queued_at",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(RejectedMark {
                client_id: parse_uuid(row.get("client_id"))?,
                session_id: row.get("session_id"),
                enrollment_id: row.get("enrollment_id"),
                status: parse_mark(row.get("status"))?,
                reason: row.get("rejected"),
                kept: row.get("kept"),
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let last_sync_at = self.meta("last_sync_at").await?.and_then(|text| text.parse().ok());
        let waiting_for_others = self.waiting_for_others(user_id).await?;
        Ok(LocalStatus { waiting, waiting_for_others, rejected, last_sync_at })
    }

    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("select value from meta where key = ?1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?)
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query("insert into meta (key, value) values (?1, ?2) on conflict (key) do update set value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// After an online sign-in: keeps who signed in and a verifier made here from the
    /// password they typed, so they can sign in on this machine with the database away.
    pub async fn remember_sign_in(&self, identifier: &str, password: &str, user: &CurrentUser) -> Result<()> {
        let verifier = verifier::make(password)?;
        sqlx::query(
            "insert into people (user_id, identifier, verifier, full_name, is_admin, is_instructor, is_student,
                                 saved_at)
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             on conflict (user_id) do update set identifier = excluded.identifier, verifier = excluded.verifier,
                 full_name = excluded.full_name, is_admin = excluded.is_admin,
                 is_instructor = excluded.is_instructor, is_student = excluded.is_student,
                 saved_at = excluded.saved_at",
        )
        .bind(user.id)
        .bind(identifier.trim().to_lowercase())
        .bind(verifier)
        .bind(&user.full_name)
        .bind(user.is_admin)
        .bind(user.is_instructor)
        .bind(user.is_student)
        .bind(Utc::now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// After `user_id` changed their password here: the offline sign-in takes the new one,
    /// and the old one no longer opens anything on this computer.
    pub async fn replace_verifier(&self, user_id: i64, password: &str) -> Result<()> {
        let verifier = verifier::make(password)?;
        sqlx::query("update people set verifier = ?2, saved_at = ?3 where user_id = ?1")
            .bind(user_id)
            .bind(verifier)
            .bind(Utc::now())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether someone signed in online here with this identifier, so may sign in offline.
    pub async fn knows(&self, identifier: &str) -> Result<bool> {
        Ok(sqlx::query_scalar("select exists(select 1 from people where identifier = ?1)")
            .bind(identifier.trim().to_lowercase())
            .fetch_one(&self.pool)
            .await?)
    }

    /// Signs in with the hub unreachable: someone who signed in here before, with the
    /// same password. `None` when the identifier is unknown here or the password is wrong;
    /// [`Error::Locked`] after too many wrong ones (a locked identifier costs no password
    /// work, and unknown identifiers count too, so probing tells nothing).
    pub async fn sign_in_offline(&self, identifier: &str, password: &str) -> Result<Option<CurrentUser>> {
        let identifier = identifier.trim().to_lowercase();
        let now = Utc::now();
        let locked_until: Option<DateTime<Utc>> =
            sqlx::query_scalar("select locked_until from sign_in_failures where identifier = ?1")
                .bind(&identifier)
                .fetch_optional(&self.pool)
                .await?
                .flatten();
        if let Some(until) = locked_until.filter(|until| *until > now) {
            return Err(Error::Locked((until - now).num_seconds().max(1)));
        }
        let row = sqlx::query(
            "select user_id, verifier, full_name, is_admin, is_instructor, is_student
               from people where identifier = ?1",
        )
        .bind(&identifier)
        .fetch_optional(&self.pool)
        .await?;
        let right =
            row.as_ref().is_some_and(|row| verifier::check(password, &row.get::<String, _>("verifier")));
        let Some(row) = row.filter(|_| right) else {
            let failures: i64 = sqlx::query_scalar(
                "insert into sign_in_failures (identifier, failures) values (?1, 1)
                 on conflict (identifier) do update set failures = failures + 1
                 returning failures",
            )
            .bind(&identifier)
            .fetch_one(&self.pool)
            .await?;
            if failures < FREE_FAILURES {
                return Ok(None);
            }
            let seconds = 30_i64.saturating_mul(1 << (failures - FREE_FAILURES).min(5)).min(900);
            sqlx::query("update sign_in_failures set locked_until = ?2 where identifier = ?1")
                .bind(&identifier)
                .bind(now + chrono::Duration::seconds(seconds))
                .execute(&self.pool)
                .await?;
            return Err(Error::Locked(seconds));
        };
        sqlx::query("delete from sign_in_failures where identifier = ?1")
            .bind(&identifier)
            .execute(&self.pool)
            .await?;
        Ok(Some(CurrentUser {
            id: row.get("user_id"),
            // Who they are, as far as this machine knows: the identifier they signed in with.
            email: identifier.contains('@').then(|| identifier.clone()),
            phone: (!identifier.contains('@')).then(|| identifier.clone()),
            full_name: row.get("full_name"),
            is_admin: row.get("is_admin"),
            is_instructor: row.get("is_instructor"),
            is_student: row.get("is_student"),
        }))
    }
}

/// Creates the store's file readable and writable by its owner only, and makes an existing
/// one so (a store made by an older version).
fn restrict_to_owner(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let private = || std::fs::Permissions::from_mode(0o600);
        let file = std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(path);
        let made = file.and_then(|_| std::fs::set_permissions(path, private()));
        made.map_err(|error| Error::File(format!("{} cannot be made private: {error}", path.display())))?;
        for journal in ["-wal", "-shm", "-journal"] {
            let mut name = path.as_os_str().to_owned();
            name.push(journal);
            let journal = std::path::PathBuf::from(name);
            if journal.exists() {
                let _ = std::fs::set_permissions(&journal, private());
            }
        }
    }
    // Elsewhere the app's data folder is the account's own (Windows' AppData, macOS'
    // Library), which the file inherits.
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Shows the server's record unless a mark made here, still waiting, is newer.
async fn apply_record(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    record: &RecordChange,
) -> Result<()> {
    sqlx::query(
        "insert into marks (session_id, enrollment_id, status, note, marked_at, client_id)
             select ?1, ?2, ?3, ?4, ?5, ?6
              where not exists (select 1 from outbox o
                                 where o.session_id = ?1 and o.enrollment_id = ?2 and o.rejected is null
                                   and o.marked_at > ?5)
             on conflict (session_id, enrollment_id) do update
                set status = excluded.status, note = excluded.note, marked_at = excluded.marked_at,
                    client_id = excluded.client_id",
    )
    .bind(record.session_id)
    .bind(record.enrollment_id)
    .bind(record.status.as_str())
    .bind(&record.note)
    .bind(record.marked_at)
    .bind(record.client_id.map(|id| id.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
