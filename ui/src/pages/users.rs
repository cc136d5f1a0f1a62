//! Admin → Users: every account, searchable by name, email or phone, filtered by role and
//! state, sorted by any sortable column, a page at a time; with the create and edit dialogs.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::form::sentence;
use crate::components::table::{Column, DataTable, Pager, SortState};
use crate::ipc;
use crate::pages::user_editor::{CreateUser, EditUser};
use hub_model::ops;
use hub_model::users::{ListUsersRequest, Role, UserPage, UserSort, UserSummary};
use std::time::Duration;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

/// How long typing must pause before the list is searched again.
const SEARCH_PAUSE: Duration = Duration::from_millis(250);

#[derive(Clone, PartialEq)]
enum Dialog {
    None,
    Create,
    Edit(UserSummary),
}

fn sort_key(sort: UserSort) -> AttrValue {
    AttrValue::Static(sort.as_str())
}

fn sort_from_key(key: &str) -> UserSort {
    match key {
        "email" => UserSort::Email,
        "created_at" => UserSort::CreatedAt,
        "last_login_at" => UserSort::LastLoginAt,
        _ => UserSort::Name,
    }
}

#[function_component(Users)]
pub fn users() -> Html {
    let request = use_state(|| ListUsersRequest { per_page: 25, ..ListUsersRequest::default() });
    let search_text = use_state(String::new);
    let page = use_state(|| None::<UserPage>);
    let loading = use_state(|| true);
    let error = use_state(|| None::<String>);
    let dialog = use_state(|| Dialog::None);
    // Bumped by every fetch: an older answer arriving late is dropped.
    let generation = use_mut_ref(|| 0_u64);
    let reload = use_state(|| 0_u32);

    {
        let (page, loading, error, generation) =
            (page.clone(), loading.clone(), error.clone(), generation.clone());
        use_effect_with(((*request).clone(), *reload), move |(request, _)| {
            let request = request.clone();
            let mine = {
                let mut generation = generation.borrow_mut();
                *generation += 1;
                *generation
            };
            loading.set(true);
            spawn_local(async move {
                let answer = ipc::call::<ops::ListUsers>(&request).await;
                if *generation.borrow() != mine {
                    return;
                }
                match answer {
                    Ok(found) => {
                        page.set(Some(found));
                        error.set(None);
                    }
                    Err(failure) => error.set(Some(sentence(&failure.message))),
                }
                loading.set(false);
            });
        });
    }
    {
        // Search as the admin types, once they pause.
        let (request, search_text) = (request.clone(), search_text.clone());
        use_effect_with((*search_text).clone(), move |text| {
            let text = text.clone();
            let cancelled = std::rc::Rc::new(std::cell::Cell::new(false));
            let flag = cancelled.clone();
            spawn_local(async move {
                sleep(SEARCH_PAUSE).await;
                let wanted = Some(text.trim().to_owned()).filter(|text| !text.is_empty());
                if !flag.get() && request.search != wanted {
                    request.set(ListUsersRequest { search: wanted, page: 1, ..(*request).clone() });
                }
            });
            move || cancelled.set(true)
        });
    }

    let change = |update: fn(&mut ListUsersRequest, String)| {
        let request = request.clone();
        move |value: String| {
            let mut next = (*request).clone();
            update(&mut next, value);
            next.page = 1;
            request.set(next);
        }
    };
    let on_role = {
        let change = change(|request, value| {
            request.role = match value.as_str() {
                "admin" => Some(Role::Admin),
                "instructor" => Some(Role::Instructor),
                "student" => Some(Role::Student),
                _ => None,
            }
        });
        Callback::from(move |event: Event| change(event.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_active = {
        let change = change(|request, value| {
            request.active = match value.as_str() {
                "active" => Some(true),
                "inactive" => Some(false),
                _ => None,
            }
        });
        Callback::from(move |event: Event| change(event.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_search = {
        let search_text = search_text.clone();
        Callback::from(move |event: InputEvent| {
            search_text.set(event.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let on_sort = {
        let request = request.clone();
        Callback::from(move |key: AttrValue| {
            let sort = sort_from_key(&key);
            let descending = if sort == request.sort { !request.descending } else { false };
            request.set(ListUsersRequest { sort, descending, page: 1, ..(*request).clone() });
        })
    };
    let on_page = {
        let request = request.clone();
        Callback::from(move |number: u32| {
            request.set(ListUsersRequest { page: number, ..(*request).clone() });
        })
    };
    let open = |next: Dialog| {
        let dialog = dialog.clone();
        Callback::from(move |_: MouseEvent| dialog.set(next.clone()))
    };
    let close = {
        let dialog = dialog.clone();
        Callback::from(move |()| dialog.set(Dialog::None))
    };
    let changed = {
        let reload = reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    };
    let clear_filters = {
        let (request, search_text) = (request.clone(), search_text.clone());
        Callback::from(move |_: MouseEvent| {
            search_text.set(String::new());
            request.set(ListUsersRequest { per_page: request.per_page, ..ListUsersRequest::default() });
        })
    };

    let filtered = request.search.is_some() || request.role.is_some() || request.active.is_some();
    let columns = vec![
        Column::sortable("Name", "name"),
        Column::sortable("Email and phone", "email"),
        Column::new("Roles"),
        Column::new("Status"),
        Column::sortable("Last sign-in", "last_login_at"),
        Column::end(""),
    ];
    let items = page.as_ref().map(|page| page.items.clone()).unwrap_or_default();
    let empty = if filtered {
        html! {
            <div class="empty">
                <p class="empty__title">{ "No user matches" }</p>
                <p>{ "Try another search, or " }
                    <button class="link-button" onclick={clear_filters.clone()}>{ "clear the filters" }</button>{ "." }</p>
            </div>
        }
    } else {
        html! {
            <div class="empty">
                <p class="empty__title">{ "No users yet" }</p>
                <p>{ "Create the first account with “New user”." }</p>
            </div>
        }
    };
    let role_value = match request.role {
        Some(Role::Admin) => "admin",
        Some(Role::Instructor) => "instructor",
        Some(Role::Student) => "student",
        None => "",
    };
    let active_value = match request.active {
        Some(true) => "active",
        Some(false) => "inactive",
        None => "",
    };

    html! {
        <>
            <div class="page-header">
                <div>
                    <h1>{ "Users" }</h1>
                    <p class="content__lead">{ "Accounts of staff, instructors and students." }</p>
                </div>
                <button class="button button--primary button--inline" data-testid="new-user" onclick={open(Dialog::Create)}>
                    { "+ New user" }
                </button>
            </div>
            <div class="toolbar" role="search">
                <input class="toolbar__search" type="search" placeholder="Search name, email or phone"
                    aria-label="Search users" value={(*search_text).clone()} oninput={on_search} data-testid="user-search" />
                <select aria-label="Role" onchange={on_role}>
                    <option value="" selected={role_value.is_empty()}>{ "All roles" }</option>
                    <option value="admin" selected={role_value == "admin"}>{ "Administrators" }</option>
                    <option value="instructor" selected={role_value == "instructor"}>{ "Instructors" }</option>
                    <option value="student" selected={role_value == "student"}>{ "Students" }</option>
                </select>
                <select aria-label="Status" onchange={on_active}>
                    <option value="" selected={active_value.is_empty()}>{ "Active and deactivated" }</option>
                    <option value="active" selected={active_value == "active"}>{ "Active" }</option>
                    <option value="inactive" selected={active_value == "inactive"}>{ "Deactivated" }</option>
                </select>
            </div>
            if let Some(message) = &*error {
                <p class="alert" role="alert">{ message }</p>
            }
            <DataTable label="Users" testid="users-table" {columns} {on_sort} loading={*loading}
                sort={SortState { key: sort_key(request.sort), descending: request.descending }}
                is_empty={items.is_empty()} {empty}>
                { for items.iter().map(|user| row(user, open(Dialog::Edit(user.clone())))) }
            </DataTable>
            if let Some(found) = &*page {
                <Pager page={found.page} per_page={found.per_page} total={found.total} {on_page} noun="users" />
            }
            { match &*dialog {
                Dialog::None => html! {},
                Dialog::Create => html! { <CreateUser on_close={close.clone()} on_created={changed.clone()} /> },
                Dialog::Edit(user) => html! {
                    <EditUser user={user.clone()} on_close={close.clone()} on_changed={changed.clone()} />
                },
            } }
        </>
    }
}

pub fn role_badges(user: &UserSummary) -> Html {
    html! {
        <span class="badges">
            if user.is_admin { <Badge text="Admin" tone={BadgeTone::Primary} /> }
            if user.is_instructor { <Badge text="Instructor" tone={BadgeTone::Warning} /> }
            if user.is_student { <Badge text="Student" tone={BadgeTone::Neutral} /> }
            if !(user.is_admin || user.is_instructor || user.is_student) {
                <span class="muted">{ "No role" }</span>
            }
        </span>
    }
}

fn row(user: &UserSummary, edit: Callback<MouseEvent>) -> Html {
    let last_login = user
        .last_login_at
        .map(|at| at.with_timezone(&chrono::Local).format("%-d %b %Y, %H:%M").to_string())
        .unwrap_or_else(|| "Never".to_owned());
    html! {
        <tr key={user.id} data-testid="user-row">
            <td class="table__strong">{ &user.full_name }</td>
            <td>
                <div>{ user.email.as_deref().unwrap_or("—") }</div>
                if let Some(phone) = &user.phone { <div class="muted table__small">{ phone }</div> }
            </td>
            <td>{ role_badges(user) }</td>
            <td>
                if user.is_active { <Badge text="Active" tone={BadgeTone::Success} /> }
                else { <Badge text="Deactivated" tone={BadgeTone::Danger} /> }
            </td>
            <td class="muted">{ last_login }</td>
            <td class="table__end">
                <button class="button button--quiet button--small" onclick={edit}
                    aria-label={format!("Edit {}", user.full_name)}>{ "Edit" }</button>
            </td>
        </tr>
    }
}
