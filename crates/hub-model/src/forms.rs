//! Dynamic forms: what admins build (forms and their fields) and the one check of a
//! visitor's answers against a form, shared by the public API (which stores only what
//! passes) and the form builder's live preview (which shows the same refusals).

use crate::input::{Email, Phone, WebUrl};
use crate::public::FormField;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The key of the form visitors fill in to apply to a cohort (the public API reads it).
pub const APPLICATION_FORM_KEY: &str = "cohort_application";

/// The field of the application form that identifies the applicant: it cannot be removed,
/// disabled, renamed, made optional or changed to another type.
pub const APPLICATION_EMAIL_FIELD: &str = "email";

pub use crate::public::FieldType;

/// A refused answer: the form field's name, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerProblem {
    pub field: String,
    pub message: String,
}

impl AnswerProblem {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self { field: field.to_owned(), message: message.into() }
    }
}

impl std::fmt::Display for AnswerProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The options of a `select` field, as stored (a JSON list of strings).
pub fn options_of(field: &FormField) -> Vec<String> {
    field
        .options
        .as_ref()
        .and_then(Value::as_array)
        .map(|options| options.iter().filter_map(|option| option.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// Checks `answers` against the form's enabled `fields`: every required field answered,
/// each answer of its field's kind (an email, a phone number, a date, one of a select's
/// options, a checkbox's true or false, a link for a file) and within its lengths; an
/// answer to no field is refused. Returns the answers as they are kept: trimmed, an email
/// lower-cased, blanks left out.
pub fn check_answers(
    fields: &[FormField],
    answers: &Map<String, Value>,
) -> Result<Map<String, Value>, AnswerProblem> {
    check_all_answers(fields, answers).map_err(|mut problems| problems.remove(0))
}

/// [`check_answers`], saying every problem rather than the first (a form shows each beside
/// its field): answers to no field first, then the fields in their order. Never an empty
/// list of problems.
pub fn check_all_answers(
    fields: &[FormField],
    answers: &Map<String, Value>,
) -> Result<Map<String, Value>, Vec<AnswerProblem>> {
    let mut problems: Vec<AnswerProblem> = answers
        .keys()
        .filter(|name| !fields.iter().any(|field| field.name == **name))
        .map(|unknown| AnswerProblem::new(unknown, "is not a field of this form"))
        .collect();
    let mut kept = Map::new();
    for field in fields {
        match check_one(field, answers.get(&field.name)) {
            Ok(Some(value)) => {
                kept.insert(field.name.clone(), value);
            }
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(kept)
    } else {
        Err(problems)
    }
}

fn check_one(field: &FormField, answer: Option<&Value>) -> Result<Option<Value>, AnswerProblem> {
    let name = field.name.as_str();
    let kind = field.field_type;
    if kind == FieldType::Checkbox {
        let checked = match answer {
            None | Some(Value::Null) => false,
            Some(Value::Bool(checked)) => *checked,
            Some(_) => return Err(AnswerProblem::new(name, "must be true or false")),
        };
        if field.required && !checked {
            return Err(AnswerProblem::new(name, "must be checked"));
        }
        return Ok(Some(Value::Bool(checked)));
    }
    let text = match answer {
        None | Some(Value::Null) => "",
        Some(Value::String(text)) => text.trim(),
        Some(_) => return Err(AnswerProblem::new(name, "must be text")),
    };
    if text.is_empty() {
        return if field.required { Err(AnswerProblem::new(name, "is required")) } else { Ok(None) };
    }
    // PostgreSQL keeps no U+0000 in text: refused here, named, rather than failing the write.
    if text.contains('\0') {
        return Err(AnswerProblem::new(name, NUL_REFUSAL));
    }
    // Lengths count what was sent, as the OpenAPI document's minLength and maxLength do.
    let length = answer.and_then(Value::as_str).map_or(0, |raw| raw.chars().count());
    if kind.has_length() {
        if let Some(min) = field.min_length.filter(|min| length < usize::try_from(*min).unwrap_or(0)) {
            return Err(AnswerProblem::new(name, format!("must be at least {min} characters")));
        }
        if let Some(max) = field.max_length.filter(|max| length > usize::try_from(*max).unwrap_or(usize::MAX))
        {
            return Err(AnswerProblem::new(name, format!("must be at most {max} characters")));
        }
    }
    if length > MAX_ANSWER_CHARS {
        return Err(AnswerProblem::new(name, format!("is longer than {MAX_ANSWER_CHARS} characters")));
    }
    let refuse = |message: String| AnswerProblem::new(name, message);
    let kept = match kind {
        FieldType::Email => {
            Email::parse("email", text).map_err(|error| refuse(error.message))?.as_str().to_owned()
        }
        FieldType::Phone => {
            Phone::parse("phone", text).map_err(|error| refuse(error.message))?.as_str().to_owned()
        }
        FieldType::Date => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| refuse("must be a date written 2027-03-01".to_owned()))?
            .to_string(),
        FieldType::Select => {
            let options = options_of(field);
            if !options.iter().any(|option| option == text) {
                return Err(refuse(format!("must be one of: {}", options.join(", "))));
            }
            text.to_owned()
        }
        FieldType::File => WebUrl::parse("file", text)
            .map_err(|_| refuse("must be a link to the uploaded file, starting with https://".to_owned()))?
            .as_str()
            .to_owned(),
        FieldType::Text | FieldType::Textarea | FieldType::Checkbox => text.to_owned(),
    };
    Ok(Some(Value::String(kept)))
}

/// The longest answer any field takes.
pub const MAX_ANSWER_CHARS: usize = 10_000;

/// JSON Schema patterns for what the checks above do by hand, in the regex dialect both
/// ECMA-262 and Python share; one pattern per kind, so a generator can draw from it.
/// Text: not blank — a character `str::trim` keeps (Python's `\s` also counts U+001C–U+001F
/// as space; Rust keeps them) — and no U+0000 anywhere (PostgreSQL's text cannot hold it).
/// `hub_model::public::ContactMessage`'s message says the same.
pub const TEXT_PATTERN: &str = r"^[^\x00]*(?:[^\s\x00]|[\x1c-\x1f])[^\x00]*$";
/// What refuses a U+0000.
pub const NUL_REFUSAL: &str = "must not contain the character U+0000";
/// Nothing `str::trim` keeps.
pub const BLANK_PATTERN: &str = r"^[^\S\x1c-\x1f]*$";
/// What [`Phone::parse`] takes: digits, spaces, `+-().`, 6 to 15 digits.
pub const PHONE_PATTERN: &str = r"^[ +\-().]*(?:[0-9][ +\-().]*){6,15}$";
/// What [`WebUrl::parse`] takes: http(s), a host with a dot inside it, no spaces.
pub const LINK_PATTERN: &str =
    r"^[^\S\x1c-\x1f]*https?://[^\s/?#.][^\s/?#]*\.[^\s/?#]*[^\s/?#.](?:[/?#][^\s\x00]*)?[^\S\x1c-\x1f]*$";

/// The answers [`check_answers`] takes, as JSON Schema: the OpenAPI document describes the
/// application form the admin built with it, so what one accepts the other allows.
pub fn answers_schema(fields: &[FormField]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in fields {
        let kind = field.field_type;
        if field.required {
            required.push(Value::from(field.name.clone()));
        }
        let schema = if kind == FieldType::Checkbox {
            if field.required {
                serde_json::json!({ "type": "boolean", "const": true })
            } else {
                serde_json::json!({ "type": ["boolean", "null"] })
            }
        } else {
            let answered = answer_schema(field, kind);
            if field.required {
                answered
            } else {
                serde_json::json!({ "anyOf": [
                    { "type": "null" },
                    { "type": "string", "pattern": BLANK_PATTERN },
                    answered,
                ] })
            }
        };
        properties.insert(field.name.clone(), schema);
    }
    serde_json::json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// A field's answer when one is given (not blank).
fn answer_schema(field: &FormField, kind: FieldType) -> Value {
    let bound = |limit: Option<i32>| limit.and_then(|limit| usize::try_from(limit).ok());
    let (min, max) =
        if kind.has_length() { (bound(field.min_length), bound(field.max_length)) } else { (None, None) };
    let max = max.map_or(MAX_ANSWER_CHARS, |max| max.min(MAX_ANSWER_CHARS));
    let mut schema = Map::new();
    schema.insert("type".to_owned(), Value::from("string"));
    schema.insert("maxLength".to_owned(), Value::from(max));
    schema.insert("minLength".to_owned(), Value::from(min.unwrap_or(1).max(1)));
    let pattern = match kind {
        FieldType::Email => {
            schema.insert("format".to_owned(), Value::from("email"));
            None
        }
        FieldType::Date => {
            schema.insert("format".to_owned(), Value::from("date"));
            None
        }
        FieldType::Select => {
            schema.insert("enum".to_owned(), Value::from(options_of(field)));
            None
        }
        FieldType::Phone => Some(PHONE_PATTERN),
        FieldType::File => Some(LINK_PATTERN),
        FieldType::Text | FieldType::Textarea | FieldType::Checkbox => Some(TEXT_PATTERN),
    };
    if let Some(pattern) = pattern {
        schema.insert("pattern".to_owned(), Value::from(pattern));
    }
    Value::Object(schema)
}

/// A form as the builder lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormSummary {
    pub id: i64,
    pub key: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub is_active: bool,
    pub fields: i64,
    pub updated_at: DateTime<Utc>,
}

/// A field as the builder edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFieldRow {
    pub id: i64,
    pub name: String,
    pub label: String,
    pub field_type: FieldType,
    pub required: bool,
    /// A select's choices.
    pub options: Vec<String>,
    pub placeholder: Option<String>,
    pub min_length: Option<i32>,
    pub max_length: Option<i32>,
    pub sort_order: i32,
    pub is_enabled: bool,
}

impl FormFieldRow {
    /// The field as a visitor's form has it (for the preview and the check above).
    pub fn as_public(&self) -> FormField {
        FormField {
            name: self.name.clone(),
            label: self.label.clone(),
            field_type: self.field_type,
            required: self.required,
            options: (self.field_type == FieldType::Select).then(|| Value::from(self.options.clone())),
            placeholder: self.placeholder.clone(),
            min_length: self.min_length,
            max_length: self.max_length,
        }
    }
}

/// A form and all its fields (disabled ones too), in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormDetail {
    pub form: FormSummary,
    pub fields: Vec<FormFieldRow>,
}

/// Creates a form (no `id`) or changes one's key, title, description and state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveFormRequest {
    #[serde(default)]
    pub id: Option<i64>,
    pub key: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default = "active")]
    pub is_active: bool,
}

