//! The report's charts, drawn with plotters into inline SVG strings.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

// Days of the week for the x axis of week charts (hours since Monday).
use crate::plan::passes::DAYS;

const FONT: &str = "sans-serif";

/// The series' legend box, at `at`.
fn legend<'a, DB, CT>(
    chart: &mut ChartContext<'a, DB, CT>,
    at: SeriesLabelPosition,
) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    CT: plotters::coord::CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(at)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(err)
}

/// A legend mark for a line series.
fn line_mark(colour: RGBColor) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 12, y)], colour.stroke_width(2))
}

/// A legend mark for an area or bar series.
fn box_mark(colour: RGBColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled())
}

/// Colours of stacked layers: in-house blue, outsourced orange, penalties
/// grey (red is kept for targets).
const LAYERS: [RGBColor; 4] = [
    RGBColor(61, 133, 198),
    RGBColor(230, 145, 56),
    RGBColor(120, 120, 120),
    RGBColor(106, 168, 79),
];

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("chart: {e:?}")
}

/// A value per interval of the week, `(hours since Monday 00:00, value)`
/// each held for `step_h`, as a step line in days since Monday (the week
/// axis); down to zero across hours without a value (closed).
fn steps(points: &[(f64, f64)], step_h: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(2 * points.len() + 2);
    for (k, &(x, y)) in points.iter().enumerate() {
        let gap_before = k == 0 || points[k - 1].0 + step_h + 1e-9 < x;
        if gap_before {
            out.push((x / 24.0, 0.0));
        }
        out.push((x / 24.0, y));
        out.push(((x + step_h) / 24.0, y));
        let gap_after = points.get(k + 1).is_none_or(|n| x + step_h + 1e-9 < n.0);
        if gap_after {
            out.push(((x + step_h) / 24.0, 0.0));
        }
    }
    out
}

/// A week axis in days (ticks on midnights) and quarters of days: the
/// day's name at midnight, the hour at 06, 12 and 18 where they fit.
fn week_hours_label(x: &f64) -> String {
    let q = (x * 4.0).round();
    if (x * 4.0 - q).abs() > 1e-6 {
        return String::new();
    }
    let q = q as usize;
    match q % 4 {
        0 => DAYS.get(q / 4).map_or(String::new(), |s| (*s).to_string()),
        k => format!("{:02}", 6 * k),
    }
}

/// One queue's week: the requirement (line) against in-house agents and
/// the outsourcer's seats (stacked areas), per interval.
pub struct StaffingSeries<'a> {
    pub title: &'a str,
    pub step_h: f64,
    /// `(hour, required agents)`.
    pub required: Vec<(f64, f64)>,
    /// `(hour, in-house agents)`.
    pub in_house: Vec<(f64, f64)>,
    /// `(hour, outsourced seats in use)`.
    pub outsourced: Vec<(f64, f64)>,
}

pub fn staffing(s: &StaffingSeries) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (900, 260)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let stacked: Vec<(f64, f64)> = s
            .in_house
            .iter()
            .zip(&s.outsourced)
            .map(|(a, b)| (a.0, a.1 + b.1))
            .collect();
        let top = s
            .required
            .iter()
            .chain(&stacked)
            .map(|p| p.1)
            .fold(1.0_f64, f64::max)
            * 1.1;
        let mut chart = ChartBuilder::on(&root)
            .caption(s.title, (FONT, 16))
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(48)
            .build_cartesian_2d(0f64..7f64, 0f64..top)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(29)
            .x_label_formatter(&week_hours_label)
            .y_desc("agents")
            .disable_x_mesh()
            .draw()
            .map_err(err)?;
        let out_colour = RGBColor(230, 145, 56);
        let in_colour = RGBColor(61, 133, 198);
        chart
            .draw_series(
                AreaSeries::new(steps(&stacked, s.step_h), 0.0, out_colour.mix(0.6))
                    .border_style(out_colour),
            )
            .map_err(err)?
            .label("outsourced seats")
            .legend(box_mark(out_colour));
        chart
            .draw_series(
                AreaSeries::new(steps(&s.in_house, s.step_h), 0.0, in_colour.mix(0.6))
                    .border_style(in_colour),
            )
            .map_err(err)?
            .label("in-house agents")
            .legend(box_mark(in_colour));
        chart
            .draw_series(LineSeries::new(
                steps(&s.required, s.step_h),
                BLACK.stroke_width(2),
            ))
            .map_err(err)?
            .label("required (forecast)")
            .legend(line_mark(BLACK));
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        root.present().map_err(err)?;
    }
    Ok(out)
}

