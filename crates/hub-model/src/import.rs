//! Importing a spreadsheet: people (with their roles, cohort and profile), or attendance
//! marks, from CSV. A dry run says, row by row, what would be created, changed or refused
//! and why; the import itself writes all rows or none, and the same file imported twice
//! changes nothing.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A CSV file (of people, or of marks) and how to read it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// The file's text: UTF-8 with or without a byte-order mark; commas, semicolons or tabs
    /// between fields; the first line its headers.
    pub csv: String,
    /// Our column (see [`PERSON_COLUMNS`], [`MARK_COLUMNS`]) → the file's header, where the file's headers
    /// differ from ours and from the usual names for them.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Only say what would happen; write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// The columns a people file may have, in the order a new file would put them, each with
/// its label. A row needs a name and an email or a phone; roles are student, instructor or
/// admin (several with `;` or `,`), a student when empty; the cohort is named as the hub
/// names it.
pub const PERSON_COLUMNS: &[(&str, &str)] = &[
    ("full_name", "Name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("roles", "Roles"),
    ("cohort", "Cohort"),
    ("bio", "Bio"),
    ("linkedin_url", "LinkedIn"),
    ("github_url", "GitHub"),
    ("portfolio_url", "Portfolio"),
];

/// The columns a marks file may have. A row is one student's mark for one session: the
/// session found by its cohort (as the hub names it) and date (2026-11-03), and by its
/// start time (09:00) when the cohort has two that day; the student by email; the status
/// present, absent, late or excused (or P, A, L, E).
pub const MARK_COLUMNS: &[(&str, &str)] = &[
    ("date", "Date"),
    ("cohort", "Cohort"),
    ("email", "Student email"),
    ("status", "Status"),
    ("note", "Note"),
    ("time", "Start time"),
];

/// What an import did, or would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Each of our columns and the file's header it was read from (`None`: not in the file).
    pub columns: Vec<ColumnUse>,
    /// The file's headers, as written (for mapping one of ours to one of them).
    pub headers: Vec<String>,
    pub rows: Vec<ImportRow>,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub refused: u32,
    /// Invitations queued (new people with an email), or that would be.
    pub invitations: u32,
    /// Whether anything was written: never on a dry run, nor when a row is refused.
    pub written: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnUse {
    pub column: String,
    pub header: Option<String>,
}

/// One row of the file: what happens to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    /// The row's line in the file (the headers are line 1).
    pub line: u32,
    /// Who it is about: their email, else their phone, else their name.
    pub label: String,
    pub action: RowAction,
    /// What it creates or changes ("enrolled in Web 2027", "phone +961…").
    pub changes: Vec<String>,
    /// Why it is refused, by column.
    pub problems: Vec<RowProblem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Create,
    Update,
    Unchanged,
    Refused,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// Our column the problem is in (`row` when it is the whole row's).
    pub column: String,
    pub message: String,
}
