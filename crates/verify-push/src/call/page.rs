//! Lists: page by page, or all pages with a cap.
//!
//! Twilio's list responses carry `meta.next_page_url`. Official SDKs GET that URL as it is; this
//! crate only reads its `Page` and `PageToken` query parameters and calls the generated list
//! function again, so a response can never send the client (and its credentials) to another
//! host or path.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::{Error, InvalidInput};

/// Where the next page starts: the query parameters of `meta.next_page_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub page: Option<i32>,
    pub token: String,
}

/// Reads the cursor out of a list response's `meta`. `None` means this was the last page.
pub(crate) fn next_cursor(
    meta: Option<&verify_v2::models::ListBucketResponseMeta>,
) -> Result<Option<Cursor>, String> {
    let Some(next) = meta.and_then(|m| m.next_page_url.clone().flatten()) else {
        return Ok(None);
    };
    if next.is_empty() {
        return Ok(None);
    }
    // Relative or absolute, only the query matters; the base is a placeholder for parsing.
    let url = url::Url::parse(&next)
        .or_else(|_| url::Url::parse("https://placeholder.invalid/").and_then(|b| b.join(&next)))
        .map_err(|_| "`meta.next_page_url` is not a URL".to_string())?;
    let mut token = None;
    let mut page = None;
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "PageToken" => token = Some(value.into_owned()),
            "Page" => {
                page = Some(value.parse::<i32>().map_err(|_| {
                    "`meta.next_page_url` has a `Page` that is not a number".to_string()
                })?)
            }
            _ => {}
        }
    }
    let token = token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| "`meta.next_page_url` has no `PageToken`".to_string())?;
    Ok(Some(Cursor { page, token }))
}

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    items: Vec<T>,
    next: Option<Cursor>,
}

impl<T> Page<T> {
    pub(crate) fn new(items: Vec<T>, next: Option<Cursor>) -> Self {
        Self { items, next }
    }

    /// The items on this page.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The items, owned.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// Whether Twilio says another page follows.
    pub fn has_next(&self) -> bool {
        self.next.is_some()
    }
}

type FetchPage<T> = Box<
    dyn FnMut(Option<Cursor>) -> Pin<Box<dyn Future<Output = Result<Page<T>, Error>> + Send>>
        + Send,
>;

/// A list read page by page: `while let Some(page) = pages.next_page().await? { … }`.
///
/// Each call sends one GET. Get it from a list builder's `pages()`.
pub struct Pages<T> {
    fetch: FetchPage<T>,
    next: Option<Option<Cursor>>,
    seen: HashSet<String>,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("finished", &self.next.is_none())
            .finish_non_exhaustive()
    }
}

impl<T> Pages<T> {
    pub(crate) fn new(fetch: FetchPage<T>) -> Self {
        Self {
            fetch,
            next: Some(None),
            seen: HashSet::new(),
        }
    }

    /// The next page, or `None` after the last one.
    ///
    /// A server that hands back a page token it already gave is a decode error rather than an
    /// endless loop.
    pub async fn next_page(&mut self) -> Result<Option<Page<T>>, Error> {
        let Some(cursor) = self.next.take() else {
            return Ok(None);
        };
        let page = (self.fetch)(cursor).await?;
        if let Some(next) = &page.next {
            if !self.seen.insert(next.token.clone()) {
                return Err(Error::Decode(crate::error::DecodeError {
                    status: Some(200),
                    reason: "`meta.next_page_url` repeats a page token already read, so the list \
                             would never end"
                        .into(),
                    excerpt: String::new(),
                    request_id: None,
                }));
            }
            self.next = Some(Some(next.clone()));
        }
        Ok(Some(page))
    }

    /// Reads pages until the last one or until `limit` items, whichever comes first.
    pub async fn collect(mut self, limit: Option<usize>) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await? {
            all.extend(page.into_items());
            if let Some(limit) = limit {
                if all.len() >= limit {
                    all.truncate(limit);
                    break;
                }
            }
        }
        Ok(all)
    }
}

/// The options every list shares: page size and a cap on the items read.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ListOptions {
    pub page_size: Option<u32>,
    pub limit: Option<usize>,
}

impl ListOptions {
    /// Twilio's default page size.
    pub const DEFAULT_PAGE_SIZE: u32 = 50;