/// One queue's SL per interval against its target line.
pub fn service(title: &str, step_h: f64, sl: &[(f64, f64)], target: f64) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (900, 220)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 16))
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(48)
            .build_cartesian_2d(0f64..7f64, 0f64..1.0f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(29)
            .x_label_formatter(&week_hours_label)
            .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
            .y_desc("service level")
            .disable_x_mesh()
            .draw()
            .map_err(err)?;
        let blue = RGBColor(61, 133, 198);
        chart
            .draw_series(sl.iter().map(|&(x, y)| {
                Rectangle::new(
                    [(x / 24.0, 0.0), ((x + step_h) / 24.0, y)],
                    blue.mix(0.7).filled(),
                )
            }))
            .map_err(err)?
            .label("projected SL (exact)")
            .legend(box_mark(blue));
        chart
            .draw_series(LineSeries::new(
                [(0.0, target), (7.0, target)],
                RED.stroke_width(2),
            ))
            .map_err(err)?
            .label(format!("target {:.0}%", target * 100.0))
            .legend(line_mark(RED));
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        root.present().map_err(err)?;
    }
    Ok(out)
}

/// Bars, one per label, with an optional horizontal target line; values
/// as shares (`percent`) or amounts, each written above its bar ("–"
/// where there is none, so that a missing value never reads as a zero).
pub fn bars(
    title: &str,
    labels: &[String],
    values: &[Option<f64>],
    target: Option<f64>,
    percent: bool,
) -> Result<String, String> {
    let stacks: Vec<Vec<f64>> = values.iter().map(|v| vec![v.unwrap_or(0.0)]).collect();
    stacked_bars(
        title,
        labels,
        &stacks,
        &["value"],
        target,
        percent,
        Some(values),
    )
}

/// Stacked bars, one stack per label, one colour per layer; with
/// `values`, each bar's value written above it ("–" where `None`).
pub fn stacked_bars(
    title: &str,
    labels: &[String],
    stacks: &[Vec<f64>],
    layers: &[&str],
    target: Option<f64>,
    percent: bool,
    values: Option<&[Option<f64>]>,
) -> Result<String, String> {
    let mut out = String::new();
    let n = labels.len().max(1);
    {
        // Each bar as wide as its label needs (about 6 px a character at
        // the axis's size), within reason; longer labels are cut with
        // an ellipsis so that neighbours never overlap (the table beside
        // the chart has them whole).
        let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1);
        let per_bar = (longest as u32 * 6 + 16).clamp(90, 170);
        let width = (140 + per_bar * n as u32).clamp(480, 1100);
        let fits = (((width - 140) / n as u32).saturating_sub(16) / 6).max(4) as usize;
        let root = SVGBackend::with_string(&mut out, (width, 280)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        // Shares start ten points under the lowest bar or target (by tens),
        // not at 0: the band around the target is what a reader compares.
        // Above the bars, room for the legend, so that it covers none.
        let bottom = if percent {
            // A value given counts even at 0 (a queue left unanswered);
            // otherwise an empty stack is no value.
            let lowest = stacks
                .iter()
                .enumerate()
                .map(|(i, s)| (i, s.iter().sum::<f64>()))
                .filter(|(i, v)| match values {
                    Some(vs) => vs.get(*i).is_some_and(Option::is_some),
                    None => *v > 0.0,
                })
                .map(|(_, v)| v)
                .chain(target)
                .fold(1.0_f64, f64::min);
            ((lowest - 0.1) * 10.0).floor().max(0.0) / 10.0
        } else {
            0.0
        };
        // Layers with nothing in any bar stay out of the legend.
        let shown: Vec<bool> = (0..layers.len())
            .map(|k| stacks.iter().any(|s| s.get(k).is_some_and(|v| *v > 0.0)))
            .collect();
        let lines = if layers.len() > 1 {
            shown.iter().filter(|s| **s).count()
        } else {
            0
        } + usize::from(target.is_some());
        // The plot is about 200 px high; the legend box takes 15 px a line
        // and 25 px of padding, above the highest bar (and its value).
        let over_bar = if values.is_some() { 14 } else { 0 };
        let legend_room = if lines > 0 {
            200.0 / (200.0 - (15 * lines + 25 + over_bar) as f64)
        } else {
            200.0 / (200.0 - (12 + over_bar) as f64)
        };
        let top = if percent {
            1.0 + (1.0 - bottom) * (legend_room - 1.0)
        } else {
            stacks
                .iter()
                .map(|s| s.iter().sum::<f64>())
                .fold(1.0_f64, f64::max)
                * legend_room
        };
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 16))
            .margin(8)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d((0..(n - 1).max(1)).into_segmented(), bottom..top)
            .map_err(err)?;
        let names: Vec<String> = labels
            .iter()
            .map(|l| {
                if l.chars().count() > fits {
                    let cut: String = l.chars().take(fits.saturating_sub(1)).collect();
                    format!("{cut}…")
                } else {
                    l.clone()
                }
            })
            .collect();
        chart
            .configure_mesh()
            .x_labels(n)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&|y| {
                if percent && *y > 1.0 + 1e-9 {
                    String::new()
                } else if percent {
                    format!("{:.0}%", y * 100.0)
                } else {
                    format!("{y:.0}")
                }
            })
            .disable_x_mesh()
            .draw()
            .map_err(err)?;
        for (k, layer) in layers.iter().enumerate() {
            let colour = LAYERS[k % LAYERS.len()];
            let rects: Vec<Rectangle<(SegmentValue<usize>, f64)>> = stacks
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    // The layer from `below` to `below + v`, cut at the axis.
                    let below: f64 = s.iter().take(k).sum();
                    let end = below + s.get(k).copied().unwrap_or(0.0);
                    let base = below.max(bottom);
                    let v = (end - base).max(0.0);
                    let mut r = Rectangle::new(
                        [
                            (SegmentValue::Exact(i), base),
                            (SegmentValue::Exact(i + 1), base + v),
                        ],
                        colour.filled(),
                    );
                    r.set_margin(0, 0, 6, 6);
                    r
                })
                .collect();
            let series = chart.draw_series(rects).map_err(err)?;
            if layers.len() > 1 && shown[k] {
                series.label(*layer).legend(box_mark(colour));
            }
        }
        if let Some(values) = values {
            let style = TextStyle::from((FONT, 11).into_font())
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Bottom));
            let texts = values.iter().enumerate().map(|(i, v)| {
                let text = match v {
                    Some(x) if percent => format!("{:.2}%", x * 100.0),
                    Some(x) => format!("{x:.2}"),
                    None => "–".to_string(),
                };
                let at = v.unwrap_or(0.0).max(bottom);
                Text::new(text, (SegmentValue::CenterOf(i), at), style.clone())
            });
            chart.draw_series(texts).map_err(err)?;
        }
        if let Some(t) = target {
            chart
                .draw_series(LineSeries::new(
                    [(SegmentValue::Exact(0), t), (SegmentValue::Last, t)],
                    RED.stroke_width(2),
                ))
                .map_err(err)?
                .label(if percent {
                    format!("target {:.0}%", t * 100.0)
                } else {
                    format!("target {t:.2}")
                })
                .legend(line_mark(RED));
        }
        if layers.len() > 1 || target.is_some() {
            legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        }
        root.present().map_err(err)?;
    }
    Ok(out)
}

