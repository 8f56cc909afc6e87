//! The charts' SVG, checked by structure: what is drawn, in which order, and that no label
//! leaves the canvas or overlaps another at the sizes the statistics view and the report use.
//! Text is measured with the renderer's own generous estimate, so "no overlap" here means no
//! overlap with any real font that is narrower than it (all CJK system fonts are).

mod support;

use streetdesk_charts::canvas::text_width;
use streetdesk_charts::render;
use streetdesk_core::dashboard::Dashboard;
use streetdesk_core::dto::{ChartKind, Lang};

#[derive(Debug)]
#[allow(dead_code)] // `content` is read in failure messages.
struct TextBox {
    content: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

fn attr(n: &roxmltree::Node, name: &str) -> f64 {
    n.attribute(name)
        .unwrap_or_else(|| panic!("{name} missing on {n:?}"))
        .parse()
        .unwrap()
}

/// Every text's box, from its anchor, size and rotation.
fn text_boxes(doc: &roxmltree::Document) -> Vec<TextBox> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let content = n.text().unwrap_or("").trim().to_owned();
            let (x, y, size) = (attr(&n, "x"), attr(&n, "y"), attr(&n, "font-size"));
            let w = text_width(&content, size);
            let start = match n.attribute("text-anchor") {
                Some("end") => -w,
                Some("middle") => -w / 2.0,
                _ => 0.0,
            };
            // Vertically centred (dy 0.5ex): ascent above, descent below.
            let (up, down) = (0.65 * size, 0.4 * size);
            match n.attribute("transform") {
                Some(t) if t.starts_with("rotate(270") => TextBox {
                    content,
                    x0: x - up,
                    x1: x + down,
                    y0: y - start - w,
                    y1: y - start,
                },
                Some(t) => panic!("unexpected transform {t}"),
                None => TextBox {
                    content,
                    x0: x + start,
                    x1: x + start + w,
                    y0: y - up,
                    y1: y + down,
                },
            }
        })
        .collect()
}

/// Asserts that every label is inside the canvas and none overlaps another.
fn assert_readable(svg: &str, what: &str) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let root = doc.root_element();
    let (w, h) = (attr(&root, "width"), attr(&root, "height"));
    let boxes = text_boxes(&doc);
    for b in &boxes {
        assert!(
            b.x0 >= 0.0 && b.y0 >= 0.0 && b.x1 <= w && b.y1 <= h,
            "{what}: {b:?} leaves the {w}×{h} canvas"
        );
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let across = a.x1.min(b.x1) - a.x0.max(b.x0);
            let down = a.y1.min(b.y1) - a.y0.max(b.y0);
            assert!(across <= 0.5 || down <= 0.5, "{what}: {a:?} overlaps {b:?}");
        }
    }
}

/// What a chart draws, line by line: each text with its anchor, then how many of each shape.
fn structure(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let mut lines = Vec::new();
    let mut shapes = std::collections::BTreeMap::<&str, usize>::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        match n.tag_name().name() {
            "text" => lines.push(format!(
                "text {:<6} {}{}",
                n.attribute("text-anchor").unwrap_or(""),
                if n.attribute("transform").is_some() {
                    "↑ "
                } else {
                    ""
                },
                n.text().unwrap_or("").trim()
            )),
            other => *shapes.entry(other).or_default() += 1,
        }
    }
    lines.extend(shapes.iter().map(|(k, v)| format!("{k} × {v}")));
    lines.join("\n")
}

/// The sizes charts are drawn at: a quarter of the view at 1366×768, a narrow pane, and the
/// report's export size.
const SIZES: [(u32, u32); 3] = [(640, 300), (420, 240), (1200, 520)];

