//! Where an export's header is and which column holds which field: by a mapping the officer
//! gave, by one remembered for the file's source, or by the usual header names.

use crate::header::plain;
use crate::table::Row;
use std::collections::HashMap;
use streetdesk_core::dto::{ColumnMap, ImportField, ImportSource};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};

/// How far down a header may sit below title rows and notes.
const HEADER_SEARCH_ROWS: usize = 20;

/// Header texts that mean each field (compared without spaces, marks or case). The first is
/// what StreetDesk's own export writes.
pub fn aliases(field: ImportField) -> &'static [&'static str] {
    use ImportField as F;
    match field {
        F::HotlineNo => &[
            "工单编号",
            "工单号",
            "编号",
            "热线工单编号",
            "12345工单编号",
            "工单编码",
            "流水号",
            "hotline no",
        ],
        F::ReceivedAt => &[
            "受理时间",
            "派单时间",
            "来电时间",
            "登记时间",
            "创建时间",
            "下派时间",
            "接收时间",
            "received at",
        ],
        F::Kind => &[
            "工单类型",
            "诉求类型",
            "来电类型",
            "诉求类别",
            "类型",
            "kind",
        ],
        F::Category => &[
            "问题分类",
            "诉求分类",
            "事项分类",
            "问题类别",
            "三级分类",
            "分类",
            "category",
        ],
        F::Content => &[
            "诉求内容",
            "来电内容",
            "问题描述",
            "反映内容",
            "工单内容",
            "内容",
            "content",
        ],
        F::Community => &[
            "村/社区",
            "村社区",
            "社区/村",
            "社区",
            "所属社区",
            "社区村",
            "被反映社区",
            "村居",
            "community",
        ],
        F::Address => &[
            "小区点位",
            "地址",
            "详细地址",
            "事发地址",
            "诉求地址",
            "问题地址",
            "点位",
            "address",
        ],
        F::CallerName => &[
            "诉求人",
            "来电人",
            "诉求人姓名",
            "来电人姓名",
            "姓名",
            "联系人",
            "caller",
        ],
        F::CallerPhone => &[
            "联系电话",
            "来电号码",
            "诉求人电话",
            "联系方式",
            "电话",
            "手机",
            "phone",
        ],
        F::Urgency => &["紧急程度", "缓急程度", "紧急度", "urgency"],
        F::Deadline => &[
            "办理时限",
            "办结时限",
            "时限",
            "截止时间",
            "办理期限",
            "deadline",
        ],
        F::Tags => &["标签", "工单标签", "每月一题", "tags"],
        F::Grid => &["网格", "所属网格", "网格编号", "grid"],
        F::Longitude => &["经度", "lng", "longitude"],
        F::Latitude => &["纬度", "lat", "latitude"],
        F::Status => &["工单状态", "状态", "办理状态", "处理状态", "status"],
        F::SignedAt => &["签收时间", "接单时间", "signed at"],
        F::Reply => &[
            "办理结果",
            "回复内容",
            "答复内容",
            "处理结果",
            "反馈内容",
            "reply",
        ],
        F::RepliedAt => &[
            "办结时间",
            "反馈时间",
            "回复时间",
            "答复时间",
            "处理完成时间",
            "replied at",
        ],
        F::Contacted => &[
            "是否联系",
            "是否响应",
            "联系情况",
            "是否联系诉求人",
            "contacted",
        ],
        F::Resolved => &["是否解决", "解决情况", "解决程度", "resolved"],
        F::Satisfied => &["是否满意", "满意度", "满意情况", "评价结果", "satisfied"],
        F::CallbackAt => &["回访时间", "评价时间", "callback at"],
    }
}

/// The header found and the columns assigned.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Index, in the rows, of the header's last row; data follows it.
    pub last_header: usize,
    /// The header's last row as the spreadsheet numbers it.
    pub header_row: u32,
    /// Every header text, in column order, made unique.
    pub headers: Vec<String>,
    /// Field → column index.
    pub index: HashMap<ImportField, usize>,
    /// The remembered source whose mapping this is, if one.
    pub source: Option<String>,
}

