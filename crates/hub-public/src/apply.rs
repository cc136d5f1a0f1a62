//! `POST /public/cohorts/{id}/applications`: a visitor applies to a cohort. The answers
//! are checked against the cohort application form (each refusal names its field); the
//! applicant, the pending application and the answers are written together by
//! `submit_application` (migration 0007), which also refuses a closed cohort (said first,
//! before the answers are read, too) and a second active application of the same person. One address may apply only so many times a
//! minute. The applicant's "we received your application" is queued in the same
//! transaction: a stored application is always told, a refused one never.

use crate::client::ClientAddress;
use crate::{Failure, PublicState};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use hub_core::mail::messages::{self, given_answers, Brand};
use hub_core::mail::outbox;
use hub_core::website as content;
use hub_model::forms::{check_all_answers, AnswerProblem};
use hub_model::public::{ApplicationForm, ApplicationReceived};
use serde_json::{Map, Value};

/// The most an application's JSON may weigh.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The form every cohort application answers.
pub const FORM_KEY: &str = hub_model::forms::APPLICATION_FORM_KEY;

pub async fn receive(
    State(state): State<PublicState>,
    ClientAddress(client): ClientAddress,
    Path(cohort_id): Path<String>,
    body: Result<Json<ApplicationForm>, JsonRejection>,
) -> Response {
    if let Err(wait) = state.applications_limit.check(client) {
        return Failure::TooMany(wait).into_response();
    }
    match store(&state, &cohort_id, body).await {
        Ok(received) => (StatusCode::CREATED, Json(received)).into_response(),
        Err(failure) => failure.into_response(),
    }
}

async fn store(
    state: &PublicState,
    cohort_id: &str,
    body: Result<Json<ApplicationForm>, JsonRejection>,
) -> Result<ApplicationReceived, Failure> {
    let cohort_id: i64 =
        cohort_id.parse().map_err(|_| Failure::NotFound(format!("no cohort {cohort_id:?}")))?;
    // A closed cohort is said before the answers are read: a visitor hears that first.
    // `submit_application` checks again, in the transaction that writes.
    if let Some(reason) = refusal(state, cohort_id).await? {
        return Err(Failure::Conflict(reason));
    }
    let Json(form) = body.map_err(|rejection| Failure::BadRequest(rejection.body_text()))?;
    submit(state, cohort_id, form.answers).await.map_err(|refused| match refused {
        Refused::Answers(problems) => Failure::first_of(problems),
        Refused::Failure(failure) => failure,
    })
}

/// Why the cohort takes no application now (`None`: it does); not found when the website
/// does not show it.
pub(crate) async fn refusal(state: &PublicState, cohort_id: i64) -> Result<Option<String>, Failure> {
    let refusal =
        sqlx::query_scalar!("select refusal from published.application_windows where id = $1", cohort_id)
            .fetch_optional(&state.pool)
            .await?;
    refusal.ok_or_else(|| Failure::NotFound(format!("no cohort {cohort_id}")))
}

/// Why an application was not taken.
pub(crate) enum Refused {
    /// What is wrong with the answers, every one of them.
    Answers(Vec<AnswerProblem>),
    Failure(Failure),
}

impl From<Failure> for Refused {
    fn from(failure: Failure) -> Self {
        Self::Failure(failure)
    }
}

impl From<sqlx::Error> for Refused {
    fn from(error: sqlx::Error) -> Self {
        Self::Failure(error.into())
    }
}

impl From<hub_core::Error> for Refused {
    fn from(error: hub_core::Error) -> Self {
        Self::Failure(error.into())
    }
}

/// Checks the answers against the application form and stores the application with the
/// applicant's "we received it" message.
pub(crate) async fn submit(
    state: &PublicState,
    cohort_id: i64,
    answers: Map<String, Value>,
) -> Result<ApplicationReceived, Refused> {
    let (form_id, definition) = content::form_with_id(&state.pool, FORM_KEY).await.map_err(|_| {
        Failure::Conflict("applications are closed: the application form is not active".to_owned())
    })?;
    let answers = check_all_answers(&definition.fields, &answers).map_err(Refused::Answers)?;
    let text = |name: &str| answers.get(name).and_then(|value| value.as_str()).map(str::to_owned);
    let email = text("email").ok_or_else(|| Failure::Invalid {
        field: "email".to_owned(),
        message: "is required: the application form must ask for an email".to_owned(),
    })?;
    let brand = Brand::current(&state.pool).await?;
    let cohort = content::cohorts(&state.pool).await?.into_iter().find(|cohort| cohort.id == cohort_id);
    let mut tx = hub_core::db::begin_as(&state.writes, "website.apply").await?;
    let outcome = sqlx::query!(
        r#"select outcome as "outcome!", application_id, reason
             from submit_application($1, $2, $3, $4, $5, $6)"#,
        cohort_id,
        form_id,
        serde_json::Value::Object(answers.clone()),
        text("full_name"),
        email,
        text("phone"),
    )
    .fetch_one(&mut *tx)
    .await?;
    if let ("created", Some(id)) = (outcome.outcome.as_str(), outcome.application_id) {
        let name = text("full_name").unwrap_or_else(|| "applicant".to_owned());
        let (cohort, program) = cohort.as_ref().map_or(("the cohort", "our program"), |cohort| {
            (cohort.name.as_str(), cohort.program_title.as_str())
        });
        let given = given_answers(&definition.fields, &answers);
        let received =
            messages::ApplicationReceived { brand: &brand, name: &name, cohort, program, answers: &given };
        outbox::enqueue(&mut tx, &received.compose().to(&email, format!("application:{id}:received")))
            .await?;
    }
    tx.commit().await?;
    match (outcome.outcome.as_str(), outcome.application_id) {
        ("created", Some(id)) => Ok(ApplicationReceived { id }),
        ("duplicate", _) => {
            Err(Failure::Conflict("you have already applied to this cohort; we will be in touch".to_owned())
                .into())
        }
        ("closed", _) => {
            Err(Failure::Conflict(outcome.reason.unwrap_or_else(|| "applications are closed".to_owned()))
                .into())
        }
        _ => Err(Failure::NotFound(format!("no cohort {cohort_id}")).into()),
    }
}
