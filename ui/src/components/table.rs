//! The data table: sortable column headers, a loading state, an empty state, and the
//! pager under it. Rows come from the page as `<tr>`s; the table owns the frame.

use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub label: AttrValue,
    /// The sort key the header sets when clicked; `None` for a column that does not sort.
    pub sort_key: Option<AttrValue>,
    /// Right-aligned, narrow, for actions and numbers.
    pub end: bool,
    /// A header that is a control rather than a label (the checkbox that chooses a page).
    pub control: Option<Html>,
}

impl Column {
    pub fn new(label: &'static str) -> Self {
        Self { label: AttrValue::Static(label), sort_key: None, end: false, control: None }
    }

    /// A narrow column headed by `control`, named `label` for screen readers.
    pub fn control(label: &'static str, control: Html) -> Self {
        Self { control: Some(control), ..Self::new(label) }
    }

    pub fn sortable(label: &'static str, key: &'static str) -> Self {
        Self { sort_key: Some(AttrValue::Static(key)), ..Self::new(label) }
    }

    pub fn end(label: &'static str) -> Self {
        Self { end: true, ..Self::new(label) }
    }
}

/// Which column the rows are sorted by, and which way.
#[derive(Debug, Clone, PartialEq)]
pub struct SortState {
    pub key: AttrValue,
    pub descending: bool,
}

#[derive(Properties, PartialEq)]
pub struct DataTableProps {
    pub label: AttrValue,
    pub columns: Vec<Column>,
    pub sort: SortState,
    /// Called with the key of a clicked header: the page flips the order or changes column.
    pub on_sort: Callback<AttrValue>,
    pub loading: bool,
    /// No rows to show: `empty` is shown instead (unless still loading).
    pub is_empty: bool,
    pub empty: Html,
    #[prop_or_default]
    pub children: Html,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
}

#[function_component(DataTable)]
pub fn data_table(props: &DataTableProps) -> Html {
    let span = props.columns.len().to_string();
    let body = if props.is_empty && props.loading {
        html! {
            { for (0..5).map(|_| html! {
                <tr class="table__skeleton" aria-hidden="true">
                    { for props.columns.iter().map(|_| html! { <td><span></span></td> }) }
                </tr>
            }) }
        }
    } else if props.is_empty {
        html! { <tr><td class="table__empty" colspan={span}>{ props.empty.clone() }</td></tr> }
    } else {
        props.children.clone()
    };
    html! {
        <div class={classes!("table-frame", props.loading.then_some("table-frame--busy"))}>
            <table class="table" aria-label={&props.label} aria-busy={props.loading.to_string()}
                data-testid={props.testid.clone()}>
                <thead>
                    <tr>
                        { for props.columns.iter().map(|column| header(column, &props.sort, &props.on_sort)) }
                    </tr>
                </thead>
                <tbody>{ body }</tbody>
            </table>
        </div>
    }
}

fn header(column: &Column, sort: &SortState, on_sort: &Callback<AttrValue>) -> Html {
    let class = classes!(column.end.then_some("table__end"));
    if let Some(control) = &column.control {
        return html! { <th class="table__choose" scope="col" aria-label={&column.label}>{ control.clone() }</th> };
    }
    let Some(key) = &column.sort_key else {
        return html! { <th {class} scope="col">{ &column.label }</th> };
    };
    let active = *key == sort.key;
    let aria_sort = match (active, sort.descending) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    };
    let arrow = match (active, sort.descending) {
        (false, _) => "↕",
        (true, false) => "↑",
        (true, true) => "↓",
    };
    let onclick = {
        let (key, on_sort) = (key.clone(), on_sort.clone());
        Callback::from(move |_| on_sort.emit(key.clone()))
    };
    html! {
        <th {class} scope="col" aria-sort={aria_sort}>
            <button class={classes!("table__sort", active.then_some("table__sort--on"))} {onclick}>
                { &column.label }<span class="table__arrow" aria-hidden="true">{ arrow }</span>
            </button>
        </th>
    }
}

#[derive(Properties, PartialEq)]
pub struct PagerProps {
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
    pub on_page: Callback<u32>,
    /// What is counted: "users".
    pub noun: AttrValue,
}

/// "26–50 of 312 users", with previous and next.
#[function_component(Pager)]
pub fn pager(props: &PagerProps) -> Html {
    let per_page = i64::from(props.per_page.max(1));
    let pages = ((props.total + per_page - 1) / per_page).max(1);
    let first = (i64::from(props.page) - 1) * per_page + 1;
    let last = (first + per_page - 1).min(props.total);
    let summary = if props.total == 0 {
        format!("No {}", props.noun)
    } else {
        format!("{first}–{last} of {} {}", props.total, props.noun)
    };
    let go = |page: u32| {
        let on_page = props.on_page.clone();
        Callback::from(move |_: MouseEvent| on_page.emit(page))
    };
    html! {
        <div class="pager">
            <span class="pager__summary" data-testid="pager-summary">{ summary }</span>
            <span class="pager__pages">{ format!("Page {} of {pages}", props.page) }</span>
            <button class="button button--quiet" onclick={go(props.page.saturating_sub(1))}
                disabled={props.page <= 1} aria-label="Previous page">{ "‹ Previous" }</button>
            <button class="button button--quiet" onclick={go(props.page + 1)}
                disabled={i64::from(props.page) >= pages} aria-label="Next page">{ "Next ›" }</button>
        </div>
    }
}
