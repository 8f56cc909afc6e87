//! The department directory's rules: what a valid entry is, and the words people use for a
//! department's kind in spreadsheets.

use crate::dto::{Department, DepartmentKind};
use crate::error::{ApiError, ErrorCode};
use crate::validate::{normalize_ascii, normalize_phone};

/// Longest name or liaison accepted, in characters.
const MAX_NAME_CHARS: usize = 60;
/// Longest note accepted, in characters.
const MAX_NOTE_CHARS: usize = 400;

/// A phone as the directory keeps it: a mainland mobile or landline, or a five-digit service
/// number (95598 for power, 96116 for water, 12345).
fn directory_phone(raw: &str) -> Option<String> {
    let s = normalize_ascii(raw);
    let service =
        s.len() == 5 && s.starts_with(['1', '9']) && s.bytes().all(|b| b.is_ascii_digit());
    if service {
        Some(s)
    } else {
        normalize_phone(&s)
    }
}

/// Which field of a department is wrong, for importers that report the column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepartmentField {
    /// Id.
    Id,
    /// Name.
    Name,
    /// Kind.
    Kind,
    /// Duty phone.
    Phone,
    /// Liaison.
    Liaison,
    /// Liaison's phone.
    LiaisonPhone,
    /// Note.
    Note,
}

/// Checks and normalises one department; the error names the field.
pub fn validate_department(d: &Department) -> Result<Department, (DepartmentField, ApiError)> {
    use DepartmentField as F;
    let err = |f, code, msg: &str| Err((f, ApiError::new(code, msg)));
    let id = d.id.trim();
    let id_ok = id.is_empty()
        || (id.len() <= 40
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    if !id_ok {
        return err(
            F::Id,
            ErrorCode::DepartmentIdInvalid,
            "a department id has up to 40 letters, digits, - and _",
        );
    }
    let name = d.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return err(
            F::Name,
            ErrorCode::DepartmentNameRequired,
            "a department needs a name of up to 60 characters",
        );
    }
    let Some(phone) = directory_phone(&d.phone) else {
        return err(
            F::Phone,
            ErrorCode::DepartmentPhoneInvalid,
            "the duty phone is not a mobile, landline or service number",
        );
    };
    let liaison_phone = if d.liaison_phone.trim().is_empty() {
        String::new()
    } else {
        match directory_phone(&d.liaison_phone) {
            Some(p) => p,
            None => {
                return err(
                    F::LiaisonPhone,
                    ErrorCode::DepartmentPhoneInvalid,
                    "the liaison's phone is not a mobile, landline or service number",
                )
            }
        }
    };
    if d.liaison.trim().chars().count() > MAX_NAME_CHARS {
        return err(
            F::Liaison,
            ErrorCode::FieldTooLong,
            "the liaison's name is too long",
        );
    }
    if d.note.trim().chars().count() > MAX_NOTE_CHARS {
        return err(F::Note, ErrorCode::FieldTooLong, "the note is too long");
    }
    Ok(Department {
        id: id.to_owned(),
        name: name.to_owned(),
        kind: d.kind,
        phone,
        liaison: d.liaison.trim().to_owned(),
        liaison_phone,
        note: d.note.trim().to_owned(),
    })
}

/// A department kind from the words a spreadsheet uses (Chinese or English, or the wire name).
pub fn kind_from_word(word: &str) -> Option<DepartmentKind> {
    let w = normalize_ascii(word).to_lowercase();
    let kind = match w.as_str() {
        "职能部门" | "职能" | "区职能部门" | "functional" | "functionaldepartment" => {
            DepartmentKind::Functional
        }
        "派出机构" | "派驻机构" | "执法队" | "基层站所" | "field_unit" | "fieldunit" => {
            DepartmentKind::FieldUnit
        }
        "公共服务企业" | "公服企业" | "公共服务" | "市政公用企业" | "public_service"
        | "publicservice" => DepartmentKind::PublicService,
        "驻区单位" | "共建单位" | "resident" | "residentunit" => DepartmentKind::Resident,
        _ => return None,
    };
    Some(kind)
}
