//! Importing 12345 exports: idempotent by ticket number, later exports move tickets on,
//! bad files and cancels change nothing, every problem is named by row and column.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use streetdesk_core::dto::{BacklogQuery, ColumnMap, ImportField as F, ImportOptions, ImportPhase};
use streetdesk_core::error::ErrorCode;
use streetdesk_core::ticket::{Resolution, Satisfaction, TicketStatus};
use streetdesk_intake::hotline::ImportSession;
use support::*;

fn column(f: F) -> usize {
    F::ALL.iter().position(|x| *x == f).unwrap()
}

#[test]
fn importing_the_same_export_twice_creates_nothing_new() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = street(dir.path());
    let path = standard_xlsx(dir.path(), "a.xlsx", &sample(200, 3));
    let first = import(&mut store, &path, false).unwrap();
    assert_eq!(
        (
            first.counts.new,
            first.counts.updated,
            first.counts.unchanged
        ),
        (200, 0, 0)
    );
    let before = state(&store);
    let (_, p) = preview(&store, &path).unwrap();
    assert_eq!((p.counts.new, p.counts.unchanged), (0, 200));
    let again = import(&mut store, &path, false).unwrap();
    assert_eq!(
        (
            again.counts.new,
            again.counts.updated,
            again.counts.unchanged
        ),
        (0, 0, 200)
    );
    assert_eq!(again.events, 0);
    assert_eq!(state(&store), before);
}

#[test]
fn a_later_export_becomes_events_on_the_same_tickets() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = street(dir.path());
    let mut rows = sample(40, 5);
    for r in &mut rows {
        for f in [
            F::SignedAt,
            F::Contacted,
            F::Reply,
            F::RepliedAt,
            F::Resolved,
            F::Satisfied,
            F::CallbackAt,
        ] {
            r.remove(&f);
        }
        r.insert(F::Status, "待签收".into());
    }
    import(
        &mut store,
        &standard_xlsx(dir.path(), "early.xlsx", &rows),
        false,
    )
    .unwrap();
    let tickets = store
        .backlog(&BacklogQuery {
            limit: 100,
            ..Default::default()
        })
        .unwrap()
        .rows;
    assert!(tickets.iter().all(|t| t.status == TicketStatus::Received));

    // A week later: half have been handled and called back.
    for r in rows.iter_mut().step_by(2) {
        r.insert(F::Status, "已回访".into());
        r.insert(F::Contacted, "是".into());
        r.insert(F::Reply, "已协调物业处理完毕".into());
        r.insert(F::RepliedAt, "2026-11-19 10:00:00".into());
        r.insert(F::Resolved, "部分解决".into());
        r.insert(F::Satisfied, "基本满意".into());
        r.insert(F::Tags, "每月一题".into());
    }
    let later = standard_xlsx(dir.path(), "later.xlsx", &rows);
    let (_, p) = preview(&store, &later).unwrap();
    assert_eq!(
        (p.counts.new, p.counts.updated, p.counts.unchanged),
        (0, 20, 20)
    );
    let out = import(&mut store, &later, false).unwrap();
    assert_eq!((out.counts.updated, out.counts.unchanged), (20, 20));
    let no = rows[0][&F::HotlineNo].clone();
    let row = store
        .backlog(&BacklogQuery {
            search: Some(no.clone()),
            limit: 5,
            ..Default::default()
        })
        .unwrap()
        .rows
        .remove(0);
    assert_eq!(row.hotline_no.as_deref(), Some(no.as_str()));
    let detail = store.ticket_detail(&row.id).unwrap();
    assert_eq!(detail.row.status, TicketStatus::CallbackRecorded);
    assert_eq!(detail.reply.as_deref(), Some("已协调物业处理完毕"));
    let cb = detail.callback.unwrap();
    assert_eq!(
        (cb.contacted, cb.resolution, cb.satisfaction),
        (true, Resolution::Partly, Satisfaction::Basically)
    );
    assert!(detail.row.tags.contains(&"每月一题".to_owned()));
    assert!(detail.timeline.iter().all(|e| !e.conflicting));
    // The reply is dated as the export says; the callback, not dated, as late as possible.
    let replied = detail
        .timeline
        .iter()
        .find(|e| e.event_type == streetdesk_core::event::TicketEventType::Replied)
        .unwrap();
    assert_eq!(
        replied.at, "2026-11-19T10:00:00+08:00",
        "{:#?}",
        detail.timeline
    );
    // And the same later export again: nothing.
    let again = import(&mut store, &later, false).unwrap();
    assert_eq!(
        (again.counts.updated, again.counts.unchanged, again.events),
        (0, 40, 0)
    );
}

