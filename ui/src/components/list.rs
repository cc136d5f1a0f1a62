//! What every admin list does the same way: the request (search, filters, sort, page) in
//! state, the page fetched whenever it changes (an older answer arriving late is dropped),
//! search as the admin types once they pause, and a reload after a change.

use crate::components::form::sentence;
use crate::components::table::{Pager, SortState};
use crate::ipc;
use hub_model::page::Page;
use hub_model::{announcements, applications, audit, events, inbox, mail, programs, users, Operation};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use web_sys::HtmlInputElement;
use yew::platform::spawn_local;
use yew::platform::time::sleep;
use yew::prelude::*;

/// How long typing must pause before the list is searched again.
pub const SEARCH_PAUSE: Duration = Duration::from_millis(250);

/// A list request's common parts, as the list hook changes them.
pub trait ListRequest: Clone + PartialEq + 'static {
    fn search(&self) -> Option<&str>;
    fn set_search(&mut self, search: Option<String>);
    fn set_page(&mut self, page: u32);
    /// The column sorted by, and which way; for the table's headers.
    fn sort_state(&self) -> SortState;
    /// A header was clicked: the same column flips its order, another one sorts A–Z.
    fn sort_by(&mut self, key: &str);
    /// Takes `other`'s sort and page, leaving the filters: to compare filters alone.
    fn same_order_and_page(&mut self, other: &Self);
}

/// The parts of `ListRequest` every request has the same way: its `search` and `page`.
macro_rules! search_and_page {
    () => {
        fn search(&self) -> Option<&str> {
            self.search.as_deref()
        }
        fn set_search(&mut self, search: Option<String>) {
            self.search = search;
        }
        fn set_page(&mut self, page: u32) {
            self.page = page;
        }
    };
}

/// `ListRequest` for a request with `search`, `page`, `per_page`, `sort` (its sort keys
/// type) and `descending`: a `bool`, or an `Option<bool>` the request defaults itself
/// (`is_descending`).
macro_rules! list_request {
    ($request:ty, $sort:ty, $descending:ident, $is_descending:expr, $set:expr) => {
        impl ListRequest for $request {
            search_and_page!();
            fn sort_state(&self) -> SortState {
                SortState { key: AttrValue::Static(self.sort.as_str()), descending: $is_descending(self) }
            }
            fn sort_by(&mut self, key: &str) {
                let Some(sort) = <$sort>::parse(key) else { return };
                self.$descending = $set(sort == self.sort && !$is_descending(self));
                self.sort = sort;
            }
            fn same_order_and_page(&mut self, other: &Self) {
                (self.page, self.per_page, self.sort, self.$descending) =
                    (other.page, other.per_page, other.sort, other.$descending);
            }
        }
    };
}

list_request!(
    users::ListUsersRequest,
    users::UserSort,
    descending,
    |r: &users::ListUsersRequest| r.descending,
    std::convert::identity
);
list_request!(
    programs::ListProgramsRequest,
    programs::ProgramSort,
    descending,
    |r: &programs::ListProgramsRequest| r.descending,
    std::convert::identity
);
list_request!(
    programs::ListCohortsRequest,
    programs::CohortSort,
    descending,
    |r: &programs::ListCohortsRequest| r.descending,
    std::convert::identity
);
list_request!(
    applications::ListApplicationsRequest,
    applications::ApplicationSort,
    descending,
    |r: &applications::ListApplicationsRequest| r.descending,
    std::convert::identity
);
list_request!(
    events::ListEventsRequest,
    events::EventSort,
    descending,
    events::ListEventsRequest::is_descending,
    Some
);
list_request!(
    announcements::ListAnnouncementsRequest,
    announcements::AnnouncementSort,
    descending,
    announcements::ListAnnouncementsRequest::is_descending,
    Some
);

list_request!(
    mail::ListOutboxRequest,
    mail::OutboxSort,
    descending,
    mail::ListOutboxRequest::is_descending,
    Some
);

list_request!(
    inbox::ListMessagesRequest,
    inbox::MessageSort,
    descending,
    |r: &inbox::ListMessagesRequest| r.descending,
    std::convert::identity
);

/// The audit trail has one order, the newest first.
impl ListRequest for audit::ActivityRequest {
    search_and_page!();
    fn sort_state(&self) -> SortState {
        SortState { key: AttrValue::Static("at"), descending: true }
    }
    fn sort_by(&mut self, _: &str) {}
    fn same_order_and_page(&mut self, other: &Self) {
        (self.page, self.per_page) = (other.page, other.per_page);
    }
}

/// A list screen's state: see [`use_list`].
pub struct List<R: ListRequest, T: 'static> {
    pub request: UseStateHandle<R>,
    /// The last page received (kept on screen while the next one loads).
    pub page: UseStateHandle<Option<Page<T>>>,
    pub loading: UseStateHandle<bool>,
    pub error: UseStateHandle<Option<String>>,
    search_text: UseStateHandle<String>,
    reload: UseStateHandle<u32>,
    /// The request the screen started with: what "not filtered" means.
    initial: Rc<R>,
}

