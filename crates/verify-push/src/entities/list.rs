//! Listing a service's Entities.

use verify_v2::apis::verify_v2_entity_api as api;

use super::EntityResource;
use super::operations::LIST_ENTITY;
use crate::call::page::{self, ListOptions, Page, Pages, list_builder, next_cursor};
use crate::call::{self, decode};
use crate::{Client, ServiceSid};

/// A list of Entities being read: `.await` it for all of them, or call
/// [`pages`](Self::pages).
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until `.await` or `pages()`"]
pub struct ListEntities {
    client: Client,
    service_sid: String,
    options: ListOptions,
}

impl ListEntities {
    pub(crate) fn new(client: Client, service_sid: String) -> Self {
        Self {
            client,
            service_sid,
            options: ListOptions::default(),
        }
    }

    /// Page by page, one request per [`Pages::next_page`].
    pub fn pages(self) -> Pages<EntityResource> {
        Pages::new(Box::new(move |cursor| {
            let this = self.clone();
            page::boxed(async move {
                let service_sid = ServiceSid::new(this.service_sid.as_str())?;
                let page_size = this.options.page_size()?;
                let (page, token) = page::split(cursor);
                let configuration = &this.client.inner().configuration;
                call::execute(
                    &this.client,
                    &LIST_ENTITY,
                    || {
                        api::list_entity_request(
                            configuration,
                            service_sid.as_str(),
                            page_size,
                            page,
                            token.as_deref(),
                        )
                    },
                    api::list_entity_response,
                    |list| {
                        let items = decode::items("entities", list.entities)?
                            .into_iter()
                            .map(EntityResource::from_generated)
                            .collect::<Result<Vec<_>, _>>()?;
                        Ok(Page::new(items, next_cursor(list.meta.as_deref())?))
                    },
                )
                .await
            })
        }))
    }
}

list_builder!(ListEntities, EntityResource);