#[test]
fn every_bad_cell_is_named_by_row_and_column_and_a_bad_file_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = street(dir.path());
    import(
        &mut store,
        &standard_xlsx(dir.path(), "base.xlsx", &sample(10, 1)),
        false,
    )
    .unwrap();
    let before = state(&store);

    let rows = sample(12, 2);
    let (h, mut lines) = standard(&rows);
    let cases: Vec<(F, &str, ErrorCode)> = vec![
        (
            F::ReceivedAt,
            "2026-13-45 10:00",
            ErrorCode::ImportDateInvalid,
        ),
        (
            F::ReceivedAt,
            "2027-01-01 10:00",
            ErrorCode::ReceivedAtFuture,
        ),
        (F::Kind, "其他", ErrorCode::ImportWordUnknown),
        (F::Community, "不存在社区", ErrorCode::CommunityUnknown),
        (F::CallerPhone, "12345", ErrorCode::CallerPhoneInvalid),
        (F::Grid, "第99网格", ErrorCode::GridInvalid),
        (F::HotlineNo, "2.02611E+13", ErrorCode::HotlineNoInvalid),
        (F::Content, "", ErrorCode::ImportValueRequired),
        (F::Status, "挂起", ErrorCode::ImportWordUnknown),
        (F::RepliedAt, "2020-01-01 10:00", ErrorCode::ImportTimeOrder),
        (F::Deadline, "尽快", ErrorCode::ImportDateInvalid),
    ];
    for (i, (f, v, _)) in cases.iter().enumerate() {
        lines[i][column(*f)] = (*v).to_owned();
    }
    // Satisfaction without resolution.
    let last = cases.len();
    lines[last][column(F::Resolved)] = String::new();
    lines[last][column(F::Satisfied)] = "满意".into();
    let path = xlsx_file(dir.path(), "bad.xlsx", |s| {
        title(s, 0, 23, "工单导出");
        put_lines(s, 1, std::slice::from_ref(&h));
        put_lines(s, 2, &lines);
    });
    let (mut session, p) = preview(&store, &path).unwrap();
    assert_eq!(p.counts.rejected, 12, "{:#?}", p.issues);
    assert_eq!(p.counts.new, 0);
    for (i, (f, _, code)) in cases.iter().enumerate() {
        let issue = &p.issues[i];
        let at = issue.at.as_ref().unwrap();
        assert_eq!(issue.code, *code, "{}", issue.message);
        assert_eq!(at.row, 3 + i as u32, "{}", issue.message);
        assert_eq!(at.column, streetdesk_intake::hotline::aliases(*f)[0]);
    }
    assert_eq!(p.issues[last].code, ErrorCode::ImportCallbackIncomplete);
    // The phone is personal: its cell is never repeated in the message.
    let phone = &p.issues[4];
    assert!(phone.at.as_ref().unwrap().value.is_none() && !phone.message.contains("12345"));
    assert_eq!(
        p.issues[2].at.as_ref().unwrap().value.as_deref(),
        Some("其他")
    );

    // Refused whole unless the officer leaves the bad rows out.
    let err = commit(&mut session, &mut store, false, None).unwrap_err();
    assert_eq!(err.code, ErrorCode::ImportRowsRejected);
    assert_eq!(state(&store), before);

    // Files that cannot be imported at all.
    let garbage = dir.path().join("garbage.xlsx");
    std::fs::write(&garbage, b"PK\x03\x04 not really a workbook").unwrap();
    assert_eq!(
        preview(&store, &garbage).unwrap_err().code,
        ErrorCode::ImportUnreadable
    );
    let header_only = standard_xlsx(dir.path(), "empty.xlsx", &[]);
    assert_eq!(
        preview(&store, &header_only).unwrap_err().code,
        ErrorCode::ImportEmpty
    );
    let not_export = csv_file(
        dir.path(),
        "other.csv",
        &[vec!["a".into(), "b".into()], vec!["1".into(), "2".into()]],
        Encoding::Utf8,
    );
    assert_eq!(
        preview(&store, &not_export).unwrap_err().code,
        ErrorCode::ImportColumnMissing
    );
    let wrong_type = dir.path().join("tickets.docx");
    std::fs::write(&wrong_type, b"x").unwrap();
    assert_eq!(
        preview(&store, &wrong_type).unwrap_err().code,
        ErrorCode::ImportUnreadable
    );
    assert_eq!(state(&store), before);
}