/// One agent's row of the roster chart.
pub struct GanttRow {
    pub label: String,
    /// Colour index (the agent's group).
    pub colour: usize,
    /// `(from, to)` in hours since Monday 00:00.
    pub shifts: Vec<(f64, f64)>,
    pub breaks: Vec<(f64, f64)>,
}

/// The roster as a Gantt chart: one row per agent over the week, shifts as
/// bars, breaks cut out in grey.
pub fn gantt(title: &str, rows: &[&GanttRow]) -> Result<String, String> {
    let mut out = String::new();
    let n = rows.len().max(1);
    {
        // Rows of 14 px, so that every agent's label fits; the day and
        // hour axis above and below, so that a printed page shows one.
        let height = 100 + 14 * n as u32;
        let root = SVGBackend::with_string(&mut out, (1000, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 16))
            .margin(8)
            .x_label_area_size(24)
            .top_x_label_area_size(24)
            .y_label_area_size(90)
            .build_cartesian_2d(0f64..7f64, 0f64..n as f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(29)
            .x_label_formatter(&week_hours_label)
            .x_label_style((FONT, 10))
            .y_labels(0)
            .disable_y_mesh()
            .draw()
            .map_err(err)?;
        // Every agent's label beside its row (the axis would thin them out).
        let style =
            TextStyle::from((FONT, 10).into_font()).pos(Pos::new(HPos::Right, VPos::Center));
        for (k, r) in rows.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(0.0, (n - 1 - k) as f64 + 0.5));
            root.draw(&Text::new(r.label.clone(), (x - 6, y), style.clone()))
                .map_err(err)?;
        }
        for (k, r) in rows.iter().enumerate() {
            let y = (n - 1 - k) as f64;
            let colour = Palette99::pick(r.colour).to_rgba();
            chart
                .draw_series(r.shifts.iter().map(|&(a, b)| {
                    Rectangle::new([(a / 24.0, y + 0.1), (b / 24.0, y + 0.9)], colour.filled())
                }))
                .map_err(err)?;
            chart
                .draw_series(r.breaks.iter().map(|&(a, b)| {
                    Rectangle::new(
                        [(a / 24.0, y + 0.25), (b / 24.0, y + 0.75)],
                        RGBColor(235, 235, 235).filled(),
                    )
                }))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(out)
}

/// Lines over a swept value: one per series, with points.
pub fn curve(
    title: &str,
    x_desc: &str,
    series: &[(&str, Vec<(f64, f64)>)],
) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (900, 320)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let pts = series.iter().flat_map(|s| s.1.iter());
        let (mut x0, mut x1, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, 1.0_f64);
        for &(x, y) in pts {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        if !x0.is_finite() {
            (x0, x1) = (0.0, 1.0);
        }
        if x1 - x0 < 1e-9 {
            x1 = x0 + 1.0;
        }
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 16))
            .margin(8)
            .x_label_area_size(36)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, 0f64..y1 * 1.1)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc("cost")
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()
            .map_err(err)?;
        for (k, (name, points)) in series.iter().enumerate() {
            let colour = if k == 0 {
                BLACK
            } else {
                LAYERS[(k - 1) % LAYERS.len()]
            };
            chart
                .draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))
                .map_err(err)?
                .label(*name)
                .legend(line_mark(colour));
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 3, colour.filled())))
                .map_err(err)?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        root.present().map_err(err)?;
    }
    Ok(out)
}