fn active() -> bool {
    true
}

/// Adds a field to a form (no `id`: last in order) or changes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveFieldRequest {
    #[serde(default)]
    pub id: Option<i64>,
    pub form_id: i64,
    pub name: String,
    pub label: String,
    pub field_type: FieldType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub placeholder: Option<String>,
    #[serde(default)]
    pub min_length: Option<i32>,
    #[serde(default)]
    pub max_length: Option<i32>,
    #[serde(default = "active")]
    pub is_enabled: bool,
}

/// The form's fields in a new order: every field's id, once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReorderFieldsRequest {
    pub form_id: i64,
    pub ids: Vec<i64>,
}

/// A field name as answers carry it: a lower-case letter, then letters, digits or `_`.
pub fn check_field_name(name: &str) -> Result<(), &'static str> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|first| first.is_ascii_lowercase());
    if !first_ok
        || !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        || name.len() > 63
    {
        return Err("must start with a lower-case letter and hold only a–z, 0–9 and _ (at most 63)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(name: &str, kind: &str, required: bool) -> FormField {
        FormField {
            name: name.to_owned(),
            label: name.to_owned(),
            field_type: FieldType::parse(kind).expect("a field type"),
            required,
            options: None,
            placeholder: None,
            min_length: None,
            max_length: None,
        }
    }

    fn answers(value: &Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn refused(fields: &[FormField], value: &Value) -> (String, String) {
        let problem = check_answers(fields, &answers(value)).unwrap_err();
        (problem.field, problem.message)
    }

    #[test]
    fn every_problem_is_said_at_once_in_the_forms_order_after_unknown_answers() {
        let fields =
            [field("email", "email", true), field("born", "date", false), field("terms", "checkbox", true)];
        let problems = check_all_answers(
            &fields,
            &answers(&json!({ "born": "yesterday", "email": "x@", "shoe": "42" })),
        )
        .unwrap_err();
        let named: Vec<&str> = problems.iter().map(|problem| problem.field.as_str()).collect();
        assert_eq!(named, ["shoe", "email", "born", "terms"]);
        // The first of them is what a single refusal names.
        let first =
            check_answers(&fields, &answers(&json!({ "born": "yesterday", "email": "x@" }))).unwrap_err();
        assert_eq!(first.field, "email");
    }

    #[test]
    fn each_kind_of_answer_is_checked_and_named() {
        let mut background = field("background", "select", true);
        background.options = Some(json!(["Student", "Employed"]));
        let mut motivation = field("motivation", "textarea", true);
        motivation.min_length = Some(10);
        motivation.max_length = Some(20);
        let fields = [
            field("email", "email", true),
            field("phone", "phone", false),
            field("born", "date", false),
            background,
            motivation,
            field("terms", "checkbox", true),
            field("cv", "file", false),
        ];
        let good = json!({ "email": " Nour@Example.ORG ", "background": "Student", "motivation": "I love to code",
                           "terms": true, "born": "2001-02-03" });
        let kept = check_answers(&fields, &answers(&good)).unwrap();
        assert_eq!(kept["email"], "nour@example.org");
        assert!(!kept.contains_key("phone"), "a blank optional answer is left out");
        let with = |key: &str, value: Value| {
            let mut changed = good.clone();
            changed[key] = value;
            changed
        };
        assert_eq!(refused(&fields, &with("email", json!("nope"))).0, "email");
        assert_eq!(refused(&fields, &with("phone", json!("call me"))).0, "phone");
        assert_eq!(refused(&fields, &with("born", json!("03/02/2001"))).0, "born");
        assert!(refused(&fields, &with("background", json!("Retired"))).1.contains("Student, Employed"));
        assert!(refused(&fields, &with("motivation", json!("short"))).1.contains("at least 10"));
        assert!(refused(&fields, &with("motivation", json!("far too long for this field")))
            .1
            .contains("at most 20"));
        assert_eq!(
            refused(&fields, &with("terms", json!(false))),
            ("terms".to_owned(), "must be checked".to_owned())
        );
        assert_eq!(refused(&fields, &with("terms", json!("yes"))).1, "must be true or false");
        assert_eq!(refused(&fields, &with("cv", json!("my-cv.pdf"))).0, "cv");
        assert_eq!(
            refused(&fields, &with("email", json!(""))),
            ("email".to_owned(), "is required".to_owned())
        );
        assert_eq!(refused(&fields, &with("nickname", json!("x"))).1, "is not a field of this form");
        assert_eq!(refused(&fields, &with("email", json!(42))).1, "must be text");
        assert_eq!(refused(&fields, &with("motivation", json!("I love\u{0} to code"))).1, NUL_REFUSAL);
    }

    #[test]
    fn field_names_are_identifiers() {
        assert!(check_field_name("date_of_birth").is_ok());
        for bad in ["", "Date", "1st", "first-name", "naïve"] {
            assert!(check_field_name(bad).is_err(), "{bad}");
        }
    }
}
