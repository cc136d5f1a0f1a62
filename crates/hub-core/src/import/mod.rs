//! Reading a spreadsheet's CSV as people write it: UTF-8 with or without a byte-order mark,
//! commas or semicolons (a spreadsheet in many locales writes semicolons) or tabs, headers
//! named as the file's author named them, mapped onto our columns.

mod marks;
mod people;

use crate::{Error, Result};
use hub_model::import::{ColumnUse, ImportReport, ImportRow, RowAction, RowProblem};
use std::collections::{BTreeMap, HashMap};

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 100_000;

/// A file's rows, each by our column names.
#[derive(Debug)]
pub struct Table {
    /// The headers as the file writes them.
    pub headers: Vec<String>,
    /// Which header each of our columns is read from.
    pub columns: Vec<ColumnUse>,
    /// Each row: its line in the file and its cells by our column.
    pub rows: Vec<(u32, HashMap<&'static str, String>)>,
}

/// One of our columns: its name and the other names a spreadsheet may give it.
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
}

/// `Full Name`, `full_name` and `full-name` are one header.
fn normalized(header: &str) -> String {
    header
        .trim()
        .to_lowercase()
        .replace(['_', '-', '.'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The separator the header line uses most: `;`, tab or `,` (outside quotes).
fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let mut quoted = false;
    let mut counts = [0_usize; 3];
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    match counts {
        [semicolons, tabs, commas] if semicolons > commas && semicolons >= tabs => b';',
        [_, tabs, commas] if tabs > commas => b'\t',
        _ => b',',
    }
}

/// Reads `text` with `columns`, a header of the file given for a column in `mapping`
/// taking the place of the usual names. A file that cannot be read, or a mapping that names
/// no header of the file, is refused naming the field.
pub fn read(text: &str, columns: &[Column], mapping: &BTreeMap<String, String>) -> Result<Table> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::validation("csv", "is empty: the first line must name the columns"));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let unreadable = |error: csv::Error| {
        let line = error.position().map_or(0, csv::Position::line);
        Error::validation("csv", format!("line {line} cannot be read as CSV: {error}"))
    };
    let mut record = csv::StringRecord::new();
    if !reader.read_record(&mut record).map_err(unreadable)? {
        return Err(Error::validation("csv", "is empty: the first line must name the columns"));
    }
    let headers: Vec<String> = record.iter().map(|header| header.trim().to_owned()).collect();
    for ours in mapping.keys() {
        if !columns.iter().any(|column| column.name == ours) {
            let known: Vec<&str> = columns.iter().map(|column| column.name).collect();
            return Err(Error::validation(
                format!("columns.{ours}"),
                format!("is not one of our columns ({})", known.join(", ")),
            ));
        }
    }
    let mut taken: Vec<Option<usize>> = Vec::with_capacity(columns.len());
    for column in columns {
        let index = match mapping.get(column.name) {
            Some(theirs) => {
                Some(headers.iter().position(|header| normalized(header) == normalized(theirs)).ok_or_else(
                    || {
                        Error::validation(
                            format!("columns.{}", column.name),
                            format!("the file has no column {theirs:?}"),
                        )
                    },
                )?)
            }
            None => headers.iter().position(|header| {
                let header = normalized(header);
                header == normalized(column.name) || column.aliases.iter().any(|alias| header == *alias)
            }),
        };
        taken.push(index);
    }
    let mut rows = Vec::new();
    // Lines as an editor numbers them, from where each record starts (a quoted cell may
    // hold line breaks; blank lines count).
    let bytes = text.as_bytes();
    let (mut counted_to, mut line) = (0_usize, 1_usize);
    loop {
        // Where the last record ended; the next starts after any blank lines.
        let mut start = usize::try_from(reader.position().byte()).unwrap_or(bytes.len()).min(bytes.len());
        if !reader.read_record(&mut record).map_err(unreadable)? {
            break;
        }
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        line += bytes[counted_to..start.max(counted_to)].iter().filter(|byte| **byte == b'\n').count();
        counted_to = start.max(counted_to);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(Error::validation("csv", format!("has more than {MAX_ROWS} rows: split it")));
        }
        let cells = columns
            .iter()
            .zip(&taken)
            .filter_map(|(column, index)| {
                let cell = crate::text::uninert(record.get((*index)?)?.trim());
                (!cell.is_empty()).then(|| (column.name, cell.to_owned()))
            })
            .collect();
        rows.push((u32::try_from(line).unwrap_or(u32::MAX), cells));
    }
    let uses = columns
        .iter()
        .zip(&taken)
        .map(|(column, index)| ColumnUse {
            column: column.name.to_owned(),
            header: index.map(|index| headers[index].clone()),
        })
        .collect();
    Ok(Table { headers, columns: uses, rows })
}

