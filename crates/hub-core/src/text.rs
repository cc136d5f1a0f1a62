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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_typed_by_people_are_literal() {
        assert_eq!(like_pattern(Some(" 50%_Off\\ ")).as_deref(), Some("%50\\%\\_off\\\\%"));
        assert_eq!(like_pattern(Some("   ")), None);
    }
}
