//! How the event logs store ids. A UUID in canonical form (lower-case, hyphenated: every id this
//! app makes) is kept as its 16 bytes, under half its text, in the row and in both of the log's
//! indexes. Any other id is kept as the text it is, so every id reads back exactly as written.

use rusqlite::types::{FromSqlError, FromSqlResult, ToSql, ToSqlOutput, Value, ValueRef};
use rusqlite::Transaction;
use streetdesk_core::EventId;
use uuid::Uuid;

/// The 16 bytes of a canonical UUID; `None` for any other text.
fn packed(id: &str) -> Option<[u8; 16]> {
    if id.len() != 36 {
        return None;
    }
    let uuid = Uuid::try_parse(id).ok()?;
    let mut text = [0u8; 36];
    (uuid.hyphenated().encode_lower(&mut text) == id).then(|| *uuid.as_bytes())
}

/// An id as the log stores it.
pub(crate) fn id_value(id: &str) -> Value {
    match packed(id) {
        Some(bytes) => Value::Blob(bytes.to_vec()),
        None => Value::Text(id.to_owned()),
    }
}

/// An id bound to a statement as the log stores it (for look-ups).
pub(crate) struct StoredId<'a>(pub(crate) &'a str);

impl ToSql for StoredId<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match packed(self.0) {
            Some(bytes) => ToSqlOutput::Owned(Value::Blob(bytes.to_vec())),
            None => ToSqlOutput::Borrowed(ValueRef::Text(self.0.as_bytes())),
        })
    }
}

/// Reads an id back from either form.
pub(crate) fn id_text(value: ValueRef<'_>) -> FromSqlResult<String> {
    match value {
        ValueRef::Blob(bytes) => Uuid::from_slice(bytes)
            .map(|u| u.hyphenated().to_string())
            .map_err(|e| FromSqlError::Other(Box::new(e))),
        ValueRef::Text(text) => {
            String::from_utf8(text.to_vec()).map_err(|e| FromSqlError::Other(Box::new(e)))
        }
        _ => Err(FromSqlError::InvalidType),
    }
}

/// An event's heads as the log stores them: their bytes end to end when every one is a
/// canonical UUID, else a JSON array.
pub(crate) fn heads_value(heads: &[EventId]) -> Value {
    let mut bytes = Vec::with_capacity(16 * heads.len());
    for head in heads {
        match packed(&head.0) {
            Some(b) => bytes.extend_from_slice(&b),
            None => {
                let ids: Vec<&str> = heads.iter().map(|h| h.0.as_str()).collect();
                return Value::Text(serde_json::Value::from(ids).to_string());
            }
        }
    }
    Value::Blob(bytes)
}

/// Reads heads back from either form.
pub(crate) fn heads_from(value: ValueRef<'_>) -> FromSqlResult<Vec<EventId>> {
    match value {
        ValueRef::Blob(bytes) if bytes.len() % 16 == 0 => bytes
            .chunks(16)
            .map(|b| id_text(ValueRef::Blob(b)).map(EventId))
            .collect(),
        ValueRef::Text(text) => {
            serde_json::from_slice(text).map_err(|e| FromSqlError::Other(Box::new(e)))
        }
        _ => Err(FromSqlError::InvalidType),
    }
}

