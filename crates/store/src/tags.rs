//! The tag index: one row per (tag, ticket) so that a tag filter or a tag facet is an index
//! lookup, not a scan of every ticket's tag list.

use crate::storage_err;
use rusqlite::{params, Connection};
use streetdesk_core::error::ApiResult;

/// Replaces a ticket's tags in the index; `ticket` is the projection row's rowid.
pub(crate) fn replace(
    conn: &Connection,
    ticket: i64,
    old: &[String],
    new: &[String],
) -> ApiResult<()> {
    let mut delete = conn
        .prepare_cached("DELETE FROM ticket_tags WHERE tag = ?1 AND ticket = ?2")
        .map_err(storage_err)?;
    for tag in old.iter().filter(|t| !new.contains(t)) {
        delete.execute(params![tag, ticket]).map_err(storage_err)?;
    }
    let mut insert = conn
        .prepare_cached("INSERT OR IGNORE INTO ticket_tags(tag, ticket) VALUES (?1, ?2)")
        .map_err(storage_err)?;
    for tag in new.iter().filter(|t| !old.contains(t)) {
        insert.execute(params![tag, ticket]).map_err(storage_err)?;
    }
    Ok(())
}
