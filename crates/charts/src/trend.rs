//! The monthly trend of 响应率, 解决率, 满意率 and the composite.

use crate::canvas::{fit, text_width, Anchor, Canvas, AXIS, GRID, LABEL_PX, MUTED, PAD, SERIES};
use crate::labels::{month, text, Msg};
use crate::Header;
use streetdesk_core::dashboard::Dashboard;
use streetdesk_core::dto::Lang;
use streetdesk_core::kpi::Figures;

/// Reads one rate of a month's figures.
type Rate = fn(&Figures) -> Option<f64>;

fn month_label(lang: Lang, key: &str, with_year: bool) -> String {
    let (y, m) = key.split_once('-').unwrap_or((key, "1"));
    let m: u32 = m.parse().unwrap_or(1);
    if with_year {
        format!("{y}-{m:02}")
    } else {
        month(lang, m)
    }
}

/// Draws the trend.
pub fn draw(c: &Canvas, d: &Dashboard, lang: Lang) {
    let series: [(Msg, Rate); 4] = [
        (Msg::Response, |f| f.rates.response),
        (Msg::Resolution, |f| f.rates.resolution),
        (Msg::Satisfaction, |f| f.rates.satisfaction),
        (Msg::Composite, |f| f.rates.composite),
    ];
    let legend: Vec<(&str, _)> = series
        .iter()
        .zip(SERIES)
        .map(|((m, _), color)| (text(lang, *m), color))
        .collect();
    let top = Header::draw(c, text(lang, Msg::TrendTitle), &legend) + 6;
    let months = &d.months;
    let values: Vec<f64> = months
        .iter()
        .flat_map(|f| series.iter().filter_map(move |(_, v)| v(f)))
        .collect();
    if values.is_empty() {
        c.empty(text(lang, Msg::NoData));
        return;
    }
    // The axis starts at the nearest ten below the lowest value, so small changes show.
    let lowest = values.iter().copied().fold(100.0, f64::min);
    let lo = ((lowest - 5.0) / 10.0).floor().clamp(0.0, 9.0) * 10.0;
    let left = PAD + text_width("100%", LABEL_PX).ceil() as i32 + 6;
    let (right, bottom) = (c.width - PAD - 4, c.height - PAD - LABEL_PX as i32 - 4);
    if right - left < 40 || bottom - top < 40 {
        return;
    }
    let y_of = |v: f64| bottom - ((v - lo) / (100.0 - lo) * f64::from(bottom - top)) as i32;
    let step = if (100.0 - lo) / 10.0 * (LABEL_PX + 6.0) > f64::from(bottom - top) {
        20.0
    } else {
        10.0
    };
    let mut v = lo;
    while v <= 100.0 + 1e-9 {
        let y = y_of(v);
        c.line(
            vec![(left, y), (right, y)],
            if v == lo { &AXIS } else { &GRID },
            1,
        );
        c.text(
            &format!("{v:.0}%"),
            (left - 6, y),
            LABEL_PX,
            &MUTED,
            Anchor::Right,
        );
        v += step;
    }
    let slot = f64::from(right - left) / months.len() as f64;
    let x_of = |i: usize| left + ((i as f64 + 0.5) * slot) as i32;
    let years_differ = months.first().map(|f| &f.key[..4]) != months.last().map(|f| &f.key[..4]);
    let labels: Vec<String> = months
        .iter()
        .map(|f| month_label(lang, &f.key, years_differ))
        .collect();
    let widest = labels
        .iter()
        .map(|l| text_width(l, LABEL_PX))
        .fold(0.0, f64::max);
    let every = ((widest + 8.0) / slot).ceil().max(1.0) as usize;
    for (i, label) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let label = fit(label, LABEL_PX, slot * every as f64 - 8.0);
        let at = (x_of(i), bottom + 4 + LABEL_PX as i32 / 2 + 2);
        c.text(&label, at, LABEL_PX, &MUTED, Anchor::Middle);
    }
    for ((_, value), color) in series.iter().zip(SERIES) {
        let width = if color == SERIES[3] { 2 } else { 1 };
        let mut run: Vec<(i32, i32)> = Vec::new();
        for (i, f) in months.iter().enumerate() {
            match value(f) {
                Some(v) => {
                    let p = (x_of(i), y_of(v));
                    c.dot(p, 2, &color);
                    run.push(p);
                }
                // A month without callbacks breaks the line rather than bridging it.
                None => {
                    if run.len() > 1 {
                        c.line(std::mem::take(&mut run), &color, width);
                    }
                    run.clear();
                }
            }
        }
        if run.len() > 1 {
            c.line(run, &color, width);
        }
    }
}