impl Layout {
    /// The mapping as the UI shows it, in field order.
    pub fn columns(&self) -> Vec<ColumnMap> {
        ImportField::ALL
            .iter()
            .filter_map(|f| {
                self.index.get(f).map(|&i| ColumnMap {
                    field: *f,
                    header: self.headers[i].clone(),
                })
            })
            .collect()
    }

    /// Required fields no column is assigned to.
    pub fn missing(&self) -> Vec<ImportField> {
        ImportField::ALL
            .into_iter()
            .filter(|f| f.required() && !self.index.contains_key(f))
            .collect()
    }

    /// The header text of `field`'s column, or its usual name.
    pub fn label(&self, field: ImportField) -> String {
        self.index.get(&field).map_or_else(
            || aliases(field)[0].to_owned(),
            |&i| self.headers[i].clone(),
        )
    }
}

/// A candidate header: one row, or a row and the one under it (a merged group header over
/// its sub-columns).
struct Candidate {
    last: usize,
    headers: Vec<String>,
}

/// Row `i` alone, and joined with the row under it.
fn candidates_at(rows: &[Row], i: usize) -> (Candidate, Option<Candidate>) {
    let single = Candidate {
        last: i,
        headers: unique(rows[i].cells.clone()),
    };
    let joined = rows.get(i + 1).filter(|r| !r.is_blank()).map(|below| {
        let width = rows[i].cells.len().max(below.cells.len());
        let headers = (0..width)
            .map(|c| {
                let lower = below.cell(c);
                if lower.is_empty() {
                    rows[i].cell(c)
                } else {
                    lower
                }
                .to_owned()
            })
            .collect();
        Candidate {
            last: i + 1,
            headers: unique(headers),
        }
    });
    (single, joined)
}

/// Whether the row under row `i` is the second row of its header rather than data: under the
/// ticket number's column it repeats the header (a header cell merged down two rows) or has
/// nothing (a group's sub-header row), where a ticket would have its number.
fn continues_header(rows: &[Row], i: usize, number_at: Option<usize>) -> bool {
    let (Some(c), Some(below)) = (number_at, rows.get(i + 1)) else {
        return false;
    };
    below.cell(c).is_empty() || below.cell(c) == rows[i].cell(c)
}

/// The rows a header may start on.
fn header_rows(rows: &[Row]) -> impl Iterator<Item = usize> + '_ {
    (0..rows.len().min(HEADER_SEARCH_ROWS)).filter(|&i| !rows[i].is_blank())
}

/// Header texts made unique: a second `时间` becomes `时间（2）`.
fn unique(mut headers: Vec<String>) -> Vec<String> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    for h in &mut headers {
        if h.is_empty() {
            continue;
        }
        let n = seen.entry(h.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            *h = format!("{h}（{n}）");
        }
    }
    headers
}

fn by_header(headers: &[String], columns: &[ColumnMap]) -> Option<HashMap<ImportField, usize>> {
    columns
        .iter()
        .map(|m| Some((m.field, headers.iter().position(|h| *h == m.header)?)))
        .collect()
}

fn by_alias(headers: &[String]) -> HashMap<ImportField, usize> {
    let plains: Vec<String> = headers.iter().map(|h| plain(h)).collect();
    let mut index = HashMap::new();
    let mut taken = vec![false; headers.len()];
    // Field by field, best alias first, so `编号` cannot take the column `工单编号` would.
    for field in ImportField::ALL {
        for alias in aliases(field) {
            let a = plain(alias);
            if let Some(c) = (0..headers.len()).find(|&c| !taken[c] && plains[c] == a) {
                index.insert(field, c);
                taken[c] = true;
                break;
            }
        }
    }
    index
}

