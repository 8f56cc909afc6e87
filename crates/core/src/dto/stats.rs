//! What the statistics view asks for besides the dashboard itself: charts, exports and the
//! monthly report.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The language of a chart or report (the UI's locale).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum Lang {
    /// Simplified Chinese.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

/// The charts of the statistics view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Monthly trend of the three rates and the composite.
    Trend,
    /// One bar per community: the composite, in ranking order.
    Communities,
    /// Distribution of the times to sign for and to first contact.
    ResponseTimes,
    /// Tickets per category and community.
    Heat,
}

impl ChartKind {
    /// Every chart, in the view's order.
    pub const ALL: [ChartKind; 4] = [
        ChartKind::Trend,
        ChartKind::Communities,
        ChartKind::ResponseTimes,
        ChartKind::Heat,
    ];
}

/// One chart as SVG, at the size it was laid out for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChartSvg {
    /// Which chart.
    pub kind: ChartKind,
    /// The SVG document (text escaped by the renderer).
    pub svg: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels (may exceed the request when rows need the room).
    pub height: u32,
}

/// What the statistics view asks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChartRequest {
    /// First day, YYYY-MM-DD.
    pub from: String,
    /// Last day, included.
    pub to: String,
    /// Language of the labels.
    pub lang: Lang,
    /// Width of each chart in pixels.
    pub width: u32,
    /// Height of each chart in pixels.
    pub height: u32,
}

/// A chart file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    /// Scalable, as shown.
    Svg,
    /// Bitmap at twice the size.
    Png,
}

impl ImageFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
        }
    }
}

/// A report file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// Excel workbook with tables and charts.
    Xlsx,
    /// The community table as UTF-8 CSV (with a BOM, for Excel).
    Csv,
}

impl ReportFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Csv => "csv",
        }
    }
}

/// The statistics view: the dashboard and its charts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Statistics {
    /// The figures.
    pub dashboard: crate::dashboard::Dashboard,
    /// The charts, in [`ChartKind::ALL`]'s order.
    pub charts: Vec<ChartSvg>,
}
