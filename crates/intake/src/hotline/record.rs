//! One data row of an export read into a [`HotlineRecord`], or the first problem in it, named
//! by row and column.

use super::layout::Layout;
use crate::table::Row;
use crate::values::{
    category_path, clean_text, grid_number, kind_word, number, parse_limit, parse_when,
    resolution_word, satisfaction_word, split_tags, status_word, urgency_word, yes_no,
};
use chrono::{DateTime, Duration, FixedOffset};
use std::collections::HashMap;
use streetdesk_core::calendar::WorkCalendar;
use streetdesk_core::deadline::due;
use streetdesk_core::dto::{Community, ImportField as F};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::event::TicketRegistered;
use streetdesk_core::geo::GeoPoint;
use streetdesk_core::hotline::HotlineRecord;
use streetdesk_core::pii::Personal;
use streetdesk_core::ticket::{Satisfaction, TicketSource};
use streetdesk_core::validate::{normalize_ascii, normalize_phone, MAX_TEXT_CHARS};

/// How far in the future a time may lie (PC clocks drift).
const FUTURE_TOLERANCE: Duration = Duration::minutes(10);

/// What rows are checked against: the street's communities, its calendar (for limits such
/// as 7个工作日) and the time now.
pub struct ReadContext<'a> {
    /// The street's communities.
    pub communities: &'a [Community],
    /// The working-day calendar.
    pub calendar: &'a WorkCalendar,
    /// Now, Beijing time.
    pub now: DateTime<FixedOffset>,
}

/// Communities by the names an export may use: `和平里社区`, `和平里社区居委会`, `和平里`, or
/// the id.
pub(crate) struct Communities<'a> {
    by_name: HashMap<String, &'a Community>,
}

impl<'a> Communities<'a> {
    pub(crate) fn new(list: &'a [Community]) -> Self {
        let mut by_name = HashMap::new();
        for c in list {
            by_name.insert(normalize_ascii(&c.id).to_lowercase(), c);
            for key in community_keys(&c.name) {
                by_name.entry(key).or_insert(c);
            }
        }
        Communities { by_name }
    }

    fn find(&self, written: &str) -> Option<&'a Community> {
        let lower = normalize_ascii(written).to_lowercase();
        self.by_name.get(&lower).copied().or_else(|| {
            community_keys(written)
                .iter()
                .find_map(|k| self.by_name.get(k).copied())
        })
    }
}

/// The name, and the name without the committee's or the community's suffix.
fn community_keys(name: &str) -> Vec<String> {
    let mut n = normalize_ascii(name);
    for suffix in ["居民委员会", "村民委员会", "居委会", "村委会"] {
        if let Some(s) = n.strip_suffix(suffix) {
            n = s.to_owned();
        }
    }
    let mut keys = vec![n.clone()];
    for suffix in ["社区", "村"] {
        if let Some(s) = n.strip_suffix(suffix).filter(|s| !s.is_empty()) {
            keys.push(s.to_owned());
        }
    }
    keys
}