fn layout(
    c: &Candidate,
    rows: &[Row],
    index: HashMap<ImportField, usize>,
    source: Option<String>,
) -> Layout {
    Layout {
        last_header: c.last,
        header_row: rows[c.last].number,
        headers: c.headers.clone(),
        index,
        source,
    }
}

/// Finds the header with the mapping the officer chose: the first candidate that has every
/// header it names. A field named twice, or a header no candidate has, is refused.
pub fn with_mapping(rows: &[Row], columns: &[ColumnMap]) -> ApiResult<Layout> {
    for (i, m) in columns.iter().enumerate() {
        if columns[..i].iter().any(|o| o.field == m.field) {
            return Err(ApiError::new(
                ErrorCode::ImportMappingInvalid,
                "a field is assigned to two columns",
            ));
        }
    }
    header_rows(rows)
        .find_map(|i| fit_at(rows, i, columns))
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::ImportMappingInvalid,
                "the file has no header row with the mapped columns",
            )
        })
}

/// The header starting on row `i` that has every header `columns` names, if any: the row
/// alone, or with the row under it when that continues the header.
fn fit_at(rows: &[Row], i: usize, columns: &[ColumnMap]) -> Option<Layout> {
    let (single, joined) = candidates_at(rows, i);
    let fits = |c: &Candidate| by_header(&c.headers, columns);
    let number_at = columns
        .iter()
        .find(|m| m.field == ImportField::HotlineNo)
        .and_then(|m| single.headers.iter().position(|h| *h == m.header));
    match (fits(&single), joined) {
        (Some(index), Some(j)) if continues_header(rows, i, number_at) => Some(match fits(&j) {
            Some(joined_index) => layout(&j, rows, joined_index, None),
            None => layout(&single, rows, index, None),
        }),
        (Some(index), _) => Some(layout(&single, rows, index, None)),
        (None, Some(j)) => fits(&j).map(|index| layout(&j, rows, index, None)),
        (None, None) => None,
    }
}

/// Finds the header on its own: the first candidate a remembered source's mapping fits whole,
/// else the first row with every required field under its usual name (joined with the row
/// under it when that names more, or continues the header: a two-row header), else the row with most fields
/// recognised (the officer completes the mapping). `None` if nothing is recognised.
pub fn detect(rows: &[Row], sources: &[ImportSource]) -> Option<Layout> {
    for i in header_rows(rows) {
        for s in sources {
            if let Some(found) = fit_at(rows, i, &s.columns) {
                return Some(Layout {
                    source: Some(s.name.clone()),
                    ..found
                });
            }
        }
    }
    let complete = |index: &HashMap<ImportField, usize>| {
        ImportField::ALL
            .iter()
            .all(|f| !f.required() || index.contains_key(f))
    };
    let mut best: Option<(Candidate, HashMap<ImportField, usize>)> = None;
    for i in header_rows(rows) {
        let (single, joined) = candidates_at(rows, i);
        let single_index = by_alias(&single.headers);
        // A title row over the header is not the top half of a two-row header: the top
        // half names fields of its own.
        if single_index.len() >= 2 {
            if let Some(joined) = joined {
                let joined_index = by_alias(&joined.headers);
                let number_at = single_index.get(&ImportField::HotlineNo).copied();
                let more = joined_index.len() > single_index.len();
                if complete(&joined_index) && (more || continues_header(rows, i, number_at)) {
                    return Some(layout(&joined, rows, joined_index, None));
                }
            }
        }
        if complete(&single_index) {
            return Some(layout(&single, rows, single_index, None));
        }
        if best
            .as_ref()
            .is_none_or(|(_, b)| single_index.len() > b.len())
        {
            best = Some((single, single_index));
        }
    }
    best.filter(|(_, index)| !index.is_empty())
        .map(|(c, index)| layout(&c, rows, index, None))
}
