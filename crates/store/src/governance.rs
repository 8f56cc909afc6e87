//! Proactive governance: its settings, the hotspots of the current window, and the links
//! between a caller's repeated calls on one matter.

use crate::projection::first_pos;
use crate::rows::parse_enum;
use crate::{set_setting, setting, storage_err, Store};
use std::collections::HashMap;
use streetdesk_core::dto::LinkedTicket;
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::governance::{caller_key, first_calls, repeat_of, Call, GovernanceSettings};
use streetdesk_core::hotspot::{hotspots, Hotspot, HotspotTicket};
use streetdesk_core::ticket::{GeoPoint, TicketSource};
use streetdesk_core::time::{from_unix_ms, rfc3339};

/// The settings key of the governance thresholds.
const GOVERNANCE: &str = "governance";

/// A row of the window with what repeat detection and the hotspot rules need.
struct WindowRow {
    ticket: HotspotTicket,
    source: TicketSource,
    praise: bool,
    caller: String,
    received_ms: i64,
}

impl Store {
    /// The thresholds of hotspots and repeats, or their defaults.
    pub fn governance_settings(&self) -> ApiResult<GovernanceSettings> {
        setting(&self.conn, GOVERNANCE)
    }

    /// Saves them; each must lie in its range.
    pub fn set_governance_settings(
        &mut self,
        s: &GovernanceSettings,
    ) -> ApiResult<GovernanceSettings> {
        if !s.valid() {
            return Err(ApiError::new(
                ErrorCode::GovernanceInvalid,
                "window 1–90 days, at least 2–100 tickets, radius 20–5000 m, category level 1–3, repeat window 1–365 days",
            ));
        }
        set_setting(&self.conn, GOVERNANCE, s)?;
        self.governance_settings()
    }

    /// The hotspots among tickets received in the window that ends at `now_ms`: open or
    /// closed, repeats and merged duplicates left out, proactive cases themselves too. Each
    /// names the case raised from it, if any.
    pub fn hotspots(&self, now_ms: i64) -> ApiResult<Vec<Hotspot>> {
        let s = self.governance_settings()?;
        let window = s.repeat_window_ms();
        let from_ms = now_ms - i64::from(s.hotspot_window_days) * 86_400_000;
        // Repeats are judged exactly as the figures judge them, look-back included.
        let rows = first_calls(
            self.window_rows(from_ms.saturating_sub(window), now_ms)?,
            |r| Call {
                caller: caller_key(r.source, &r.caller),
                category: &r.ticket.category,
                community: &r.ticket.community_id,
                received_ms: r.received_ms,
            },
            window,
            from_ms,
        );
        // A proactive case is the answer to a hotspot, never part of one; praise is no problem.
        let tickets: Vec<HotspotTicket> = rows
            .into_iter()
            .filter(|r| r.source != TicketSource::Proactive && !r.praise)
            .map(|r| r.ticket)
            .collect();
        let mut found = hotspots(&tickets, &s);
        let names: HashMap<String, String> = self
            .communities()?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        let cases = self.cases_since(from_ms)?;
        for h in &mut found {
            h.community_name = names.get(&h.community_id).cloned().unwrap_or_default();
            h.case_id = cases
                .iter()
                .find(|(_, related)| h.tickets.iter().any(|t| related.contains(&t.id)))
                .map(|(id, _)| id.clone());
        }
        Ok(found)
    }

    fn window_rows(&self, from_ms: i64, to_ms: i64) -> ApiResult<Vec<WindowRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, hotline_no, category, community_id, address, received_ms, status,
                        lat, lng, caller_phone, source, kind
                 FROM tickets
                 WHERE pos >= ?1 AND pos < ?2 AND merged = 0 AND status <> 'redispatched'
                 ORDER BY pos",
            )
            .map_err(storage_err)?;
        let rows = stmt
            .query_map([first_pos(from_ms), first_pos(to_ms)], |r| {
                let (lat, lng): (Option<f64>, Option<f64>) = (r.get(7)?, r.get(8)?);
                let received_ms: i64 = r.get(5)?;
                Ok(WindowRow {
                    ticket: HotspotTicket {
                        id: r.get(0)?,
                        hotline_no: r.get(1)?,
                        category: r.get(2)?,
                        community_id: r.get(3)?,
                        address: r.get(4)?,
                        received_at: rfc3339(from_unix_ms(received_ms)),
                        status: parse_enum(6, r.get(6)?)?,
                        location: lat.zip(lng).map(|(lat, lng)| GeoPoint { lat, lng }),
                    },
                    caller: r.get(9)?,
                    source: parse_enum(10, r.get(10)?)?,
                    praise: r.get::<_, String>(11)? == "praise",
                    received_ms,
                })
            })
            .map_err(storage_err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(storage_err);
        rows
    }

    /// Proactive cases raised since `from_ms` about other tickets: (id, their ids).
    fn cases_since(&self, from_ms: i64) -> ApiResult<Vec<(String, Vec<String>)>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, related FROM tickets WHERE related <> '[]' AND received_ms >= ?1",
            )
            .map_err(storage_err)?;
        let rows = stmt
            .query_map([from_ms], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(storage_err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(storage_err)?;
        Ok(rows
            .into_iter()
            .map(|(id, related)| (id, serde_json::from_str(&related).unwrap_or_default()))
            .collect())
    }

    /// The calls of the same caller on the same matter as ticket `id`, in received order,
    /// when they form a chain of repeats that includes it: the first call, then its repeats.
    pub fn repeat_chain(&self, id: &str) -> ApiResult<Vec<LinkedTicket>> {
        let window = self.governance_settings()?.repeat_window_ms();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT o.id, o.hotline_no, o.received_ms, o.caller_phone, o.category,
                        o.community_id, o.source
                 FROM tickets t JOIN tickets o
                   ON o.caller_phone = t.caller_phone AND o.category = t.category
                  AND o.community_id = t.community_id
                 WHERE t.id = ?1 AND t.caller_phone <> '' AND o.caller_phone <> '' AND o.merged = 0
                   AND o.status <> 'redispatched'
                 ORDER BY o.pos",
            )
            .map_err(storage_err)?;
        let rows: Vec<(LinkedTicket, i64, String, String, String, TicketSource)> = stmt
            .query_map([id], |r| {
                let received_ms: i64 = r.get(2)?;
                Ok((
                    LinkedTicket {
                        id: r.get(0)?,
                        hotline_no: r.get(1)?,
                        received_at: rfc3339(from_unix_ms(received_ms)),
                    },
                    received_ms,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    parse_enum(6, r.get(6)?)?,
                ))
            })
            .map_err(storage_err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(storage_err)?;
        let calls: Vec<Call> = rows
            .iter()
            .map(|(_, ms, caller, category, community, source)| Call {
                caller: caller_key(*source, caller),
                category,
                community,
                received_ms: *ms,
            })
            .collect();
        let repeats = repeat_of(&calls, window);
        let Some(me) = rows.iter().position(|(t, ..)| t.id == id) else {
            return Ok(Vec::new());
        };
        let first = repeats[me].unwrap_or(me);
        let chain: Vec<LinkedTicket> = rows
            .into_iter()
            .enumerate()
            .filter(|(i, _)| *i == first || repeats[*i] == Some(first))
            .map(|(_, (t, ..))| t)
            .collect();
        Ok(if chain.len() > 1 { chain } else { Vec::new() })
    }
}
