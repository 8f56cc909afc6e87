//! The department directory from a spreadsheet: one department per row, checked whole.

use crate::header::{find_header, ColumnSpec};
use crate::table::{read_rows, Row};
use std::collections::HashSet;
use std::path::Path;
use streetdesk_core::department::{kind_from_word, validate_department, DepartmentField};
use streetdesk_core::dto::{Department, DepartmentKind};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};

/// The columns of a directory file; the first name of each is what the template writes.
pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec {
        key: "id",
        names: &["编号", "部门编号", "单位编号", "id"],
        required: false,
    },
    ColumnSpec {
        key: "name",
        names: &["名称", "部门名称", "单位名称", "部门", "单位", "name"],
        required: true,
    },
    ColumnSpec {
        key: "kind",
        names: &["类型", "部门类型", "单位类型", "类别", "kind", "type"],
        required: true,
    },
    ColumnSpec {
        key: "phone",
        names: &["值班电话", "电话", "联系电话", "办公电话", "phone"],
        required: true,
    },
    ColumnSpec {
        key: "liaison",
        names: &["联络员", "联系人", "liaison"],
        required: false,
    },
    ColumnSpec {
        key: "liaison_phone",
        names: &[
            "联络员电话",
            "联系人电话",
            "联络员手机",
            "联系人手机",
            "liaison phone",
        ],
        required: false,
    },
    ColumnSpec {
        key: "note",
        names: &["备注", "说明", "note"],
        required: false,
    },
];

fn key_of(field: DepartmentField) -> &'static str {
    match field {
        DepartmentField::Id => "id",
        DepartmentField::Name => "name",
        DepartmentField::Kind => "kind",
        DepartmentField::Phone => "phone",
        DepartmentField::Liaison => "liaison",
        DepartmentField::LiaisonPhone => "liaison_phone",
        DepartmentField::Note => "note",
    }
}

/// Reads and checks a directory file; any bad row refuses the whole file.
pub fn read_departments(path: &Path) -> ApiResult<Vec<Department>> {
    departments_from_rows(&read_rows(path)?)
}

/// Reads and checks a directory file the UI sent whole.
pub fn departments_from_bytes(name: &str, bytes: Vec<u8>) -> ApiResult<Vec<Department>> {
    departments_from_rows(&crate::table::rows_from_bytes(name, bytes)?)
}

/// Checks rows of a directory file; any bad row refuses them all.
pub fn departments_from_rows(rows: &[Row]) -> ApiResult<Vec<Department>> {
    let header = find_header(rows, COLUMNS)?;
    let label = |key: &str| header.label(key, key);
    let mut out = Vec::new();
    let (mut names, mut ids) = (HashSet::new(), HashSet::new());
    for row in rows[header.index + 1..].iter().filter(|r| !r.is_blank()) {
        let kind_text = header.get(row, "kind");
        let kind: DepartmentKind = kind_from_word(kind_text).ok_or_else(|| {
            ApiError::new(
                ErrorCode::DepartmentKindInvalid,
                format!("“{kind_text}” is not a department kind"),
            )
            .at(row.number, label("kind"))
        })?;
        let raw = Department {
            id: header.get(row, "id").to_owned(),
            name: header.get(row, "name").to_owned(),
            kind,
            phone: header.get(row, "phone").to_owned(),
            liaison: header.get(row, "liaison").to_owned(),
            liaison_phone: header.get(row, "liaison_phone").to_owned(),
            note: header.get(row, "note").to_owned(),
        };
        let d = validate_department(&raw)
            .map_err(|(field, e)| e.at(row.number, label(key_of(field))))?;
        let duplicate =
            !names.insert(d.name.clone()) || (!d.id.is_empty() && !ids.insert(d.id.clone()));
        if duplicate {
            return Err(ApiError::new(
                ErrorCode::DepartmentDuplicate,
                format!("{} appears twice in the file", d.name),
            )
            .at(row.number, label("name")));
        }
        out.push(d);
    }
    if out.is_empty() {
        return Err(ApiError::new(
            ErrorCode::ImportEmpty,
            "the file has no departments",
        ));
    }
    Ok(out)
}