#[test]
fn no_label_is_clipped_or_overlaps_at_any_size_in_either_language() {
    let year = support::year(4000);
    let mut month = support::november(4000);
    month.months.truncate(1);
    let empty = support::build(&[], "2026-01-01", "2026-01-31");
    for (name, d) in [("year", &year), ("one month", &month), ("empty", &empty)] {
        for lang in [Lang::ZhCn, Lang::En] {
            for kind in ChartKind::ALL {
                for ((w, h), titled) in SIZES.into_iter().flat_map(|s| [(s, true), (s, false)]) {
                    let c = render(kind, d, lang, (w, h), titled);
                    let what = format!("{name} {kind:?} {lang:?} {w}×{h} titled {titled}");
                    assert_readable(&c.svg, &what);
                    assert_eq!(c.width, w);
                    assert!(c.height >= h);
                }
            }
        }
    }
}

#[test]
fn many_communities_make_the_chart_taller_not_the_rows_thinner() {
    let mut d = support::year(3000);
    let extra: Vec<_> = d.communities.clone();
    for (i, mut g) in extra.into_iter().cycle().take(40).enumerate() {
        g.figures.key = format!("x{i}");
        d.communities.push(g);
    }
    let c = render(ChartKind::Communities, &d, Lang::ZhCn, (640, 300), true);
    assert!(c.height > 300, "54 rows in {}", c.height);
    assert_readable(&c.svg, "54 communities");
}

#[test]
fn a_heat_table_of_many_communities_folds_the_quietest_into_one_column() {
    let mut d = support::year(3000);
    let h = &mut d.heat;
    for i in 0..40 {
        h.communities.push(format!("x{i}"));
        h.community_labels.push(format!("新建第{i}社区居委会"));
        for (r, row) in h.counts.iter_mut().enumerate() {
            row.push((i * 7 + r as u32 * 3) % 11);
        }
    }
    for (w, lang) in [(640, Lang::ZhCn), (420, Lang::En), (1200, Lang::ZhCn)] {
        let c = render(ChartKind::Heat, &d, lang, (w, 300), false);
        assert_readable(&c.svg, &format!("54-column heat at {w}"));
        let doc = roxmltree::Document::parse(&c.svg).unwrap();
        let cells = doc.descendants().filter(|n| n.has_tag_name("rect")).count() - 1;
        let columns = cells / d.heat.categories.len();
        assert!(columns < 54, "{columns} columns at {w}");
        let other = if lang == Lang::ZhCn {
            "其他"
        } else {
            "Other"
        };
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect();
        // One "other" row (the quieter categories) and one "other" column.
        let others = texts.iter().filter(|t| **t == other).count();
        assert_eq!(others, 2, "a folded column at {w}");
    }
}

fn bar_widths(svg: &str) -> Vec<f64> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("#3B6EA8"))
        .map(|n| attr(&n, "width"))
        .collect()
}

#[test]
fn community_bars_follow_the_ranking() {
    let d = support::year(4000);
    let c = render(ChartKind::Communities, &d, Lang::ZhCn, (640, 300), true);
    let widths = bar_widths(&c.svg);
    assert_eq!(widths.len(), d.communities.len());
    assert!(widths.windows(2).all(|w| w[0] >= w[1]), "{widths:?}");
    let best = &d.communities[0];
    assert!(c
        .svg
        .contains(&format!("{:.1}", best.figures.rates.composite.unwrap())));
}

fn snapshot(d: &Dashboard, kind: ChartKind, lang: Lang) -> String {
    structure(&render(kind, d, lang, (640, 300), true).svg)
}

#[test]
fn chart_structure_snapshots() {
    let d = support::year(4000);
    for kind in ChartKind::ALL {
        insta::assert_snapshot!(format!("{kind:?}_zh"), snapshot(&d, kind, Lang::ZhCn));
    }
    insta::assert_snapshot!("Trend_en", snapshot(&d, ChartKind::Trend, Lang::En));
    insta::assert_snapshot!(
        "ResponseTimes_en",
        snapshot(&d, ChartKind::ResponseTimes, Lang::En)
    );
}
