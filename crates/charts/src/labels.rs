//! The words of charts and reports, in Simplified Chinese and English: documents the engine
//! writes carry their own message catalogue, since they are made headless too.

use streetdesk_core::dto::Lang;

/// A message of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    /// Title of the trend chart.
    TrendTitle,
    /// 响应率.
    Response,
    /// 解决率.
    Resolution,
    /// 满意率.
    Satisfaction,
    /// 综合得分.
    Composite,
    /// Title of the community chart.
    CommunitiesTitle,
    /// Title of the response-time chart.
    ResponseTitle,
    /// Series: received → signed for.
    ToSign,
    /// Series: received → first contact.
    ToContact,
    /// Unit of a ticket count.
    Tickets,
    /// Title of the heat table.
    HeatTitle,
    /// Everything else.
    Other,
    /// Shown on an empty chart.
    NoData,
    /// Unit: hours.
    Hours,
    /// Unit: days.
    Days,
    /// Title of the save dialog for the report.
    SaveReport,
    /// Title of the save dialog for a chart.
    SaveChart,
    /// The report's file name, before the month.
    ReportFile,
}

/// The text of `m` in `lang`.
pub fn text(lang: Lang, m: Msg) -> &'static str {
    use Msg::*;
    let (zh, en) = match m {
        TrendTitle => ("三率月度走势", "Three rates by month"),
        Response => ("响应率", "Response"),
        Resolution => ("解决率", "Resolution"),
        Satisfaction => ("满意率", "Satisfaction"),
        Composite => ("综合得分", "Composite"),
        CommunitiesTitle => ("社区综合得分排名", "Communities by composite score"),
        ResponseTitle => ("响应时长分布", "Response times"),
        ToSign => ("签收", "To sign for"),
        ToContact => ("首次联系", "To first contact"),
        Tickets => ("件", "tickets"),
        HeatTitle => ("分类 × 社区诉求量", "Tickets by category and community"),
        Other => ("其他", "Other"),
        NoData => ("本期无工单", "No tickets in this period"),
        Hours => ("小时", "h"),
        Days => ("天", "d"),
        SaveReport => ("导出月报", "Export the monthly report"),
        SaveChart => ("导出图表", "Export the chart"),
        ReportFile => ("接诉即办月报", "monthly-report"),
    };
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// A month's short label: 3月 / Mar.
pub fn month(lang: Lang, month: u32) -> String {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match lang {
        Lang::ZhCn => format!("{month}月"),
        Lang::En => EN[(month as usize).clamp(1, 12) - 1].to_owned(),
    }
}

/// The label of a response-time bucket whose upper bound is `to` hours (open when `None`)
/// and lower bound `from`.
pub fn bucket(lang: Lang, from: Option<f64>, to: Option<f64>) -> String {
    let span = |h: f64| {
        if h >= 24.0 && h % 24.0 == 0.0 {
            (h / 24.0, text(lang, Msg::Days))
        } else {
            (h, text(lang, Msg::Hours))
        }
    };
    let sep = if lang == Lang::En { " " } else { "" };
    match (from, to) {
        (None, Some(to)) => {
            let (v, unit) = span(to);
            format!("≤{v}{sep}{unit}")
        }
        (Some(from), None) => {
            let (v, unit) = span(from);
            format!(">{v}{sep}{unit}")
        }
        (Some(from), Some(to)) => {
            let ((a, unit_a), (b, unit)) = (span(from), span(to));
            if unit_a == unit {
                format!("{a}–{b}{sep}{unit}")
            } else {
                // 8–24 hours is "8 h – 1 d": say it in the smaller unit.
                format!("{from}–{to}{sep}{}", text(lang, Msg::Hours))
            }
        }
        (None, None) => String::new(),
    }
}
