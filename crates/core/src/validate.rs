//! Checks what an officer typed before it becomes an event. Each failure names the field.

use crate::dto::NewTicket;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::event::TicketRegistered;
use crate::pii::Personal;
use crate::time::parse_beijing;
use chrono::{DateTime, Duration, FixedOffset};

/// Longest free text accepted in one field, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;
/// How far in the future a received time may lie (PC clocks drift).
const FUTURE_TOLERANCE_MINUTES: i64 = 10;

/// Folds full-width digits, letters and dashes (common in pasted Chinese text) to ASCII and
/// drops spaces.
pub fn normalize_ascii(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '—' => '-',
            _ => c,
        })
        .collect()
}

/// Normalises a mainland phone number: an 11-digit mobile, or a landline with optional area
/// code (`010-62345678`). Returns `None` if it is neither.
pub fn normalize_phone(raw: &str) -> Option<String> {
    let s = normalize_ascii(raw);
    let digits: String = s.chars().filter(|c| *c != '-').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mobile = digits.len() == 11 && digits.starts_with('1') && digits.as_bytes()[1] >= b'3';
    if mobile {
        return Some(digits);
    }
    if digits.starts_with('0') {
        // Beijing and the other two-digit-prefix areas use 3-digit codes (010, 02x); the rest 4.
        let area_len = if digits.starts_with("01") || digits.starts_with("02") {
            3
        } else {
            4
        };
        let local = digits.get(area_len..)?;
        if (7..=8).contains(&local.len()) {
            return Some(format!("{}-{}", &digits[..area_len], local));
        }
        return None;
    }
    ((7..=8).contains(&digits.len()) && !digits.starts_with('1')).then_some(digits)
}

fn required(value: &str, code: ErrorCode, field: &str) -> ApiResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ApiError::new(code, format!("{field} is required")));
    }
    if v.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::new(
            ErrorCode::FieldTooLong,
            format!("{field} is longer than {MAX_TEXT_CHARS} characters"),
        ));
    }
    Ok(v.to_owned())
}

