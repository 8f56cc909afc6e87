//! The monthly report: the dashboard of one month as an Excel workbook (tables and native
//! charts) or as CSV. Both are written from the same table rows, so they say the same.

mod csv;
mod xlsx;

pub use csv::csv;
pub use xlsx::xlsx;

use crate::labels::{text, Msg};
use crate::labels_report::{word, Word};
use std::io::Write;
use std::path::Path;
use streetdesk_core::dashboard::Dashboard;
use streetdesk_core::dto::{Lang, ReportFormat};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};
use streetdesk_core::kpi::Figures;

/// A cell of a report table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Words.
    Text(String),
    /// A count.
    Count(u32),
    /// A rate in percent, or hours.
    Number(f64),
    /// Nothing to measure.
    Empty,
}

impl From<Option<f64>> for Cell {
    fn from(x: Option<f64>) -> Cell {
        x.map_or(Cell::Empty, Cell::Number)
    }
}

/// The columns every figures table has after its leading name columns.
pub fn figure_columns(lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = [Word::Tickets, Word::Rated]
        .iter()
        .map(|w| word(lang, *w).to_owned())
        .collect();
    for m in [
        Msg::Response,
        Msg::Resolution,
        Msg::Satisfaction,
        Msg::Composite,
    ] {
        out.push(text(lang, m).to_owned());
    }
    for w in [
        Word::OnTime,
        Word::SignMedian,
        Word::SignP90,
        Word::ContactMedian,
        Word::ReplyMedian,
        Word::ReplyP90,
        Word::CloseMedian,
    ] {
        out.push(word(lang, w).to_owned());
    }
    out
}

/// The cells of [`figure_columns`] for one group.
pub fn figure_cells(f: &Figures) -> Vec<Cell> {
    vec![
        Cell::Count(f.tickets),
        Cell::Count(f.rates.rated),
        f.rates.response.into(),
        f.rates.resolution.into(),
        f.rates.satisfaction.into(),
        f.rates.composite.into(),
        f.on_time.rate.into(),
        f.to_sign.median_h.into(),
        f.to_sign.p90_h.into(),
        f.to_contact.median_h.into(),
        f.to_reply.median_h.into(),
        f.to_reply.p90_h.into(),
        f.to_close.median_h.into(),
    ]
}

/// A table: a header row and body rows.
pub struct Table {
    /// Column headings.
    pub header: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

/// The community ranking with the whole street as its last row: the CSV, and the report's
/// main sheet.
pub fn community_table(d: &Dashboard, lang: Lang) -> Table {
    let mut header = vec![
        word(lang, Word::Rank).to_owned(),
        word(lang, Word::Community).to_owned(),
    ];
    header.extend(figure_columns(lang));
    let mut rows: Vec<Vec<Cell>> = d
        .communities
        .iter()
        .map(|g| {
            let mut row = vec![
                g.rank.map_or(Cell::Empty, Cell::Count),
                Cell::Text(g.label.clone()),
            ];
            row.extend(figure_cells(&g.figures));
            row
        })
        .collect();
    let mut street = vec![
        Cell::Empty,
        Cell::Text(word(lang, Word::WholeStreet).to_owned()),
    ];
    street.extend(figure_cells(&d.street));
    rows.push(street);
    Table { header, rows }
}

/// The report of `d` for the street named `street`, as file contents.
pub fn render(d: &Dashboard, format: ReportFormat, lang: Lang, street: &str) -> ApiResult<Vec<u8>> {
    match format {
        ReportFormat::Csv => Ok(csv(d, lang).into_bytes()),
        ReportFormat::Xlsx => xlsx(d, lang, street)
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("workbook: {e}"))),
    }
}

/// Writes `bytes` to `path` whole or not at all: into a temporary file beside it, then renamed
/// over it, so an officer never finds half a report.
pub fn write_file(path: &Path, bytes: &[u8]) -> ApiResult<()> {
    let failed = |e: std::io::Error| {
        ApiError::new(
            ErrorCode::ExportWriteFailed,
            format!("{}: {e}", path.display()),
        )
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    // A report is an ordinary document, readable like any other the officer saves.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder.tempfile_in(dir).map_err(failed)?;
    tmp.write_all(bytes).map_err(failed)?;
    tmp.as_file().sync_all().map_err(failed)?;
    tmp.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}
