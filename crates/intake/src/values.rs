//! Reading the values of an export as people and platforms write them: dates as Excel serial
//! numbers or as text in several formats, full-width digits and spaces, categories joined by
//! "->" or "/", and the usual words for kind, status, urgency, yes/no and the callback.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use streetdesk_core::deadline::Limit;
use streetdesk_core::policy::Urgency;
use streetdesk_core::ticket::{Resolution, Satisfaction, TicketKind, TicketStatus};
use streetdesk_core::time::beijing;

/// Text with full-width letters, digits and spaces folded to ASCII, runs of spaces made one,
/// and the ends trimmed. Chinese punctuation stays: it is part of what the caller said.
pub fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        let c = match c {
            '\u{3000}' | '\u{00A0}' => ' ',
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        };
        if c == ' ' {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// A word reduced for comparison: full-width folded, no spaces, lower case.
fn word(s: &str) -> String {
    streetdesk_core::validate::normalize_ascii(s).to_lowercase()
}

/// Excel counts days from 1899-12-30 (its 1900 leap-year bug included); serials in this range
/// are the years 1954 to 2119, so a ticket number or phone is never taken for a date.
const SERIAL_RANGE: std::ops::Range<f64> = 20_000.0..80_000.0;

/// Reads a time as exports write it, in Beijing time: an Excel serial number (`46329.4`),
/// `2026-11-03 09:30[:00]`, `2026/11/3 9:30`, `2026.11.03`, `2026年11月3日 9时30分`,
/// `20261103093000`, RFC 3339. A date alone is its midnight.
pub fn parse_when(raw: &str) -> Option<DateTime<FixedOffset>> {
    // Dates are all ASCII once full-width forms are folded (clean_text keeps punctuation).
    let s: String = clean_text(raw)
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect();
    if s.is_empty() {
        return None;
    }
    if let Ok(serial) = s.parse::<f64>() {
        if SERIAL_RANGE.contains(&serial) {
            return from_serial(serial);
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(&s) {
        return Some(t.with_timezone(&beijing()));
    }
    let mut text = String::with_capacity(s.len());
    // A dot separates the date's parts (2026.11.03) but the seconds' fraction in the time.
    let mut in_time = false;
    for c in s.chars() {
        match c {
            '年' | '月' | '/' => text.push('-'),
            '.' if !in_time => text.push('-'),
            '日' | '号' | 'T' | ' ' => {
                in_time = true;
                text.push(' ')
            }
            '时' | '点' | '分' => text.push(':'),
            '秒' => {}
            c => text.push(c),
        }
    }
    let text = clean_text(text.trim_end_matches(':'));
    // Compact forms only at their exact length: chrono's widths are flexible, and a ticket
    // number must not read as a date.
    if text.bytes().all(|b| b.is_ascii_digit()) {
        let naive = match text.len() {
            14 => NaiveDateTime::parse_from_str(&text, "%Y%m%d%H%M%S").ok(),
            8 => NaiveDate::parse_from_str(&text, "%Y%m%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0)),
            _ => None,
        }?;
        return beijing().from_local_datetime(&naive).single();
    }
    const WITH_TIME: [&str; 3] = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ];
    let naive = WITH_TIME
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&text, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    beijing().from_local_datetime(&naive).single()
}

/// An Excel serial date (days since 1899-12-30, the fraction the time of day), Beijing time,
/// to the nearest second.
pub fn from_serial(serial: f64) -> Option<DateTime<FixedOffset>> {
    if !serial.is_finite() || !SERIAL_RANGE.contains(&serial) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let seconds = (serial * 86_400.0).round() as i64;
    beijing()
        .from_local_datetime(&(epoch + Duration::seconds(seconds)))
        .single()
}

/// A time limit as exports write it: `7个工作日`, `7工作日`, `15天`, `15日`, `24小时`, `2h`,
/// `7wd`.
pub fn parse_limit(raw: &str) -> Option<Limit> {
    let s = word(raw);
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = s.split_at(split);
    let n: u32 = digits.parse().ok()?;
    let unit = unit.trim_start_matches('个');
    let limit = match unit {
        "工作日" | "wd" => Limit::WorkingDays(n),
        "天" | "日" | "自然日" | "d" => Limit::CalendarDays(n),
        "小时" | "h" => Limit::Hours(n),
        _ => return None,
    };
    limit.to_string().parse().ok()
}

/// A category path with its levels joined by `/`, whatever joined them in the file.
pub fn category_path(raw: &str) -> String {
    let s = clean_text(raw);
    let mut levels = Vec::new();
    let mut level = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let joiner = match c {
            '/' | '／' | '\\' | '→' | '＞' | '>' | '|' => true,
            '-' | '－' | '—' if matches!(chars.peek(), Some('>' | '＞' | '-' | '－')) => {
                while matches!(chars.peek(), Some('>' | '＞' | '-' | '－')) {
                    chars.next();
                }
                true
            }
            _ => false,
        };
        if joiner {
            levels.push(std::mem::take(&mut level));
        } else {
            level.push(c);
        }
    }
    levels.push(level);
    levels
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

/// Tags separated by commas, semicolons, 、 or vertical bars.
pub fn split_tags(raw: &str) -> Vec<String> {
    let mut tags: Vec<String> = clean_text(raw)
        .split([',', '，', ';', '；', '、', '|'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

/// 工单类型.
pub fn kind_word(raw: &str) -> Option<TicketKind> {
    let w = word(raw);
    let w = w.trim_end_matches("类");
    Some(match w {
        "咨询" => TicketKind::Consultation,
        "求助" | "求决" => TicketKind::Help,
        "投诉" | "反映" => TicketKind::Complaint,
        "举报" => TicketKind::Report,
        "建议" | "意见" | "意见建议" => TicketKind::Suggestion,
        "表扬" | "感谢" | "表扬感谢" | "表扬/感谢" => TicketKind::Praise,
        other => return TicketKind::parse(other),
    })
}

/// 工单状态, in the words platforms use.
pub fn status_word(raw: &str) -> Option<TicketStatus> {
    use TicketStatus as S;
    Some(match word(raw).as_str() {
        "待签收" | "未签收" | "待接单" | "新工单" | "已派单" | "待处理" | "待受理" => {
            S::Received
        }
        "已签收" | "已接单" | "已受理" | "签收" => S::Signed,
        "办理中" | "处理中" | "正在办理" | "承办中" | "在办" | "已联系" => {
            S::InProgress
        }
        "申请退回" | "退回申请中" | "异议中" | "派单异议" | "退回审核中" => {
            S::Objecting
        }
        "已退回" | "退回" | "已改派" | "改派" => S::Redispatched,
        "已反馈" | "已回复" | "已答复" | "已办结" | "办结" | "已处理" | "处理完毕" => {
            S::Replied
        }
        "待回访" | "回访中" => S::AwaitingCallback,
        "已回访" | "回访完成" | "已评价" => S::CallbackRecorded,
        "已归档" | "归档" | "已结案" | "结案" | "已关闭" | "关闭" => S::Archived,
        other => return TicketStatus::parse(other),
    })
}

/// 紧急程度; an empty cell is general.
pub fn urgency_word(raw: &str) -> Option<Urgency> {
    Some(match word(raw).as_str() {
        "" | "一般" | "普通" | "常规" | "非紧急" | "general" => Urgency::General,
        "紧急" | "特急" | "加急" | "特别紧急" | "急" | "emergency" => Urgency::Emergency,
        "水电气热" | "utility" => Urgency::Utility,
        "复杂" | "疑难" | "疑难复杂" | "complex" => Urgency::Complex,
        _ => return None,
    })
}

/// 是否联系 and other yes/no columns.
pub fn yes_no(raw: &str) -> Option<bool> {
    Some(match word(raw).as_str() {
        "是" | "已联系" | "联系" | "已响应" | "响应" | "有" | "y" | "yes" | "1" | "√" | "✓"
        | "true" => true,
        "否" | "未联系" | "没联系" | "未响应" | "无" | "n" | "no" | "0" | "×" | "✗" | "false" => {
            false
        }
        _ => return None,
    })
}

/// 是否解决.
pub fn resolution_word(raw: &str) -> Option<Resolution> {
    Some(match word(raw).as_str() {
        "解决" | "已解决" | "是" | "resolved" => Resolution::Resolved,
        "部分解决" | "基本解决" | "部分" | "partly" => Resolution::Partly,
        "未解决" | "没解决" | "否" | "unresolved" => Resolution::Unresolved,
        _ => return None,
    })
}

/// 是否满意.
pub fn satisfaction_word(raw: &str) -> Option<Satisfaction> {
    Some(match word(raw).as_str() {
        "满意" | "非常满意" | "很满意" | "satisfied" => Satisfaction::Satisfied,
        "基本满意" | "比较满意" | "basically" => Satisfaction::Basically,
        "不满意" | "非常不满意" | "unsatisfied" => Satisfaction::Unsatisfied,
        "未评价" | "无法评价" | "未回访" | "拒评" | "拒绝评价" | "不评价" | "not_rated" => {
            Satisfaction::NotRated
        }
        _ => return None,
    })
}

/// A grid number: `3`, `第3网格`, `c01-03`, `3号网格` (the last digits).
pub fn grid_number(raw: &str) -> Option<u32> {
    let s = word(raw);
    let digits: String = s
        .chars()
        .rev()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

/// A decimal number, full-width digits allowed.
pub fn number(raw: &str) -> Option<f64> {
    word(raw).parse::<f64>().ok().filter(|f| f.is_finite())
}

#[cfg(test)]
mod tests;
