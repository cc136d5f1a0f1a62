//! One cohort's page: where it is in its life and where it may go next, its seats, its
//! instructors (assigned and removed here), its students and its class sessions.

use super::CohortEditor;
use crate::components::badge::{Badge, BadgeTone};
use crate::components::dialog::{Confirm, Dialog};
use crate::components::form::{sentence, use_form, Checkbox, Problems, TextField};
use crate::components::hooks::use_people;
use crate::components::image::Person;
use crate::components::labels::{
    cohort_dates, cohort_seats, cohort_status_badge, email_text, enrollment_badge,
};
use crate::components::list::SEARCH_PAUSE;
use crate::components::toast::{use_toast, Toaster};
use crate::components::when;
use crate::ipc;
use crate::pages::activity::History;
use crate::panels::attendance_charts::{AtRiskList, CohortAttendanceChart};
use crate::panels::attendance_record::save_csv;
use crate::session::{use_session, Action, Page};
use hub_model::applications::{
    AddEnrollmentRequest, ApplicationRow, ChangeEnrollmentsRequest, CompleteCohortRequest, EnrollmentStatus,
    EnrollmentsChange, ExportEnrollmentsRequest, SetEnrollmentStatusRequest,
};
use hub_model::audit::ActivityRequest;
use hub_model::checkin::{CheckinMinutes, SetCohortCheckinRequest, MAX_MINUTES};
use hub_model::cms::IdRequest;
use hub_model::ops;
use hub_model::programs::{
    AssignInstructorRequest, AttendanceMail, CohortDetail, CohortRole, CohortRow, CohortStatus,
    CohortStudent, RemoveInstructorRequest, SetAttendanceMailRequest, SetCohortStatusRequest,
};
use hub_model::sessions::SessionType;
use hub_model::users::{ListUsersRequest, Role, UserSummary};
use hub_model::words;
use hub_model::ApiError;
use std::collections::BTreeSet;
use std::future::Future;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CohortPageProps {
    pub id: i64,
}

/// What the button that moves a cohort from `from` to `to` says.
fn move_label(from: CohortStatus, to: CohortStatus) -> &'static str {
    match (from, to) {
        (_, CohortStatus::Cancelled) => "Cancel cohort",
        (CohortStatus::ComingSoon, CohortStatus::Planned) => "Back to planned",
        (CohortStatus::Open, CohortStatus::ComingSoon) => "Close applications",
        (_, CohortStatus::ComingSoon) => "Announce as coming soon",
        (_, CohortStatus::Open) => "Open applications",
        (_, CohortStatus::Running) => "Start the cohort",
        (_, CohortStatus::Completed) => "Mark completed",
        (_, CohortStatus::Planned) => "Back to planned",
    }
}

#[derive(Clone, PartialEq)]
enum Asking {
    Nothing,
    Edit,
    Cancel,
    Remove(i64, String),
    /// Dropping a student: `(enrollment, name)`.
    Drop(i64, String),
    /// A session's marks, to read or correct.
    Marks(i64),
    /// Completing the cohort: its active students with it?
    Complete,
}

/// Everything the cohort page holds: the cohort as the core last answered, what is asked
/// over it, and how the last change went.
#[derive(Clone, PartialEq)]
struct CohortState {
    detail: Option<Result<CohortDetail, ApiError>>,
    /// Bumped after a change, to read the cohort again; an older answer is dropped.
    generation: u32,
    asking: Asking,
    busy: bool,
    problem: Option<String>,
    /// The application offered the seat a drop freed.
    offer: Option<ApplicationRow>,
    /// The students' enrollments chosen for a change to several at once.
    chosen: BTreeSet<i64>,
}

enum CohortAction {
    Loaded(u32, Result<CohortDetail, ApiError>),
    Ask(Asking),
    Close,
    Working,
    /// A change went through; `offer` is the application a freed seat went to, if it said so.
    Changed {
        offer: Option<Option<ApplicationRow>>,
    },
    Failed(String),
    /// One enrollment chosen (`true`) or no longer.
    Choose(i64, bool),
    /// These enrollments chosen and no other (none: the choice cleared).
    ChooseOnly(BTreeSet<i64>),
}

impl Reducible for CohortState {
    type Action = CohortAction;

    fn reduce(self: Rc<Self>, action: CohortAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            CohortAction::Loaded(generation, answer) => {
                if generation != self.generation {
                    return self;
                }
                next.detail = Some(answer);
            }
            CohortAction::Ask(asking) => next.asking = asking,
            CohortAction::Close => {
                next.problem = None;
                next.asking = Asking::Nothing;
            }
            CohortAction::Working => next.busy = true,
            CohortAction::Changed { offer } => {
                next.problem = None;
                next.asking = Asking::Nothing;
                next.busy = false;
                next.generation += 1;
                if let Some(offer) = offer {
                    next.offer = offer;
                }
            }
            CohortAction::Failed(message) => {
                next.problem = Some(message);
                next.busy = false;
            }
            CohortAction::Choose(id, true) => {
                next.chosen.insert(id);
            }
            CohortAction::Choose(id, false) => {
                next.chosen.remove(&id);
            }
            CohortAction::ChooseOnly(ids) => next.chosen = ids,
        }
        next.into()
    }
}

/// Runs a change of the cohort, says what it did, then shows the cohort as the core answers.
fn change(
    state: &UseReducerHandle<CohortState>,
    toast: &Toaster,
    work: impl Future<Output = Result<(String, Option<Option<ApplicationRow>>), ApiError>> + 'static,
) {
    let (state, toast) = (state.clone(), toast.clone());
    state.dispatch(CohortAction::Working);
    spawn_local(async move {
        match work.await {
            Ok((done, offer)) => {
                toast.success(done);
                state.dispatch(CohortAction::Changed { offer });
            }
            Err(error) => state.dispatch(CohortAction::Failed(sentence(&error.message))),
        }
    });
}

/// A change whose answer says nothing about the waitlist.
async fn said(
    work: impl Future<Output = Result<String, ApiError>>,
) -> Result<(String, Option<Option<ApplicationRow>>), ApiError> {
    work.await.map(|done| (done, None))
}

