//! The report as CSV: the community ranking and the whole street, UTF-8 with a byte-order
//! mark so that Excel on a Chinese Windows opens it as UTF-8 rather than GBK.

use super::{community_table, Cell};
use streetdesk_core::dashboard::Dashboard;
use streetdesk_core::dto::Lang;

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn cell(c: &Cell) -> String {
    match c {
        Cell::Text(s) => field(s),
        Cell::Count(n) => n.to_string(),
        // Full precision: the CSV is data, not a printout; it equals the dashboard exactly.
        Cell::Number(x) => x.to_string(),
        Cell::Empty => String::new(),
    }
}

/// The CSV text of the month's community table.
pub fn csv(d: &Dashboard, lang: Lang) -> String {
    let table = community_table(d, lang);
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = table.header.iter().map(|h| field(h)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(cell).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}
