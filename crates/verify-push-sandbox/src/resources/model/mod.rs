//! The bottom layer: Verify's records as plain data (no HTTP, no rules), with the JSON Twilio
//! returns for each. The store holds them; the resource rules and handlers above read them.

mod challenge;
mod entity;
mod event;
mod factor;
mod scope;
mod service;
mod webhook;

pub(crate) use challenge::{Answered, Challenge};
pub(crate) use entity::Entity;
pub(crate) use event::{Emitted, Event, EventType};
pub(crate) use factor::Factor;
pub(crate) use scope::{Scope, timestamp};
pub(crate) use service::Service;
pub(crate) use webhook::Webhook;