    /// The `PageSize` to send: the caller's, checked, or a smaller one when the cap needs fewer
    /// items than a default page holds.
    ///
    /// Source: spec, every list operation's `PageSize`: "How many resources to return in each
    /// list page. The default is 50, and the maximum is 1000" (minimum 1).
    pub fn page_size(&self) -> Result<Option<i64>, InvalidInput> {
        if let Some(size) = self.page_size {
            if !(1..=1000).contains(&size) {
                return Err(InvalidInput::new(
                    "page_size",
                    format!("must be from 1 to 1000, got {size}"),
                ));
            }
        }
        if self.limit == Some(0) {
            return Err(InvalidInput::new("limit", "must be at least 1, got 0"));
        }
        let wanted = self.page_size.unwrap_or(Self::DEFAULT_PAGE_SIZE);
        let size = match self.limit {
            Some(limit) if (limit as u64) < u64::from(wanted) => limit as u32,
            _ => wanted,
        };
        Ok(match (self.page_size, self.limit) {
            (None, None) => None,
            _ => Some(i64::from(size)),
        })
    }
}

/// The setters and `IntoFuture` every list builder shares. The builder has an
/// `options: ListOptions` field and a `pages(self) -> Pages<$item>` method.
macro_rules! list_builder {
    ($builder:ident, $item:ty) => {
        impl $builder {
            /// How many items each request asks for: 1 to 1000 (Twilio's default is 50).
            pub fn page_size(mut self, page_size: u32) -> Self {
                self.options.page_size = Some(page_size);
                self
            }

            /// Stops after this many items (at least 1), however many pages Twilio has.
            pub fn limit(mut self, limit: usize) -> Self {
                self.options.limit = Some(limit);
                self
            }

            /// Reads every page (up to [`limit`](Self::limit) items). Same as `.await`.
            pub async fn send(self) -> Result<Vec<$item>, $crate::Error> {
                let limit = self.options.limit;
                self.pages().collect(limit).await
            }
        }

        impl std::future::IntoFuture for $builder {
            type Output = Result<Vec<$item>, $crate::Error>;
            type IntoFuture =
                std::pin::Pin<Box<dyn std::future::Future<Output = Self::Output> + Send>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }
    };
}

pub(crate) use list_builder;

/// The generated list functions' `page` and `page_token` arguments for a cursor.
pub(crate) fn split(cursor: Option<Cursor>) -> (Option<i32>, Option<String>) {
    match cursor {
        Some(c) => (c.page, Some(c.token)),
        None => (None, None),
    }
}

/// Boxes one page's future, the shape [`Pages`] stores.
pub(crate) fn boxed<T, F>(future: F) -> Pin<Box<dyn Future<Output = Result<Page<T>, Error>> + Send>>
where
    F: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    Box::pin(future)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(next: Option<&str>) -> verify_v2::models::ListBucketResponseMeta {
        let mut m = verify_v2::models::ListBucketResponseMeta::new();
        m.next_page_url = Some(next.map(str::to_owned));
        m
    }

    #[test]
    fn cursor_comes_from_the_query_of_next_page_url_only() {
        let m = meta(Some(
            "https://evil.example/v2/Services/VA1/Entities?PageSize=50&Page=1&PageToken=PT123",
        ));
        assert_eq!(
            next_cursor(Some(&m)).unwrap(),
            Some(Cursor {
                page: Some(1),
                token: "PT123".into()
            })
        );
    }

    #[test]
    fn no_next_page_url_is_the_last_page() {
        assert_eq!(next_cursor(Some(&meta(None))).unwrap(), None);
        assert_eq!(next_cursor(Some(&meta(Some("")))).unwrap(), None);
        assert_eq!(next_cursor(None).unwrap(), None);
    }

    #[test]
    fn next_page_url_without_a_token_is_a_decode_problem() {
        let m = meta(Some(
            "https://verify.twilio.com/v2/Services/VA1/Entities?Page=1",
        ));
        assert!(next_cursor(Some(&m)).unwrap_err().contains("PageToken"));
    }

    #[test]
    fn page_size_is_checked_and_shrunk_to_the_cap() {
        let opts = |page_size, limit| ListOptions { page_size, limit };
        assert_eq!(opts(None, None).page_size().unwrap(), None);
        assert_eq!(opts(None, Some(5)).page_size().unwrap(), Some(5));
        assert_eq!(opts(Some(100), Some(500)).page_size().unwrap(), Some(100));
        assert_eq!(
            opts(Some(1001), None).page_size().unwrap_err().field(),
            "page_size"
        );
        assert_eq!(
            opts(Some(0), None).page_size().unwrap_err().field(),
            "page_size"
        );
        assert_eq!(
            opts(None, Some(0)).page_size().unwrap_err().field(),
            "limit"
        );
    }
}
