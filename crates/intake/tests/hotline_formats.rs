//! 12345 exports in the shapes streets receive them: every format, title rows, merged and
//! two-row headers, serial dates, GBK; each must read to the same tickets.

mod support;

use rust_xlsxwriter::{ExcelDateTime, Format};
use streetdesk_core::dto::{ImportField as F, RowVerdict};
use streetdesk_core::ticket::TicketStatus;
use support::*;

const ROWS: usize = 120;

/// What the standard file gives, to compare the others with.
fn reference() -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut store = street(dir.path());
    let path = standard_xlsx(dir.path(), "standard.xlsx", &sample(ROWS, 7));
    let out = import(&mut store, &path, false).unwrap();
    assert_eq!(out.counts.new, ROWS as u32);
    tickets(&store)
}

/// Every ticket as the backlog shows it (ids left out: they are new per store).
fn tickets(store: &streetdesk_store::Store) -> Vec<String> {
    let q = streetdesk_core::dto::BacklogQuery {
        limit: 500,
        ..Default::default()
    };
    let mut rows: Vec<String> = store
        .backlog(&q)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| {
            format!(
                "{:?} {} {:?} {} {} {} {} {:?} {:?} {} {:?}",
                r.hotline_no,
                r.received_at,
                r.kind,
                r.category,
                r.content,
                r.community_id,
                r.address,
                r.status,
                r.grid,
                r.due_at,
                r.tags
            )
        })
        .collect();
    rows.sort();
    rows
}

fn same_as_reference(build: impl FnOnce(&std::path::Path) -> std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = street(dir.path());
    let path = build(dir.path());
    let (_, p) = preview(&store, &path).unwrap();
    assert!(p.missing.is_empty(), "{:?}", p.missing);
    assert_eq!(p.counts.rejected, 0, "{:?}", p.issues);
    assert_eq!(p.counts.new, ROWS as u32);
    import(&mut store, &path, false).unwrap();
    assert_eq!(tickets(&store), reference(), "{}", path.display());
}

#[test]
fn the_standard_layout_reads_into_tickets_in_every_state() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = street(dir.path());
    let path = standard_xlsx(dir.path(), "standard.xlsx", &sample(ROWS, 7));
    let (_, p) = preview(&store, &path).unwrap();
    assert_eq!(p.header_row, 1);
    assert_eq!(p.columns.len(), 23);
    assert_eq!(p.counts.rows, ROWS as u32);
    assert_eq!(p.counts.new, ROWS as u32);
    assert!(p.rows.iter().all(|r| r.verdict == RowVerdict::New));
    let out = import(&mut store, &path, false).unwrap();
    assert_eq!(out.counts.new, ROWS as u32);
    let statuses: std::collections::HashSet<_> = store
        .backlog(&streetdesk_core::dto::BacklogQuery {
            limit: 500,
            ..Default::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.status)
        .collect();
    for s in [
        TicketStatus::Received,
        TicketStatus::Signed,
        TicketStatus::InProgress,
        TicketStatus::Replied,
        TicketStatus::AwaitingCallback,
        TicketStatus::CallbackRecorded,
    ] {
        assert!(statuses.contains(&s), "{s:?} missing");
    }
}

#[test]
fn a_platform_xlsx_with_a_title_date_cells_and_numbers() {
    same_as_reference(|dir| {
        let rows = sample(ROWS, 7);
        let h = streetdesk_intake::export::headers();
        xlsx_file(dir, "platform.xlsx", |s| {
            title(s, 0, 23, "北京市12345市民服务热线工单导出");
            s.write_string(1, 0, "导出时间：2026-11-20 12:00").unwrap();
            put_lines(s, 3, std::slice::from_ref(&h));
            let date = Format::new().set_num_format("yyyy/m/d h:mm:ss");
            for (i, row) in rows.iter().enumerate() {
                let r = 4 + i as u32;
                for (c, f) in F::ALL.iter().enumerate() {
                    let Some(v) = row.get(f) else { continue };
                    let c = c as u16;
                    match f {
                        F::HotlineNo | F::CallerPhone if v.chars().all(|c| c.is_ascii_digit()) => {
                            s.write_number(r, c, v.parse::<f64>().unwrap()).unwrap();
                        }
                        F::ReceivedAt | F::SignedAt | F::RepliedAt | F::CallbackAt => {
                            let t = ExcelDateTime::parse_from_str(v).unwrap();
                            s.write_datetime_with_format(r, c, t, &date).unwrap();
                        }
                        _ => {
                            s.write_string(r, c, v).unwrap();
                        }
                    }
                }
            }
        })
    });
}

#[test]
fn plain_serial_numbers_for_dates() {
    same_as_reference(|dir| {
        let (h, mut rows) = standard(&sample(ROWS, 7));
        let times: Vec<usize> = [F::ReceivedAt, F::SignedAt, F::RepliedAt, F::CallbackAt]
            .iter()
            .map(|f| F::ALL.iter().position(|x| x == f).unwrap())
            .collect();
        xlsx_file(dir, "serial.xlsx", |s| {
            put_lines(s, 0, std::slice::from_ref(&h));
            for (i, row) in rows.iter_mut().enumerate() {
                for &c in &times {
                    if row[c].is_empty() {
                        continue;
                    }
                    let t = ExcelDateTime::parse_from_str(&row[c]).unwrap();
                    s.write_number(1 + i as u32, c as u16, t.to_excel())
                        .unwrap();
                    row[c].clear();
                }
            }
            put_lines(s, 1, &rows);
        })
    });
}

