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
