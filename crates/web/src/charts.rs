//! Charts drawn on the server as SVG: horizontal bars (with a target marker), lines over years,
//! and stacked bars. Each chart carries its title and a description for screen readers
//! (`role="img"`, `aria-labelledby`), prints its values as text so it reads on paper, and the
//! page puts a data table beside it.
//!
//! Each chart is drawn twice, for the width it is read at: a wide drawing (720 units, labels
//! beside the bars) and a narrow one for phones (270 units, labels above the bars: a 360 px phone
//! still draws it at full size), so that its
//! text stays at the size it was drawn (13 px) instead of shrinking with the screen. The style
//! sheet shows one of the two; the narrow one's ids end in `-n`.

use std::fmt::Write;

const PALETTE: [&str; 6] = ["#0b3d91", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f"];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The two widths a chart is drawn for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fit {
    Wide,
    Narrow,
}

impl Fit {
    fn width(self) -> u32 {
        match self {
            Fit::Wide => 720,
            Fit::Narrow => 270,
        }
    }

    fn id(self, id: &str) -> String {
        match self {
            Fit::Wide => id.to_string(),
            Fit::Narrow => format!("{id}-n"),
        }
    }

    fn class(self) -> &'static str {
        match self {
            Fit::Wide => "chart wide",
            Fit::Narrow => "chart narrow",
        }
    }
}

fn open(out: &mut String, fit: Fit, id: &str, title: &str, desc: &str, h: u32) {
    let (id, w, class) = (fit.id(id), fit.width(), fit.class());
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="{class}" id="{id}" viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="{id}-t {id}-d" font-size="13"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(desc)
    );
}

/// Both drawings, wide first.
fn both(draw: impl Fn(Fit) -> String) -> String {
    let mut out = draw(Fit::Wide);
    out.push_str(&draw(Fit::Narrow));
    out
}

/// One bar: its label, value, the value as printed, and an optional target on the same scale.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
    pub target: Option<f64>,
}

/// Where a row's label and bar go: beside (wide) or the label above the bar (narrow).
struct Rows {
    label_x: f64,
    anchor: &'static str,
    bar_x: f64,
    bar_w: f64,
    row_h: f64,
    /// From the row's top to the bar's top.
    bar_dy: f64,
}

impl Rows {
    fn of(fit: Fit, wide_bar_w: f64) -> Rows {
        match fit {
            Fit::Wide => Rows { label_x: 252.0, anchor: "end", bar_x: 260.0, bar_w: wide_bar_w, row_h: 34.0, bar_dy: 1.0 },
            Fit::Narrow => Rows { label_x: 0.0, anchor: "start", bar_x: 0.0, bar_w: 200.0, row_h: 46.0, bar_dy: 19.0 },
        }
    }

