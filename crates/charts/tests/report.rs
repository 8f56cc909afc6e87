//! The monthly report says exactly what the dashboard says: every number read back from the
//! workbook and the CSV equals the dashboard's figure it came from.

mod support;

use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;
use streetdesk_charts::report::{csv, xlsx};
use streetdesk_core::dashboard::Dashboard;
use streetdesk_core::dto::Lang;
use streetdesk_core::kpi::Figures;

/// The numbers of one group, in the order the report's columns give them.
fn expected(f: &Figures) -> Vec<Option<f64>> {
    vec![
        Some(f64::from(f.tickets)),
        Some(f64::from(f.rates.rated)),
        f.rates.response,
        f.rates.resolution,
        f.rates.satisfaction,
        f.rates.composite,
        f.on_time.rate,
        f.to_sign.median_h,
        f.to_sign.p90_h,
        f.to_contact.median_h,
        f.to_reply.median_h,
        f.to_reply.p90_h,
        f.to_close.median_h,
    ]
}

fn number(c: &Data) -> Option<f64> {
    match c {
        Data::Float(x) => Some(*x),
        Data::Int(n) => Some(*n as f64),
        Data::Empty => None,
        other => panic!("not a number: {other:?}"),
    }
}

fn november() -> Dashboard {
    let d = support::november(6000);
    assert_eq!(d.months.len(), 12, "the trend: December to November");
    assert_eq!(
        d.months[0].tickets, 0,
        "no tickets in 2025: a gap, not a missing month"
    );
    d
}

fn sheets(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).unwrap()
}

#[test]
fn the_workbook_holds_the_dashboards_numbers() {
    let d = november();
    let mut book = sheets(xlsx(&d, Lang::ZhCn, "和平里街道").unwrap());
    assert_eq!(
        book.sheet_names(),
        [
            "概要",
            "社区排名",
            "分类",
            "主办单位",
            "响应时长",
            "分类×社区",
            "来源与类型"
        ]
    );

    let summary = book.worksheet_range("概要").unwrap();
    let title = summary.get_value((0, 0)).unwrap().to_string();
    assert!(
        title.contains("和平里街道") && title.contains("2026-11-01"),
        "{title}"
    );
    let values: Vec<Option<f64>> = (3..16)
        .map(|r| number(summary.get_value((r, 1)).unwrap_or(&Data::Empty)))
        .collect();
    assert_eq!(values, expected(&d.street));

    let ranking = book.worksheet_range("社区排名").unwrap();
    assert_eq!(
        ranking.get_value((0, 7)),
        Some(&Data::String("综合得分".into()))
    );
    for (i, g) in d.communities.iter().enumerate() {
        let r = i as u32 + 1;
        assert_eq!(
            number(ranking.get_value((r, 0)).unwrap()),
            g.rank.map(f64::from)
        );
        assert_eq!(
            ranking.get_value((r, 1)),
            Some(&Data::String(g.label.clone()))
        );
        let row: Vec<Option<f64>> = (2..15)
            .map(|c| number(ranking.get_value((r, c)).unwrap_or(&Data::Empty)))
            .collect();
        assert_eq!(row, expected(&g.figures), "{}", g.label);
    }
    let street_row = d.communities.len() as u32 + 1;
    assert_eq!(
        ranking.get_value((street_row, 1)),
        Some(&Data::String("全街道".into()))
    );

    let categories = book.worksheet_range("分类").unwrap();
    for (i, g) in d.categories.iter().enumerate() {
        let r = i as u32 + 1;
        assert_eq!(
            categories.get_value((r, 0)),
            Some(&Data::String(g.label.clone()))
        );
        let row: Vec<Option<f64>> = (1..14)
            .map(|c| number(categories.get_value((r, c)).unwrap_or(&Data::Empty)))
            .collect();
        assert_eq!(row, expected(&g.figures));
    }

    let response = book.worksheet_range("响应时长").unwrap();
    for (i, (s, c)) in d
        .response
        .to_sign
        .iter()
        .zip(&d.response.to_contact)
        .enumerate()
    {
        let r = i as u32 + 1;
        assert_eq!(
            number(response.get_value((r, 1)).unwrap()),
            Some(f64::from(*s))
        );
        assert_eq!(
            number(response.get_value((r, 2)).unwrap()),
            Some(f64::from(*c))
        );
    }

    let heat = book.worksheet_range("分类×社区").unwrap();
    for (i, counts) in d.heat.counts.iter().enumerate() {
        for (j, n) in counts.iter().enumerate() {
            let at = (i as u32 + 1, j as u32 + 1);
            assert_eq!(number(heat.get_value(at).unwrap()), Some(f64::from(*n)));
        }
    }
}

#[test]
fn the_csv_holds_the_same_community_table() {
    let d = november();
    let text = csv(&d, Lang::En);
    assert!(text.starts_with('\u{feff}'), "a BOM for Excel");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("Rank,Community,Tickets,Callbacks,Response"));
    assert_eq!(lines.len(), d.communities.len() + 2);
    for (line, g) in lines[1..].iter().zip(&d.communities) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[0], g.rank.unwrap().to_string());
        assert_eq!(cells[1], g.label);
        let row: Vec<Option<f64>> = cells[2..]
            .iter()
            .map(|c| (!c.is_empty()).then(|| c.parse().unwrap()))
            .collect();
        assert_eq!(row, expected(&g.figures));
    }
    assert!(lines.last().unwrap().starts_with(",Whole street,"));
}
