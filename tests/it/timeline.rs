//! `/timeline/` over the `treaties` fixture: every dated event newest first, grouped by year,
//! each linking to a page that exists; the overview chart; an entry page's own events.

use crate::util::*;

#[test]
fn events_newest_first_by_year_with_links() {
    let site = Site::fixture("treaties");
    site.build_ok(&[]);
    let doc = site.html("timeline/index.html");
    assert_eq!(
        texts(&doc, ".timeline-year h2"),
        ["2019", "2018", "2016", "2014", "2004", "2003", "2002", "2001"]
    );
    assert_eq!(
        texts(&doc, ".events li"),
        [
            "5 May 2019 Adopted: Pending Protocol",
            // The same day: by kind, establishment before dissolution.
            "21 March 2018 Established: New Commission",
            "21 March 2018 Dissolved: Old Leading Group",
            "1 January 2016 Published: A later look",
            "27 February 2014 Established: Old Leading Group",
            // China is a state of interest; Alpha's consent is not an event.
            "10 May 2004 China: accession, Model Convention",
            "1 January 2003 Entered into force: Model Convention",
            "1 July 2002 Published: An early look",
            "1 March 2001 Adopted: Model Convention",
        ]
    );
    let dates = attrs(&doc, ".events time", "datetime");
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
    for href in attrs(&doc, ".events a", "href") {
        let rel = href.trim_start_matches('/');
        assert!(site.exists(&format!("{rel}index.html")), "{href}");
    }
    // One bar per year with events.
    assert_eq!(doc.select(&sel("figure.chart-figure svg rect")).count(), 8);
    assert_eq!(attrs(&doc, "figure.chart-figure svg", "role"), ["img"]);
}

#[test]
fn in_the_sitemap_and_the_navigation() {
    let site = Site::fixture("treaties");
    site.build_ok(&[]);
    assert!(site.read("sitemap.xml").contains("<loc>/timeline/</loc>"));
    let home = site.html("index.html");
    assert!(attrs(&home, "nav.site-nav a", "href").contains(&"/timeline/".to_string()));
    let page = site.html("timeline/index.html");
    assert_eq!(
        attrs(&page, "nav.site-nav a[aria-current=page]", "href"),
        ["/timeline/"]
    );
}

#[test]
fn an_entry_page_shows_its_own_events_oldest_first() {
    let site = Site::fixture("treaties");
    site.build_ok(&[]);
    let doc = site.html("glossary/treaties/model-convention/index.html");
    assert_eq!(
        texts(&doc, ".entry-events .events li"),
        [
            "1 March 2001 Adopted: Model Convention",
            "1 January 2003 Entered into force: Model Convention",
            "10 May 2004 China: accession, Model Convention",
        ]
    );
}