    fn label(&self, out: &mut String, y: f64, text: &str) {
        let _ = write!(out, r#"<text x="{:.0}" y="{:.0}" text-anchor="{}">{}</text>"#, self.label_x, y + 14.0, self.anchor, esc(text));
    }
}

/// Horizontal bars against `max` (e.g. 100 for per cent); a target is a dashed red mark.
pub fn bars(id: &str, title: &str, desc: &str, items: &[Bar], max: f64) -> String {
    both(|fit| {
        let r = Rows::of(fit, 380.0);
        let h = (items.len() as f64 * r.row_h + 20.0).max(40.0);
        let mut out = String::new();
        open(&mut out, fit, id, title, desc, h as u32);
        let max = if max > 0.0 { max } else { 1.0 };
        for (i, b) in items.iter().enumerate() {
            let y = 10.0 + i as f64 * r.row_h;
            let by = y + r.bar_dy;
            let w = (b.value / max).clamp(0.0, 1.0) * r.bar_w;
            r.label(&mut out, y, &b.label);
            let _ = write!(
                out,
                r#"<rect x="{:.0}" y="{by:.0}" width="{w:.1}" height="18" fill="{}"/><text x="{:.1}" y="{:.0}">{}</text>"#,
                r.bar_x,
                PALETTE[0],
                r.bar_x + w + 6.0,
                by + 13.0,
                esc(&b.shown)
            );
            if let Some(t) = b.target {
                let x = r.bar_x + (t / max).clamp(0.0, 1.0) * r.bar_w;
                let _ = write!(
                    out,
                    r#"<line x1="{x:.1}" x2="{x:.1}" y1="{:.0}" y2="{:.0}" stroke="{}" stroke-width="2" stroke-dasharray="4 2"><title>Chỉ tiêu {t}</title></line>"#,
                    by - 4.0,
                    by + 22.0,
                    PALETTE[1],
                );
                if fit == Fit::Wide {
                    let _ = write!(
                        out,
                        r#"<text x="{:.1}" y="{:.0}" fill="{}" font-size="11">chỉ tiêu {t}</text>"#,
                        x + 4.0,
                        by + 25.0,
                        PALETTE[1]
                    );
                }
            }
        }
        out.push_str("</svg>");
        out
    })
}

/// Lines over `x` (years), one per series, with a legend and the last value printed.
pub fn lines(id: &str, title: &str, desc: &str, x: &[String], series: &[(String, Vec<f64>)]) -> String {
    both(|fit| {
        let (left, top, w, h) = match fit {
            Fit::Wide => (50.0, 10.0, 560.0, 200.0),
            Fit::Narrow => (36.0, 10.0, 220.0, 170.0),
        };
        let legend_h = series.len() as f64 * 18.0;
        let mut out = String::new();
        open(&mut out, fit, id, title, desc, (top + h + 40.0 + legend_h) as u32);
        let max = series.iter().flat_map(|s| s.1.iter().copied()).fold(0.0_f64, f64::max).max(1.0);
        let step = if x.len() > 1 { w / (x.len() - 1) as f64 } else { 0.0 };
        let _ = write!(
            out,
            r##"<line x1="{left}" x2="{left}" y1="{top}" y2="{:.0}" stroke="#555"/><line x1="{left}" x2="{:.0}" y1="{:.0}" y2="{:.0}" stroke="#555"/>"##,
            top + h,
            left + w,
            top + h,
            top + h
        );
        let _ = write!(
            out,
            r#"<text x="{:.0}" y="{:.0}" text-anchor="end">{}</text><text x="{:.0}" y="{:.0}" text-anchor="end">0</text>"#,
            left - 4.0,
            top + 10.0,
            max.round(),
            left - 4.0,
            top + h
        );
        // On a phone a year label is ~30 units wide: print every other one when they would touch.
        let every = if step > 0.0 && step < 34.0 { 2 } else { 1 };
        for (i, label) in x.iter().enumerate() {
            if i % every != 0 && i + 1 != x.len() {
                continue;
            }
            let _ = write!(
                out,
                r#"<text x="{:.1}" y="{:.0}" text-anchor="middle">{}</text>"#,
                left + i as f64 * step,
                top + h + 18.0,
                esc(label)
            );
        }
        for (k, (name, values)) in series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let points: Vec<String> =
                values.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", left + i as f64 * step, top + h - v / max * h)).collect();
            let _ = write!(out, r#"<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{}"/>"#, points.join(" "));
            for (i, v) in values.iter().enumerate() {
                let _ = write!(
                    out,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{colour}"><title>{}: {}</title></circle>"#,
                    left + i as f64 * step,
                    top + h - v / max * h,
                    esc(name),
                    v
                );
            }
            let ly = top + h + 36.0 + k as f64 * 18.0;
            let last = values.last().copied().unwrap_or(0.0);
            let lx = if fit == Fit::Wide { left } else { 0.0 };
            let _ = write!(
                out,
                r#"<rect x="{lx}" y="{:.0}" width="14" height="4" fill="{colour}"/><text x="{:.0}" y="{:.0}">{} ({})</text>"#,
                ly - 5.0,
                lx + 20.0,
                ly,
                esc(name),
                last
            );
        }
        out.push_str("</svg>");
        out
    })
}

/// Stacked horizontal bars: each row's segments side by side, scaled to the row's total.
pub fn stacked(id: &str, title: &str, desc: &str, segments: &[&str], rows: &[(String, Vec<f64>)]) -> String {
    both(|fit| {
        let r = Rows::of(fit, 420.0);
        // The legend: one line on a wide chart, one segment per line on a narrow one.
        let legend_lines = if fit == Fit::Wide { 1 } else { segments.len().max(1) };
        let h = rows.len() as f64 * r.row_h + 30.0 + 18.0 * legend_lines as f64;
        let mut out = String::new();
        open(&mut out, fit, id, title, desc, h as u32);
        for (i, (label, values)) in rows.iter().enumerate() {
            let y = 10.0 + i as f64 * r.row_h;
            let total: f64 = values.iter().sum();
            r.label(&mut out, y, label);
            let mut x = r.bar_x;
            for (k, v) in values.iter().enumerate() {
                let w = if total > 0.0 { v / total * r.bar_w } else { 0.0 };
                let _ = write!(
                    out,
                    r#"<rect x="{x:.1}" y="{:.0}" width="{w:.1}" height="18" fill="{}"><title>{}: {}</title></rect>"#,
                    y + r.bar_dy,
                    PALETTE[k % PALETTE.len()],
                    esc(segments.get(k).copied().unwrap_or("")),
                    v
                );
                x += w;
            }
        }
        let mut ly = 10.0 + rows.len() as f64 * r.row_h + 14.0;
        let mut lx = r.bar_x;
        for (k, s) in segments.iter().enumerate() {
            let _ = write!(
                out,
                r#"<rect x="{lx:.0}" y="{:.0}" width="12" height="12" fill="{}"/><text x="{:.0}" y="{:.0}">{}</text>"#,
                ly - 10.0,
                PALETTE[k % PALETTE.len()],
                lx + 16.0,
                ly,
                esc(s)
            );
            if fit == Fit::Wide {
                lx += 16.0 + s.chars().count() as f64 * 7.0 + 20.0;
            } else {
                ly += 18.0;
            }
        }
        out.push_str("</svg>");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_chart_names_itself_for_screen_readers_and_prints_its_values() {
        let svg = bars(
            "c1",
            "Tỷ lệ «Gia đình học tập»",
            "Năm 2026",
            &[Bar { label: "Gia đình <học> tập".into(), value: 7.8, shown: "7,8%".into(), target: Some(70.0) }],
            100.0,
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<svg").count(), 2, "a wide and a narrow drawing");
        assert!(svg.contains(r#"id="c1-n""#) && svg.contains(r#"viewBox="0 0 270"#), "the narrow one has its own ids");
        assert!(svg.contains(r#"role="img" aria-labelledby="c1-t c1-d""#));
        assert!(svg.contains("<title id=\"c1-t\">Tỷ lệ «Gia đình học tập»</title>"));
        assert!(svg.contains("Gia đình &lt;học&gt; tập"), "labels are escaped");
        assert!(svg.contains(">7,8%<") && svg.contains("Chỉ tiêu 70"));
    }

    #[test]
    fn a_line_chart_has_a_point_per_year_and_a_legend() {
        let svg = lines("c2", "Xu hướng", "2023–2026", &["2023".into(), "2024".into()], &[("GĐHT".into(), vec![3.0, 12.0])]);
        assert_eq!(svg.matches("<circle").count(), 4, "a point per year in each drawing");
        assert!(svg.contains("GĐHT (12)"));
    }

    #[test]
    fn an_empty_stacked_row_draws_nothing_wider_than_zero() {
        let svg = stacked("c3", "t", "d", &["a", "b"], &[("x".into(), vec![0.0, 0.0])]);
        assert!(svg.contains(r#"width="0.0""#) && !svg.contains("NaN"));
    }
}