impl<R: ListRequest, T: Clone + 'static> List<R, T> {
    /// A callback that changes the filters with the value it is given (a select's, say).
    pub fn changer<V: 'static>(&self, update: fn(&mut R, V)) -> Callback<V> {
        let request = self.request.clone();
        Callback::from(move |value: V| {
            let mut next = (*request).clone();
            update(&mut next, value);
            next.set_page(1);
            request.set(next);
        })
    }

    pub fn on_page(&self) -> Callback<u32> {
        let request = self.request.clone();
        Callback::from(move |number: u32| {
            let mut next = (*request).clone();
            next.set_page(number);
            request.set(next);
        })
    }

    pub fn on_sort(&self) -> Callback<AttrValue> {
        let request = self.request.clone();
        Callback::from(move |key: AttrValue| {
            let mut next = (*request).clone();
            next.sort_by(&key);
            next.set_page(1);
            request.set(next);
        })
    }

    /// For the search box's `oninput`: the list is searched once typing pauses.
    pub fn on_search(&self) -> Callback<InputEvent> {
        let text = self.search_text.clone();
        Callback::from(move |event: InputEvent| {
            text.set(event.target_unchecked_into::<HtmlInputElement>().value());
        })
    }

    /// The column sorted by and which way, for the table's headers.
    pub fn sort(&self) -> SortState {
        self.request.sort_state()
    }

    pub fn search_text(&self) -> String {
        (*self.search_text).clone()
    }

    /// Asks for the same page again (after a change made elsewhere on the screen).
    pub fn reload(&self) -> Callback<()> {
        let reload = self.reload.clone();
        Callback::from(move |()| reload.set(*reload + 1))
    }

    pub fn items(&self) -> Vec<T> {
        self.page.as_ref().map(|page| page.items.clone()).unwrap_or_default()
    }

    /// Nothing shows because of the search or filters, rather than because there is nothing.
    pub fn is_filtered(&self) -> bool {
        let mut current = (*self.request).clone();
        current.same_order_and_page(&self.initial);
        current != *self.initial
    }
}

/// The state of a list screen asking operation `O` for pages of `T`.
#[hook]
pub fn use_list<O, R, T>(initial: R) -> List<R, T>
where
    O: Operation<Request = R, Response = Page<T>> + 'static,
    R: ListRequest,
    T: Clone + PartialEq + 'static,
{
    let initial = use_memo((), |()| initial);
    let request = use_state(|| (*initial).clone());
    let page = use_state(|| None::<Page<T>>);
    let loading = use_state(|| true);
    let error = use_state(|| None::<String>);
    let search_text = use_state(String::new);
    let reload = use_state(|| 0_u32);
    // Bumped by every fetch: an older answer arriving late is dropped.
    let generation = use_mut_ref(|| 0_u64);
    {
        let (page, loading, error) = (page.clone(), loading.clone(), error.clone());
        use_effect_with(((*request).clone(), *reload), move |(request, _)| {
            let request = request.clone();
            let mine = {
                let mut generation = generation.borrow_mut();
                *generation += 1;
                *generation
            };
            loading.set(true);
            spawn_local(async move {
                let answer = ipc::call::<O>(&request).await;
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
        let request = request.clone();
        use_effect_with((*search_text).clone(), move |text| {
            let text = text.clone();
            let cancelled = Rc::new(Cell::new(false));
            let flag = cancelled.clone();
            spawn_local(async move {
                sleep(SEARCH_PAUSE).await;
                let wanted = Some(text.trim().to_owned()).filter(|text| !text.is_empty());
                if !flag.get() && request.search() != wanted.as_deref() {
                    let mut next = (*request).clone();
                    next.set_search(wanted);
                    next.set_page(1);
                    request.set(next);
                }
            });
            move || cancelled.set(true)
        });
    }
    List { request, page, loading, error, search_text, reload, initial }
}

impl<R: ListRequest, T: Clone + 'static> List<R, T> {
    /// Back to the list as the screen opened it: no search, no filters.
    pub fn clear(&self) -> Callback<MouseEvent> {
        let (request, initial, text) = (self.request.clone(), self.initial.clone(), self.search_text.clone());
        Callback::from(move |_: MouseEvent| {
            text.set(String::new());
            request.set((*initial).clone());
        })
    }

    /// What the table shows with no rows: "no X matches" with a way back when filtered,
    /// otherwise that there are none yet and how to make the first.
    pub fn empty(&self, one: &str, many: &str, first: &str) -> Html {
        if self.is_filtered() {
            html! {
                <div class="empty">
                    <p class="empty__title">{ format!("No {one} matches") }</p>
                    <p>{ "Try another search, or " }
                        <button class="link-button" onclick={self.clear()}>{ "clear the filters" }</button>{ "." }</p>
                </div>
            }
        } else {
            html! {
                <div class="empty">
                    <p class="empty__title">{ format!("No {many} yet") }</p>
                    <p>{ first.to_owned() }</p>
                </div>
            }
        }
    }

    /// The pager under the table, once a page has come.
    pub fn pager(&self, noun: &'static str) -> Html {
        match &*self.page {
            Some(found) => html! {
                <Pager page={found.page} per_page={found.per_page} total={found.total} on_page={self.on_page()} {noun} />
            },
            None => html! {},
        }
    }

    /// The error of the last fetch, if it failed.
    pub fn alert(&self) -> Html {
        match &*self.error {
            Some(message) => html! { <p class="alert" role="alert">{ message }</p> },
            None => html! {},
        }
    }
}

/// The "published and drafts / published / drafts" filter of lists of published things.
pub fn published_filter(current: Option<bool>, on_change: &Callback<Option<bool>>) -> Html {
    let onchange = on_change.reform(|event: Event| {
        match event.target_unchecked_into::<web_sys::HtmlSelectElement>().value().as_str() {
            "published" => Some(true),
            "draft" => Some(false),
            _ => None,
        }
    });
    html! {
        <select aria-label="Published" {onchange}>
            <option value="" selected={current.is_none()}>{ "Published and drafts" }</option>
            <option value="published" selected={current == Some(true)}>{ "Published" }</option>
            <option value="draft" selected={current == Some(false)}>{ "Drafts" }</option>
        </select>
    }
}
