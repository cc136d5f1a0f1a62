//! What several screens ask for the same way: the people and cohorts pickers offer, and
//! the state of the attendance sync.

use crate::ipc;
use crate::session::View;
use hub_model::attendance::SyncState;
use hub_model::programs::{CohortRow, CohortSort, ListCohortsRequest};
use hub_model::users::{ListUsersRequest, Role, UserSummary};
use hub_model::{desktop, ops, NoRequest};
use std::time::Duration;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

/// The active people with `role`, by name (at most 200): whom a picker offers.
#[hook]
pub fn use_people(role: Role) -> UseStateHandle<Vec<UserSummary>> {
    let people = use_state(Vec::<UserSummary>::new);
    {
        let people = people.clone();
        use_effect_with(role, move |role| {
            let request = ListUsersRequest {
                role: Some(*role),
                active: Some(true),
                per_page: 200,
                ..Default::default()
            };
            spawn_local(async move {
                if let Ok(found) = ipc::call::<ops::ListUsers>(&request).await {
                    people.set(found.items);
                }
            });
        });
    }
    people
}

/// Every cohort, newest first, for pickers.
#[hook]
pub fn use_cohorts() -> UseStateHandle<Vec<CohortRow>> {
    let cohorts = use_state(Vec::new);
    {
        let cohorts = cohorts.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                let request = ListCohortsRequest {
                    per_page: 100,
                    sort: CohortSort::StartDate,
                    descending: true,
                    ..Default::default()
                };
                if let Ok(found) = ipc::call::<ops::ListCohorts>(&request).await {
                    cohorts.set(found.items);
                }
            });
        });
    }
    cohorts
}

/// The cohorts a view works with, as `(id, "Program — Cohort")`, newest first: every cohort
/// for admins, those taught in the teaching view, those studied in the learning view.
#[hook]
pub fn use_view_cohorts(view: Option<View>) -> UseStateHandle<Vec<(i64, String)>> {
    let cohorts = use_state(Vec::<(i64, String)>::new);
    {
        let cohorts = cohorts.clone();
        use_effect_with(view, move |view| {
            let view = *view;
            spawn_local(async move {
                let label = |program: &str, name: &str| format!("{program} — {name}");
                let found: Vec<(i64, String)> = if view == Some(View::Admin) {
                    // Every cohort, a page at a time.
                    let mut found = Vec::new();
                    for page in 1.. {
                        let request = ListCohortsRequest {
                            per_page: 100,
                            page,
                            sort: CohortSort::StartDate,
                            descending: true,
                            ..Default::default()
                        };
                        let Ok(answer) = ipc::call::<ops::ListCohorts>(&request).await else { break };
                        found.extend(answer.items.iter().map(|c| (c.id, label(&c.program_title, &c.name))));
                        if answer.page >= answer.pages() {
                            break;
                        }
                    }
                    found
                } else {
                    let studying = view == Some(View::Student);
                    ipc::call::<ops::MyCohorts>(&NoRequest {})
                        .await
                        .map(|mine| {
                            mine.iter()
                                .filter(|c| c.taking_part.is_studying() == studying)
                                .map(|c| (c.id, label(&c.program_title, &c.name)))
                                .collect()
                        })
                        .unwrap_or_default()
                };
                cohorts.set(found);
            });
        });
    }
    cohorts
}

/// The sync's state, asked for every `every` while the component is on screen.
#[hook]
pub fn use_sync_state(every: Duration) -> UseStateHandle<Option<SyncState>> {
    let state = use_state(|| None::<SyncState>);
    {
        let state = state.clone();
        use_effect_with((), move |()| {
            let alive = std::rc::Rc::new(std::cell::Cell::new(true));
            let running = alive.clone();
            spawn_local(async move {
                while running.get() {
                    if let Ok(now) = ipc::shell::<desktop::SyncStatus>(&NoRequest {}).await {
                        state.set(Some(now));
                    }
                    sleep(every).await;
                }
            });
            move || alive.set(false)
        });
    }
    state
}
