//! The names enums have on the wire, so that the database, logs and the CLI use the exact
//! strings serde gives the UI.

use serde::Serialize;

/// The serialized name of a unit-like enum value (`TicketStatus::InProgress` → `in_progress`);
/// empty for values that do not serialize to a string.
pub fn wire_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ticket::{TicketKind, TicketSource};

    #[test]
    fn kinds_and_sources_name_themselves_as_serde_does() {
        for k in TicketKind::ALL {
            assert_eq!(k.as_str(), wire_name(&k));
            assert_eq!(TicketKind::parse(k.as_str()), Some(k));
        }
        for s in TicketSource::ALL {
            assert_eq!(s.as_str(), wire_name(&s));
            assert_eq!(TicketSource::parse(s.as_str()), Some(s));
        }
        assert_eq!(TicketKind::parse("nonsense"), None);
    }
    use crate::event::TicketEventType;
    use crate::ticket::TicketStatus;

    #[test]
    fn names_match_serde() {
        assert_eq!(
            wire_name(&TicketStatus::AwaitingCallback),
            "awaiting_callback"
        );
        assert_eq!(wire_name(&TicketEventType::SignedFor), "signed_for");
        assert_eq!(wire_name(&42), "");
    }
}
