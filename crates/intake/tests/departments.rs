//! Directory files as streets have them: title rows, merged cells, numbers stored as numbers,
//! GBK CSV; and the ways they go wrong, each refused whole with the row and column named.

use rust_xlsxwriter::{Format, Workbook};
use std::path::{Path, PathBuf};
use streetdesk_core::dto::DepartmentKind;
use streetdesk_core::error::{ApiError, ErrorCode};
use streetdesk_intake::departments::{departments_from_bytes, read_departments};

const HEADER: [&str; 6] = [
    "编号",
    "部门名称",
    "类型",
    "值班电话",
    "联络员",
    "联络员电话",
];

fn xlsx(dir: &Path, name: &str, rows: &[Vec<&str>], phone_as_number: bool) -> PathBuf {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    // A title merged across the table and a note row, as exported forms have.
    sheet
        .merge_range(0, 0, 0, 5, "和乐街道吹哨报到部门通讯录", &Format::new())
        .unwrap();
    sheet.write_string(1, 0, "更新于 2026 年 11 月").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(3, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (4 + r as u32, c as u16);
            match v.parse::<f64>() {
                Ok(n) if phone_as_number && c == 3 => sheet.write_number(r, c, n).unwrap(),
                _ => sheet.write_string(r, c, *v).unwrap(),
            };
        }
    }
    let path = dir.join(name);
    book.save(&path).unwrap();
    path
}

fn good_rows() -> Vec<Vec<&'static str>> {
    vec![
        vec![
            "d01",
            "区城管执法局和乐街道执法队",
            "职能部门",
            "010-64010001",
            "马骏",
            "13800001111",
        ],
        vec![
            "",
            "区排水集团第三分公司",
            "公共服务企业",
            "96116",
            "冯岩",
            "",
        ],
        vec![
            "",
            "和乐派出所",
            "派出机构",
            "13911112222",
            "高峰",
            "１３９１１１１２２２２",
        ],
    ]
}

fn error(path: &Path) -> ApiError {
    read_departments(path).unwrap_err()
}

#[test]
fn an_xlsx_with_a_title_and_numeric_phones_reads_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = xlsx(dir.path(), "dirs.xlsx", &good_rows(), true);
    let ds = read_departments(&path).unwrap();
    assert_eq!(ds.len(), 3);
    assert_eq!(ds[0].id, "d01");
    assert_eq!(ds[1].kind, DepartmentKind::PublicService);
    assert_eq!(ds[1].phone, "96116");
    // A number cell keeps its digits; full-width digits are folded.
    assert_eq!(ds[2].phone, "13911112222");
    assert_eq!(ds[2].liaison_phone, "13911112222");
    // The same file sent whole by the UI reads the same.
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(departments_from_bytes("通讯录.xlsx", bytes).unwrap(), ds);
}

#[test]
fn csv_in_gbk_and_in_utf8_with_a_bom_both_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = "部门名称*,类型,电话,联系人\n区燃气集团,公共服务企业,96777,周平\n和乐中学,驻区单位,010-64010016,潘越\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let gbk_path = dir.path().join("gbk.csv");
    std::fs::write(&gbk_path, &gbk).unwrap();
    let bom_path = dir.path().join("bom.csv");
    std::fs::write(
        &bom_path,
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    )
    .unwrap();
    for path in [gbk_path, bom_path] {
        let ds = read_departments(&path).unwrap();
        assert_eq!(ds.len(), 2, "{path:?}");
        assert_eq!(ds[0].name, "区燃气集团");
        assert_eq!(ds[1].kind, DepartmentKind::Resident);
    }
}

#[test]
fn bad_files_are_refused_naming_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let at = |e: &ApiError| e.at.clone().map(|a| (a.row, a.column));

    let mut rows = good_rows();
    rows[1][2] = "外包公司";
    let e = error(&xlsx(dir.path(), "kind.xlsx", &rows, false));
    assert_eq!(e.code, ErrorCode::DepartmentKindInvalid);
    assert_eq!(
        at(&e),
        Some((6, "类型".into())),
        "the second data row is row 6"
    );

    let mut rows = good_rows();
    rows[2][3] = "找高所长";
    let e = error(&xlsx(dir.path(), "phone.xlsx", &rows, false));
    assert_eq!(e.code, ErrorCode::DepartmentPhoneInvalid);
    assert_eq!(at(&e), Some((7, "值班电话".into())));

    let mut rows = good_rows();
    rows[2][1] = "区排水集团第三分公司";
    let e = error(&xlsx(dir.path(), "dup.xlsx", &rows, false));
    assert_eq!(e.code, ErrorCode::DepartmentDuplicate);
    assert_eq!(at(&e), Some((7, "部门名称".into())));

    let mut rows = good_rows();
    rows[0][1] = "";
    let e = error(&xlsx(dir.path(), "noname.xlsx", &rows, false));
    assert_eq!(e.code, ErrorCode::DepartmentNameRequired);
    assert_eq!(at(&e), Some((5, "部门名称".into())));

    // A note with a line break is one spreadsheet row: the bad kind below is on row 4.
    let multiline = dir.path().join("multiline.csv");
    std::fs::write(
        &multiline,
        "名称,类型,电话,备注\n区燃气集团,公共服务企业,96777,\"东门进\n二层\"\n区热力公司,公共服务企业,96069,\n和乐中学,学校,010-64010016,\n",
    )
    .unwrap();
    let e = error(&multiline);
    assert_eq!(e.code, ErrorCode::DepartmentKindInvalid);
    assert_eq!(at(&e), Some((4, "类型".into())));

    let no_phone = dir.path().join("nophone.csv");
    std::fs::write(&no_phone, "名称,类型\n和乐派出所,派出机构\n").unwrap();
    let e = error(&no_phone);
    assert_eq!(e.code, ErrorCode::ImportColumnMissing);
    assert!(e.message.contains("值班电话"), "{}", e.message);

    let empty = xlsx(dir.path(), "empty.xlsx", &[], false);
    assert_eq!(error(&empty).code, ErrorCode::ImportEmpty);

    let garbage = dir.path().join("garbage.xlsx");
    std::fs::write(&garbage, b"this is not a zip file").unwrap();
    assert_eq!(error(&garbage).code, ErrorCode::ImportUnreadable);
    let binary = dir.path().join("binary.csv");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x81, 0x30]).unwrap();
    assert_eq!(error(&binary).code, ErrorCode::ImportUnreadable);
    let other = dir.path().join("dirs.pdf");
    std::fs::write(&other, b"%PDF").unwrap();
    assert_eq!(error(&other).code, ErrorCode::ImportUnreadable);
}
