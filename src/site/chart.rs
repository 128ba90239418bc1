//! Charts drawn at build time as inline SVG: no JavaScript, readable in both colour schemes
//! (every stroke and label is `currentColor`, so the text colour of the page draws them) and
//! in print, scaled to the width of the column by the stylesheet.

use crate::content::Date;
use crate::html::escape;
use std::fmt::Write;

const W: f64 = 640.0;
const H: f64 = 220.0;
/// Room for the labels: left, right, top, bottom.
const PAD: (f64, f64, f64, f64) = (44.0, 16.0, 14.0, 30.0);

/// A step chart of a count over time: one point per `(date, count)` (oldest first), the
/// count holding until the next point, and the last one until `end`. `id` makes the ids of
/// the title and description unique in the page; `title` and `desc` are the chart's
/// accessible name and text alternative; `date` writes a date in the page's language. `None`
/// without points.
pub fn steps(
    id: &str,
    title: &str,
    desc: &str,
    points: &[(Date, usize)],
    end: Date,
    date: impl Fn(Date) -> String,
) -> Option<String> {
    let first = points.first()?;
    let last = points.last()?;
    let x0 = first.0.days();
    let x1 = end.days().max(last.0.days());
    let span = (x1 - x0).max(1) as f64;
    let top = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    let (pl, pr, pt, pb) = PAD;
    let x = |d: Date| pl + (d.days() - x0) as f64 / span * (W - pl - pr);
    let y = |n: usize| pt + (1.0 - n as f64 / top as f64) * (H - pt - pb);
    let base = y(0);
    // Within one year the years alone would read `1945 … 1945`: give the dates.
    let same_year = first.0.year == Date::from_days(x1).year;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(desc)
    );
    // Axes and their labels: the first and last year, zero and the highest count.
    let _ = write!(
        s,
        "<g class=\"chart-axes\" stroke=\"currentColor\" stroke-width=\"1\">\
         <line x1=\"{pl}\" y1=\"{base:.1}\" x2=\"{:.1}\" y2=\"{base:.1}\"/>\
         <line x1=\"{pl}\" y1=\"{pt}\" x2=\"{pl}\" y2=\"{base:.1}\"/></g>",
        W - pr
    );
    let _ = write!(
        s,
        "<g class=\"chart-labels\" fill=\"currentColor\" font-size=\"18\">\
         <text x=\"{pl}\" y=\"{:.1}\" text-anchor=\"start\">{}</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
         <text x=\"{:.1}\" y=\"{base:.1}\" text-anchor=\"end\" dominant-baseline=\"middle\">0</text>\
         <text x=\"{:.1}\" y=\"{pt}\" text-anchor=\"end\" dominant-baseline=\"middle\">{top}</text></g>",
        H - 8.0,
        span_label(first.0, same_year, &date),
        W - pr,
        H - 8.0,
        span_label(Date::from_days(x1), same_year, &date),
        pl - 6.0,
        pl - 6.0,
    );
    // The line: from the base at the first date, then across and up or down at each point.
    let mut d = format!("M{:.1} {base:.1}", x(first.0));
    for p in points {
        let _ = write!(d, "H{:.1}V{:.1}", x(p.0), y(p.1));
    }
    let _ = write!(d, "H{:.1}", W - pr);
    let _ = write!(
        s,
        "<path class=\"chart-line\" d=\"{d}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2.5\"/>"
    );
    s.push_str("<g class=\"chart-points\" fill=\"currentColor\">");
    for p in points {
        let _ = write!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\"><title>{}: {}</title></circle>",
            x(p.0),
            y(p.1),
            escape(&date(p.0)),
            p.1
        );
    }
    s.push_str("</g></svg>");
    Some(s)
}

