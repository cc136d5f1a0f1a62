//! The form builder: forms and their fields, each field checked as the public API will
//! read it (an identifier name unique in its form, a select with choices, min ≤ max).

use crate::error::violated_constraint;
use crate::ops::Handler;
use crate::text::optional as text;
use crate::{Actor, Error, Hub, Result};
use hub_model::cms::IdRequest;
use hub_model::forms::{
    check_field_name, FieldType, FormDetail, FormFieldRow, FormSummary, ReorderFieldsRequest,
    SaveFieldRequest, SaveFormRequest, APPLICATION_EMAIL_FIELD, APPLICATION_FORM_KEY,
};
use hub_model::ops::{DeleteField, GetForm, ListForms, ReorderFields, SaveField, SaveForm};
use hub_model::NoRequest;
use sqlx::PgConnection;

async fn summaries(connection: &mut PgConnection, id: Option<i64>) -> Result<Vec<FormSummary>> {
    Ok(sqlx::query_as!(
        FormSummary,
        r#"select f.id, f.key, f.title, f.description, f.is_active, f.updated_at,
                  (select count(*) from form_fields ff where ff.form_id = f.id) as "fields!"
             from forms f where ($1::bigint is null or f.id = $1) order by f.key"#,
        id
    )
    .fetch_all(connection)
    .await?)
}

async fn detail(connection: &mut PgConnection, id: i64) -> Result<FormDetail> {
    let form =
        summaries(connection, Some(id)).await?.pop().ok_or_else(|| Error::NotFound(format!("form {id}")))?;
    let fields = sqlx::query!(
        r#"select id, name, label, type as field_type, required, options, placeholder, min_length, max_length,
                  sort_order, is_enabled
             from form_fields where form_id = $1 order by sort_order, id"#,
        id
    )
    .fetch_all(connection)
    .await?
    .into_iter()
    .map(|row| {
        Ok(FormFieldRow {
            id: row.id,
            name: row.name,
            label: row.label,
            field_type: row.field_type.parse()?,
            required: row.required,
            options: row
                .options
                .as_ref()
                .and_then(|options| options.as_array())
                .map(|options| {
                    options.iter().filter_map(|option| option.as_str().map(str::to_owned)).collect()
                })
                .unwrap_or_default(),
            placeholder: row.placeholder,
            min_length: row.min_length,
            max_length: row.max_length,
            sort_order: row.sort_order,
            is_enabled: row.is_enabled,
        })
    })
    .collect::<Result<_>>()?;
    Ok(FormDetail { form, fields })
}

impl Handler for ListForms {
    async fn handle(hub: &Hub, actor: &Actor, _: NoRequest) -> Result<Vec<FormSummary>> {
        actor.require_admin()?;
        summaries(&mut *hub.pool().acquire().await?, None).await
    }
}

impl Handler for GetForm {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<FormDetail> {
        actor.require_admin()?;
        detail(&mut *hub.pool().acquire().await?, request.id).await
    }
}

