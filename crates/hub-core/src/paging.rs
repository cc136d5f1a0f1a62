//! Lists a page at a time: the page asked for, checked once, and the page answered.

use crate::{Error, Result};
use hub_model::page::Page;
use std::future::Future;

/// A checked page request: 1-based `page`, `per_page` within the list's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
}

impl Paging {
    /// `page` 0 is the first; `per_page` 0 is 25; more than `max` is refused, naming the field.
    pub fn parse(page: u32, per_page: u32, max: u32) -> Result<Self> {
        let per_page = match per_page {
            0 => 25.min(max),
            n if n <= max => n,
            _ => return Err(Error::validation("per_page", format!("must be between 1 and {max}"))),
        };
        Ok(Self { page: page.max(1), per_page })
    }

    pub fn limit(self) -> i64 {
        self.per_page.into()
    }

    pub fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    /// The page `fetch(limit, offset)` finds, each row carrying the count of all matching
    /// rows (`count(*) over ()`). Past the last page no row carries it: the first row's is
    /// asked for instead, so the pager still says how many there are.
    pub async fn fetch<R, T, F, Fut>(
        self,
        fetch: F,
        total: fn(&R) -> i64,
        item: fn(R) -> Result<T>,
    ) -> Result<Page<T>>
    where
        F: Fn(i64, i64) -> Fut,
        Fut: Future<Output = Result<Vec<R>>>,
    {
        let rows = fetch(self.limit(), self.offset()).await?;
        let total = match rows.first() {
            Some(row) => total(row),
            None if self.offset() > 0 => fetch(1, 0).await?.first().map_or(0, total),
            None => 0,
        };
        Ok(Page {
            items: rows.into_iter().map(item).collect::<Result<_>>()?,
            total,
            page: self.page,
            per_page: self.per_page,
        })
    }
}

/// The one row a list's query found for an id, as its item; `what` names it when none was
/// found ("application 7").
pub fn only<R, T>(mut rows: Vec<R>, what: impl FnOnce() -> String) -> Result<T>
where
    T: TryFrom<R, Error = Error>,
{
    rows.pop().map(T::try_from).transpose()?.ok_or_else(|| Error::NotFound(what()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_one_based_and_bounded() {
        let paging = Paging::parse(0, 0, 100).unwrap();
        assert_eq!((paging.page, paging.per_page, paging.offset()), (1, 25, 0));
        assert_eq!(Paging::parse(3, 20, 100).unwrap().offset(), 40);
        let refused = Paging::parse(1, 101, 100).unwrap_err();
        assert!(refused.to_string().contains("per_page"), "{refused}");
    }
}