/// A bar chart of counts by year (oldest first): one bar per year given, placed on a time
/// axis from the first year to the last, so that empty years show as gaps. `None` without
/// years.
pub fn bars(id: &str, title: &str, desc: &str, counts: &[(u16, usize)]) -> Option<String> {
    let first = counts.first()?.0;
    let last = counts.last()?.0.max(first);
    let slots = f64::from(last - first + 1);
    let top = counts.iter().map(|c| c.1).max().unwrap_or(0).max(1);
    let (pl, pr, pt, pb) = PAD;
    let slot = (W - pl - pr) / slots;
    let base = H - pb;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
         <g class=\"chart-axes\" stroke=\"currentColor\" stroke-width=\"1\"><line x1=\"{pl}\" y1=\"{base}\" x2=\"{:.1}\" y2=\"{base}\"/></g>\
         <g class=\"chart-labels\" fill=\"currentColor\" font-size=\"18\">\
         <text x=\"{pl}\" y=\"{:.1}\" text-anchor=\"start\">{first}</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{last}</text>\
         <text x=\"{:.1}\" y=\"{pt}\" text-anchor=\"end\" dominant-baseline=\"middle\">{top}</text></g>\
         <g class=\"chart-bars\" fill=\"currentColor\">",
        escape(title),
        escape(desc),
        W - pr,
        H - 8.0,
        W - pr,
        H - 8.0,
        pl - 6.0,
    );
    for &(year, n) in counts {
        let h = n as f64 / top as f64 * (base - pt);
        let x = pl + f64::from(year - first) * slot + slot * 0.15;
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\"><title>{year}: {n}</title></rect>",
            base - h,
            (slot * 0.7).max(1.0)
        );
    }
    s.push_str("</g></svg>");
    Some(s)
}

/// An axis end: the year, or the date when the axis spans less than a year.
fn span_label(d: Date, same_year: bool, date: impl Fn(Date) -> String) -> String {
    if same_year {
        escape(&date(d))
    } else {
        d.year.to_string()
    }
}

/// A box of the relations diagram: a body's name and its years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The body's name (wrapped to three lines at most).
    pub name: String,
    /// `2014–2018`, `since 2018`, or empty.
    pub years: String,
}

/// Splits `text` into lines of at most `width` characters at spaces, `max` lines at most (the
/// last one ends in `…` when text is left over).
fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.len() > max {
        lines.truncate(max);
        if let Some(l) = lines.last_mut() {
            l.push('…');
        }
    }
    lines
}

/// The bodies around one body, for [`relations`].
pub struct Around<'a> {
    /// Drawn above.
    pub parent: Option<&'a Node>,
    /// Drawn to the left, stacked, each with an arrow into the body.
    pub predecessors: &'a [Node],
    /// Drawn to the right, with an arrow from the body.
    pub successor: Option<&'a Node>,
    /// Drawn below, stacked.
    pub children: &'a [Node],
}