#[test]
fn leaving_the_rejected_rows_out_imports_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = street(dir.path());
    let (h, mut lines) = standard(&sample(30, 4));
    lines[7][column(F::Kind)] = "其他".into();
    // Blank rows between and after, as exports have.
    lines.insert(10, vec![String::new(); 23]);
    lines.push(vec![String::new(); 23]);
    lines.push(vec![String::new(); 23]);
    let path = csv_file(
        dir.path(),
        "some-bad.csv",
        &[vec![h], lines].concat(),
        Encoding::Gbk,
    );
    let out = import(&mut store, &path, true).unwrap();
    assert_eq!(
        (out.counts.rows, out.counts.new, out.counts.rejected),
        (30, 29, 1)
    );
    assert_eq!(
        store
            .backlog_count(&BacklogQuery {
                limit: 1,
                ..Default::default()
            })
            .unwrap(),
        29
    );
}

#[test]
fn duplicate_rows_count_once_and_conflicting_ones_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = street(dir.path());
    let rows = sample(10, 8);
    let mut all = rows.clone();
    all.push(rows[2].clone());
    all.push(rows[3].clone());
    let mut changed = rows[4].clone();
    changed.insert(F::Content, "另一件事".into());
    all.push(changed);
    let path = standard_xlsx(dir.path(), "dups.xlsx", &all);
    let (_, p) = preview(&store, &path).unwrap();
    assert_eq!(
        (p.counts.new, p.counts.duplicate, p.counts.rejected),
        (10, 2, 1)
    );
    let conflict = &p.issues[0];
    assert_eq!(conflict.code, ErrorCode::ImportRowConflict);
    assert_eq!(conflict.at.as_ref().unwrap().row, 14);
    let out = import(&mut store, &path, true).unwrap();
    assert_eq!((out.counts.new, out.counts.duplicate), (10, 2));
}

#[test]
fn a_file_without_a_required_column_asks_for_a_mapping_which_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = street(dir.path());
    let rows = sample(25, 9);
    // A district system's own headers: no usual name for the number, the time or the text.
    let fields = [
        F::HotlineNo,
        F::ReceivedAt,
        F::Kind,
        F::Category,
        F::Content,
        F::Community,
        F::Status,
    ];
    let h: Vec<String> = [
        "单据号",
        "登记日期",
        "工单类型",
        "问题分类",
        "情况说明",
        "社区",
        "状态",
    ]
    .map(String::from)
    .to_vec();
    let path = xlsx_file(dir.path(), "district.xlsx", |s| {
        put_lines(s, 0, std::slice::from_ref(&h));
        put_lines(s, 1, &cells(&rows, &fields));
    });
    let mut session = ImportSession::open(&path).unwrap();
    let p = session.preview(&store, None, now(), &mut |_| {}).unwrap();
    assert_eq!(p.missing, [F::HotlineNo, F::ReceivedAt, F::Content]);
    assert!(p.rows.is_empty());
    assert_eq!(p.headers, h);
    let err = commit(&mut session, &mut store, true, None).unwrap_err();
    assert_eq!(err.code, ErrorCode::ImportColumnMissing);

    let mut mapping = p.columns.clone();
    for (field, header) in [
        (F::HotlineNo, "单据号"),
        (F::ReceivedAt, "登记日期"),
        (F::Content, "情况说明"),
    ] {
        mapping.push(ColumnMap {
            field,
            header: header.into(),
        });
    }
    let p = session
        .preview(&store, Some(&mapping), now(), &mut |_| {})
        .unwrap();
    assert!(p.missing.is_empty());
    assert_eq!(p.counts.new, 25, "{:?}", p.issues);
    // A field on two columns is refused.
    let mut twice = mapping.clone();
    twice.push(ColumnMap {
        field: F::Content,
        header: "状态".into(),
    });
    assert_eq!(
        session
            .preview(&store, Some(&twice), now(), &mut |_| {})
            .unwrap_err()
            .code,
        ErrorCode::ImportMappingInvalid
    );
    session
        .preview(&store, Some(&mapping), now(), &mut |_| {})
        .unwrap();
    commit(&mut session, &mut store, false, Some("区网格化平台")).unwrap();

    // The next file from that system is recognised by its remembered mapping.
    let next = xlsx_file(dir.path(), "district-2.xlsx", |s| {
        put_lines(s, 0, std::slice::from_ref(&h));
        put_lines(s, 1, &cells(&sample(5, 10), &fields));
    });
    let (_, p) = preview(&store, &next).unwrap();
    assert_eq!(p.source.as_deref(), Some("区网格化平台"));
    assert!(p.missing.is_empty());
    assert_eq!(p.counts.new, 5);
}

