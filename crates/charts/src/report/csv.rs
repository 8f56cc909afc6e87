//! The report as CSV: the community ranking and the whole street, UTF-8 with a byte-order
//! mark so that Excel on a Chinese Windows opens it as UTF-8 rather than GBK.

use super::{community_table, Cell};
use streetdesk_core::dashboard::Dashboard;
use streetdesk_core::dto::Lang;

fn field(s: &str) -> String {
    // Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is defused
    // with a leading apostrophe: community names are typed by people.
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
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

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("和平里社区"), "和平里社区");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1+1"), "'-1+1");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
    }
}
