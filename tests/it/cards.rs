//! Link cards (issue 16): `commentaries/<slug>/card.png`, 1200×630, and the page's
//! `og:image` and `twitter:card`, over the `citable` fixture (absolute `base_url`).

use crate::util::*;
use std::os::unix::fs::MetadataExt;

const ORDER: &str = "commentaries/order/index.html";
const CARD: &str = "commentaries/order/card.png";

/// Width, height and pixels (RGB) of a PNG of the output, decoded.
fn decode(site: &Site, rel: &str) -> (u32, u32, Vec<u8>) {
    let file = std::fs::File::open(site.out(rel)).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn meta(site: &Site, rel: &str, css: &str) -> Vec<String> {
    attrs(&site.html(rel), css, "content")
}

#[test]
fn each_commentary_has_a_card_named_by_its_open_graph_and_twitter_tags() {
    let site = Site::fixture("citable");
    site.build_ok(&[]);
    let (w, h, pixels) = decode(&site, CARD);
    assert_eq!((w, h), (1200, 630));
    // Drawn: the title's ink is darker than the background.
    assert!(pixels
        .chunks(3)
        .any(|p| p[0] < 80 && p[1] < 80 && p[2] < 80));
    let url = "https://example.org/review/commentaries/order/card.png";
    assert_eq!(meta(&site, ORDER, "meta[property='og:image']"), [url]);
    assert_eq!(meta(&site, ORDER, "meta[name='twitter:image']"), [url]);
    assert_eq!(
        meta(&site, ORDER, "meta[property='og:image:width']"),
        ["1200"]
    );
    assert_eq!(
        meta(&site, ORDER, "meta[property='og:image:height']"),
        ["630"]
    );
    assert_eq!(
        meta(&site, ORDER, "meta[name='twitter:card']"),
        ["summary_large_image"]
    );
    assert_eq!(
        meta(&site, ORDER, "meta[property='og:image:alt']"),
        ["Order & its <discontents>. By Ada Lee and Bo Chen. 1 May 2020. Citable Review"]
    );
    // Pages that are not commentaries have no image and no card type.
    let home = site.html("index.html");
    assert!(attrs(&home, "meta[property='og:image']", "content").is_empty());
    assert!(attrs(&home, "meta[name='twitter:card']", "content").is_empty());
}

#[test]
fn a_card_changes_with_its_title_and_is_reused_when_only_the_body_changes() {
    let site = Site::fixture("citable");
    site.build_ok(&[]);
    let first = std::fs::read(site.out(CARD)).unwrap();
    let inode = std::fs::metadata(site.out(CARD)).unwrap().ino();
    let path = "content/commentaries/2020-05-01-order.md";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();

    site.write(path, &format!("{text}\nA new closing paragraph.\n"));
    site.build_ok(&[]);
    assert_eq!(std::fs::read(site.out(CARD)).unwrap(), first);
    // The previous output's file itself, not a new drawing of it.
    assert_eq!(std::fs::metadata(site.out(CARD)).unwrap().ino(), inode);

    site.write(path, &text.replace("Order & its", "Disorder and its"));
    site.build_ok(&[]);
    let (w, h, _) = decode(&site, CARD);
    assert_eq!((w, h), (1200, 630));
    assert_ne!(std::fs::read(site.out(CARD)).unwrap(), first);
    let alt = meta(&site, ORDER, "meta[property='og:image:alt']");
    assert!(alt[0].starts_with("Disorder and its"), "{alt:?}");
}

#[test]
fn cards_are_off_unless_asked_for() {
    let site = Site::fixture("citable");
    let config = std::fs::read_to_string(site.root().join("scholia.yaml")).unwrap();
    site.write("scholia.yaml", &config.replace("cards: true\n", ""));
    site.build_ok(&[]);
    assert!(site.exists("commentaries/order/cite.bib"));
    assert!(!site.exists(CARD));
    assert!(meta(&site, ORDER, "meta[property='og:image']").is_empty());
    assert!(meta(&site, ORDER, "meta[name='twitter:card']").is_empty());
}

#[test]
fn a_root_relative_site_writes_the_card_but_names_no_image() {
    // Open Graph readers need an absolute URL, as for og:url.
    let site = Site::fixture("citable");
    site.build_ok(&["--base-url", "/"]);
    assert!(site.exists(CARD));
    assert!(meta(&site, ORDER, "meta[property='og:image']").is_empty());
    assert!(meta(&site, ORDER, "meta[property='og:url']").is_empty());
}

#[test]
fn a_title_letter_no_font_has_is_a_warning_at_the_title() {
    // U+0378 is unassigned: no font, here or on any machine, has it.
    let site = Site::fixture("citable");
    site.write(
        "content/commentaries/2022-01-01-odd.md",
        "---\ndate: 2022-01-01\ntitle: \"Odd \u{378} sign\"\nauthors: [\"Ann \u{379}\"]\n---\n\nText.\n",
    );
    let r = site.run(&["build", "--message-format", "short"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let warnings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert_eq!(warnings.len(), 2, "{}", r.stderr);
    assert!(warnings[0].starts_with("warning: content/commentaries/2022-01-01-odd.md:3:8: no font can draw `\u{378}` (U+0378) of the `title` on the link card"), "{}", warnings[0]);
    assert!(warnings[1].starts_with("warning: content/commentaries/2022-01-01-odd.md:4:10: no font can draw `\u{379}` (U+0379) of the `authors`"), "{}", warnings[1]);
    // The card is drawn all the same.
    assert_eq!(decode(&site, "commentaries/odd/card.png").0, 1200);
}