/// The diagram of a body among its relations: its parent above it, its predecessors to the
/// left (arrows into it), its successor to the right (an arrow out), its parts below (a
/// dashed line for rank, a solid arrow for succession). The body itself is drawn heavier.
pub fn relations(id: &str, title: &str, desc: &str, center: &Node, around: Around) -> String {
    let Around {
        parent,
        predecessors,
        successor,
        children,
    } = around;
    const BW: f64 = 180.0;
    const BH: f64 = 106.0;
    // Large type: at 400 px the diagram is drawn at about 0.55 of its size.
    const FONT: f64 = 19.0;
    const LH: f64 = 22.0;
    const GAP: f64 = 14.0;
    let col = |c: usize| 10.0 + c as f64 * (BW + 40.0);
    let stack = |n: usize| n as f64 * BH + n.saturating_sub(1) as f64 * GAP;
    let row1_h = stack(predecessors.len().max(1));
    let top = if parent.is_some() {
        BH + 2.0 * GAP
    } else {
        0.0
    } + GAP;
    let center_y = top + (row1_h - BH) / 2.0;
    let below = top + row1_h + 2.0 * GAP;
    let height = if children.is_empty() {
        top + row1_h + GAP
    } else {
        below + stack(children.len()) + GAP
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart diagram\" viewBox=\"0 0 {W} {height:.0}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
         <defs><marker id=\"{id}-arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M0 0L8 4L0 8z\" fill=\"currentColor\"/></marker></defs>",
        escape(title),
        escape(desc)
    );
    let node = |s: &mut String, n: &Node, x: f64, y: f64, current: bool| {
        let mut lines = wrap(&n.name, 16, if n.years.is_empty() { 4 } else { 3 });
        if !n.years.is_empty() {
            lines.push(n.years.clone());
        }
        let class = if current { "node node-current" } else { "node" };
        let width = if current { 3 } else { 1 };
        let _ = write!(
            s,
            "<g class=\"{class}\"><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{BW}\" height=\"{BH}\" rx=\"6\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"{width}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"currentColor\" font-size=\"{FONT}\">",
            x + BW / 2.0,
            y + BH / 2.0 - (lines.len() as f64 - 1.0) * LH / 2.0 + FONT / 3.0
        );
        for (k, l) in lines.iter().enumerate() {
            let dy = if k == 0 { 0.0 } else { LH };
            let _ = write!(
                s,
                "<tspan x=\"{:.1}\" dy=\"{dy}\">{}</tspan>",
                x + BW / 2.0,
                escape(l)
            );
        }
        s.push_str("</text></g>");
    };
    let line = |s: &mut String, (x1, y1): (f64, f64), (x2, y2): (f64, f64), succession: bool| {
        let style = if succession {
            format!(" marker-end=\"url(#{id}-arrow)\"")
        } else {
            " stroke-dasharray=\"5 4\"".to_string()
        };
        let _ = write!(
            s,
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"currentColor\" stroke-width=\"1.5\"{style}/>"
        );
    };
    let mid = col(1) + BW / 2.0;
    if let Some(p) = parent {
        node(&mut s, p, col(1), GAP, false);
        line(&mut s, (mid, GAP + BH), (mid, center_y), false);
    }
    for (k, p) in predecessors.iter().enumerate() {
        let y = top + k as f64 * (BH + GAP);
        node(&mut s, p, col(0), y, false);
        line(
            &mut s,
            (col(0) + BW, y + BH / 2.0),
            (col(1), center_y + BH / 2.0),
            true,
        );
    }
    node(&mut s, center, col(1), center_y, true);
    if let Some(n) = successor {
        node(&mut s, n, col(2), center_y, false);
        line(
            &mut s,
            (col(1) + BW, center_y + BH / 2.0),
            (col(2), center_y + BH / 2.0),
            true,
        );
    }
    for (k, c) in children.iter().enumerate() {
        let y = below + k as f64 * (BH + GAP);
        node(&mut s, c, col(1), y, false);
        if k == 0 {
            line(&mut s, (mid, center_y + BH), (mid, y), false);
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_circle_per_point_and_nothing_without_points() {
        let d = |s| Date::parse(s).unwrap();
        let svg = steps(
            "c",
            "T <1>",
            "D & d",
            &[(d("2000-01-01"), 1), (d("2010-01-01"), 3)],
            d("2020-01-01"),
            |d| format!("{}年", d.year),
        )
        .unwrap();
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("<title id=\"c-title\">T &lt;1&gt;</title>"));
        assert!(svg.contains(">2000</text>") && svg.contains(">2020</text>"));
        // A point's tooltip is the date as the page's language writes it.
        assert!(svg.contains("<title>2010年: 3</title>"), "{svg}");
        assert!(steps("c", "t", "d", &[], d("2020-01-01"), |d| d.text()).is_none());
        // One point on the end date: no division by zero.
        let one = steps(
            "c",
            "t",
            "d",
            &[(d("2020-01-01"), 0)],
            d("2020-01-01"),
            |d| d.text(),
        )
        .unwrap();
        assert!(!one.contains("NaN") && !one.contains("inf"));
    }

    #[test]
    fn a_box_per_body_and_wrapped_names() {
        let n = |name: &str| Node {
            name: name.into(),
            years: "2014–2018".into(),
        };
        let svg = relations(
            "r",
            "t",
            "d",
            &n("Central Leading Group for Internet Security and Informatization"),
            Around {
                parent: Some(&n("Central Committee")),
                predecessors: &[n("A"), n("B")],
                successor: Some(&n("Commission")),
                children: &[n("C")],
            },
        );
        assert_eq!(svg.matches("<rect").count(), 6);
        assert_eq!(svg.matches("node-current").count(), 1);
        // Two arrows in, one out; a dashed line up and one down.
        assert_eq!(svg.matches("marker-end").count(), 3);
        assert_eq!(svg.matches("stroke-dasharray").count(), 2);
        assert_eq!(
            wrap(
                "Central Leading Group for Internet Security and Informatization",
                16,
                2
            ),
            ["Central Leading", "Group for…"]
        );
    }

    #[test]
    fn one_bar_per_year_with_events() {
        let svg = bars("t", "t", "d", &[(1990, 1), (2000, 4), (2001, 2)]).unwrap();
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("<title>2000: 4</title>"));
        assert!(bars("t", "t", "d", &[]).is_none());
        let one = bars("t", "t", "d", &[(2020, 0)]).unwrap();
        assert!(!one.contains("NaN") && !one.contains("inf"));
    }
}
