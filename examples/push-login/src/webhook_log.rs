//! The webhook events the example received: de-duplicated by `uuid`, bounded.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

use serde::Serialize;

/// How many events (and uuids) are kept: a demo, not an audit log.
const KEEP: usize = 200;

/// One recorded event.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Recorded {
    pub uuid: String,
    pub event_type: String,
    pub challenge_sid: Option<String>,
    pub factor_sid: Option<String>,
}

/// Events in arrival order, with the uuids already seen.
#[derive(Debug, Default)]
pub(crate) struct WebhookLog {
    inner: Mutex<(VecDeque<Recorded>, HashSet<String>)>,
}

impl WebhookLog {
    /// Records `event` unless its uuid was seen (Twilio may deliver an event more than once);
    /// returns whether it was new.
    pub fn record(&self, event: Recorded) -> bool {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (events, seen) = &mut *guard;
        if !seen.insert(event.uuid.clone()) {
            return false;
        }
        events.push_back(event);
        while events.len() > KEEP {
            if let Some(old) = events.pop_front() {
                seen.remove(&old.uuid);
            }
        }
        true
    }

    /// A copy of the events, oldest first.
    pub fn all(&self) -> Vec<Recorded> {
        let guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        guard.0.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(uuid: &str) -> Recorded {
        Recorded {
            uuid: uuid.into(),
            event_type: "challenge.approved".into(),
            challenge_sid: None,
            factor_sid: None,
        }
    }

    #[test]
    fn a_repeated_uuid_is_recorded_once() {
        let log = WebhookLog::default();
        assert!(log.record(event("a")));
        assert!(!log.record(event("a")));
        assert_eq!(log.all().len(), 1);
    }

    #[test]
    fn the_log_is_bounded() {
        let log = WebhookLog::default();
        for i in 0..(KEEP + 50) {
            log.record(event(&i.to_string()));
        }
        assert_eq!(log.all().len(), KEEP);
        assert_eq!(log.all()[0].uuid, "50");
    }
}
