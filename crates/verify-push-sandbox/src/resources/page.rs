//! Twilio's paging for list operations: `PageSize` (1..=1000, default 50), `Page` (from 0) and
//! `PageToken`, and the `meta` object with `next_page_url` (spec: every `List*` operation and
//! `ListBucketResponseMeta`).
//!
//! The sandbox's page token is `PT` and the index of the page's first item: opaque to clients,
//! which follow `next_page_url` as Twilio's SDKs do.

use serde_json::{Value, json};

use super::http::{field, invalid};
use crate::twilio_error::TwilioError;

/// Default `PageSize` (spec: "default 50").
const DEFAULT_PAGE_SIZE: usize = 50;
/// Largest `PageSize` (spec: `maximum: 1000`).
const MAX_PAGE_SIZE: usize = 1000;

/// A validated page request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageRequest {
    pub(crate) page: usize,
    pub(crate) page_size: usize,
    /// Index of the first item.
    pub(crate) offset: usize,
}

impl PageRequest {
    /// Reads `PageSize`, `Page` and `PageToken` from the query.
    pub(crate) fn from_query(query: &[(String, String)]) -> Result<Self, TwilioError> {
        let page_size = match field(query, "PageSize") {
            None => DEFAULT_PAGE_SIZE,
            // spec ListEntity & co: PageSize minimum 1, maximum 1000
            Some(raw) => match raw.parse::<usize>() {
                Ok(size) if (1..=MAX_PAGE_SIZE).contains(&size) => size,
                _ => {
                    return Err(invalid(format!(
                        "PageSize must be an integer from 1 to {MAX_PAGE_SIZE}, got {raw:?}"
                    )));
                }
            },
        };
        let page = match field(query, "Page") {
            None => 0,
            // spec: Page minimum 0
            Some(raw) => raw
                .parse::<usize>()
                .map_err(|_| invalid(format!("Page must be an integer from 0, got {raw:?}")))?,
        };
        let offset = match field(query, "PageToken") {
            None => page.saturating_mul(page_size),
            Some(token) => token
                .strip_prefix("PT")
                .and_then(|n| n.parse::<usize>().ok())
                .ok_or_else(|| invalid(format!("PageToken {token:?} is not valid")))?,
        };
        Ok(Self {
            page,
            page_size,
            offset,
        })
    }

    /// The items of this page and the list response `{key: [...], meta: {...}}`. `path` is the
    /// list's path and `filters` the query parameters to carry into the page URLs.
    pub(crate) fn respond(
        &self,
        base_url: &str,
        path: &str,
        filters: &[(&str, &str)],
        key: &str,
        items: Vec<Value>,
    ) -> Value {
        let total = items.len();
        let page_items: Vec<Value> = items
            .into_iter()
            .skip(self.offset)
            .take(self.page_size)
            .collect();
        let url = |page: usize, token: Option<usize>| {
            let mut query = form_urlencoded::Serializer::new(String::new());
            for (name, value) in filters {
                query.append_pair(name, value);
            }
            query.append_pair("PageSize", &self.page_size.to_string());
            query.append_pair("Page", &page.to_string());
            if let Some(offset) = token {
                query.append_pair("PageToken", &format!("PT{offset}"));
            }
            format!("{base_url}{path}?{}", query.finish())
        };
        let next_offset = self.offset + self.page_size;
        let next = (next_offset < total).then(|| url(self.page + 1, Some(next_offset)));
        let previous = (self.page > 0 && self.offset > 0).then(|| {
            url(
                self.page - 1,
                Some(self.offset.saturating_sub(self.page_size)),
            )
        });
        json!({
            key: page_items,
            "meta": {
                "page": self.page,
                "page_size": self.page_size,
                "first_page_url": url(0, None),
                "previous_page_url": previous,
                "url": url(self.page, (self.offset != self.page * self.page_size || self.page > 0).then_some(self.offset)),
                "next_page_url": next,
                "key": key,
            }
        })
    }
}

/// The query string's pairs, decoded.
pub(crate) fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// A list endpoint's answer: the page the query asks for (400 when the paging parameters are
/// bad), of `items` (all of them, filtered and in list order), under `key`; `filters` are the
/// query parameters the page URLs carry on. Every list endpoint answers through here, so paging
/// is implemented once.
pub(crate) fn list_page(
    query: &[(String, String)],
    base_url: &str,
    path: &str,
    filters: &[(&str, &str)],
    key: &str,
    items: Vec<Value>,
) -> Result<Value, TwilioError> {
    let page = PageRequest::from_query(query)?;
    Ok(page.respond(base_url, path, filters, key, items))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_and_limits() {
        assert_eq!(
            PageRequest::from_query(&[]).unwrap(),
            PageRequest {
                page: 0,
                page_size: 50,
                offset: 0
            }
        );
        assert!(PageRequest::from_query(&q(&[("PageSize", "0")])).is_err());
        assert!(PageRequest::from_query(&q(&[("PageSize", "1001")])).is_err());
        assert!(PageRequest::from_query(&q(&[("Page", "-1")])).is_err());
        assert!(PageRequest::from_query(&q(&[("PageToken", "nope")])).is_err());
        let page = PageRequest::from_query(&q(&[("PageSize", "2"), ("Page", "3")])).unwrap();
        assert_eq!(page.offset, 6);
    }

    #[test]
    fn next_page_url_carries_token_and_filters() {
        let page = PageRequest::from_query(&q(&[("PageSize", "2")])).unwrap();
        let items = (0..5).map(|i| json!(i)).collect();
        let body = page.respond("http://h", "/v2/X", &[("Status", "pending")], "xs", items);
        assert_eq!(body["xs"], json!([0, 1]));
        assert_eq!(
            body["meta"]["next_page_url"],
            "http://h/v2/X?Status=pending&PageSize=2&Page=1&PageToken=PT2"
        );
        assert_eq!(body["meta"]["previous_page_url"], Value::Null);
        let last = PageRequest::from_query(&q(&[
            ("PageSize", "2"),
            ("PageToken", "PT4"),
            ("Page", "2"),
        ]))
        .unwrap();
        let items = (0..5).map(|i| json!(i)).collect();
        let body = last.respond("http://h", "/v2/X", &[], "xs", items);
        assert_eq!(body["xs"], json!([4]));
        assert_eq!(body["meta"]["next_page_url"], Value::Null);
    }
}
