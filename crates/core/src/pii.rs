//! Personal data (a caller's name and phone): masked by default, never printed by `Debug`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A string that is personal data. `Debug` and `Display` print a fixed mask, so a stray
/// `tracing::debug!(?ticket)` can never leak it into a log file.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Personal(String);

impl Personal {
    /// Wraps a personal value.
    pub fn new(s: impl Into<String>) -> Self {
        Personal(s.into())
    }

    /// The real value; call only where the user asked to reveal it or it must be stored.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Personal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Personal(***)")
    }
}

impl fmt::Display for Personal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Masks a phone number, keeping enough to tell two callers apart on the phone:
/// `13812345678` → `138****5678`, `010-62345678` → `010-****5678`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let digits = chars.iter().filter(|c| c.is_ascii_digit()).count();
    if digits <= 4 {
        return "*".repeat(chars.len().max(1));
    }
    let keep_tail = 4;
    let keep_head = if digits >= 11 { 3 } else { 0 };
    let mut seen = 0;
    chars
        .iter()
        .map(|&c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            let from_end = digits - seen;
            if seen <= keep_head || from_end < keep_tail {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Masks a name, keeping the surname: `张伟` → `张*`, `欧阳娜娜` → `欧***`, `Li Wei` → `L*****`.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        None => String::new(),
        Some(first) => {
            let rest = chars.count().max(1);
            format!("{first}{}", "*".repeat(rest))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_keep_prefix_and_last_four() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("010-62345678"), "010-****5678");
        assert_eq!(mask_phone("62345678"), "****5678");
        assert_eq!(mask_phone("110"), "***");
    }

    #[test]
    fn names_keep_the_surname() {
        assert_eq!(mask_name("张伟"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("王"), "王*");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn debug_never_shows_the_value() {
        let p = Personal::new("13812345678");
        assert_eq!(format!("{p:?} {p}"), "Personal(***) ***");
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"13812345678\"");
    }
}