#[function_component(CohortPage)]
pub fn cohort_page(props: &CohortPageProps) -> Html {
    let session = use_session();
    let toast = use_toast();
    let export_problem = use_state(|| None::<String>);
    let state = use_reducer(|| CohortState {
        detail: None,
        generation: 0,
        asking: Asking::Nothing,
        busy: false,
        problem: None,
        offer: None,
        chosen: BTreeSet::new(),
    });
    {
        let state = state.clone();
        use_effect_with((props.id, state.generation), move |(id, generation)| {
            let (id, generation) = (*id, *generation);
            spawn_local(async move {
                let answer = ipc::call::<ops::GetCohort>(&IdRequest { id }).await;
                state.dispatch(CohortAction::Loaded(generation, answer));
            });
        });
    }
    let back = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(Action::Go(Page::COHORTS)))
    };
    let close = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(CohortAction::Close))
    };
    let detail = match &state.detail {
        None => return html! { <p class="muted" aria-busy="true">{ "Loading the cohort…" }</p> },
        Some(Err(error)) => {
            return html! {
                <>
                    <button class="link-button" onclick={back}>{ "← Cohorts" }</button>
                    <p class="alert" role="alert">{ sentence(&error.message) }</p>
                </>
            }
        }
        Some(Ok(detail)) => detail.clone(),
    };
    let cohort = detail.cohort.clone();
    let id = cohort.id;
    let move_to = |to: CohortStatus| {
        let (state, toast) = (state.clone(), toast.clone());
        Callback::from(move |_: MouseEvent| {
            if to == CohortStatus::Cancelled {
                state.dispatch(CohortAction::Ask(Asking::Cancel));
                return;
            }
            if to == CohortStatus::Completed {
                state.dispatch(CohortAction::Ask(Asking::Complete));
                return;
            }
            change(
                &state,
                &toast,
                said(async move {
                    ipc::call::<ops::SetCohortStatus>(&SetCohortStatusRequest { id, status: to })
                        .await
                        .map(|moved| format!("The cohort is now {}.", moved.status.label().to_lowercase()))
                }),
            );
        })
    };
    let complete = {
        let (state, toast) = (state.clone(), toast.clone());
        Callback::from(move |enrollments: bool| {
            change(
                &state,
                &toast,
                said(async move {
                    ipc::call::<ops::CompleteCohort>(&CompleteCohortRequest { cohort_id: id, enrollments })
                        .await
                        .map(|done| match done.completed {
                            0 => "The cohort is completed.".to_owned(),
                            1 => "The cohort is completed; its student graduated.".to_owned(),
                            n => format!("The cohort is completed; its {n} students graduated."),
                        })
                }),
            );
        })
    };
    let change_many = {
        let (state, toast) = (state.clone(), toast.clone());
        Callback::from(move |change_to: EnrollmentsChange| {
            let request =
                ChangeEnrollmentsRequest { ids: state.chosen.iter().copied().collect(), change: change_to };
            state.dispatch(CohortAction::ChooseOnly(BTreeSet::new()));
            change(&state, &toast, async move {
                ipc::call::<ops::ChangeEnrollments>(&request).await.map(|done| {
                    let said = match (done.changed, change_to) {
                        (n, EnrollmentsChange::MoveTo(_)) => {
                            format!("{} moved.", words::count(n, "student", "students"))
                        }
                        (n, EnrollmentsChange::Status(status)) => {
                            format!(
                                "{} now {}.",
                                words::count(n, "enrollment", "enrollments"),
                                status.label().to_lowercase()
                            )
                        }
                    };
                    (said, Some(done.promotions.into_iter().next()))
                })
            });
        })
    };
    let confirm_cancel = {
        let (state, toast) = (state.clone(), toast.clone());
        Callback::from(move |()| {
            change(
                &state,
                &toast,
                said(async move {
                    ipc::call::<ops::SetCohortStatus>(&SetCohortStatusRequest {
                        id,
                        status: CohortStatus::Cancelled,
                    })
                    .await
                    .map(|_| "The cohort is cancelled.".to_owned())
                }),
            );
        })
    };
    let confirm_remove = {
        let (state, toast) = (state.clone(), toast.clone());
        Callback::from(move |()| {
            let Asking::Remove(user_id, name) = state.asking.clone() else { return };
            change(
                &state,
                &toast,
                said(async move {
                    ipc::call::<ops::RemoveInstructor>(&RemoveInstructorRequest { cohort_id: id, user_id })
                        .await
                        .map(|_| format!("{name} no longer teaches this cohort."))
                }),
            );
        })
    };
    let assign = {
        let (state, toast) = (state.clone(), toast.clone());
        Callback::from(move |(user_id, cohort_role): (i64, CohortRole)| {
            change(
                &state,
                &toast,
                said(async move {
                    ipc::call::<ops::AssignInstructor>(&AssignInstructorRequest {
                        cohort_id: id,
                        user_id,
                        cohort_role,
                    })
                    .await
                    .map(|_| "Instructor assigned.".to_owned())
                }),
            );
        })
    };
    let ask = |next: Asking| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(CohortAction::Ask(next.clone())))
    };
    let edited = {
        let state = state.clone();
        Callback::from(move |_: CohortRow| state.dispatch(CohortAction::Changed { offer: None }))
    };
    let set_status = {
        let (state, toast) = (state.clone(), toast.clone());
        move |enrollment: i64, status: EnrollmentStatus| {
            change(&state, &toast, async move {
                let changed = ipc::call::<ops::SetEnrollmentStatus>(&SetEnrollmentStatusRequest {
                    id: enrollment,
                    status,
                })
                .await?;
                let said = format!(
                    "{} is {}.",
                    changed.student.full_name,
                    changed.student.status.label().to_lowercase()
                );
                Ok((said, Some(changed.promotion)))
            });
        }
    };
    // Dropping frees the seat (and may offer it to the waitlist): it is asked first.
    let set_enrollment = |student: &CohortStudent| {
        let (set_status, state) = (set_status.clone(), state.clone());
        let (enrollment, name, current) = (student.enrollment_id, student.full_name.clone(), student.status);
        Callback::from(move |event: Event| {
            let select = event.target_unchecked_into::<HtmlSelectElement>();
            let Some(status) = EnrollmentStatus::parse(&select.value()) else {
                return;
            };
            if status == EnrollmentStatus::Dropped {
                select.set_value(current.as_str());
                state.dispatch(CohortAction::Ask(Asking::Drop(enrollment, name.clone())));
            } else {
                set_status(enrollment, status);
            }
        })
    };
    let confirm_drop = {
        let (set_status, state) = (set_status.clone(), state.clone());
        Callback::from(move |()| {
            if let Asking::Drop(enrollment, _) = &state.asking {
                set_status(*enrollment, EnrollmentStatus::Dropped);
            }
        })
    };
    let enroll = {
        let (state, toast) = (state.clone(), toast.clone());
        Callback::from(move |user_id: i64| {
            change(
                &state,
                &toast,
                said(async move {
                    ipc::call::<ops::AddEnrollment>(&AddEnrollmentRequest { cohort_id: id, user_id })
                        .await
                        .map(|added| format!("{} is enrolled.", added.student.full_name))
                }),
            );
        })
    };
    let to_applications = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.dispatch(Action::Go(Page::Applications)))
    };
    let capacity_used = cohort
        .capacity
        .filter(|capacity| *capacity > 0)
        .map(|capacity| (cohort.seats_used as f64 / f64::from(capacity) * 100.0).min(100.0));
    let active_students =
        detail.students.iter().filter(|student| student.status != EnrollmentStatus::Dropped).count();

    html! {
        <>
            <button class="link-button back-link" onclick={back}>{ "← Cohorts" }</button>
            <div class="page-header">
                <div>
                    <p class="muted page-header__kicker">{ &cohort.program_title }</p>
                    <h1 data-testid="cohort-title">{ &cohort.name }</h1>
                </div>
                <button class="button button--quiet" onclick={ask(Asking::Edit)} data-testid="edit-cohort">{ "Edit details" }</button>
            </div>
            <div class="facts">
                <div class="fact">
                    <span class="fact__label">{ "Status" }</span>
                    <span data-testid="cohort-status">{ cohort_status_badge(cohort.status) }</span>
                </div>
                <div class="fact">
                    <span class="fact__label">{ "Dates" }</span>
                    <span>{ cohort_dates(&cohort) }</span>
                </div>
                <div class="fact">
                    <span class="fact__label">{ "Seats used" }</span>
                    <span data-testid="cohort-seats">{ cohort_seats(&cohort) }</span>
                    if let Some(percent) = capacity_used {
                        <span class="meter" role="img" aria-label={format!("{percent:.0}% of seats used")}>
                            <span class="meter__fill" style={format!("width: {percent:.0}%")}></span>
                        </span>
                    }
                </div>
                <div class="fact">
                    <span class="fact__label">{ "Applications" }</span>
                    <span>{ applications(&cohort) }</span>
                </div>
            </div>
            <div class="detail-columns">
            <section class="panel" aria-labelledby="moves-title">
                <h2 id="moves-title">{ "Next step" }</h2>
                if cohort.status.next().is_empty() {
                    <p class="muted">{ format!("{} is final: the cohort does not move on from here.", cohort.status.label()) }</p>
                } else {
                    <div class="button-row" data-testid="cohort-moves">
                        { for cohort.status.next().iter().map(|to| {
                            let class = match to {
                                CohortStatus::Cancelled => "button button--danger-quiet",
                                _ if cohort.status.next().first() == Some(to) => "button button--primary button--inline",
                                _ => "button button--quiet",
                            };
                            html! {
                                <button {class} disabled={state.busy} onclick={move_to(*to)} data-status={to.as_str()}>
                                    { move_label(cohort.status, *to) }
                                </button>
                            }
                        }) }
                    </div>
                    if cohort.status == CohortStatus::Planned {
                        <p class="muted field__hint">{ "Announcing it as coming soon posts it once on the website's announcements." }</p>
                    }
                }
                if let (Some(message), Asking::Nothing) = (&state.problem, &state.asking) { <p class="alert" role="alert">{ message }</p> }
            </section>
            <section class="panel" aria-labelledby="instructors-title">
                <h2 id="instructors-title">{ "Instructors" }</h2>
                if cohort.instructors.is_empty() {
                    <p class="muted">{ "No instructor teaches this cohort yet." }</p>
                } else {
                    <ul class="people" data-testid="cohort-instructors">
                        { for cohort.instructors.iter().map(|instructor| html! {
                            <li class="people__item">
                                <span class="table__strong">{ &instructor.full_name }</span>
                                <Badge text={instructor.cohort_role.label()} tone={BadgeTone::Primary} />
                                if !instructor.is_instructor {
                                    // Named as history; the core gives them no right here.
                                    <Badge text="No longer an instructor" tone={BadgeTone::Warning} />
                                }
                                <button class="button button--quiet button--small"
                                    onclick={ask(Asking::Remove(instructor.user_id, instructor.full_name.clone()))}
                                    aria-label={format!("Remove {}", instructor.full_name)}>{ "Remove" }</button>
                            </li>
                        }) }
                    </ul>
                }
                <AssignInstructorForm on_assign={assign} busy={state.busy}
                    teaching={cohort.instructors.iter().map(|i| i.user_id).collect::<Vec<_>>()} />
            </section>
            </div>
            <section class="panel" aria-labelledby="cohort-attendance-title" data-testid="cohort-attendance">
                <h2 id="cohort-attendance-title">{ "Attendance" }</h2>
                <CohortAttendanceChart cohort_id={cohort.id} />
                <AtRiskList cohort_id={cohort.id} />
            </section>
            <div class="cohort__settings">
                <AttendanceMailPanel cohort_id={cohort.id} settings={detail.attendance_mail} />
                <CheckinDefaultsPanel cohort_id={cohort.id} minutes={detail.checkin} />
            </div>
            <section class="panel" aria-labelledby="students-title">
                <div class="panel__head">
                    <h2 id="students-title">{ format!("Students ({active_students})") }</h2>
                    <button class="button button--quiet button--small" data-testid="export-enrollments"
                        onclick={save_csv::<ops::ExportEnrollments>(ExportEnrollmentsRequest { cohort_id: Some(cohort.id) },
                            toast.clone(), export_problem.clone())}>
                        { "Export CSV" }
                    </button>
                </div>
                if let Some(message) = &*export_problem {
                    <p class="alert" role="alert">{ message }</p>
                }
                if let Some(next) = &state.offer {
                    <div class="offer" role="status" data-testid="promotion">
                        <span>{ format!("A seat is free. {} has waited longest on the waitlist.",
                            next.full_name.clone().or_else(|| next.email.clone()).unwrap_or_default()) }</span>
                        <button class="button button--quiet button--small" onclick={to_applications}>{ "Open applications" }</button>
                    </div>
                }
                <EnrollStudent on_enroll={enroll} busy={state.busy} />
                if !state.chosen.is_empty() {
                    <BulkEnrollments count={state.chosen.len()} cohort_id={cohort.id} busy={state.busy} on_change={change_many}
                        on_clear={let state = state.clone(); Callback::from(move |()| state.dispatch(CohortAction::ChooseOnly(BTreeSet::new())))} />
                }
                if detail.students.is_empty() {
                    <p class="muted">{ "Nobody is enrolled yet. Students join when their application is approved." }</p>
                } else {
                    <div class="table-frame">
                        <table class="table" aria-label="Students" data-testid="cohort-students">
                            <thead><tr>
                                <th scope="col" class="table__choose" aria-label="Choose">
                                    <input type="checkbox" aria-label="Choose every student" data-testid="choose-students"
                                        checked={state.chosen.len() == detail.students.len()}
                                        onchange={let (state, all) = (state.clone(), detail.students.iter().map(|student| student.enrollment_id).collect::<BTreeSet<_>>());
                                            Callback::from(move |event: Event| {
                                                let on = event.target_unchecked_into::<HtmlInputElement>().checked();
                                                state.dispatch(CohortAction::ChooseOnly(if on { all.clone() } else { BTreeSet::new() }));
                                            })} />
                                </th>
                                <th scope="col">{ "Name" }</th><th scope="col">{ "Email" }</th>
                                <th scope="col">{ "Enrollment" }</th><th scope="col">{ "Enrolled" }</th>
                            </tr></thead>
                            <tbody>
                                { for detail.students.iter().map(|student| html! {
                                    <tr key={student.enrollment_id}>
                                        <td class="table__choose">
                                            <input type="checkbox" checked={state.chosen.contains(&student.enrollment_id)}
                                                aria-label={format!("Choose {}", student.full_name)} data-testid="choose-student"
                                                onchange={let (state, id) = (state.clone(), student.enrollment_id);
                                                    Callback::from(move |event: Event| {
                                                        let on = event.target_unchecked_into::<HtmlInputElement>().checked();
                                                        state.dispatch(CohortAction::Choose(id, on));
                                                    })} />
                                        </td>
                                        <td class="table__strong">
                                            <Person name={student.full_name.clone()} url={student.avatar_url.clone()} />
                                        </td>
                                        <td class="table__text">{ student.email.as_deref().map_or_else(|| html! { "—" }, email_text) }</td>
                                        <td>
                                            <span class="enrollment">
                                                { enrollment_badge(student.status) }
                                                <select aria-label={format!("Enrollment of {}", student.full_name)} disabled={state.busy}
                                                    onchange={set_enrollment(student)} data-testid="enrollment-status">
                                                    { for EnrollmentStatus::ALL.iter().map(|status| html! {
                                                        <option value={status.as_str()} selected={student.status == *status}>
                                                            { status.label() }
                                                        </option>
                                                    }) }
                                                </select>
                                            </span>
                                        </td>
                                        <td class="muted">{ when::date_time(student.enrolled_at) }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                }
            </section>
            <section class="panel" aria-labelledby="sessions-title">
                <h2 id="sessions-title">{ format!("Sessions ({})", detail.sessions.len()) }</h2>
                if detail.sessions.is_empty() {
                    <p class="muted">{ "No class session is scheduled yet." }</p>
                } else {
                    <div class="table-frame">
                        <table class="table" aria-label="Sessions" data-testid="cohort-sessions">
                            <thead><tr>
                                <th scope="col">{ "Day" }</th><th scope="col">{ "Time" }</th><th scope="col">{ "Title" }</th>
                                <th scope="col">{ "Where" }</th><th scope="col">{ "Kind" }</th>
                            </tr></thead>
                            <tbody>
                                { for detail.sessions.iter().map(|session| html! {
                                    <tr key={session.id}>
                                        <td>{ when::day(session.date) }</td>
                                        <td class="muted">{ match (session.starts_at, session.ends_at) {
                                            (Some(start), Some(end)) => format!("{}–{}", start.format("%H:%M"), end.format("%H:%M")),
                                            (Some(start), None) => start.format("%H:%M").to_string(),
                                            _ => "All day".to_owned(),
                                        } }</td>
                                        <td>
                                            <button class="link-button" onclick={ask(Asking::Marks(session.id))}
                                                aria-label={format!("Attendance of {}", session.title)}>{ &session.title }</button>
                                        </td>
                                        <td>{ session.delivery_mode.label() }</td>
                                        <td>
                                            if session.session_type == SessionType::Normal { <span class="muted">{ session.session_type.label() }</span> }
                                            else { <Badge text={session.session_type.label()} tone={BadgeTone::Warning} /> }
                                        </td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    </div>
                }
            </section>
            <section class="panel" aria-labelledby="cohort-history-title" data-testid="cohort-history">
                <h2 id="cohort-history-title">{ "History" }</h2>
                <History request={ActivityRequest { cohort_id: Some(cohort.id), ..ActivityRequest::default() }} />
            </section>
            { match &state.asking {
                Asking::Nothing => html! {},
                Asking::Edit => html! { <CohortEditor cohort={Some(cohort.clone())} on_close={close.clone()} on_saved={edited} /> },
                Asking::Cancel => html! {
                    <Confirm title={format!("Cancel {}?", cohort.name)} danger=true busy={state.busy}
                        message="A cancelled cohort is final: it cannot be planned, opened or run again. Its students stay on record."
                        confirm_label="Cancel cohort" on_confirm={confirm_cancel} on_cancel={close.clone()}
                        error={state.problem.clone().map(AttrValue::from)} />
                },
                Asking::Drop(_, name) => html! {
                    <Confirm title={format!("Drop {name}?")} danger=true busy={state.busy}
                        message={format!("{name} leaves {} and their seat is freed; the longest-waiting application, if any, is offered it. Their attendance stays on record.", cohort.name)}
                        confirm_label="Drop" on_confirm={confirm_drop} on_cancel={close.clone()}
                        error={state.problem.clone().map(AttrValue::from)} />
                },
                Asking::Marks(session_id) => html! { <SessionMarks session_id={*session_id} on_close={close.clone()} /> },
                Asking::Complete => html! {
                    <CompleteDialog name={cohort.name.clone()} busy={state.busy}
                        active={detail.students.iter().filter(|student| student.status == EnrollmentStatus::Active).count()}
                        on_complete={complete} on_cancel={close.clone()} error={state.problem.clone()} />
                },
                Asking::Remove(_, name) => html! {
                    <Confirm title={format!("Remove {name}?")} danger=true busy={state.busy}
                        message={format!("{name} will no longer teach {} nor mark its attendance.", cohort.name)}
                        confirm_label="Remove" on_confirm={confirm_remove} on_cancel={close.clone()}
                        error={state.problem.clone().map(AttrValue::from)} />
                },
            } }
        </>
    }
}

/// Whether visitors may apply, and when.
fn applications(cohort: &CohortRow) -> String {
    if !cohort.allow_applications {
        return "Not taken".to_owned();
    }
    match (cohort.enrollment_open_at, cohort.enrollment_close_at) {
        (Some(open), Some(close)) => format!("{} → {}", when::date_time(open), when::date_time(close)),
        (Some(open), None) => format!("From {}", when::date_time(open)),
        (None, Some(close)) => format!("Until {}", when::date_time(close)),
        (None, None) => "Taken while open".to_owned(),
    }
}

#[derive(Properties, PartialEq)]
struct AttendanceMailProps {
    cohort_id: i64,
    settings: AttendanceMail,
}

#[derive(Clone, PartialEq)]
struct MailForm {
    threshold: String,
    notify_students: bool,
    digest_instructors: bool,
}

/// The cohort's attendance threshold (its report highlights students under it) and the
/// weekly mail about it: a notice to each student who falls under it, a digest to its
/// instructors.
#[function_component(AttendanceMailPanel)]
fn attendance_mail_panel(props: &AttendanceMailProps) -> Html {
    let toast = use_toast();
    let settings = props.settings;
    let form = use_form(|| MailForm {
        threshold: settings.threshold_percent.to_string(),
        notify_students: settings.notify_students,
        digest_instructors: settings.digest_instructors,
    });
    let onsubmit = {
        let (form, toast, cohort_id) = (form.clone(), toast.clone(), props.cohort_id);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(threshold_percent) =
                form.threshold.trim().parse::<u8>().ok().filter(|percent| *percent <= 100)
            else {
                let mut found = Problems::default();
                found.add("threshold_percent", "Enter a whole percent from 0 to 100.");
                return form.refuse(found);
            };
            let request = SetAttendanceMailRequest {
                cohort_id,
                threshold_percent,
                notify_students: form.notify_students,
                digest_instructors: form.digest_instructors,
            };
            let toast = toast.clone();
            form.call::<ops::SetAttendanceMail>(request, &["threshold_percent"], move |_| {
                toast.success("Attendance mail saved.");
            });
        })
    };
    html! {
        <section class="panel attendance-mail" aria-labelledby="attendance-mail-title" data-testid="attendance-mail">
            <h2 id="attendance-mail-title">{ "Low attendance" }</h2>
            <form {onsubmit} novalidate=true>
                <TextField id="threshold_percent" label="Threshold (%)" input_type="number" value={form.threshold.clone()}
                    oninput={form.field(|form, value| form.threshold = value)} error={form.problems().field("threshold_percent")}
                    hint="Its attendance report marks the students under it." />
                <Checkbox id="notify-students" label="Tell each student who falls under it" checked={form.notify_students}
                    onchange={form.field(|form, value| form.notify_students = value)}
                    hint="By email, on Monday's weekly look; once, not every week they stay under it." />
                <Checkbox id="digest-instructors" label="Weekly digest to its instructors" checked={form.digest_instructors}
                    onchange={form.field(|form, value| form.digest_instructors = value)}
                    hint="Every Monday, the students under it, when there are any." />
                if let Some(message) = &form.problems().general { <p class="alert" role="alert">{ message }</p> }
                <button class="button button--quiet" type="submit" disabled={form.saving()} data-testid="save-attendance-mail">
                    { if form.saving() { "Saving…" } else { "Save" } }
                </button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CheckinDefaultsProps {
    cohort_id: i64,
    minutes: CheckinMinutes,
}

#[derive(Clone, PartialEq)]
struct MinutesForm {
    opens: String,
    late: String,
    closes: String,
}

/// When the cohort's sessions' self check-in opens, turns late and closes (a session's
/// instructor may set its own on its check-in screen).
#[function_component(CheckinDefaultsPanel)]
fn checkin_defaults_panel(props: &CheckinDefaultsProps) -> Html {
    let toast = use_toast();
    let minutes = props.minutes;
    let form = use_form(|| MinutesForm {
        opens: minutes.opens.to_string(),
        late: minutes.late.to_string(),
        closes: minutes.closes.to_string(),
    });
    let onsubmit = {
        let (form, toast, cohort_id) = (form.clone(), toast.clone(), props.cohort_id);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let mut found = Problems::default();
            let mut read = |field: &str, text: &str| {
                text.trim()
                    .parse::<i16>()
                    .ok()
                    .filter(|minutes| (0..=MAX_MINUTES).contains(minutes))
                    .unwrap_or_else(|| {
                        found.add(field, &format!("Enter whole minutes from 0 to {MAX_MINUTES}."));
                        0
                    })
            };
            let minutes = CheckinMinutes {
                opens: read("checkin_opens", &form.opens),
                late: read("checkin_late", &form.late),
                closes: read("checkin_closes", &form.closes),
            };
            if !found.is_empty() {
                return form.refuse(found);
            }
            let toast = toast.clone();
            form.call::<ops::SetCohortCheckin>(
                SetCohortCheckinRequest { cohort_id, minutes },
                &[],
                move |_| toast.success("Check-in times saved."),
            );
        })
    };
    let problems = form.problems();
    html! {
        <section class="panel" aria-labelledby="checkin-defaults-title" data-testid="checkin-defaults">
            <h2 id="checkin-defaults-title">{ "Self check-in" }</h2>
            <p class="muted table__small">{ "Students check in with the code on their instructor's screen, in minutes around each session's start; an instructor may set a session's own." }</p>
            <form {onsubmit} novalidate=true>
                <div class="form-grid form-grid--three">
                    <TextField id="checkin_opens" label="Opens (min before)" input_type="number" value={form.opens.clone()}
                        oninput={form.field(|form, value| form.opens = value)} error={problems.field("checkin_opens")} />
                    <TextField id="checkin_late" label="Late from (min after)" input_type="number" value={form.late.clone()}
                        oninput={form.field(|form, value| form.late = value)} error={problems.field("checkin_late")} />
                    <TextField id="checkin_closes" label="Closes (min after)" input_type="number" value={form.closes.clone()}
                        oninput={form.field(|form, value| form.closes = value)} error={problems.field("checkin_closes")} />
                </div>
                if let Some(message) = &problems.general { <p class="alert" role="alert">{ message }</p> }
                <button class="button button--quiet" type="submit" disabled={form.saving()} data-testid="save-checkin-defaults">
                    { if form.saving() { "Saving…" } else { "Save" } }
                </button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct AssignProps {
    on_assign: Callback<(i64, CohortRole)>,
    busy: bool,
    /// Who teaches it already (assigning them again changes their role).
    teaching: Vec<i64>,
}

/// Picks an active instructor and their role in the cohort.
#[function_component(AssignInstructorForm)]
fn assign_instructor_form(props: &AssignProps) -> Html {
    let instructors = use_people(Role::Instructor);
    let chosen = use_state(String::new);
    let role = use_state(|| CohortRole::Lead);
    let on_user = {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| {
            chosen.set(event.target_unchecked_into::<HtmlSelectElement>().value());
        })
    };
    let on_role = {
        let role = role.clone();
        Callback::from(move |event: Event| {
            role.set(
                CohortRole::parse(&event.target_unchecked_into::<HtmlSelectElement>().value())
                    .unwrap_or(CohortRole::Lead),
            );
        })
    };
    let submit = {
        let (chosen, role, on_assign) = (chosen.clone(), role.clone(), props.on_assign.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Ok(user_id) = chosen.parse::<i64>() {
                on_assign.emit((user_id, *role));
                chosen.set(String::new());
            }
        })
    };
    html! {
        <form class="inline-form" onsubmit={submit} aria-label="Assign an instructor">
            <select aria-label="Instructor" onchange={on_user} data-testid="assign-instructor">
                <option value="" selected={chosen.is_empty()}>{ "Choose an instructor…" }</option>
                { for instructors.iter().map(|user| html! {
                    <option value={user.id.to_string()} selected={*chosen == user.id.to_string()}>
                        { &user.full_name }{ if props.teaching.contains(&user.id) { " (teaches it: change role)" } else { "" } }
                    </option>
                }) }
            </select>
            <select aria-label="Role in the cohort" onchange={on_role} data-testid="assign-role">
                { for CohortRole::ALL.iter().map(|choice| html! {
                    <option value={choice.as_str()} selected={*role == *choice}>{ choice.label() }</option>
                }) }
            </select>
            <button class="button button--quiet" type="submit" disabled={props.busy || chosen.is_empty()}
                data-testid="assign">{ "Assign" }</button>
            if instructors.is_empty() {
                <span class="muted">{ "No active instructor yet: give someone the instructor role in Users." }</span>
            }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct EnrollProps {
    on_enroll: Callback<i64>,
    busy: bool,
}

/// The enroll form: what is typed, the active students it finds, the one chosen.
#[derive(Clone, Default, PartialEq)]
struct EnrollSearch {
    text: String,
    found: Vec<UserSummary>,
    chosen: String,
}

enum EnrollAction {
    Type(String),
    /// The students found for what is typed now.
    Found(Vec<UserSummary>),
    Choose(String),
    /// Enrolled: the form empty again.
    Clear,
}

impl Reducible for EnrollSearch {
    type Action = EnrollAction;

    fn reduce(self: Rc<Self>, action: EnrollAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            EnrollAction::Type(text) => next.text = text,
            EnrollAction::Found(found) => next.found = found,
            EnrollAction::Choose(id) => next.chosen = id,
            EnrollAction::Clear => next = Self::default(),
        }
        next.into()
    }
}

/// Finds a student by name, email or phone and enrolls them.
#[function_component(EnrollStudent)]
fn enroll_student(props: &EnrollProps) -> Html {
    let search = use_reducer(EnrollSearch::default);
    {
        let search = search.clone();
        use_effect_with(search.text.clone(), move |text| {
            let text = text.trim().to_owned();
            let cancelled = std::rc::Rc::new(std::cell::Cell::new(false));
            let flag = cancelled.clone();
            spawn_local(async move {
                yew::platform::time::sleep(SEARCH_PAUSE).await;
                if flag.get() || text.is_empty() {
                    return;
                }
                let request = ListUsersRequest {
                    role: Some(Role::Student),
                    active: Some(true),
                    search: Some(text),
                    per_page: 8,
                    ..Default::default()
                };
                // An answer for text typed over since (or a form gone) is dropped.
                if let (Ok(page), false) = (ipc::call::<ops::ListUsers>(&request).await, flag.get()) {
                    search.dispatch(EnrollAction::Found(page.items));
                }
            });
            move || cancelled.set(true)
        });
    }
    let on_text = {
        let search = search.clone();
        Callback::from(move |event: InputEvent| {
            search.dispatch(EnrollAction::Type(
                event.target_unchecked_into::<web_sys::HtmlInputElement>().value(),
            ));
        })
    };
    let on_choose = {
        let search = search.clone();
        Callback::from(move |event: Event| {
            search.dispatch(EnrollAction::Choose(event.target_unchecked_into::<HtmlSelectElement>().value()));
        })
    };
    let submit = {
        let (search, on_enroll) = (search.clone(), props.on_enroll.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Ok(id) = search.chosen.parse::<i64>() {
                on_enroll.emit(id);
                search.dispatch(EnrollAction::Clear);
            }
        })
    };
    let EnrollSearch { text, found, chosen } = &*search;
    html! {
        <form class="inline-form enroll-form" onsubmit={submit} aria-label="Enroll a student">
            <input type="search" placeholder="Find a student to enroll" aria-label="Find a student" value={text.clone()}
                oninput={on_text} data-testid="enroll-search" />
            <select aria-label="Student" onchange={on_choose} data-testid="enroll-student" disabled={found.is_empty()}>
                <option value="" selected={chosen.is_empty()}>
                    { if text.trim().is_empty() { "Type a name first" } else if found.is_empty() { "No student found" } else { "Choose…" } }
                </option>
                { for found.iter().map(|user| html! {
                    <option value={user.id.to_string()} selected={*chosen == user.id.to_string()}>
                        { format!("{} — {}", user.full_name, user.email.clone().or_else(|| user.phone.clone()).unwrap_or_default()) }
                    </option>
                }) }
            </select>
            <button class="button button--quiet" type="submit" disabled={props.busy || chosen.is_empty()} data-testid="enroll">
                { "Enroll" }
            </button>
        </form>
    }
}

/// A session's roster as last read, the one student whose marks are listed under their row
/// (a second click hides them), and why the last change was refused.
#[derive(Clone, Default, PartialEq)]
struct MarksState {
    roster: Option<Result<hub_model::attendance::Roster, ApiError>>,
    /// Bumped after a mark, to read the roster again; an older answer is dropped.
    generation: u32,
    history: Option<(i64, Vec<hub_model::attendance::HistoryEntry>)>,
    problem: Option<String>,
}

enum MarksAction {
    Loaded(u32, Result<hub_model::attendance::Roster, ApiError>),
    Marked,
    History(Option<(i64, Vec<hub_model::attendance::HistoryEntry>)>),
    Failed(String),
}

impl Reducible for MarksState {
    type Action = MarksAction;

    fn reduce(self: Rc<Self>, action: MarksAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            MarksAction::Loaded(generation, answer) => {
                if generation != self.generation {
                    return self;
                }
                next.roster = Some(answer);
            }
            MarksAction::Marked => {
                next.problem = None;
                next.generation += 1;
            }
            MarksAction::History(history) => next.history = history,
            MarksAction::Failed(message) => next.problem = Some(message),
        }
        next.into()
    }
}

#[derive(Properties, PartialEq)]
struct SessionMarksProps {
    session_id: i64,
    on_close: Callback<()>,
}

/// A session's roster, as the database has it: an admin (or the cohort's instructor)
/// corrects a mark here, online, and reads who marked what before.
#[function_component(SessionMarks)]
fn session_marks(props: &SessionMarksProps) -> Html {
    use hub_model::attendance::{HistoryRequest, Mark, MarkAttendanceRequest};
    let state = use_reducer(MarksState::default);
    let session_id = props.session_id;
    {
        let state = state.clone();
        use_effect_with(state.generation, move |generation| {
            let generation = *generation;
            spawn_local(async move {
                let answer = ipc::call::<ops::AttendanceRoster>(&IdRequest { id: session_id }).await;
                state.dispatch(MarksAction::Loaded(generation, answer));
            });
        });
    }
    let save = {
        let state = state.clone();
        move |enrollment_id: i64, status: Mark, note: Option<String>| {
            let state = state.clone();
            spawn_local(async move {
                let request = MarkAttendanceRequest { session_id, enrollment_id, status, note };
                match ipc::call::<ops::MarkAttendance>(&request).await {
                    Ok(_) => state.dispatch(MarksAction::Marked),
                    Err(error) => state.dispatch(MarksAction::Failed(sentence(&error.message))),
                }
            });
        }
    };
    let set = |enrollment_id: i64, status: Mark, note: Option<String>| {
        let save = save.clone();
        Callback::from(move |_: MouseEvent| save(enrollment_id, status, note.clone()))
    };
    // A note changes with the mark it belongs to (a student not marked yet has none).
    let set_note = |enrollment_id: i64, status: Option<Mark>| {
        let save = save.clone();
        Callback::from(move |event: Event| {
            let text = event.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            if let Some(status) = status {
                save(enrollment_id, status, crate::components::form::optional(&text));
            }
        })
    };
    let show_history = |enrollment_id: i64| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            if state.history.as_ref().is_some_and(|(shown, _)| *shown == enrollment_id) {
                state.dispatch(MarksAction::History(None));
                return;
            }
            let state = state.clone();
            spawn_local(async move {
                let request = HistoryRequest { session_id, enrollment_id };
                match ipc::call::<ops::AttendanceHistory>(&request).await {
                    Ok(entries) => state.dispatch(MarksAction::History(Some((enrollment_id, entries)))),
                    Err(error) => state.dispatch(MarksAction::Failed(sentence(&error.message))),
                }
            });
        })
    };
    let history_of = |student: &hub_model::attendance::RosterEntry| {
        let Some((_, entries)) = state.history.as_ref().filter(|(shown, _)| *shown == student.enrollment_id)
        else {
            return html! {};
        };
        html! {
            <div class="roster__history" data-testid="mark-history">
                <h3>{ format!("Every mark {} was given", student.full_name) }</h3>
                if entries.is_empty() { <p class="muted">{ "None through the app yet." }</p> }
                <ul>
                    { for entries.iter().map(|entry| html! {
                        <li key={entry.client_id.to_string()}>
                            <strong>{ entry.status.label() }</strong>
                            { format!(" — {} by {}, received {}", when::date_time(entry.marked_at),
                                entry.marked_by.clone().unwrap_or_else(|| "someone".to_owned()), when::date_time(entry.received_at)) }
                            if let Some(device) = entry.device_marked_at {
                                <span class="muted">{ format!(" (the device's clock said {}: not used)", when::date_time(device)) }</span>
                            }
                            if entry.current { { " " }<Badge text="Current" tone={BadgeTone::Success} /> }
                        </li>
                    }) }
                </ul>
            </div>
        }
    };
    let footer = html! { <button class="button button--quiet" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button> };
    let (title, body) = match &state.roster {
        None => ("Attendance".to_owned(), html! { <p class="muted" aria-busy="true">{ "Loading…" }</p> }),
        Some(Err(error)) => (
            "Attendance".to_owned(),
            html! { <p class="alert" role="alert">{ sentence(&error.message) }</p> },
        ),
        Some(Ok(roster)) => (
            format!("{} — {}", roster.session.title, when::day(roster.session.date)),
            html! {
                <ul class="roster" data-testid="session-marks">
                    { for roster.students.iter().map(|student| html! {
                        <li class="roster__row roster__row--review" key={student.enrollment_id}>
                            <span class="roster__name">{ &student.full_name }
                                if student.enrollment_status != EnrollmentStatus::Active { { " " }{ enrollment_badge(student.enrollment_status) } }
                            </span>
                            <span class="roster__marks" role="group" aria-label={format!("Mark {}", student.full_name)}>
                                { for Mark::ALL.iter().map(|mark| html! {
                                    <button class={classes!("roster__mark", (student.status == Some(*mark)).then(|| format!("roster__mark--{}", mark.as_str())))}
                                        aria-pressed={(student.status == Some(*mark)).to_string()} title={mark.label()}
                                        onclick={set(student.enrollment_id, *mark, student.note.clone())}>{ mark.key() }</button>
                                }) }
                            </span>
                            <input class="roster__note" type="text" placeholder="Note" value={student.note.clone().unwrap_or_default()}
                                maxlength={hub_model::attendance::MAX_NOTE_CHARS.to_string()} disabled={student.status.is_none()}
                                aria-label={format!("Note for {}", student.full_name)} onchange={set_note(student.enrollment_id, student.status)} />
                            <span class="muted table__small">
                                { student.marked_by.clone().map(|by| format!("by {by}")).unwrap_or_default() }
                            </span>
                            <button class="button button--quiet button--small"
                                aria-expanded={state.history.as_ref().is_some_and(|(shown, _)| *shown == student.enrollment_id).to_string()}
                                onclick={show_history(student.enrollment_id)}>{ "History" }</button>
                            { history_of(student) }
                        </li>
                    }) }
                </ul>
            },
        ),
    };
    html! {
        <Dialog {title} on_close={&props.on_close} {footer} wide=true testid="session-marks-dialog">
            if let Some(message) = &state.problem { <p class="alert" role="alert">{ message }</p> }
            { body }
        </Dialog>
    }
}

