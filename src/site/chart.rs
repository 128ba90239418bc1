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
/// accessible name and text alternative. `None` without points.
pub fn steps(
    id: &str,
    title: &str,
    desc: &str,
    points: &[(Date, usize)],
    end: Date,
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
        "<g class=\"chart-labels\" fill=\"currentColor\" font-size=\"13\">\
         <text x=\"{pl}\" y=\"{:.1}\" text-anchor=\"start\">{}</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
         <text x=\"{:.1}\" y=\"{base:.1}\" text-anchor=\"end\" dominant-baseline=\"middle\">0</text>\
         <text x=\"{:.1}\" y=\"{pt}\" text-anchor=\"end\" dominant-baseline=\"middle\">{top}</text></g>",
        H - 8.0,
        first.0.year,
        W - pr,
        H - 8.0,
        Date::from_days(x1).year,
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
            p.0.text(),
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
         <g class=\"chart-labels\" fill=\"currentColor\" font-size=\"13\">\
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
        )
        .unwrap();
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("<title id=\"c-title\">T &lt;1&gt;</title>"));
        assert!(svg.contains(">2000</text>") && svg.contains(">2020</text>"));
        assert!(steps("c", "t", "d", &[], d("2020-01-01")).is_none());
        // One point on the end date: no division by zero.
        let one = steps("c", "t", "d", &[(d("2020-01-01"), 0)], d("2020-01-01")).unwrap();
        assert!(!one.contains("NaN") && !one.contains("inf"));
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
