//! Full-text search over what the caller said, the address, the reply and the hotline number.
//!
//! Chinese has no spaces between words and officers search for one or two characters as often
//! as for longer phrases (楼, 漏水, 3号楼). The index holds every one- and two-character gram
//! of the searchable text (letters, digits and CJK; punctuation splits), once per ticket, in an
//! FTS5 table without positions. A one- or two-character term is one gram; a longer term needs
//! all its two-character grams, and a LIKE over the candidates then confirms the exact phrase
//! (the grams may come from different places in the text). Terms separated by spaces must all
//! match. Each clause applies to the projection aliased `t`.

use crate::storage_err;
use rusqlite::types::Value;
use rusqlite::{params, Connection};
use std::collections::BTreeSet;
use streetdesk_core::error::ApiResult;

/// The projection's columns that are searched.
const COLUMNS: [&str; 4] = ["content", "address", "reply", "hotline_no"];

/// Runs of searchable characters, lower-cased as the index tokenizer folds them.
fn runs(text: &str) -> Vec<Vec<char>> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|r| !r.is_empty())
        .map(|r| r.chars().flat_map(char::to_lowercase).collect())
        .collect()
}

/// The distinct one- and two-character grams of the texts, space-separated for the index.
pub(crate) fn grams(texts: &[String]) -> String {
    // (c, None) is the unigram c; tuples sort as the grams' strings do.
    let mut all: Vec<(char, Option<char>)> = Vec::new();
    for text in texts {
        for run in runs(text) {
            all.extend(run.iter().map(|&c| (c, None)));
            all.extend(run.windows(2).map(|w| (w[0], Some(w[1]))));
        }
    }
    all.sort_unstable();
    all.dedup();
    let mut out = String::with_capacity(all.len() * 7);
    for (first, second) in all {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push(first);
        out.extend(second);
    }
    out
}

/// Replaces a ticket's entry in the index with its `grams`; `pos` is the projection row's key.
pub(crate) fn index(conn: &Connection, pos: i64, had_entry: bool, grams: &str) -> ApiResult<()> {
    if had_entry {
        conn.prepare_cached("DELETE FROM ticket_grams WHERE rowid = ?1")
            .and_then(|mut s| s.execute([pos]))
            .map_err(storage_err)?;
    }
    conn.prepare_cached("INSERT INTO ticket_grams(rowid, grams) VALUES (?1, ?2)")
        .and_then(|mut s| s.execute(params![pos, grams]))
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

/// How a search text is answered: an FTS5 expression over the gram index (if any term has
/// searchable characters) and exact-phrase checks on the candidate rows.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct SearchPlan {
    /// FTS5 MATCH expression, every gram quoted, joined by AND.
    pub(crate) matching: Option<String>,
    /// SQL conditions confirming each term that grams alone cannot prove.
    pub(crate) checks: Vec<String>,
    /// Parameters of `checks`, in order.
    pub(crate) params: Vec<Value>,
}

/// Plans a search text.
pub(crate) fn plan(text: &str) -> SearchPlan {
    let mut grams = BTreeSet::new();
    let mut plan = SearchPlan::default();
    for term in text.split_whitespace() {
        let term_runs = runs(term);
        for run in &term_runs {
            if run.len() == 1 {
                grams.insert(run[0].to_string());
            } else {
                grams.extend(run.windows(2).map(|w| w.iter().collect::<String>()));
            }
        }
        // A single run of one or two characters is proven by its gram; anything longer, or
        // with punctuation in it, is confirmed as written.
        let proven = term_runs.len() == 1 && term_runs[0].len() <= 2 && term.chars().count() <= 2;
        if !proven {
            let likes: Vec<String> = COLUMNS
                .iter()
                .map(|c| format!("t.{c} LIKE ? ESCAPE '\\'"))
                .collect();
            plan.checks.push(format!("({})", likes.join(" OR ")));
            let pattern = escape_like(term);
            plan.params
                .extend(COLUMNS.iter().map(|_| Value::Text(pattern.clone())));
        }
    }
    if !grams.is_empty() {
        let quoted: Vec<String> = grams
            .iter()
            .map(|g| format!("\"{}\"", g.replace('"', "\"\"")))
            .collect();
        plan.matching = Some(quoted.join(" AND "));
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_are_unigrams_and_bigrams_within_runs() {
        assert_eq!(
            grams(&["3号楼，漏水".into()]),
            "3 3号 号 号楼 楼 水 漏 漏水"
        );
        assert_eq!(grams(&["AB".into(), "".into()]), "a ab b");
    }

    #[test]
    fn short_terms_are_proven_by_grams_longer_ones_checked() {
        let p = plan("楼 漏水");
        assert_eq!(p.matching.as_deref(), Some("\"楼\" AND \"漏水\""));
        assert!(p.checks.is_empty());
        let p = plan("电梯故障");
        assert_eq!(
            p.matching.as_deref(),
            Some("\"故障\" AND \"梯故\" AND \"电梯\"")
        );
        assert_eq!(p.checks.len(), 1);
        assert_eq!(p.params[0], Value::Text("%电梯故障%".into()));
        let p = plan("%_");
        assert_eq!(p.matching, None);
        assert_eq!(p.params[0], Value::Text("%\\%\\_%".into()));
        assert_eq!(plan("   "), SearchPlan::default());
    }
}
