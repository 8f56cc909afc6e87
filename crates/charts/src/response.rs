//! The distribution of the times to sign for and to first contact.

use crate::canvas::{
    fit, nice_step, text_width, Anchor, Canvas, AXIS, GRID, LABEL_PX, MUTED, PAD, SERIES,
};
use crate::labels::{bucket, text, Msg};
use crate::Header;
use streetdesk_core::dashboard::Dashboard;
use streetdesk_core::dto::Lang;

/// The labels of the buckets.
pub fn bucket_labels(lang: Lang, bounds: &[f64]) -> Vec<String> {
    (0..=bounds.len())
        .map(|i| {
            let from = i.checked_sub(1).map(|j| bounds[j]);
            bucket(lang, from, bounds.get(i).copied())
        })
        .collect()
}

/// Draws the histogram.
pub fn draw(c: &Canvas, d: &Dashboard, lang: Lang) {
    let legend = [
        (text(lang, Msg::ToSign), SERIES[0]),
        (text(lang, Msg::ToContact), SERIES[1]),
    ];
    let top = Header::draw(c, text(lang, Msg::ResponseTitle), &legend) + 6;
    let r = &d.response;
    let max = r
        .to_sign
        .iter()
        .chain(&r.to_contact)
        .copied()
        .max()
        .unwrap_or(0);
    if max == 0 {
        c.empty(text(lang, Msg::NoData));
        return;
    }
    let step = nice_step(f64::from(max), 4);
    let ceiling = (f64::from(max) / step).ceil() * step;
    let tick_w = text_width(&format!("{ceiling:.0}"), LABEL_PX).ceil() as i32;
    let left = PAD + tick_w + 6;
    let labels = bucket_labels(lang, &r.bounds_h);
    let slot = f64::from(c.width - PAD - left) / labels.len() as f64;
    let widest = labels
        .iter()
        .map(|l| text_width(l, LABEL_PX))
        .fold(0.0, f64::max);
    // Labels that do not fit side by side alternate between two lines.
    let lines = if widest + 6.0 <= slot { 1 } else { 2 };
    let line_h = LABEL_PX as i32 + 4;
    let bottom = c.height - PAD - line_h * lines;
    if bottom - top < 40 {
        return;
    }
    let y_of = |v: f64| bottom - (v / ceiling * f64::from(bottom - top)) as i32;
    let mut v = 0.0;
    while v <= ceiling + 1e-9 {
        let y = y_of(v);
        c.line(
            vec![(left, y), (c.width - PAD, y)],
            if v == 0.0 { &AXIS } else { &GRID },
            1,
        );
        c.text(
            &format!("{v:.0}"),
            (left - 6, y),
            LABEL_PX,
            &MUTED,
            Anchor::Right,
        );
        v += step;
    }
    let room = if lines == 1 {
        slot - 6.0
    } else {
        2.0 * slot - 6.0
    };
    for (i, label) in labels.iter().enumerate() {
        let mid = left + ((i as f64 + 0.5) * slot) as i32;
        let bar = ((slot * 0.34) as i32).max(2);
        for (k, (counts, color)) in [(&r.to_sign, SERIES[0]), (&r.to_contact, SERIES[1])]
            .into_iter()
            .enumerate()
        {
            let n = f64::from(counts[i]);
            let x = if k == 0 { mid - bar - 1 } else { mid + 1 };
            if n > 0.0 {
                c.rect((x, y_of(n)), (x + bar, bottom), &color, true);
            }
        }
        let line = if lines == 2 { i as i32 % 2 } else { 0 };
        let at = (mid, bottom + 4 + line_h * line + LABEL_PX as i32 / 2);
        c.text(
            &fit(label, LABEL_PX, room),
            at,
            LABEL_PX,
            &MUTED,
            Anchor::Middle,
        );
    }
}
