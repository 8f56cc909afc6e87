//! StreetDesk's charts and reports: the statistics view's charts drawn by plotters to SVG for
//! the UI, the same SVG rasterised to PNG, and the monthly report as XLSX and CSV.

pub mod canvas;
mod communities;
mod heat;
pub mod labels;
pub mod labels_report;
pub mod png;
pub mod report;
mod response;
mod trend;

use canvas::{text_width, Canvas, LABEL_PX, PAD, TITLE_PX};
use plotters::style::RGBColor;
use streetdesk_core::dashboard::Dashboard;
use streetdesk_core::dto::{ChartKind, ChartSvg, ImageFormat, Lang};
use streetdesk_core::error::{ApiError, ApiResult, ErrorCode};

/// The smallest chart drawn; smaller requests are drawn at this size.
pub const MIN_SIZE: (u32, u32) = (240, 160);
/// The largest: a poster, and a PNG of it at twice the size is still a sane allocation.
pub const MAX_SIDE: u32 = 4000;

/// The title line of a chart, with its legend beside it or, when there is no room, below.
struct Header;

impl Header {
    /// Draws the title and legend; returns where the plot may start.
    fn draw(c: &Canvas, title: &str, legend: &[(&str, RGBColor)]) -> i32 {
        if !c.titled {
            if legend.is_empty() {
                return PAD;
            }
            c.legend(legend, PAD + LABEL_PX as i32 / 2 + 1);
            return PAD + LABEL_PX as i32 + 6;
        }
        let below = c.title(title);
        if legend.is_empty() {
            return below;
        }
        let legend_w = canvas::legend_width(legend);
        let title_end = f64::from(PAD) + text_width(title, TITLE_PX) + 16.0;
        if title_end + legend_w <= f64::from(c.width - PAD) {
            c.legend(legend, PAD + TITLE_PX as i32 / 2 + 1);
            below
        } else {
            c.legend(legend, below + LABEL_PX as i32 / 2 + 2);
            below + LABEL_PX as i32 + 6
        }
    }
}

/// Draws `kind` for `d` at about `width` × `height` pixels, with its title unless the view
/// shows the title itself. Charts with a row per community or category grow taller rather
/// than squeeze their labels.
pub fn render(
    kind: ChartKind,
    d: &Dashboard,
    lang: Lang,
    (width, height): (u32, u32),
    titled: bool,
) -> ChartSvg {
    let (w, asked) = (width.max(MIN_SIZE.0) as i32, height.max(MIN_SIZE.1) as i32);
    let h = match kind {
        ChartKind::Communities => communities::height(asked, d.communities.len(), titled),
        ChartKind::Heat => heat::height(asked, d, lang, w, titled),
        ChartKind::Trend | ChartKind::ResponseTimes => asked,
    };
    let mut svg = String::new();
    {
        let c = Canvas::new(&mut svg, w, h, titled);
        match kind {
            ChartKind::Trend => trend::draw(&c, d, lang),
            ChartKind::Communities => communities::draw(&c, d, lang),
            ChartKind::ResponseTimes => response::draw(&c, d, lang),
            ChartKind::Heat => heat::draw(&c, d, lang),
        }
        c.finish();
    }
    ChartSvg {
        kind,
        svg,
        width: w as u32,
        height: h as u32,
    }
}

/// A chart as file contents: the SVG as drawn, or a PNG of it at twice the size (for print).
pub fn image(chart: ChartSvg, format: ImageFormat) -> ApiResult<Vec<u8>> {
    match format {
        ImageFormat::Svg => Ok(chart.svg.into_bytes()),
        ImageFormat::Png => png::png(&chart.svg, 2.0)
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "the chart did not rasterise")),
    }
}
