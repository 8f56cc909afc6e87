//! The row parser against anything a spreadsheet cell can hold: it never panics, and every
//! row it refuses is named by row and column.

mod support;

use proptest::prelude::*;
use streetdesk_core::calendar::WorkCalendar;
use streetdesk_core::dto::ImportField;
use streetdesk_intake::hotline::{layout::detect, read_rows, ReadContext};
use streetdesk_intake::table::{read_csv, Row};
use streetdesk_intake::values::*;

/// A cell: plausible values in messy forms, and arbitrary text.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[0-9０-９]{1,16}",
        "20[0-9]{2}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日? ?[0-9]{1,2}[:时点][0-9]{1,2}分?",
        (20_000.0f64..80_000.0).prop_map(|f| f.to_string()),
        prop::num::f64::ANY.prop_map(|f| f.to_string()),
        "(投诉|咨询|求助|举报|建议|表扬|其他)",
        "(已办结|待签收|办理中|已回访|已退回|挂起)",
        "(解决|部分解决|未解决|满意|基本满意|不满意|未评价|是|否)",
        "[一-龥]{1,6}(->|/|→|－>)[一-龥]{1,6}",
        "(和平里|安定门|东四|交道口)[一-龥]{0,3}(社区|村|居委会)?",
        "第?[0-9]{1,3}网格",
        "1[3-9][0-9*]{9}",
        any::<String>(),
    ]
}

fn context_rows(data: Vec<Vec<String>>) -> Vec<Row> {
    let mut rows = vec![Row {
        number: 1,
        cells: streetdesk_intake::export::headers(),
    }];
    rows.extend(data.into_iter().enumerate().map(|(i, cells)| Row {
        number: i as u32 + 2,
        cells,
    }));
    rows
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn rows_of_anything_read_or_are_refused_with_their_place(
        data in prop::collection::vec(prop::collection::vec(cell(), 0..26), 1..8)
    ) {
        let rows = context_rows(data);
        let layout = detect(&rows, &[]).expect("the header is recognised");
        let communities = streetdesk_demo::communities();
        let calendar = WorkCalendar::builtin();
        let ctx = ReadContext { communities: &communities, calendar: &calendar, now: support::now() };
        for r in read_rows(&rows, &layout, &ctx) {
            match r.result {
                Ok(record) => {
                    prop_assert!(!record.hotline_no().is_empty());
                    prop_assert!(record.registered.received_at <= support::now() + chrono::Duration::minutes(10));
                    let _ = record.target();
                }
                Err(e) => {
                    let at = e.at.expect("a refused row names its place");
                    prop_assert_eq!(at.row, r.number);
                    prop_assert!(!at.column.is_empty());
                    // Callers' data never shows in a message.
                    let personal = [ImportField::CallerName, ImportField::CallerPhone]
                        .map(|f| streetdesk_intake::hotline::aliases(f)[0]);
                    if personal.contains(&at.column.as_str()) {
                        prop_assert!(at.value.is_none());
                    }
                }
            }
        }
    }

    #[test]
    fn a_real_row_with_one_cell_changed_reads_or_names_that_problem_without_the_caller(
        seed in 0u64..1_000,
        column in 0usize..23,
        value in cell(),
    ) {
        let rows = support::sample(3, seed);
        let (_, mut data) = support::standard(&rows);
        data[1][column] = value;
        let table = context_rows(data);
        let layout = detect(&table, &[]).expect("the header is recognised");
        let communities = streetdesk_demo::communities();
        let calendar = WorkCalendar::builtin();
        let ctx = ReadContext { communities: &communities, calendar: &calendar, now: support::now() };
        let read = read_rows(&table, &layout, &ctx);
        prop_assert_eq!(read.len(), 3);
        // The rows left alone read.
        prop_assert!(read[0].result.is_ok() && read[2].result.is_ok());
        if let Err(e) = &read[1].result {
            prop_assert_eq!(e.at.as_ref().map(|a| a.row), Some(3));
            // Neither the caller's name nor phone is ever in a message, whatever the cell.
            for f in [ImportField::CallerName, ImportField::CallerPhone] {
                let personal = rows[1].get(&f).cloned().unwrap_or_default();
                if personal.chars().count() >= 2 {
                    prop_assert!(!e.message.contains(&personal), "{}", e.message);
                    let value = e.at.as_ref().and_then(|a| a.value.clone()).unwrap_or_default();
                    prop_assert!(!value.contains(&personal));
                }
            }
        }
    }

    #[test]
    fn value_readers_take_anything(s in any::<String>()) {
        let _ = parse_when(&s);
        let _ = parse_limit(&s);
        let _ = category_path(&s);
        let _ = split_tags(&s);
        let _ = grid_number(&s);
        let _ = number(&s);
        let _ = clean_text(&s);
        let _ = (kind_word(&s), status_word(&s), urgency_word(&s), yes_no(&s));
        let _ = (resolution_word(&s), satisfaction_word(&s));
    }

    #[test]
    fn csv_bytes_of_anything_read_or_are_refused(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_csv(&bytes);
    }
}
