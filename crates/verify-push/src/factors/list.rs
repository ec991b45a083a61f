//! Listing an Entity's factors.

use verify_v2::apis::verify_v2_factor_api as api;

use super::Factor;
use super::operations::LIST_FACTOR;
use crate::Client;
use crate::call::page::{self, ListOptions, Page, Pages, list_builder, next_cursor};
use crate::call::{self, decode};
use crate::scope::EntityPath;

/// A list of factors being read: `.await` it for all of them, or call
/// [`pages`](Self::pages).
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until `.await` or `pages()`"]
pub struct ListFactors {
    client: Client,
    entity: EntityPath,
    options: ListOptions,
}

impl ListFactors {
    pub(crate) fn new(client: Client, entity: EntityPath) -> Self {
        Self {
            client,
            entity,
            options: ListOptions::default(),
        }
    }

    /// Page by page, one request per [`Pages::next_page`].
    pub fn pages(self) -> Pages<Factor> {
        Pages::new(Box::new(move |cursor| {
            let this = self.clone();
            page::boxed(async move {
                let (service_sid, identity) = this.entity.check()?;
                let page_size = this.options.page_size()?;
                let (page, token) = page::split(cursor);
                let configuration = &this.client.inner().configuration;
                call::execute(
                    &this.client,
                    &LIST_FACTOR,
                    || {
                        api::list_factor_request(
                            configuration,
                            service_sid,
                            identity,
                            page_size,
                            page,
                            token.as_deref(),
                        )
                    },
                    api::list_factor_response,
                    |list| {
                        let items = decode::items("factors", list.factors)?
                            .into_iter()
                            .map(Factor::from_generated)
                            .collect::<Result<Vec<_>, _>>()?;
                        Ok(Page::new(items, next_cursor(list.meta.as_deref())?))
                    },
                )
                .await
            })
        }))
    }
}

list_builder!(ListFactors, Factor);