/// What the rows of a file do, counted (nothing written yet).
pub fn report(columns: Vec<ColumnUse>, headers: Vec<String>, rows: Vec<ImportRow>) -> ImportReport {
    let count = |action: RowAction| {
        u32::try_from(rows.iter().filter(|row| row.action == action).count()).unwrap_or(u32::MAX)
    };
    ImportReport {
        columns,
        headers,
        created: count(RowAction::Create),
        updated: count(RowAction::Update),
        unchanged: count(RowAction::Unchanged),
        refused: count(RowAction::Refused),
        invitations: 0,
        written: false,
        rows,
    }
}

/// A refusal of a row's cell.
pub fn problem(column: &str, message: impl Into<String>) -> RowProblem {
    RowProblem { column: column.to_owned(), message: message.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[Column] = &[
        Column { name: "full_name", aliases: &["name", "full name"] },
        Column { name: "email", aliases: &["e mail", "mail"] },
    ];

    #[test]
    fn semicolons_a_byte_order_mark_and_other_headers_are_read_as_ours() {
        let text = "\u{feff}Name;E-mail;Shoe size\r\nNour Karam;nour@example.org;38\r\n\r\n\"Sami; Jr\";sami@example.org;44\r\n";
        let table = read(text, COLUMNS, &BTreeMap::new()).unwrap();
        assert_eq!(table.headers, ["Name", "E-mail", "Shoe size"]);
        assert_eq!(table.rows.len(), 2, "the blank line is skipped");
        assert_eq!(table.rows[0].0, 2);
        assert_eq!(table.rows[1].0, 4);
        assert_eq!(table.rows[1].1["full_name"], "Sami; Jr");
        assert_eq!(table.rows[0].1["email"], "nour@example.org");
    }

    #[test]
    fn a_mapping_reads_a_column_of_another_name_and_a_wrong_one_is_named() {
        let text = "Student,Contact\nNour,nour@example.org\n";
        let mapping = BTreeMap::from([("full_name".to_owned(), "student".to_owned())]);
        let table = read(text, COLUMNS, &mapping).unwrap();
        assert_eq!(table.rows[0].1["full_name"], "Nour");
        assert!(!table.rows[0].1.contains_key("email"), "Contact is no email column of ours");
        assert_eq!(table.columns[1].header, None);
        let wrong = BTreeMap::from([("email".to_owned(), "Mail address".to_owned())]);
        let refused = read(text, COLUMNS, &wrong).unwrap_err().to_api();
        assert_eq!(refused.field.as_deref(), Some("columns.email"));
        let unknown = BTreeMap::from([("shoe".to_owned(), "Contact".to_owned())]);
        assert_eq!(
            read(text, COLUMNS, &unknown).unwrap_err().to_api().field.as_deref(),
            Some("columns.shoe")
        );
        assert_eq!(
            read("  \n", COLUMNS, &BTreeMap::new()).unwrap_err().to_api().field.as_deref(),
            Some("csv")
        );
    }
}
