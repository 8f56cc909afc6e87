//! Full-text search over what the caller said, the address, the reply and the hotline number.
//!
//! A trigram FTS5 index answers terms of three or more characters; SQLite's trigram tokenizer
//! cannot match shorter ones, so one- and two-character terms (common in Chinese: 低保, 漏水)
//! fall back to LIKE over the same columns. Terms separated by spaces must all match.

use crate::storage_err;
use rusqlite::types::Value;
use rusqlite::{params, Connection};
use streetdesk_core::error::ApiResult;

/// The columns searched, in the projection and in the index.
const COLUMNS: [&str; 4] = ["content", "address", "reply", "hotline_no"];

/// Replaces a ticket's entry in the index; `rowid` is the projection row's stable rowid.
pub(crate) fn index(
    conn: &Connection,
    rowid: i64,
    had_entry: bool,
    text: &[String; 4],
) -> ApiResult<()> {
    if had_entry {
        conn.prepare_cached("DELETE FROM tickets_fts WHERE rowid = ?1")
            .and_then(|mut s| s.execute([rowid]))
            .map_err(storage_err)?;
    }
    conn.prepare_cached(
        "INSERT INTO tickets_fts(rowid, content, address, reply, hotline_no)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )
    .and_then(|mut s| s.execute(params![rowid, text[0], text[1], text[2], text[3]]))
    .map(|_| ())
    .map_err(storage_err)
}

fn escape_like(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 2);
    out.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// SQL conditions (on the projection aliased `t`) and parameters for a search text.
pub(crate) fn clauses(text: &str) -> (Vec<String>, Vec<Value>) {
    let mut clauses = Vec::new();
    let mut params = Vec::new();
    let mut phrases = Vec::new();
    for term in text.split_whitespace() {
        if term.chars().count() >= 3 {
            // A quoted FTS5 string: double any quote inside.
            phrases.push(format!("\"{}\"", term.replace('"', "\"\"")));
        } else {
            let likes: Vec<String> = COLUMNS
                .iter()
                .map(|c| format!("t.{c} LIKE ? ESCAPE '\\'"))
                .collect();
            clauses.push(format!("({})", likes.join(" OR ")));
            let pattern = escape_like(term);
            params.extend(COLUMNS.iter().map(|_| Value::Text(pattern.clone())));
        }
    }
    if !phrases.is_empty() {
        clauses.insert(
            0,
            "t.rowid IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ?)".to_owned(),
        );
        params.insert(0, Value::Text(phrases.join(" ")));
    }
    (clauses, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_terms_use_the_index_short_terms_like() {
        let (c, p) = clauses("僵尸车 低保");
        assert_eq!(c.len(), 2);
        assert!(c[0].contains("MATCH"));
        assert_eq!(p[0], Value::Text("\"僵尸车\"".into()));
        assert_eq!(p[1], Value::Text("%低保%".into()));
        assert_eq!(p.len(), 1 + 4);
        let (_, p) = clauses("5%_");
        assert_eq!(p[0], Value::Text("\"5%_\"".into()));
        let (_, p) = clauses("%_");
        assert_eq!(p[0], Value::Text("%\\%\\_%".into()));
        assert!(clauses("   ").0.is_empty());
    }
}
