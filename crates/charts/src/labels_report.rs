//! The words of the monthly report (its sheets and columns), in zh-CN and en.

use streetdesk_core::dto::Lang;

/// A heading or name in the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Word {
    /// Sheet: summary.
    Summary,
    /// Sheet: communities.
    Communities,
    /// Sheet: categories.
    Categories,
    /// Sheet: lead units.
    Departments,
    /// Sheet: response times.
    ResponseTimes,
    /// Sheet: category × community.
    Heat,
    /// Sheet: sources and kinds.
    SourcesKinds,
    /// Column: rank.
    Rank,
    /// Column: community.
    Community,
    /// Column: category.
    Category,
    /// Column: lead unit.
    Department,
    /// Column: source.
    Source,
    /// Column: kind.
    Kind,
    /// Column: tickets.
    Tickets,
    /// Column: callbacks recorded.
    Rated,
    /// Column: on-time rate.
    OnTime,
    /// Column: median hours to sign for.
    SignMedian,
    /// Column: p90 hours to sign for.
    SignP90,
    /// Column: median hours to first contact.
    ContactMedian,
    /// Column: median hours to reply.
    ReplyMedian,
    /// Column: p90 hours to reply.
    ReplyP90,
    /// Column: median hours to archive.
    CloseMedian,
    /// Column: a response-time bucket.
    Duration,
    /// Row: the whole street.
    WholeStreet,
    /// A ticket without a lead unit.
    Unassigned,
    /// A ticket without a category.
    NoCategory,
    /// Column: measure.
    Measure,
    /// Column: value.
    Value,
    /// Line: the period.
    Period,
}

/// The text of `w` in `lang`.
pub fn word(lang: Lang, w: Word) -> &'static str {
    use Word::*;
    let (zh, en) = match w {
        Summary => ("概要", "Summary"),
        Communities => ("社区排名", "Communities"),
        Categories => ("分类", "Categories"),
        Departments => ("主办单位", "Lead units"),
        ResponseTimes => ("响应时长", "Response times"),
        Heat => ("分类×社区", "Category x community"),
        SourcesKinds => ("来源与类型", "Sources and kinds"),
        Rank => ("排名", "Rank"),
        Community => ("社区", "Community"),
        Category => ("分类", "Category"),
        Department => ("主办单位", "Lead unit"),
        Source => ("来源", "Source"),
        Kind => ("类型", "Kind"),
        Tickets => ("工单量", "Tickets"),
        Rated => ("已回访", "Callbacks"),
        OnTime => ("按时办结率", "On time"),
        SignMedian => ("签收时长中位数(小时)", "To sign for, median (h)"),
        SignP90 => ("签收时长P90(小时)", "To sign for, p90 (h)"),
        ContactMedian => ("首次联系中位数(小时)", "To first contact, median (h)"),
        ReplyMedian => ("反馈时长中位数(小时)", "To reply, median (h)"),
        ReplyP90 => ("反馈时长P90(小时)", "To reply, p90 (h)"),
        CloseMedian => ("办结归档中位数(小时)", "To archive, median (h)"),
        Duration => ("时长", "Duration"),
        WholeStreet => ("全街道", "Whole street"),
        Unassigned => ("未分派", "Unassigned"),
        NoCategory => ("（未分类）", "(no category)"),
        Measure => ("指标", "Measure"),
        Value => ("数值", "Value"),
        Period => ("统计期间", "Period"),
    };
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// A source's or kind's name from its wire name.
pub fn source_or_kind(lang: Lang, wire: &str) -> String {
    let (zh, en) = match wire {
        "hotline" => ("12345派单", "12345 dispatch"),
        "grid_patrol" => ("网格巡查", "Grid patrol"),
        "proactive" => ("主动治理", "Proactive"),
        "walk_in" => ("来访来电", "Walk-in / call"),
        "consultation" => ("咨询", "Consultation"),
        "help" => ("求助", "Request for help"),
        "complaint" => ("投诉", "Complaint"),
        "report" => ("举报", "Report"),
        "suggestion" => ("建议", "Suggestion"),
        "praise" => ("表扬", "Praise"),
        other => (other, other),
    };
    match lang {
        Lang::ZhCn => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}
