//! Reading what people typed into lists' searches and forms' optional fields.

use crate::{Error, Result};

/// `%search%` for a case-insensitive LIKE against lower-cased columns; `%`, `_` and `\`
/// typed by a person are literal characters, not wildcards. `None` for a blank search.
pub fn like_pattern(search: Option<&str>) -> Option<String> {
    let search = search.map(str::trim).filter(|search| !search.is_empty())?;
    let escaped = search.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    Some(format!("%{escaped}%"))
}

/// Trimmed text of at most `max` characters; `None` when blank.
pub fn optional(field: &'static str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > max {
        return Err(Error::validation(field, format!("is longer than {max} characters")));
    }
    Ok(Some(value.to_owned()))
}

/// "Autumn 2026" → "autumn-2026", for a file name.
pub fn file_part(text: &str) -> String {
    let mut part = String::new();
    for c in text.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            part.push(c);
        } else if !part.ends_with('-') {
            part.push('-');
        }
    }
    part.trim_matches('-').to_owned()
}

/// Writes rows to CSV text: a header, then one line each, every cell [`inert`].
pub fn csv_text(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let internal = |error: csv::Error| Error::Internal(format!("writing CSV: {error}"));
    writer.write_record(header).map_err(internal)?;
    for row in rows {
        writer.write_record(row.iter().map(|cell| inert(cell))).map_err(internal)?;
    }
    let bytes = writer.into_inner().map_err(|error| Error::Internal(format!("writing CSV: {error}")))?;
    String::from_utf8(bytes).map_err(|error| Error::Internal(format!("writing CSV: {error}")))
}

/// A cell a spreadsheet shows as text: one that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would run as a formula when an administrator opens the export (a
/// student named `=HYPERLINK(…)`), so it gets a leading apostrophe, as OWASP's rule for CSV
/// injection says. Our numbers are never negative, so no figure is touched.
fn inert(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// A cell as it was before [`inert`] made it text: our exports read back by our imports
/// (a phone `+961…` exported as `'+961…`).
pub fn uninert(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inert_cell_reads_back_as_it_was() {
        for cell in ["+961 3 111 222", "=SUM(A1)", "-5", "'quoted", "plain"] {
            assert_eq!(uninert(&inert(cell)), cell);
        }
        assert_eq!(inert("+961"), "'+961");
    }

    #[test]
    fn wildcards_typed_by_people_are_literal() {
        assert_eq!(like_pattern(Some(" 50%_Off\\ ")).as_deref(), Some("%50\\%\\_off\\\\%"));
        assert_eq!(like_pattern(Some("   ")), None);
    }
}
