//! Admin → Users: every account, searchable by name, email or phone, filtered by role and
//! state, sorted by any sortable column, a page at a time; with the create and edit dialogs.

use crate::components::badge::{Badge, BadgeTone};
use crate::components::image::Person;
use crate::components::labels::{email_text, role_badges};
use crate::components::list::use_list;
use crate::components::table::{Column, DataTable};
mod editor;

use crate::components::toast::use_toast;
use crate::panels::attendance_record::save_csv;
use crate::panels::import::{Import, ImportKind};
use editor::{CreateUser, EditUser};
use hub_model::ops;
use hub_model::users::{ListUsersRequest, Role, UserSummary};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Clone, PartialEq)]
enum Dialog {
    None,
    Create,
    Import,
    Edit(UserSummary),
}

#[function_component(Users)]
pub fn users() -> Html {
    let list =
        use_list::<ops::ListUsers, _, _>(ListUsersRequest { per_page: 25, ..ListUsersRequest::default() });
    let dialog = use_state(|| Dialog::None);
    let toast = use_toast();
    let problem = use_state(|| None::<String>);
    let selected = |event: Event| event.target_unchecked_into::<HtmlSelectElement>().value();
    let on_role = list
        .changer(|request: &mut ListUsersRequest, value: String| {
            request.role = Role::parse(&value);
        })
        .reform(selected);
    let on_active = list
        .changer(|request: &mut ListUsersRequest, value: String| {
            request.active = match value.as_str() {
                "active" => Some(true),
                "inactive" => Some(false),
                _ => None,
            }
        })
        .reform(selected);
    let open = |next: Dialog| {
        let dialog = dialog.clone();
        Callback::from(move |_: MouseEvent| dialog.set(next.clone()))
    };
    let close = {
        let dialog = dialog.clone();
        Callback::from(move |()| dialog.set(Dialog::None))
    };
    let columns = vec![
        Column::sortable("Name", "name"),
        Column::sortable("Email and phone", "email"),
        Column::new("Roles"),
        Column::new("Status"),
        Column::sortable("Last sign-in", "last_login_at"),
        Column::end(""),
    ];
    let items = list.items();
    let request = &*list.request;
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
                <div class="page-header__actions">
                    <button class="button button--quiet button--inline" data-testid="export-people"
                        onclick={save_csv::<ops::ExportPeople>(request.clone(), toast.clone(), problem.clone())}>
                        { "Export CSV" }
                    </button>
                    <button class="button button--inline" data-testid="open-import" onclick={open(Dialog::Import)}>
                        { "Import…" }
                    </button>
                    <button class="button button--primary button--inline" data-testid="new-user" onclick={open(Dialog::Create)}>
                        { "+ New user" }
                    </button>
                </div>
            </div>
            if let Some(message) = &*problem {
                <p class="alert" role="alert">{ message }</p>
            }
            <div class="toolbar" role="search">
                <input class="toolbar__search" type="search" placeholder="Search name, email or phone"
                    aria-label="Search users" value={list.search_text()} oninput={list.on_search()} data-testid="user-search" />
                <select aria-label="Role" onchange={on_role}>
                    <option value="" selected={request.role.is_none()}>{ "All roles" }</option>
                    { for Role::ALL.iter().map(|role| html! {
                        // "Administrators", "Instructors", "Students".
                        <option value={role.as_str()} selected={request.role == Some(*role)}>{ format!("{}s", role.label()) }</option>
                    }) }
                </select>
                <select aria-label="Status" onchange={on_active}>
                    <option value="" selected={active_value.is_empty()}>{ "Active and deactivated" }</option>
                    <option value="active" selected={active_value == "active"}>{ "Active" }</option>
                    <option value="inactive" selected={active_value == "inactive"}>{ "Deactivated" }</option>
                </select>
            </div>
            { list.alert() }
            <DataTable label="Users" testid="users-table" {columns} on_sort={list.on_sort()} loading={*list.loading}
                sort={list.sort()} is_empty={items.is_empty()}
                empty={list.empty("user", "users", "Create the first account with “New user”.")}>
                { for items.iter().map(|user| row(user, open(Dialog::Edit(user.clone())))) }
            </DataTable>
            { list.pager("users") }
            { match &*dialog {
                Dialog::None => html! {},
                Dialog::Create => html! { <CreateUser on_close={close.clone()} on_created={list.reload()} /> },
                Dialog::Import => html! { <Import kind={ImportKind::People} on_close={close.clone()} on_imported={list.reload()} /> },
                Dialog::Edit(user) => html! {
                    <EditUser user={user.clone()} on_close={close.clone()} on_changed={list.reload()} />
                },
            } }
        </>
    }
}

fn row(user: &UserSummary, edit: Callback<MouseEvent>) -> Html {
    let last_login = user
        .last_login_at
        .map(|at| at.with_timezone(&chrono::Local).format("%-d %b %Y, %H:%M").to_string())
        .unwrap_or_else(|| "Never".to_owned());
    html! {
        <tr key={user.id} data-testid="user-row">
            <td class="table__strong">
                <Person name={user.full_name.clone()} url={user.avatar_url.clone()} />
            </td>
            <td class="table__text">
                <div>{ user.email.as_deref().map_or_else(|| html! { "—" }, email_text) }</div>
                if let Some(phone) = &user.phone { <div class="muted table__small">{ phone }</div> }
            </td>
            <td>{ role_badges(user) }</td>
            <td>
                if !user.is_active { <Badge text="Deactivated" tone={BadgeTone::Danger} /> }
                else if user.awaiting_password { <Badge text="Invited" tone={BadgeTone::Warning} /> }
                else { <Badge text="Active" tone={BadgeTone::Success} /> }
            </td>
            <td class="muted">{ last_login }</td>
            <td class="table__end">
                <button class="button button--quiet button--small" onclick={edit}
                    aria-label={format!("Edit {}", user.full_name)}>{ "Edit" }</button>
            </td>
        </tr>
    }
}