#[derive(Properties, PartialEq)]
struct CompleteProps {
    name: String,
    /// Its students still active.
    active: usize,
    busy: bool,
    /// Completes it; `true`: its active students too.
    on_complete: Callback<bool>,
    on_cancel: Callback<()>,
    error: Option<String>,
}

/// "Complete Autumn 2026?", offering to complete its active students and graduate them.
#[function_component(CompleteDialog)]
fn complete_dialog(props: &CompleteProps) -> Html {
    let with_students = use_state(|| true);
    let footer = html! {
        <>
            <button class="button button--quiet" onclick={props.on_cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            <button class="button button--primary button--inline" data-testid="confirm" disabled={props.busy}
                onclick={let (on_complete, with) = (props.on_complete.clone(), *with_students); Callback::from(move |_| on_complete.emit(with))}>
                { "Complete cohort" }
            </button>
        </>
    };
    html! {
        <Dialog title={format!("Complete {}?", props.name)} on_close={&props.on_cancel} {footer} testid="complete-dialog">
            <p>{ "A completed cohort takes no new students or sessions; its attendance stays on record." }</p>
            if props.active > 0 {
                <label class="check">
                    <input type="checkbox" checked={*with_students} data-testid="complete-students"
                        onchange={let with_students = with_students.clone(); Callback::from(move |event: Event| {
                            with_students.set(event.target_unchecked_into::<HtmlInputElement>().checked());
                        })} />
                    { format!(" Also complete its {} and mark those students graduated",
                        words::count(props.active, "active enrollment", "active enrollments")) }
                </label>
            }
            if let Some(error) = &props.error { <p class="alert" role="alert">{ error }</p> }
        </Dialog>
    }
}

#[derive(Properties, PartialEq)]
struct BulkEnrollmentsProps {
    count: usize,
    /// The cohort they are in (not a place to move them to).
    cohort_id: i64,
    busy: bool,
    on_change: Callback<EnrollmentsChange>,
    on_clear: Callback<()>,
}

/// "3 chosen": pause, complete or reactivate them, or move them to another cohort.
#[function_component(BulkEnrollments)]
fn bulk_enrollments(props: &BulkEnrollmentsProps) -> Html {
    let cohorts = crate::components::hooks::use_cohorts();
    let target = use_state(|| None::<i64>);
    let to = |status: EnrollmentStatus| {
        let on_change = props.on_change.clone();
        Callback::from(move |_: MouseEvent| on_change.emit(EnrollmentsChange::Status(status)))
    };
    let on_target = {
        let target = target.clone();
        Callback::from(move |event: Event| {
            target.set(event.target_unchecked_into::<HtmlSelectElement>().value().parse().ok());
        })
    };
    let move_them = {
        let (on_change, target) = (props.on_change.clone(), target.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(cohort_id) = *target {
                on_change.emit(EnrollmentsChange::MoveTo(cohort_id));
            }
        })
    };
    html! {
        <div class="bulk" role="region" aria-label="Chosen students" data-testid="students-bulk">
            <span class="bulk__count">{ format!("{} chosen", props.count) }</span>
            <span class="bulk__actions">
                <button class="button button--quiet button--small" disabled={props.busy}
                    onclick={to(EnrollmentStatus::Paused)} data-testid="bulk-pause">{ "Pause" }</button>
                <button class="button button--quiet button--small" disabled={props.busy}
                    onclick={to(EnrollmentStatus::Completed)} data-testid="bulk-complete">{ "Complete" }</button>
                <button class="button button--quiet button--small" disabled={props.busy}
                    onclick={to(EnrollmentStatus::Active)} data-testid="bulk-activate">{ "Make active" }</button>
                <select aria-label="Cohort to move them to" onchange={on_target} data-testid="bulk-move-target">
                    <option value="" selected={target.is_none()}>{ "Move to…" }</option>
                    { for cohorts.iter().filter(|cohort| cohort.id != props.cohort_id).map(|cohort| html! {
                        <option value={cohort.id.to_string()} selected={*target == Some(cohort.id)}>
                            { format!("{} — {}", cohort.program_title, cohort.name) }
                        </option>
                    }) }
                </select>
                <button class="button button--quiet button--small" disabled={props.busy || target.is_none()}
                    onclick={move_them} data-testid="bulk-move">{ "Move" }</button>
                <button class="button button--quiet button--small" onclick={props.on_clear.reform(|_: MouseEvent| ())}>{ "Clear" }</button>
            </span>
        </div>
    }
}
