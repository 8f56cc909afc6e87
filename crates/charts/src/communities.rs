//! One bar per community: the composite score, in ranking order.

use crate::canvas::{
    fit, text_width, Anchor, Canvas, AXIS, GRID, INK, LABEL_PX, MUTED, PAD, SERIES,
};
use crate::labels::{text, Msg};
use crate::Header;
use streetdesk_core::dashboard::Dashboard;
use streetdesk_core::dto::Lang;

/// Height of one row in pixels at the least.
pub const MIN_ROW: i32 = 18;
const MAX_ROW: i32 = 26;

fn label(rank: Option<u32>, name: &str) -> String {
    rank.map_or_else(|| name.to_owned(), |r| format!("{r}  {name}"))
}

/// The height the chart needs for `rows` communities, at least `asked`.
pub fn height(asked: i32, rows: usize, titled: bool) -> i32 {
    let title = if titled { LABEL_PX as i32 + 10 } else { 0 };
    let chrome = PAD + title + LABEL_PX as i32 + PAD + 8;
    asked.max(chrome + MIN_ROW * rows as i32)
}

/// Draws the bars.
pub fn draw(c: &Canvas, d: &Dashboard, lang: Lang) {
    let top = Header::draw(c, text(lang, Msg::CommunitiesTitle), &[]) + 4;
    let rows = &d.communities;
    if rows.is_empty() {
        c.empty(text(lang, Msg::NoData));
        return;
    }
    let labels: Vec<String> = rows.iter().map(|g| label(g.rank, &g.label)).collect();
    let widest = labels
        .iter()
        .map(|l| text_width(l, LABEL_PX))
        .fold(0.0, f64::max);
    let label_w = widest.min(f64::from(c.width) * 0.35).ceil() as i32;
    let left = PAD + label_w + 8;
    let value_w = text_width("100.0", LABEL_PX).ceil() as i32;
    let right = c.width - PAD - value_w - 6;
    let bottom = c.height - PAD - LABEL_PX as i32 - 4;
    if right - left < 40 {
        return;
    }
    let row = ((bottom - top) / rows.len() as i32).clamp(MIN_ROW, MAX_ROW);
    let x_of = |v: f64| left + (v / 100.0 * f64::from(right - left)) as i32;
    let end = top + row * rows.len() as i32;
    for v in (0..=100).step_by(20) {
        let x = x_of(f64::from(v));
        c.line(
            vec![(x, top), (x, end)],
            if v == 0 { &AXIS } else { &GRID },
            1,
        );
        let at = (x, end + 4 + LABEL_PX as i32 / 2 + 2);
        c.text(&v.to_string(), at, LABEL_PX, &MUTED, Anchor::Middle);
    }
    for (i, (g, name)) in rows.iter().zip(&labels).enumerate() {
        let y = top + row * i as i32 + row / 2;
        let name = fit(name, LABEL_PX, f64::from(label_w));
        c.text(&name, (PAD + label_w, y), LABEL_PX, &INK, Anchor::Right);
        let bar = (row - 8).max(8) / 2;
        match g.figures.rates.composite {
            Some(v) => {
                c.rect((left + 1, y - bar), (x_of(v), y + bar), &SERIES[0], true);
                let at = (x_of(v) + 4, y);
                c.text(&format!("{v:.1}"), at, LABEL_PX, &INK, Anchor::Left);
            }
            None => c.text("—", (left + 4, y), LABEL_PX, &MUTED, Anchor::Left),
        }
    }
}
