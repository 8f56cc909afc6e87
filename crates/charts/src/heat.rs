//! Tickets per first-level category (rows) and community (columns), shaded by count.

use crate::canvas::{fit, text_width, Anchor, Canvas, INK, LABEL_PX, PAD};
use crate::labels::{text, Msg};
use crate::Header;
use plotters::style::RGBColor;
use streetdesk_core::dashboard::{Dashboard, OTHER};
use streetdesk_core::dto::Lang;

const MIN_ROW: i32 = 18;
/// The narrowest column: a count of three digits still fits in it.
const MIN_COLUMN: f64 = 22.0;
const MAX_ROW: i32 = 28;
const EMPTY: (f64, f64, f64) = (246.0, 247.0, 249.0);
const FULL: (f64, f64, f64) = (47.0, 93.0, 138.0);

fn shade(share: f64) -> RGBColor {
    let mix = |a: f64, b: f64| (a + (b - a) * share).round() as u8;
    RGBColor(
        mix(EMPTY.0, FULL.0),
        mix(EMPTY.1, FULL.1),
        mix(EMPTY.2, FULL.2),
    )
}

struct Layout {
    label_w: i32,
    header_h: i32,
    upright: bool,
}

fn layout(c_width: i32, row_labels: &[String], columns: &[String]) -> Layout {
    let widest = |xs: &[String]| {
        xs.iter()
            .map(|l| text_width(l, LABEL_PX))
            .fold(0.0, f64::max)
    };
    let label_w = widest(row_labels).min(f64::from(c_width) * 0.25).ceil() as i32;
    let col_w = f64::from(c_width - 2 * PAD - label_w - 8) / columns.len().max(1) as f64;
    let upright = widest(columns) + 6.0 > col_w;
    let header_h = if upright {
        // Names read upwards; long ones are shortened to at most eight characters' height.
        widest(columns).min(8.0 * LABEL_PX).ceil() as i32 + 6
    } else {
        LABEL_PX as i32 + 6
    };
    Layout {
        label_w,
        header_h,
        upright,
    }
}

fn row_labels(d: &Dashboard, lang: Lang) -> Vec<String> {
    d.heat
        .categories
        .iter()
        .map(|k| {
            if k == OTHER {
                text(lang, Msg::Other).to_owned()
            } else {
                k.clone()
            }
        })
        .collect()
}

/// The columns shown and their counts: every community when they fit, else the busiest,
/// with the rest summed in one column, so that no label or count is squeezed.
struct Columns {
    labels: Vec<String>,
    counts: Vec<Vec<u32>>,
}

fn columns(d: &Dashboard, lang: Lang, width: i32) -> Columns {
    let h = &d.heat;
    let rows = row_labels(d, lang);
    let label_w = rows
        .iter()
        .map(|l| text_width(l, LABEL_PX))
        .fold(0.0, f64::max)
        .min(f64::from(width) * 0.25);
    let room = f64::from(width - 2 * PAD - 8) - label_w;
    let fit = ((room / MIN_COLUMN).floor() as usize).max(2);
    if h.communities.len() <= fit {
        return Columns {
            labels: h.community_labels.clone(),
            counts: h.counts.clone(),
        };
    }
    let total = |j: usize| h.counts.iter().map(|r| r[j]).sum::<u32>();
    let mut order: Vec<usize> = (0..h.communities.len()).collect();
    order.sort_by_key(|&j| (std::cmp::Reverse(total(j)), j));
    let (shown, folded) = order.split_at(fit - 1);
    let mut shown = shown.to_vec();
    shown.sort_unstable();
    let mut labels: Vec<String> = shown
        .iter()
        .map(|&j| h.community_labels[j].clone())
        .collect();
    labels.push(text(lang, Msg::Other).to_owned());
    let counts = h
        .counts
        .iter()
        .map(|r| {
            let mut row: Vec<u32> = shown.iter().map(|&j| r[j]).collect();
            row.push(folded.iter().map(|&j| r[j]).sum());
            row
        })
        .collect();
    Columns { labels, counts }
}

/// The height the table needs, at least `asked`.
pub fn height(asked: i32, d: &Dashboard, lang: Lang, width: i32, titled: bool) -> i32 {
    let l = layout(width, &row_labels(d, lang), &columns(d, lang, width).labels);
    let title = if titled { LABEL_PX as i32 + 10 } else { 0 };
    let chrome = PAD + title + l.header_h + PAD;
    asked.max(chrome + MIN_ROW * d.heat.categories.len() as i32)
}

/// Draws the table.
pub fn draw(c: &Canvas, d: &Dashboard, lang: Lang) {
    let top = Header::draw(c, text(lang, Msg::HeatTitle), &[]) + 4;
    let h = &d.heat;
    if h.categories.is_empty() || h.communities.is_empty() {
        c.empty(text(lang, Msg::NoData));
        return;
    }
    let rows = row_labels(d, lang);
    let shown = columns(d, lang, c.width);
    let l = layout(c.width, &rows, &shown.labels);
    let left = PAD + l.label_w + 8;
    let col_w = f64::from(c.width - PAD - left) / shown.labels.len() as f64;
    let grid_top = top + l.header_h;
    let row_h = ((c.height - PAD - grid_top) / rows.len() as i32).clamp(MIN_ROW, MAX_ROW);
    let max = shown
        .counts
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    for (j, name) in shown.labels.iter().enumerate() {
        let mid = left + ((j as f64 + 0.5) * col_w) as i32;
        if l.upright {
            let name = fit(name, LABEL_PX, f64::from(l.header_h - 6));
            c.text_up(&name, (mid, grid_top - 4), LABEL_PX, &INK);
        } else {
            c.text(
                name,
                (mid, top + l.header_h / 2),
                LABEL_PX,
                &INK,
                Anchor::Middle,
            );
        }
    }
    for (i, (label, counts)) in rows.iter().zip(&shown.counts).enumerate() {
        let y0 = grid_top + row_h * i as i32;
        let label = fit(label, LABEL_PX, f64::from(l.label_w));
        c.text(
            &label,
            (PAD + l.label_w, y0 + row_h / 2),
            LABEL_PX,
            &INK,
            Anchor::Right,
        );
        for (j, n) in counts.iter().enumerate() {
            let x0 = left + (j as f64 * col_w) as i32;
            let x1 = left + ((j + 1) as f64 * col_w) as i32;
            // Square root, so that a few busy cells do not wash out the rest.
            let share = (f64::from(*n) / f64::from(max)).sqrt();
            c.rect(
                (x0 + 1, y0 + 1),
                (x1 - 1, y0 + row_h - 1),
                &shade(share),
                true,
            );
            let count = n.to_string();
            if text_width(&count, LABEL_PX) + 4.0 <= f64::from(x1 - x0 - 2) {
                let ink = if share > 0.55 {
                    RGBColor(255, 255, 255)
                } else {
                    INK
                };
                c.text(
                    &count,
                    ((x0 + x1) / 2, y0 + row_h / 2),
                    LABEL_PX,
                    &ink,
                    Anchor::Middle,
                );
            }
        }
    }
}