/// Reads one row. `Err` is the first problem, located.
pub(crate) fn read_record(
    row: &Row,
    layout: &Layout,
    communities: &Communities<'_>,
    ctx: &ReadContext<'_>,
) -> ApiResult<HotlineRecord> {
    let r = Cells { row, layout };
    let hotline_no = normalize_ascii(r.required(F::HotlineNo)?);
    let valid_no = hotline_no.len() <= 40
        && hotline_no
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid_no {
        return Err(r.bad(
            F::HotlineNo,
            ErrorCode::HotlineNoInvalid,
            "may hold only digits, letters and dashes",
        ));
    }
    let received_at = r
        .when(F::ReceivedAt)?
        .ok_or_else(|| r.empty(F::ReceivedAt))?;
    if received_at > ctx.now + FUTURE_TOLERANCE {
        return Err(r.bad(
            F::ReceivedAt,
            ErrorCode::ReceivedAtFuture,
            "is in the future",
        ));
    }
    let kind = kind_word(r.required(F::Kind)?).ok_or_else(|| {
        r.bad(
            F::Kind,
            ErrorCode::ImportWordUnknown,
            "is not a ticket kind",
        )
    })?;
    let category = category_path(r.required(F::Category)?);
    if category.is_empty() {
        return Err(r.empty(F::Category));
    }
    let content = r.text(F::Content)?;
    if content.is_empty() {
        return Err(r.empty(F::Content));
    }
    let community = communities.find(r.required(F::Community)?).ok_or_else(|| {
        r.bad(
            F::Community,
            ErrorCode::CommunityUnknown,
            "is not one of this street's communities",
        )
    })?;
    let grid = match r.cell(F::Grid) {
        "" => None,
        g => match grid_number(g) {
            Some(n) if n >= 1 && n <= community.grid_count => Some(n),
            _ => {
                return Err(r.bad(
                    F::Grid,
                    ErrorCode::GridInvalid,
                    &format!(
                        "is not a grid of the community (1 to {})",
                        community.grid_count
                    ),
                ))
            }
        },
    };
    let location = r.location()?;
    let urgency = urgency_word(r.cell(F::Urgency)).ok_or_else(|| {
        r.bad(
            F::Urgency,
            ErrorCode::ImportWordUnknown,
            "is not an urgency",
        )
    })?;
    let deadline = match r.cell(F::Deadline) {
        "" => None,
        d => {
            let at = parse_when(d)
                .or_else(|| parse_limit(d).map(|l| due(received_at, l, ctx.calendar)))
                .ok_or_else(|| {
                    r.bad(
                        F::Deadline,
                        ErrorCode::ImportDateInvalid,
                        "is neither a date and time nor a time limit",
                    )
                })?;
            if at <= received_at {
                return Err(r.bad(
                    F::Deadline,
                    ErrorCode::DeadlineInvalid,
                    "is not after the received time",
                ));
            }
            Some(at)
        }
    };
    let phone_text = clean_text(r.cell(F::CallerPhone));
    let caller_phone = if phone_text.is_empty() || phone_text.contains('*') {
        phone_text
    } else {
        normalize_phone(&phone_text).ok_or_else(|| {
            r.bad(
                F::CallerPhone,
                ErrorCode::CallerPhoneInvalid,
                "is not a mobile or landline number",
            )
        })?
    };
    let registered = TicketRegistered {
        hotline_no: Some(hotline_no),
        kind,
        source: TicketSource::Hotline,
        category,
        content,
        address: r.text(F::Address)?,
        community_id: community.id.clone(),
        caller_name: Personal::new(r.text(F::CallerName)?),
        caller_phone: Personal::new(caller_phone),
        received_at,
        urgency,
        deadline,
        grid,
        location,
        related: Vec::new(),
    };
    let status = match r.cell(F::Status) {
        "" => None,
        s => Some(
            status_word(s)
                .ok_or_else(|| r.bad(F::Status, ErrorCode::ImportWordUnknown, "is not a status"))?,
        ),
    };
    let status_note = match r.cell(F::Status) {
        "" => "12345".to_owned(),
        s => format!("{}：{}", r.layout.label(F::Status), clean_text(s)),
    };
    let contacted = match r.cell(F::Contacted) {
        "" => None,
        c => Some(yes_no(c).ok_or_else(|| {
            r.bad(
                F::Contacted,
                ErrorCode::ImportWordUnknown,
                "is neither yes nor no",
            )
        })?),
    };
    let reply = Some(r.text(F::Reply)?).filter(|t| !t.is_empty());
    Ok(HotlineRecord {
        row: row.number,
        status,
        status_note,
        signed_at: r.later_time(F::SignedAt, received_at, ctx.now)?,
        replied_at: r.later_time(F::RepliedAt, received_at, ctx.now)?,
        callback_at: r.later_time(F::CallbackAt, received_at, ctx.now)?,
        contacted,
        reply,
        callback: r.callback()?,
        tags: split_tags(r.cell(F::Tags)),
        registered,
    })
}

/// A row's cells by field, and located errors about them.
struct Cells<'r> {
    row: &'r Row,
    layout: &'r Layout,
}

