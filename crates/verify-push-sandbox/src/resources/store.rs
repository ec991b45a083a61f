//! The Verify data the resources share, under one lock so that a cascade (deleting an entity
//! deletes its factors and challenges) is never half done. Each record type lives with its
//! resource; this file holds the collections and their bounds.
//!
//! Bounds, so that a long-running sandbox stays small: at most [`MAX_ENTITIES`] entities (a
//! create beyond it is refused), Twilio's 20 push factors per entity, at most
//! [`MAX_CHALLENGES`] challenges (the oldest finished one is forgotten first), and
//! [`MAX_WEBHOOKS`] webhooks.

use std::collections::VecDeque;

use super::model::{Challenge, Entity, Factor, Webhook};

/// Entities the sandbox keeps. 1,000 users are plenty for a test or a demo.
pub(crate) const MAX_ENTITIES: usize = 1_000;
/// Challenges the sandbox keeps, across all entities.
pub(crate) const MAX_CHALLENGES: usize = 10_000;
/// Webhooks per service (Twilio documents no limit; the sandbox's choice).
pub(crate) const MAX_WEBHOOKS: usize = 20;
/// How long a factor may stay unverified before it is deleted: Twilio documents 1 to 24 hours
/// (error pages 60318, 60383, 60390); the sandbox takes the low end, so a backend that handles
/// it handles Twilio's worst case.
pub(crate) const UNVERIFIED_FACTOR_LIFETIME: chrono::Duration = chrono::Duration::hours(1);

#[derive(Debug, Default)]
pub(crate) struct Store {
    /// In creation order.
    pub(crate) entities: Vec<Entity>,
    /// In creation order.
    pub(crate) factors: Vec<Factor>,
    /// In creation order, oldest first.
    pub(crate) challenges: VecDeque<Challenge>,
    /// In creation order.
    pub(crate) webhooks: Vec<Webhook>,
}

impl Store {
    pub(crate) fn entity(&self, identity: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.identity == identity)
    }

    pub(crate) fn factor(&self, identity: &str, sid: &str) -> Option<&Factor> {
        self.factors
            .iter()
            .find(|f| f.identity == identity && f.sid == sid)
    }

    pub(crate) fn factor_mut(&mut self, identity: &str, sid: &str) -> Option<&mut Factor> {
        self.factors
            .iter_mut()
            .find(|f| f.identity == identity && f.sid == sid)
    }

    pub(crate) fn challenge(&self, identity: &str, sid: &str) -> Option<&Challenge> {
        self.challenges
            .iter()
            .find(|c| c.identity == identity && c.sid == sid)
    }

    pub(crate) fn challenge_mut(&mut self, identity: &str, sid: &str) -> Option<&mut Challenge> {
        self.challenges
            .iter_mut()
            .find(|c| c.identity == identity && c.sid == sid)
    }

    /// Adds a challenge, first forgetting the oldest finished one (or the oldest) at the bound.
    pub(crate) fn push_challenge(
        &mut self,
        challenge: Challenge,
        now: chrono::DateTime<chrono::Utc>,
    ) {
        if self.challenges.len() >= MAX_CHALLENGES {
            let finished = self.challenges.iter().position(|c| !c.is_pending(now));
            match finished {
                Some(index) => {
                    self.challenges.remove(index);
                }
                None => {
                    self.challenges.pop_front();
                }
            }
        }
        self.challenges.push_back(challenge);
    }

    /// Deletes the factors left unverified for [`UNVERIFIED_FACTOR_LIFETIME`] by `now`.
    pub(crate) fn expire_unverified_factors(&mut self, now: chrono::DateTime<chrono::Utc>) {
        self.factors
            .retain(|f| f.verified || now - f.date_created < UNVERIFIED_FACTOR_LIFETIME);
    }

    /// Removes an entity and everything under it.
    pub(crate) fn remove_entity(&mut self, identity: &str) -> Option<Entity> {
        let index = self.entities.iter().position(|e| e.identity == identity)?;
        self.factors.retain(|f| f.identity != identity);
        self.challenges.retain(|c| c.identity != identity);
        Some(self.entities.remove(index))
    }
}
