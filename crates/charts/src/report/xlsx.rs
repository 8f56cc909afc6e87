//! The report as an Excel workbook: one sheet per table, native Excel charts beside the
//! community ranking and the response times, numbers stored at full precision and shown to
//! one decimal.

use super::{community_table, figure_cells, figure_columns, Cell, Table};
use crate::labels::{text, Msg};
use crate::labels_report::{source_or_kind, word, Word};
use crate::response::bucket_labels;
use rust_xlsxwriter::{Chart, ChartType, Format, FormatBorder, Workbook, Worksheet, XlsxError};
use streetdesk_core::dashboard::{Dashboard, Group, OTHER};
use streetdesk_core::dto::Lang;
use streetdesk_core::kpi::Figures;

struct Formats {
    title: Format,
    header: Format,
    number: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_background_color(0xEEF0F3)
                .set_border_bottom(FormatBorder::Thin)
                .set_text_wrap(),
            number: Format::new().set_num_format("0.0"),
        }
    }
}

/// Writes `table` with its header at `top`; returns the row after it.
fn write_table(ws: &mut Worksheet, top: u32, t: &Table, f: &Formats) -> Result<u32, XlsxError> {
    for (c, h) in t.header.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, h, &f.header)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = top + 1 + r as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string(r, c, s)?,
                Cell::Count(n) => ws.write_number(r, c, f64::from(*n))?,
                Cell::Number(x) => ws.write_number_with_format(r, c, *x, &f.number)?,
                Cell::Empty => ws,
            };
        }
    }
    ws.set_row_height(top, 32)?;
    Ok(top + 1 + t.rows.len() as u32)
}

fn sheet(wb: &mut Workbook, lang: Lang, w: Word) -> Result<&mut Worksheet, XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(word(lang, w))?;
    ws.set_column_width(0, 10)?;
    ws.set_column_width(1, 22)?;
    Ok(ws)
}

fn grouped(lang: Lang, name: Word, groups: &[Group], unnamed: Word) -> Table {
    let mut header = vec![word(lang, name).to_owned()];
    header.extend(figure_columns(lang));
    let rows = groups
        .iter()
        .map(|g| {
            let label = if g.label.is_empty() {
                word(lang, unnamed).to_owned()
            } else {
                g.label.clone()
            };
            let mut row = vec![Cell::Text(label)];
            row.extend(figure_cells(&g.figures));
            row
        })
        .collect();
    Table { header, rows }
}

fn by_wire_name(lang: Lang, name: Word, rows: &[Figures]) -> Table {
    let mut header = vec![word(lang, name).to_owned()];
    header.extend(figure_columns(lang));
    let rows = rows
        .iter()
        .map(|f| {
            let mut row = vec![Cell::Text(source_or_kind(lang, &f.key))];
            row.extend(figure_cells(f));
            row
        })
        .collect();
    Table { header, rows }
}

fn summary(d: &Dashboard, lang: Lang, street: &str) -> (String, Table) {
    let title = format!(
        "{street} {}: {} – {}",
        word(lang, Word::Period),
        d.from,
        d.to
    );
    let rows = figure_columns(lang)
        .into_iter()
        .zip(figure_cells(&d.street))
        .map(|(name, value)| vec![Cell::Text(name), value])
        .collect();
    let header = vec![
        word(lang, Word::Measure).to_owned(),
        word(lang, Word::Value).to_owned(),
    ];
    (title, Table { header, rows })
}

fn response_table(d: &Dashboard, lang: Lang) -> Table {
    let r = &d.response;
    let rows = bucket_labels(lang, &r.bounds_h)
        .into_iter()
        .zip(r.to_sign.iter().zip(&r.to_contact))
        .map(|(label, (s, c))| vec![Cell::Text(label), Cell::Count(*s), Cell::Count(*c)])
        .collect();
    Table {
        header: vec![
            word(lang, Word::Duration).to_owned(),
            text(lang, Msg::ToSign).to_owned(),
            text(lang, Msg::ToContact).to_owned(),
        ],
        rows,
    }
}

fn heat_table(d: &Dashboard, lang: Lang) -> Table {
    let h = &d.heat;
    let mut header = vec![word(lang, Word::Category).to_owned()];
    header.extend(h.community_labels.iter().cloned());
    let rows = h
        .categories
        .iter()
        .zip(&h.counts)
        .map(|(k, counts)| {
            let label = if k == OTHER {
                text(lang, Msg::Other).to_owned()
            } else {
                k.clone()
            };
            let mut row = vec![Cell::Text(label)];
            row.extend(counts.iter().map(|n| Cell::Count(*n)));
            row
        })
        .collect();
    Table { header, rows }
}

/// The workbook of `d` for the street named `street`.
pub fn xlsx(d: &Dashboard, lang: Lang, street: &str) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();

    let (title, table) = summary(d, lang, street);
    let ws = sheet(&mut wb, lang, Word::Summary)?;
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 14)?;
    ws.write_string_with_format(0, 0, &title, &f.title)?;
    write_table(ws, 2, &table, &f)?;

    let ranking = community_table(d, lang);
    let communities = d.communities.len() as u32;
    let ws = sheet(&mut wb, lang, Word::Communities)?;
    let name = ws.name();
    write_table(ws, 0, &ranking, &f)?;
    ws.set_freeze_panes(1, 2)?;
    if communities > 0 {
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_name(text(lang, Msg::Composite))
            .set_categories((name.as_str(), 1, 1, communities, 1))
            .set_values((name.as_str(), 1, 7, communities, 7));
        chart.title().set_name(text(lang, Msg::CommunitiesTitle));
        chart.y_axis().set_reverse();
        chart.legend().set_hidden();
        chart
            .set_width(640)
            .set_height(24 * communities.max(12) + 80);
        ws.insert_chart(communities + 3, 1, &chart)?;
    }

    let ws = sheet(&mut wb, lang, Word::Categories)?;
    write_table(
        ws,
        0,
        &grouped(lang, Word::Category, &d.categories, Word::NoCategory),
        &f,
    )?;
    let ws = sheet(&mut wb, lang, Word::Departments)?;
    write_table(
        ws,
        0,
        &grouped(lang, Word::Department, &d.departments, Word::Unassigned),
        &f,
    )?;

    let ws = sheet(&mut wb, lang, Word::ResponseTimes)?;
    let name = ws.name();
    let rows = write_table(ws, 0, &response_table(d, lang), &f)? - 1;
    let mut chart = Chart::new(ChartType::Column);
    for (col, series) in [(1u16, Msg::ToSign), (2, Msg::ToContact)] {
        chart
            .add_series()
            .set_name(text(lang, series))
            .set_categories((name.as_str(), 1, 0, rows, 0))
            .set_values((name.as_str(), 1, col, rows, col));
    }
    chart.title().set_name(text(lang, Msg::ResponseTitle));
    ws.insert_chart(1, 4, &chart)?;

    let ws = sheet(&mut wb, lang, Word::Heat)?;
    write_table(ws, 0, &heat_table(d, lang), &f)?;
    ws.set_freeze_panes(1, 1)?;

    let ws = sheet(&mut wb, lang, Word::SourcesKinds)?;
    let next = write_table(ws, 0, &by_wire_name(lang, Word::Source, &d.sources), &f)?;
    write_table(ws, next + 1, &by_wire_name(lang, Word::Kind, &d.kinds), &f)?;

    wb.save_to_buffer()
}