#[test]
fn a_two_row_header_with_merged_groups_and_merged_communities() {
    merged_two_row_header(["姓名", "电话"]);
}

/// The header in two rows: each column's name merged down over both, except the caller's two,
/// grouped under 诉求人信息 with `sub` under it; communities merged down over their tickets.
fn merged_two_row_header(sub: [&'static str; 2]) {
    same_as_reference(|dir| {
        let mut rows = sample(ROWS, 7);
        // The platform groups a community's tickets and merges its cell down over them.
        rows.sort_by(|a, b| a[&F::Community].cmp(&b[&F::Community]));
        let caller = [F::CallerName, F::CallerPhone];
        let fields: Vec<F> = F::ALL.to_vec();
        xlsx_file(dir, "merged.xlsx", |s| {
            let plain = Format::new();
            title(s, 0, 23, "和乐街道 工单明细");
            for (c, f) in fields.iter().enumerate() {
                let c = c as u16;
                let name = streetdesk_intake::hotline::aliases(*f)[0];
                if caller.contains(f) {
                    s.write_string(2, c, sub[caller.iter().position(|x| x == f).unwrap()])
                        .unwrap();
                } else {
                    s.merge_range(1, c, 2, c, name, &plain).unwrap();
                }
            }
            let first = fields.iter().position(|f| *f == F::CallerName).unwrap() as u16;
            s.merge_range(1, first, 1, first + 1, "诉求人信息", &plain)
                .unwrap();
            let community = fields.iter().position(|f| *f == F::Community).unwrap();
            let mut lines = cells(&rows, &fields);
            let mut start = 0;
            for i in 1..=lines.len() {
                if i == lines.len() || lines[i][community] != lines[start][community] {
                    if i - start > 1 {
                        let name = lines[start][community].clone();
                        let (r0, r1) = (3 + start as u32, 3 + i as u32 - 1);
                        s.merge_range(r0, community as u16, r1, community as u16, &name, &plain)
                            .unwrap();
                        for line in &mut lines[start..i] {
                            line[community].clear();
                        }
                    }
                    start = i;
                }
            }
            put_lines(s, 3, &lines);
        })
    });
}

#[test]
fn a_two_row_header_whose_sub_headers_are_not_known_names() {
    // 称呼 and 手机号 are no field's usual names: the header still spans both rows, and the
    // second is not read as a ticket.
    merged_two_row_header(["称呼", "手机号"]);
}

#[test]
fn csv_in_utf8_with_and_without_a_mark_and_in_gbk() {
    for (name, encoding) in [
        ("bom.csv", Encoding::Utf8Bom),
        ("plain.csv", Encoding::Utf8),
        ("gbk.csv", Encoding::Gbk),
    ] {
        same_as_reference(|dir| {
            let (h, rows) = standard(&sample(ROWS, 7));
            let mut lines = vec![vec!["12345工单导出".to_owned()], h];
            lines.extend(rows);
            csv_file(dir, name, &lines, encoding)
        });
    }
}

#[test]
fn a_csv_with_a_group_header_row() {
    same_as_reference(|dir| {
        let (mut h, rows) = standard(&sample(ROWS, 7));
        let caller = F::ALL.iter().position(|f| *f == F::CallerName).unwrap();
        let mut top: Vec<String> = h.clone();
        top[caller] = "诉求人信息".into();
        top[caller + 1] = String::new();
        let mut lower = vec![String::new(); h.len()];
        lower[caller] = "姓名".into();
        lower[caller + 1] = "电话".into();
        h.clear();
        let mut lines = vec![top, lower];
        lines.extend(rows);
        csv_file(dir, "group.csv", &lines, Encoding::Utf8Bom)
    });
}

#[test]
fn the_old_binary_xls() {
    same_as_reference(|dir| {
        let (h, rows) = standard(&sample(ROWS, 7));
        let mut cells = vec![((0, 0), xls::Cell::Text("12345工单导出".into()))];
        for (c, v) in h.iter().enumerate() {
            cells.push(((1, c as u16), xls::Cell::Text(v.clone())));
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if v.is_empty() {
                    continue;
                }
                let cell = match (F::ALL[c], v.parse::<f64>()) {
                    (F::HotlineNo, Ok(n)) => xls::Cell::Number(n),
                    _ => xls::Cell::Text(v.clone()),
                };
                cells.push(((2 + r as u16, c as u16), cell));
            }
        }
        let path = dir.join("old.xls");
        xls::write(&path, "工单", &cells, &[(0, 0, 0, 22)]);
        path
    });
}

#[test]
fn other_header_names_in_another_order() {
    same_as_reference(|dir| {
        let rows = sample(ROWS, 7);
        let mut fields: Vec<F> = F::ALL.to_vec();
        fields.reverse();
        let names = |f: &F| match f {
            F::ReceivedAt => "来电时间",
            F::Kind => "诉求类型",
            F::Community => "所属社区",
            F::CallerPhone => "联系方式",
            F::Content => "问题描述",
            F::Reply => "处理结果",
            F::RepliedAt => "答复时间",
            F::Satisfied => "满意度",
            other => streetdesk_intake::hotline::aliases(*other)[0],
        };
        let h: Vec<String> = fields.iter().map(|f| format!(" {} ", names(f))).collect();
        xlsx_file(dir, "renamed.xlsx", |s| {
            put_lines(s, 0, &[h]);
            put_lines(s, 1, &cells(&rows, &fields));
        })
    });
}