impl Handler for SaveForm {
    async fn handle(hub: &Hub, actor: &Actor, request: SaveFormRequest) -> Result<FormDetail> {
        let admin = actor.require_admin()?;
        let key = request.key.trim().to_owned();
        check_field_name(&key).map_err(|message| Error::validation("key", message))?;
        let title = text("title", request.title.as_deref(), 200)?;
        let description = text("description", request.description.as_deref(), 2_000)?;
        let duplicate = |error: sqlx::Error| match violated_constraint(&error) {
            Some("forms_key_key") => Error::validation("key", "is already used by another form"),
            _ => Error::Db(error),
        };
        let mut connection = hub.begin().await?;
        if let Some(id) = request.id {
            let current = sqlx::query_scalar!("select key from forms where id = $1", id)
                .fetch_optional(&mut *connection)
                .await?;
            if current.as_deref() == Some(APPLICATION_FORM_KEY) && key != APPLICATION_FORM_KEY {
                return Err(Error::validation(
                    "key",
                    format!("the website's application form keeps its key, {APPLICATION_FORM_KEY}"),
                ));
            }
        }
        let id = match request.id {
            None => sqlx::query_scalar!(
                "insert into forms (key, title, description, is_active, created_by) values ($1, $2, $3, $4, $5)
                 returning id",
                key,
                title,
                description,
                request.is_active,
                admin.id
            )
            .fetch_one(&mut *connection)
            .await
            .map_err(duplicate)?,
            Some(id) => sqlx::query_scalar!(
                "update forms set key = $2, title = $3, description = $4, is_active = $5 where id = $1 returning id",
                id,
                key,
                title,
                description,
                request.is_active
            )
            .fetch_optional(&mut *connection)
            .await
            .map_err(duplicate)?
            .ok_or_else(|| Error::NotFound(format!("form {id}")))?,
        };
        let saved = detail(&mut connection, id).await?;
        connection.commit().await?;
        Ok(saved)
    }
}

/// A field as it may be stored: named like an identifier, a select with choices, lengths
/// that make sense.
fn checked(
    request: &SaveFieldRequest,
) -> Result<(String, String, Option<serde_json::Value>, Option<String>)> {
    let name = request.name.trim().to_owned();
    check_field_name(&name).map_err(|message| Error::validation("name", message))?;
    let label = text("label", Some(&request.label), 200)?
        .ok_or_else(|| Error::validation("label", "enter the label visitors read"))?;
    let placeholder = text("placeholder", request.placeholder.as_deref(), 200)?;
    let options: Vec<String> = request
        .options
        .iter()
        .map(|option| option.trim().to_owned())
        .filter(|option| !option.is_empty())
        .collect();
    let options = match request.field_type {
        FieldType::Select if options.is_empty() => {
            return Err(Error::validation("options", "a choice list needs at least one choice"))
        }
        FieldType::Select => {
            if options.iter().any(|option| option.chars().count() > 200) {
                return Err(Error::validation("options", "each choice is at most 200 characters"));
            }
            Some(serde_json::Value::from(options))
        }
        _ => None,
    };
    for (field, length) in [("min_length", request.min_length), ("max_length", request.max_length)] {
        if length.is_some_and(|length| length < 0) {
            return Err(Error::validation(field, "cannot be negative"));
        }
    }
    if let (Some(min), Some(max)) = (request.min_length, request.max_length) {
        if min > max {
            return Err(Error::validation("max_length", "must be at least the minimum length"));
        }
    }
    Ok((name, label, options, placeholder))
}

/// Whether the field is the application form's email field (see [`APPLICATION_EMAIL_FIELD`]).
async fn is_application_email(connection: &mut PgConnection, field_id: i64) -> Result<bool> {
    Ok(sqlx::query_scalar!(
        r#"select exists (select 1 from form_fields f join forms o on o.id = f.form_id
                           where f.id = $1 and o.key = $2 and f.name = $3) as "found!""#,
        field_id,
        APPLICATION_FORM_KEY,
        APPLICATION_EMAIL_FIELD
    )
    .fetch_one(connection)
    .await?)
}