/// Validates a new ticket against the current time and the street's communities.
pub fn validate_new_ticket(
    input: &NewTicket,
    now: DateTime<FixedOffset>,
    grid_count_of: impl Fn(&str) -> Option<u32>,
) -> ApiResult<TicketRegistered> {
    let hotline_no = match input.hotline_no.as_deref().map(normalize_ascii) {
        Some(n) if n.is_empty() => None,
        Some(n) => {
            let ok = n.len() <= 40 && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !ok {
                return Err(ApiError::new(
                    ErrorCode::HotlineNoInvalid,
                    "hotline ticket number may hold only digits, letters and dashes",
                ));
            }
            Some(n)
        }
        None => None,
    };
    let content = required(&input.content, ErrorCode::ContentRequired, "content")?;
    let address = required(&input.address, ErrorCode::AddressRequired, "address")?;
    let category = required(&input.category, ErrorCode::CategoryRequired, "category")?;
    let caller_name = required(
        &input.caller_name,
        ErrorCode::CallerNameRequired,
        "caller name",
    )?;
    let Some(grid_count) = grid_count_of(input.community_id.trim()) else {
        return Err(ApiError::new(
            ErrorCode::CommunityUnknown,
            "community is not one of this street's",
        ));
    };
    if input.grid.is_some_and(|g| g == 0 || g > grid_count) {
        return Err(ApiError::new(
            ErrorCode::GridInvalid,
            format!("the community has grids 1 to {grid_count}"),
        ));
    }
    let caller_phone = normalize_phone(&input.caller_phone).ok_or_else(|| {
        ApiError::new(
            ErrorCode::CallerPhoneInvalid,
            "caller phone is not a mobile or landline number",
        )
    })?;
    let received_at = parse_beijing(&input.received_at).ok_or_else(|| {
        ApiError::new(
            ErrorCode::ReceivedAtInvalid,
            "received time is not a date and time",
        )
    })?;
    if received_at > now + Duration::minutes(FUTURE_TOLERANCE_MINUTES) {
        return Err(ApiError::new(
            ErrorCode::ReceivedAtFuture,
            "received time is in the future",
        ));
    }
    let location = match input.location {
        Some(p) if !p.valid() => {
            return Err(ApiError::new(
                ErrorCode::LocationInvalid,
                "latitude lies within ±90 and longitude within ±180 degrees",
            ))
        }
        other => other,
    };
    let related: Vec<String> = input
        .related
        .iter()
        .flatten()
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty())
        .collect();
    let deadline = match input.deadline.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => {
            let d = parse_beijing(d).ok_or_else(|| {
                ApiError::new(
                    ErrorCode::DeadlineInvalid,
                    "deadline is not a date and time",
                )
            })?;
            if d <= received_at {
                return Err(ApiError::new(
                    ErrorCode::DeadlineInvalid,
                    "deadline is not after the received time",
                ));
            }
            Some(d)
        }
    };
    Ok(TicketRegistered {
        hotline_no,
        kind: input.kind,
        source: input.source,
        category,
        content,
        address,
        community_id: input.community_id.trim().to_owned(),
        caller_name: Personal::new(caller_name),
        caller_phone: Personal::new(caller_phone),
        received_at,
        urgency: input.urgency,
        deadline,
        grid: input.grid,
        location,
        related,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ticket::{TicketKind, TicketSource};
    use crate::time::parse_beijing;

    fn input() -> NewTicket {
        NewTicket {
            hotline_no: Some("２０２６１１２６００１".into()),
            kind: TicketKind::Complaint,
            source: TicketSource::Hotline,
            category: "城市管理/停车管理/胡同停车".into(),
            content: "胡同里长期停放僵尸车，影响通行".into(),
            address: "东四北大街 12 号院".into(),
            community_id: "c01".into(),
            caller_name: "王先生".into(),
            caller_phone: "138 1234 5678".into(),
            received_at: "2026-11-26T09:30".into(),
            urgency: crate::policy::Urgency::General,
            deadline: None,
            grid: Some(2),
            location: None,
            related: None,
        }
    }

    fn now() -> DateTime<FixedOffset> {
        parse_beijing("2026-11-26T10:00").unwrap()
    }

    #[test]
    fn accepts_and_normalises() {
        let r = validate_new_ticket(&input(), now(), |c| (c == "c01").then_some(4)).unwrap();
        assert_eq!(r.hotline_no.as_deref(), Some("20261126001"));
        assert_eq!(r.caller_phone.expose(), "13812345678");
        assert_eq!(r.received_at.to_rfc3339(), "2026-11-26T09:30:00+08:00");
    }

    type Mutation = fn(&mut NewTicket);

    #[test]
    fn each_bad_field_is_named() {
        let cases: Vec<(Mutation, ErrorCode)> = vec![
            (|t| t.content = "  ".into(), ErrorCode::ContentRequired),
            (|t| t.address = "".into(), ErrorCode::AddressRequired),
            (|t| t.category = "".into(), ErrorCode::CategoryRequired),
            (|t| t.caller_name = "".into(), ErrorCode::CallerNameRequired),
            (
                |t| t.community_id = "nowhere".into(),
                ErrorCode::CommunityUnknown,
            ),
            (|t| t.grid = Some(5), ErrorCode::GridInvalid),
            (|t| t.grid = Some(0), ErrorCode::GridInvalid),
            (
                |t| t.caller_phone = "12345".into(),
                ErrorCode::CallerPhoneInvalid,
            ),
            (
                |t| t.caller_phone = "1381234567x".into(),
                ErrorCode::CallerPhoneInvalid,
            ),
            (
                |t| t.hotline_no = Some("12/34".into()),
                ErrorCode::HotlineNoInvalid,
            ),
            (
                |t| t.received_at = "yesterday".into(),
                ErrorCode::ReceivedAtInvalid,
            ),
            (
                |t| t.received_at = "2026-11-27T10:00".into(),
                ErrorCode::ReceivedAtFuture,
            ),
            (
                |t| t.content = "很".repeat(MAX_TEXT_CHARS + 1),
                ErrorCode::FieldTooLong,
            ),
        ];
        for (mutate, code) in cases {
            let mut t = input();
            mutate(&mut t);
            let err = validate_new_ticket(&t, now(), |c| (c == "c01").then_some(4)).unwrap_err();
            assert_eq!(err.code, code, "{}", err.message);
        }
    }

    #[test]
    fn phone_forms() {
        assert_eq!(
            normalize_phone("010-62345678").as_deref(),
            Some("010-62345678")
        );
        assert_eq!(
            normalize_phone("01062345678").as_deref(),
            Some("010-62345678")
        );
        assert_eq!(
            normalize_phone("0512-6234567").as_deref(),
            Some("0512-6234567")
        );
        assert_eq!(normalize_phone("62345678").as_deref(), Some("62345678"));
        assert_eq!(
            normalize_phone("１５９００００１１１１").as_deref(),
            Some("15900001111")
        );
        assert_eq!(normalize_phone("12012345678"), None);
        assert_eq!(normalize_phone(""), None);
    }

    #[test]
    fn empty_hotline_number_means_none() {
        let mut t = input();
        t.hotline_no = Some("   ".into());
        assert_eq!(
            validate_new_ticket(&t, now(), |_| Some(4))
                .unwrap()
                .hotline_no,
            None
        );
    }
}
