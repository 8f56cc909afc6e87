//! A thin layer over plotters' SVG backend: measured text and the few shapes the charts use.
//!
//! Plotters without its `ttf` feature cannot measure text (it guesses from UTF-8 bytes, which
//! makes Chinese three times too wide), and the webview or resvg draws the glyphs anyway. So
//! the charts lay text out themselves with a deliberately generous estimate, and the tests
//! check the result with the same estimate: nothing may overlap or leave the canvas.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The font stack of every chart: the system CJK fonts of Windows, macOS and Linux.
pub const FONT: &str =
    "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif";

/// Label size in pixels.
pub const LABEL_PX: f64 = 12.0;
/// Title size in pixels.
pub const TITLE_PX: f64 = 13.0;
/// Outer margin in pixels.
pub const PAD: i32 = 10;

/// Text colour.
pub const INK: RGBColor = RGBColor(0x2b, 0x30, 0x36);
/// Secondary text.
pub const MUTED: RGBColor = RGBColor(0x6b, 0x72, 0x7b);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xe3, 0xe6, 0xea);
/// Axis lines.
pub const AXIS: RGBColor = RGBColor(0xb8, 0xbe, 0xc6);
/// Series colours: calm, distinct in grey-scale print, none of them the alarm red.
pub const SERIES: [RGBColor; 4] = [
    RGBColor(0x3b, 0x6e, 0xa8),
    RGBColor(0x2f, 0x8f, 0x83),
    RGBColor(0xb7, 0x79, 0x1f),
    RGBColor(0x33, 0x33, 0x33),
];

/// How wide `s` is at `px`, over-estimated: wide (CJK, full-width) characters take 1 em and
/// the rest 0.62 em, wider than any system font draws digits and Latin letters.
pub fn text_width(s: &str, px: f64) -> f64 {
    s.chars()
        .map(|c| if (c as u32) < 0x2000 { 0.62 } else { 1.0 })
        .sum::<f64>()
        * px
}

const LEGEND_GAP: i32 = 12;

/// How wide a legend of `items` is.
pub fn legend_width(items: &[(&str, RGBColor)]) -> f64 {
    items
        .iter()
        .map(|(l, _)| 14.0 + text_width(l, LABEL_PX).ceil() + f64::from(LEGEND_GAP))
        .sum::<f64>()
        - f64::from(LEGEND_GAP)
}

/// `s`, shortened with "…" until it fits in `max` pixels at `px`.
pub fn fit(s: &str, px: f64, max: f64) -> String {
    if text_width(s, px) <= max {
        return s.to_owned();
    }
    let mut out: String = s.to_owned();
    while !out.is_empty() && text_width(&format!("{out}…"), px) > max {
        out.pop();
    }
    if out.is_empty() {
        String::new()
    } else {
        format!("{out}…")
    }
}

/// Where a text's anchor point sits on it.
#[derive(Clone, Copy)]
pub enum Anchor {
    /// Left end, vertically centred.
    Left,
    /// Right end, vertically centred.
    Right,
    /// Middle, vertically centred.
    Middle,
}

/// A chart being drawn, in pixels.
pub struct Canvas<'a> {
    area: DrawingArea<SVGBackend<'a>, plotters::coord::Shift>,
    /// Width.
    pub width: i32,
    /// Height.
    pub height: i32,
    /// Whether the chart carries its own title (exports do; the view shows it in HTML).
    pub titled: bool,
}

// Drawing into a String cannot fail, so the backend's results are dropped below.
impl<'a> Canvas<'a> {
    /// A white canvas writing into `out`.
    pub fn new(out: &'a mut String, width: i32, height: i32, titled: bool) -> Canvas<'a> {
        let area = SVGBackend::with_string(out, (width as u32, height as u32)).into_drawing_area();
        let _ = area.fill(&WHITE);
        Canvas {
            area,
            width,
            height,
            titled,
        }
    }

    fn style<'c>(px: f64, color: &'c RGBColor, anchor: Anchor, bold: bool) -> TextStyle<'c> {
        // plotters writes font-size as size / 1.24.
        let font = (FONT, px * 1.24).into_font();
        let font = if bold {
            font.style(FontStyle::Bold)
        } else {
            font
        };
        let h = match anchor {
            Anchor::Left => HPos::Left,
            Anchor::Right => HPos::Right,
            Anchor::Middle => HPos::Center,
        };
        TextStyle::from(font)
            .color(color)
            .pos(Pos::new(h, VPos::Center))
    }

    /// Text at `at`, vertically centred there.
    pub fn text(&self, s: &str, at: (i32, i32), px: f64, color: &RGBColor, anchor: Anchor) {
        let _ = self
            .area
            .draw_text(s, &Self::style(px, color, anchor, false), at);
    }

    /// A bold title at the top left.
    pub fn title(&self, s: &str) -> i32 {
        let y = PAD + TITLE_PX as i32 / 2 + 1;
        let s = fit(s, TITLE_PX, f64::from(self.width - 2 * PAD));
        let style = Self::style(TITLE_PX, &INK, Anchor::Left, true);
        let _ = self.area.draw_text(&s, &style, (PAD, y));
        PAD + TITLE_PX as i32 + 4
    }

    /// Text reading upwards, its start at `at`.
    pub fn text_up(&self, s: &str, at: (i32, i32), px: f64, color: &RGBColor) {
        let style = Self::style(px, color, Anchor::Left, false).transform(FontTransform::Rotate270);
        let _ = self.area.draw_text(s, &style, at);
    }

    /// A rectangle between two corners.
    pub fn rect(&self, a: (i32, i32), b: (i32, i32), color: &RGBColor, filled: bool) {
        let style = if filled {
            color.filled()
        } else {
            color.stroke_width(1)
        };
        let _ = self.area.draw(&Rectangle::new([a, b], style));
    }

    /// A polyline.
    pub fn line(&self, points: Vec<(i32, i32)>, color: &RGBColor, width: u32) {
        let _ = self
            .area
            .draw(&PathElement::new(points, color.stroke_width(width)));
    }

    /// A filled dot.
    pub fn dot(&self, at: (i32, i32), r: i32, color: &RGBColor) {
        let _ = self.area.draw(&Circle::new(at, r, color.filled()));
    }

    /// A legend of coloured swatches, right-aligned on the line at `y`; each label follows
    /// its swatch closely, the estimate's slack going to the gap after it.
    pub fn legend(&self, items: &[(&str, RGBColor)], y: i32) {
        let mut x = self.width - PAD - legend_width(items).ceil() as i32;
        for (label, color) in items {
            self.rect((x, y - 4), (x + 10, y + 4), color, true);
            self.text(label, (x + 14, y), LABEL_PX, &MUTED, Anchor::Left);
            x += 14 + text_width(label, LABEL_PX).ceil() as i32 + LEGEND_GAP;
        }
    }

    /// "No tickets" in the middle of an empty chart.
    pub fn empty(&self, message: &str) {
        let at = (self.width / 2, self.height / 2);
        self.text(message, at, LABEL_PX, &MUTED, Anchor::Middle);
    }

    /// Finishes the document.
    pub fn finish(self) {
        let _ = self.area.present();
    }
}

/// A "nice" step for an axis from 0 to `max` with about `ticks` intervals.
pub fn nice_step(max: f64, ticks: u32) -> f64 {
    let raw = (max / f64::from(ticks.max(1))).max(1.0);
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
}
