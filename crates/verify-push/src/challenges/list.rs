//! Listing an Entity's challenges, filtered by status and factor.

use verify_v2::apis::verify_v2_challenge_api as api;
use verify_v2::models::{ChallengeEnumChallengeStatuses, ChallengeEnumListOrders};

use super::Challenge;
use super::operations::LIST_CHALLENGE;
use crate::call::page::{self, ListOptions, Page, Pages, list_builder, next_cursor};
use crate::call::{self, decode};
use crate::scope::EntityPath;
use crate::{ChallengeStatus, Client, Error, FactorSid, InvalidInput};

/// The order of a challenge list, by creation date. Twilio's default is ascending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeOrder {
    /// Oldest first.
    Asc,
    /// Newest first.
    Desc,
}

/// A list of challenges being read: `.await` it for all of them, or call
/// [`pages`](Self::pages).
///
/// ```no_run
/// use verify_push::{ChallengeStatus, Client, Identity};
/// # async fn demo(client: Client) -> Result<(), verify_push::Error> {
/// let pending = client
///     .service("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///     .entity(Identity::hashed("user-42"))
///     .challenges()
///     .list()
///     .status(ChallengeStatus::Pending)
///     .limit(20)
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "nothing is sent until `.await` or `pages()`"]
pub struct ListChallenges {
    client: Client,
    entity: EntityPath,
    status: Option<ChallengeStatus>,
    factor_sid: Option<String>,
    order: Option<ChallengeOrder>,
    options: ListOptions,
}

impl ListChallenges {
    pub(crate) fn new(client: Client, entity: EntityPath) -> Self {
        Self {
            client,
            entity,
            status: None,
            factor_sid: None,
            order: None,
            options: ListOptions::default(),
        }
    }

    /// Only challenges in this status.
    pub fn status(mut self, status: ChallengeStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Only challenges sent to this factor (`YF…`).
    pub fn factor(mut self, factor_sid: impl AsRef<str>) -> Self {
        self.factor_sid = Some(factor_sid.as_ref().into());
        self
    }

    /// Oldest or newest first.
    pub fn order(mut self, order: ChallengeOrder) -> Self {
        self.order = Some(order);
        self
    }

    /// Page by page, one request per [`Pages::next_page`].
    pub fn pages(self) -> Pages<Challenge> {
        Pages::new(Box::new(move |cursor| {
            let this = self.clone();
            page::boxed(async move {
                let (service_sid, identity) = this.entity.check()?;
                let factor_sid = this.factor_sid.map(FactorSid::new).transpose()?;
                // Checked once here; built afresh for each attempt below, since the generated
                // enums are moved into the call.
                this.status.as_ref().map(status_filter).transpose()?;
                let status = this.status.as_ref().map(ChallengeStatus::as_str);
                let order = this.order;
                let page_size = this.options.page_size()?;
                let (page, token) = page::split(cursor);
                let configuration = &this.client.inner().configuration;
                call::execute(
                    &this.client,
                    &LIST_CHALLENGE,
                    || {
                        api::list_challenge_request(
                            configuration,
                            service_sid,
                            identity,
                            factor_sid.as_ref().map(FactorSid::as_str),
                            status.and_then(decode::generated_enum),
                            order.map(|o| match o {
                                ChallengeOrder::Asc => ChallengeEnumListOrders::Asc,
                                ChallengeOrder::Desc => ChallengeEnumListOrders::Desc,
                            }),
                            page_size,
                            page,
                            token.as_deref(),
                        )
                    },
                    api::list_challenge_response,
                    |list| {
                        let items = decode::items("challenges", list.challenges)?
                            .into_iter()
                            .map(Challenge::from_generated)
                            .collect::<Result<Vec<_>, _>>()?;
                        Ok(Page::new(items, next_cursor(list.meta.as_deref())?))
                    },
                )
                .await
            })
        }))
    }
}

/// Twilio's filter takes the four documented statuses only (spec ListChallenge `Status`).
fn status_filter(status: &ChallengeStatus) -> Result<ChallengeEnumChallengeStatuses, Error> {
    let known = (!status.is_unknown()).then_some(status.as_str());
    known.and_then(decode::generated_enum).ok_or_else(|| {
        Error::InvalidInput(InvalidInput::new(
            "status",
            format!(
                "must be pending, expired, approved or denied to filter on, got {:?}",
                status.as_str()
            ),
        ))
    })
}

list_builder!(ListChallenges, Challenge);