#[cfg(test)]
mod legend_tests {
    /// `(x, y, width, height)` of the SVG's rectangles filled with `fill`
    /// at `opacity`.
    fn rects(svg: &str, fill: &str, opacity: &str) -> Vec<[f64; 4]> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("rect"))
            .filter(|n| {
                n.attribute("fill") == Some(fill) && n.attribute("opacity") == Some(opacity)
            })
            .map(|n| {
                ["x", "y", "width", "height"].map(|a| n.attribute(a).unwrap().parse().unwrap())
            })
            .collect()
    }

    /// A queue left unanswered (0%) is a bar at 0 on an axis from 0, its
    /// value written; a scenario without a plan says "–", not 0.
    #[test]
    fn bars_write_their_values_and_a_zero_is_not_a_gap() {
        let labels: Vec<String> = ["none", "zero", "kept"].map(String::from).to_vec();
        let svg = super::bars(
            "t",
            &labels,
            &[None, Some(0.0), Some(0.8267)],
            Some(0.8),
            true,
        )
        .unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect();
        for t in ["–", "0.00%", "82.67%", "0%"] {
            assert!(texts.contains(&t), "{t}: {texts:?}");
        }
        // Without the zero, the axis starts near the target.
        let svg = super::bars("t", &labels[..1], &[Some(0.8267)], Some(0.8), true).unwrap();
        assert!(!svg.contains("\n0%\n") && svg.contains("\n70%\n"), "{svg}");
    }

    /// Issue 25: legends covered the bars. The legend box never overlaps
    /// a bar, however many layers it lists, the highest bar under it, in
    /// money and in shares with a target; empty layers stay out of it.
    #[test]
    fn the_legend_covers_no_bar() {
        let layers = ["wages", "premiums", "outsourcing", "penalties"];
        let labels: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        for shown in 1..=4 {
            for (scale, target, percent) in [(14015.0, None, false), (0.97, Some(0.8), true)] {
                // The highest bar last, under the legend's corner, with
                // `shown` layers that have something.
                let mut last = vec![0.0; 4];
                for v in last.iter_mut().take(shown) {
                    *v = scale / shown as f64;
                }
                let stacks = vec![
                    vec![scale * 0.6, 0.0, 0.0, 0.0],
                    vec![scale * 0.4, 0.0, 0.0, 0.0],
                    vec![scale * 0.2, 0.0, 0.0, 0.0],
                    last,
                ];
                let svg =
                    super::stacked_bars("t", &labels, &stacks, &layers, target, percent, None)
                        .unwrap();
                let boxes = rects(&svg, "#FFFFFF", "0.85");
                // Several layers: each one with something is listed.
                let [lx, ly, lw, lh] = boxes[0];
                let entries = super::LAYERS
                    .iter()
                    .map(|c| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2))
                    .map(|fill| {
                        rects(&svg, &fill, "1")
                            .into_iter()
                            .filter(|r| (r[2] - 12.0).abs() < 0.5 && (r[3] - 10.0).abs() < 0.5)
                            .count()
                    })
                    .sum::<usize>();
                assert_eq!(entries, shown, "{shown}");
                for c in super::LAYERS {
                    let fill = format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
                    for [x, y, w, h] in rects(&svg, &fill, "1") {
                        let bar = h > 0.0 && w > 12.0;
                        let overlaps = x < lx + lw && lx < x + w && y < ly + lh && ly < y + h;
                        assert!(
                            !(bar && overlaps),
                            "{shown} layers, percent {percent}: bar {:?} under the legend {:?}",
                            [x, y, w, h],
                            [lx, ly, lw, lh]
                        );
                    }
                }
            }
        }
    }
}