#[test]
fn a_cancel_at_any_batch_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = street(dir.path());
    import(
        &mut store,
        &standard_xlsx(dir.path(), "base.xlsx", &sample(50, 11)),
        false,
    )
    .unwrap();
    let before = state(&store);
    let path = csv_file(
        dir.path(),
        "big.csv",
        &{
            let (h, lines) = standard(&sample(12_000, 12));
            [vec![h], lines].concat()
        },
        Encoding::Utf8Bom,
    );
    let mut session = ImportSession::open(&path).unwrap();
    session.preview(&store, None, now(), &mut |_| {}).unwrap();
    let cancel = AtomicBool::new(false);
    let mut seen = Vec::new();
    let err = session
        .commit(
            &mut store,
            &ImportOptions {
                skip_rejected: false,
                remember_as: None,
            },
            now(),
            &mut |p| {
                seen.push(p);
                // Cancelled as the second batch is due: the first is written by then, and
                // the whole transaction is rolled back.
                if p.phase == ImportPhase::Writing && p.done >= 10_000 {
                    cancel.store(true, Ordering::Relaxed);
                }
            },
            &cancel,
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::ImportCancelled);
    assert!(seen
        .iter()
        .any(|p| p.phase == ImportPhase::Writing && p.done == 10_000 && p.total == 12_000));
    assert_eq!(state(&store), before);
    drop(store);
    // And on disk, after reopening.
    let store = streetdesk_store::Store::open(&dir.path().join("street.sqlite3")).unwrap();
    store.integrity_check().unwrap();
    assert_eq!(state(&store), before);
}

#[test]
fn an_exported_backlog_reads_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = street(dir.path());
    import(
        &mut store,
        &standard_xlsx(dir.path(), "in.xlsx", &sample(150, 13)),
        false,
    )
    .unwrap();
    let before = state(&store);
    let out = dir.path().join("导出.xlsx");
    // Every ticket, in every state the sample has: 待签收 to 已回访, 申请退回 and 已退回.
    let q = BacklogQuery::default();
    let mut pages = 0;
    let n = streetdesk_intake::export::export_backlog(
        &store,
        &q,
        &out,
        "和乐街道工单导出",
        &mut |_, _| pages += 1,
        &AtomicBool::new(false),
    )
    .unwrap();
    let expected = store.backlog_count(&q).unwrap();
    assert!(n > 20 && n == expected, "{n} of {expected}");
    assert!(pages >= 1);
    let (_, p) = preview(&store, &out).unwrap();
    assert_eq!(p.header_row, 2);
    assert_eq!(p.columns.len(), 23);
    assert_eq!(
        (p.counts.rows, p.counts.unchanged, p.counts.rejected),
        (n, n, 0),
        "{:?}",
        p.issues
    );
    let states: std::collections::HashSet<_> = p.rows.iter().filter_map(|r| r.status).collect();
    for s in [
        TicketStatus::Received,
        TicketStatus::InProgress,
        TicketStatus::CallbackRecorded,
        TicketStatus::Objecting,
        TicketStatus::Redispatched,
    ] {
        assert!(states.contains(&s), "{s:?} is not in the round trip");
    }
    assert_eq!(state(&store), before);
    // The caller stays masked in the file.
    let rows = streetdesk_intake::read_rows(&out).unwrap();
    let phone = rows[2].cell(column(F::CallerPhone));
    assert!(phone.contains("****"), "{phone}");
}

#[test]
fn a_hundred_thousand_rows_import_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = street(dir.path());
    let (h, lines) = standard(&sample(100_000, 21));
    let path = csv_file(
        dir.path(),
        "year.csv",
        &[vec![h], lines].concat(),
        Encoding::Gbk,
    );
    let mut session = ImportSession::open(&path).unwrap();
    let p = session.preview(&store, None, now(), &mut |_| {}).unwrap();
    assert_eq!(
        (p.counts.rows, p.counts.new, p.counts.rejected),
        (100_000, 100_000, 0)
    );
    assert_eq!(p.rows.len(), streetdesk_core::dto::PREVIEW_ROWS);
    let mut reports = 0;
    let out = session
        .commit(
            &mut store,
            &ImportOptions {
                skip_rejected: false,
                remember_as: None,
            },
            now(),
            &mut |_| reports += 1,
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(
        (out.counts.rows, out.counts.new, out.counts.rejected),
        (100_000, 100_000, 0)
    );
    // A report per batch of 10,000 and one at the end.
    assert_eq!(reports, 11);
    assert_eq!(
        store
            .backlog_count(&BacklogQuery {
                limit: 1,
                ..Default::default()
            })
            .unwrap(),
        100_000
    );
    store.integrity_check().unwrap();
}