impl Cells<'_> {
    fn cell(&self, field: F) -> &str {
        self.layout
            .index
            .get(&field)
            .map_or("", |&i| self.row.cell(i))
    }

    /// An error at `field`'s cell, showing the cell unless it is personal data.
    fn bad(&self, field: F, code: ErrorCode, what: &str) -> ApiError {
        let value = self.cell(field);
        let shown = if field.personal() {
            String::new()
        } else {
            format!("“{value}” ")
        };
        let e = ApiError::new(code, format!("{shown}{what}"))
            .at(self.row.number, self.layout.label(field));
        if field.personal() || value.is_empty() {
            e
        } else {
            e.with_value(value)
        }
    }

    fn empty(&self, field: F) -> ApiError {
        ApiError::new(ErrorCode::ImportValueRequired, "the cell is empty")
            .at(self.row.number, self.layout.label(field))
    }

    fn required(&self, field: F) -> ApiResult<&str> {
        match self.cell(field) {
            "" => Err(self.empty(field)),
            v => Ok(v),
        }
    }

    fn text(&self, field: F) -> ApiResult<String> {
        let t = clean_text(self.cell(field));
        if t.chars().count() > MAX_TEXT_CHARS {
            return Err(ApiError::new(
                ErrorCode::FieldTooLong,
                format!("longer than {MAX_TEXT_CHARS} characters"),
            )
            .at(self.row.number, self.layout.label(field)));
        }
        Ok(t)
    }

    fn when(&self, field: F) -> ApiResult<Option<DateTime<FixedOffset>>> {
        match self.cell(field) {
            "" => Ok(None),
            v => parse_when(v).map(Some).ok_or_else(|| {
                self.bad(
                    field,
                    ErrorCode::ImportDateInvalid,
                    "is not a date and time",
                )
            }),
        }
    }

    /// A time of the ticket's history: not before it was received, not in the future.
    fn later_time(
        &self,
        field: F,
        received: DateTime<FixedOffset>,
        now: DateTime<FixedOffset>,
    ) -> ApiResult<Option<DateTime<FixedOffset>>> {
        let at = self.when(field)?;
        if at.is_some_and(|t| t < received || t > now + FUTURE_TOLERANCE) {
            return Err(self.bad(
                field,
                ErrorCode::ImportTimeOrder,
                "is before the received time or in the future",
            ));
        }
        Ok(at)
    }

    fn location(&self) -> ApiResult<Option<GeoPoint>> {
        let (lng, lat) = (self.cell(F::Longitude), self.cell(F::Latitude));
        if lng.is_empty() && lat.is_empty() {
            return Ok(None);
        }
        let read = |field: F, v: &str| {
            number(v)
                .ok_or_else(|| self.bad(field, ErrorCode::ImportNumberInvalid, "is not a number"))
        };
        let p = GeoPoint {
            lat: read(F::Latitude, lat)?,
            lng: read(F::Longitude, lng)?,
        };
        if !p.valid() {
            return Err(self.bad(
                F::Latitude,
                ErrorCode::LocationInvalid,
                "latitude lies within ±90 and longitude within ±180 degrees",
            ));
        }
        Ok(Some(p))
    }

    fn callback(&self) -> ApiResult<Option<(streetdesk_core::ticket::Resolution, Satisfaction)>> {
        let resolution = match self.cell(F::Resolved) {
            "" => None,
            v => Some(resolution_word(v).ok_or_else(|| {
                self.bad(
                    F::Resolved,
                    ErrorCode::ImportWordUnknown,
                    "is not a resolution",
                )
            })?),
        };
        let satisfaction = match self.cell(F::Satisfied) {
            "" => None,
            v => Some(satisfaction_word(v).ok_or_else(|| {
                self.bad(
                    F::Satisfied,
                    ErrorCode::ImportWordUnknown,
                    "is not a satisfaction",
                )
            })?),
        };
        match (resolution, satisfaction) {
            (Some(r), s) => Ok(Some((r, s.unwrap_or(Satisfaction::NotRated)))),
            (None, None | Some(Satisfaction::NotRated)) => Ok(None),
            (None, Some(_)) => Err(ApiError::new(
                ErrorCode::ImportCallbackIncomplete,
                "a satisfaction is given without the resolution",
            )
            .at(self.row.number, self.layout.label(F::Resolved))),
        }
    }
}