/// Migration step: rewrites a log written with text ids (`table`, keyed by `stream`) into the
/// packed form, keeping every row's local sequence number, and indexes it by stream again.
pub(crate) fn pack_log(
    tx: &Transaction<'_>,
    table: &str,
    stream: &str,
    index: &str,
) -> rusqlite::Result<()> {
    let packed_table = format!("{table}_packed");
    tx.execute_batch(&format!(
        "CREATE TABLE {packed_table} (
            seq    INTEGER PRIMARY KEY,
            id     ANY NOT NULL UNIQUE,
            {stream} ANY NOT NULL,
            hlc    INTEGER NOT NULL,
            device ANY NOT NULL,
            actor  TEXT NOT NULL,
            type   TEXT NOT NULL,
            heads  ANY NOT NULL,
            event  TEXT NOT NULL
        ) STRICT;"
    ))?;
    {
        let mut read = tx.prepare(&format!(
            "SELECT seq, id, {stream}, hlc, device, actor, type, heads, event FROM {table}"
        ))?;
        let mut write = tx.prepare(&format!(
            "INSERT INTO {packed_table}(seq, id, {stream}, hlc, device, actor, type, heads, event)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        ))?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let heads = heads_from(r.get_ref(7)?)?;
            write.execute(rusqlite::params![
                r.get::<_, i64>(0)?,
                StoredId(r.get_ref(1)?.as_str()?),
                StoredId(r.get_ref(2)?.as_str()?),
                r.get::<_, i64>(3)?,
                StoredId(r.get_ref(4)?.as_str()?),
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                heads_value(&heads),
                r.get::<_, String>(8)?,
            ])?;
        }
    }
    tx.execute_batch(&format!(
        "DROP TABLE {table};
         ALTER TABLE {packed_table} RENAME TO {table};
         CREATE INDEX {index} ON {table}({stream});"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;
    use rusqlite::{params, Connection};
    use streetdesk_core::dto::{Community, NewTicket};
    use streetdesk_core::ticket::{TicketKind, TicketSource};
    use streetdesk_core::{Event, TicketEvent, TicketId};

    /// A store with two tickets, one signed for and replied to.
    fn store_with_tickets() -> (Store, Vec<TicketId>) {
        let mut s = Store::open_in_memory().unwrap();
        let community = Community {
            id: "c0".into(),
            name: "和平里社区".into(),
            grid_count: 2,
        };
        s.upsert_directory(&[community], &[]).unwrap();
        let mut ids = Vec::new();
        for content in ["楼道灯不亮", "3号楼漏水"] {
            let d = s
                .register_ticket(&NewTicket {
                    hotline_no: Some(format!("2611{}", ids.len())),
                    kind: TicketKind::Complaint,
                    source: TicketSource::Hotline,
                    category: "城市管理/市容环境/照明".into(),
                    content: content.into(),
                    address: "和平里东街 1 号".into(),
                    community_id: "c0".into(),
                    caller_name: "赵建国".into(),
                    caller_phone: "13912345678".into(),
                    received_at: "2026-11-20T08:15".into(),
                    urgency: streetdesk_core::policy::Urgency::General,
                    deadline: None,
                    grid: Some(1),
                    location: None,
                    related: None,
                })
                .unwrap();
            ids.push(TicketId(d.row.id));
        }
        for body in [TicketEvent::SignedFor, TicketEvent::Archived] {
            let e = s.stamp(&ids[1], body).unwrap();
            s.append(&[e]).unwrap();
        }
        (s, ids)
    }

    #[test]
    fn a_log_written_with_text_ids_is_packed_on_upgrade_and_reads_back_the_same() {
        let (made, ids) = store_with_tickets();
        let mut events: Vec<Event> = ids
            .iter()
            .flat_map(|t| made.events_of(&t.0).unwrap())
            .collect();
        // An event whose id is no UUID (as another tool might write) survives as text.
        events[1].id = EventId("legacy-0001".into());
        let mut old = Connection::open_in_memory().unwrap();
        crate::schema::migrations().to_version(&mut old, 8).unwrap();
        for e in &events {
            old.execute(
                "INSERT INTO events(id, ticket_id, hlc, device, actor, type, heads, event)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    e.id.0,
                    e.ticket_id.0,
                    e.hlc.0,
                    e.device.0,
                    e.actor,
                    streetdesk_core::wire::wire_name(&e.body.event_type()),
                    serde_json::to_string(&e.heads).unwrap(),
                    serde_json::to_string(&e.body).unwrap()
                ],
            )
            .unwrap();
        }
        old.execute_batch(
            "INSERT INTO communities(id, name, grid_count, position) VALUES ('c0', '和平里社区', 2, 0)",
        )
        .unwrap();
        let upgraded = Store::with_connection(old).unwrap();
        for t in &ids {
            let expected: Vec<Event> = events
                .iter()
                .filter(|e| &e.ticket_id == t)
                .cloned()
                .collect();
            let mut got = upgraded.events_of(&t.0).unwrap();
            got.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
            let mut expected = expected;
            expected.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
            assert_eq!(got, expected);
        }
        assert!(upgraded.has_event("legacy-0001").unwrap());
        let kinds: Vec<(String, i64)> = upgraded
            .conn
            .prepare("SELECT typeof(id), COUNT(*) FROM events GROUP BY 1 ORDER BY 1")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            kinds,
            [
                ("blob".to_owned(), events.len() as i64 - 1),
                ("text".to_owned(), 1)
            ]
        );
        assert_eq!(
            upgraded.projection_snapshot().unwrap(),
            made.projection_snapshot().unwrap()
        );
    }

    #[test]
    fn canonical_uuids_are_packed_and_anything_else_kept_as_text() {
        let made = EventId::new().0;
        assert!(matches!(id_value(&made), Value::Blob(ref b) if b.len() == 16));
        for other in [
            made.to_uppercase(),
            made.replace('-', ""),
            format!("{{{made}}}"),
            "hotline-2026-000123".to_owned(),
            String::new(),
        ] {
            assert_eq!(id_value(&other), Value::Text(other.clone()), "{other}");
        }
        for id in [made.clone(), made.to_uppercase(), "x".into()] {
            let stored = id_value(&id);
            assert_eq!(id_text(ValueRef::from(&stored)).unwrap(), id);
        }
    }

    #[test]
    fn heads_read_back_as_written_in_either_form() {
        let a = EventId::new();
        let b = EventId::new();
        for heads in [
            vec![],
            vec![a.clone()],
            vec![a.clone(), b.clone()],
            vec![a.clone(), EventId("not-a-uuid".into())],
        ] {
            let stored = heads_value(&heads);
            assert_eq!(heads_from(ValueRef::from(&stored)).unwrap(), heads);
        }
        assert!(matches!(heads_value(&[a, b]), Value::Blob(ref v) if v.len() == 32));
    }
}