impl Handler for SaveField {
    async fn handle(hub: &Hub, actor: &Actor, request: SaveFieldRequest) -> Result<FormDetail> {
        actor.require_admin()?;
        let (name, label, options, placeholder) = checked(&request)?;
        let (min_length, max_length) = if request.field_type.has_length() {
            (request.min_length, request.max_length)
        } else {
            (None, None)
        };
        let refused = |error: sqlx::Error| match violated_constraint(&error) {
            Some("form_fields_form_id_name_key") => {
                Error::validation("name", "is already a field of this form")
            }
            Some("form_fields_form_id_fkey") => Error::NotFound(format!("form {}", request.form_id)),
            _ => Error::Db(error),
        };
        let mut tx = hub.begin().await?;
        if let Some(id) = request.id {
            if is_application_email(&mut tx, id).await? {
                let keeps = request.name.trim() == APPLICATION_EMAIL_FIELD
                    && request.field_type == FieldType::Email
                    && request.required
                    && request.is_enabled;
                if !keeps {
                    return Err(Error::validation(
                        "name",
                        "the application form's email field stays an enabled, required email field: \
                         it is how an applicant is recognised and reached",
                    ));
                }
            }
        }
        match request.id {
            None => sqlx::query_scalar!(
                "insert into form_fields (form_id, name, label, type, required, options, placeholder, min_length,
                                          max_length, is_enabled, sort_order)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                         (select coalesce(max(sort_order) + 1, 0) from form_fields where form_id = $1))
                 returning id",
                request.form_id,
                name,
                label,
                request.field_type.as_str(),
                request.required,
                options,
                placeholder,
                min_length,
                max_length,
                request.is_enabled
            )
            .fetch_one(&mut *tx)
            .await
            .map_err(refused)?,
            Some(id) => sqlx::query_scalar!(
                "update form_fields set name = $3, label = $4, type = $5, required = $6, options = $7,
                                        placeholder = $8, min_length = $9, max_length = $10, is_enabled = $11
                  where id = $1 and form_id = $2 returning id",
                id,
                request.form_id,
                name,
                label,
                request.field_type.as_str(),
                request.required,
                options,
                placeholder,
                min_length,
                max_length,
                request.is_enabled
            )
            .fetch_optional(&mut *tx)
            .await
            .map_err(refused)?
            .ok_or_else(|| Error::NotFound(format!("field {id} of form {}", request.form_id)))?,
        };
        sqlx::query!("update forms set updated_at = now() where id = $1", request.form_id)
            .execute(&mut *tx)
            .await?;
        let form = detail(&mut tx, request.form_id).await?;
        tx.commit().await?;
        Ok(form)
    }
}

impl Handler for DeleteField {
    async fn handle(hub: &Hub, actor: &Actor, request: IdRequest) -> Result<FormDetail> {
        actor.require_admin()?;
        let mut tx = hub.begin().await?;
        if is_application_email(&mut tx, request.id).await? {
            return Err(Error::Conflict(
                "the application form's email field cannot be removed: it is how an applicant is recognised and reached"
                    .to_owned(),
            ));
        }
        let form_id =
            sqlx::query_scalar!("delete from form_fields where id = $1 returning form_id", request.id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| Error::NotFound(format!("field {}", request.id)))?;
        sqlx::query!("update forms set updated_at = now() where id = $1", form_id).execute(&mut *tx).await?;
        let form = detail(&mut tx, form_id).await?;
        tx.commit().await?;
        Ok(form)
    }
}

impl Handler for ReorderFields {
    async fn handle(hub: &Hub, actor: &Actor, request: ReorderFieldsRequest) -> Result<FormDetail> {
        actor.require_admin()?;
        let mut tx = hub.begin().await?;
        let mut current: Vec<i64> =
            sqlx::query_scalar!("select id from form_fields where form_id = $1 for update", request.form_id)
                .fetch_all(&mut *tx)
                .await?;
        let mut asked = request.ids.clone();
        current.sort_unstable();
        asked.sort_unstable();
        if current != asked {
            return Err(Error::validation("ids", "must list every field of the form exactly once"));
        }
        sqlx::query!(
            "update form_fields f set sort_order = o.position - 1
               from unnest($2::bigint[]) with ordinality as o(id, position)
              where f.id = o.id and f.form_id = $1",
            request.form_id,
            &request.ids
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!("update forms set updated_at = now() where id = $1", request.form_id)
            .execute(&mut *tx)
            .await?;
        let form = detail(&mut tx, request.form_id).await?;
        tx.commit().await?;
        Ok(form)
    }
}
