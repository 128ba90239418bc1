use super::*;

fn fonts() -> Fonts {
    let (f, d) = Fonts::load(Path::new("."), &[], Path::new("scholia.yaml"));
    assert!(d.is_empty(), "{d:?}");
    f
}

/// The default theme's text in `code`.
fn text(code: &str) -> &'static Text {
    static TEXTS: OnceLock<std::collections::HashMap<String, Text>> = OnceLock::new();
    let all = TEXTS.get_or_init(|| {
        crate::theme::embedded::i18n_files()
            .into_iter()
            .map(|(file, yaml)| {
                let code = file.trim_end_matches(".yaml").to_string();
                (code, i18n::parse(Path::new(&file), &yaml).0)
            })
            .collect()
    });
    &all[code]
}

fn card<'a>(title: &'a str, authors: &'a [String]) -> Card<'a> {
    Card {
        title,
        authors,
        date: Date::parse("2014-03-01").unwrap(),
        site: "Cyber Policy Commentary",
        text: text("en"),
    }
}

/// Width, height and RGB pixels, decoded.
fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn draw_card(c: &Card) -> (u32, u32, Vec<u8>) {
    let f = fonts();
    decode(&draw(c, &f, c.key(&f)).unwrap())
}

/// Whether every pixel of the rectangle is the background.
fn blank(pixels: &[u8], x: std::ops::Range<u32>, y: std::ops::Range<u32>) -> bool {
    let bg = [0xfc, 0xfa, 0xf5];
    y.flat_map(|y| x.clone().map(move |x| (x, y)))
        .all(|(x, y)| {
            let i = ((y * WIDTH + x) * 3) as usize;
            pixels[i..i + 3] == bg
        })
}

/// Whether the title band has ink in it.
fn inked(pixels: &[u8]) -> bool {
    !blank(
        pixels,
        LEFT as u32..RIGHT as u32,
        TITLE_TOP as u32..TITLE_BOTTOM as u32,
    )
}

/// Nothing drawn in the margins of the title band, nor between it and the rule.
fn stays_inside(pixels: &[u8]) {
    let (top, bottom) = (TITLE_TOP as u32 - 20, RULE_Y as u32);
    assert!(
        blank(pixels, 0..LEFT as u32 - 6, top..bottom),
        "ink in the left margin"
    );
    assert!(
        blank(pixels, RIGHT as u32 + 6..WIDTH, top..bottom),
        "ink in the right margin"
    );
    assert!(
        blank(pixels, 0..WIDTH, TITLE_BOTTOM as u32 + 12..bottom),
        "ink below the title"
    );
}

#[test]
fn a_card_is_a_1200_by_630_png_with_its_title_drawn() {
    let a = ["Ada Lovelace".to_string()];
    let (w, h, pixels) = draw_card(&card("Cyber norms after 2015", &a));
    assert_eq!((w, h), (1200, 630));
    assert_eq!(pixels.len(), 1200 * 630 * 3, "RGB, 8 bits");
    assert!(inked(&pixels));
    stays_inside(&pixels);
}

#[test]
fn a_long_title_is_set_smaller_and_cut_never_overflowing() {
    let long = "The Convention on Cybercrime, the Shanghai Cooperation Organisation's code of conduct and the norms of responsible state behaviour: ".repeat(6);
    let f = fonts();
    let a = ["A. Author".to_string(), "B. Author".to_string()];
    let c = card(&long, &a);
    let (_, _, pixels) = decode(&draw(&c, &f, 1).unwrap());
    assert!(inked(&pixels));
    stays_inside(&pixels);
    // It was cut, with an ellipsis, at the smallest size.
    let last = svg(&c, &f, &[], SIZES.len() - 1, true);
    assert!(last.contains('…'), "{last}");
}

#[test]
fn a_title_without_spaces_breaks_between_letters() {
    let title = "Supercalifragilisticexpialidocious".repeat(5);
    let (_, _, pixels) = draw_card(&card(&title, &[]));
    assert!(inked(&pixels));
    stays_inside(&pixels);
    let bold = Measure::new(BOLD, &[]);
    let lines = wrap(&title, 20.0, &bold);
    assert!(lines.len() > 1);
    assert_eq!(lines.concat(), title, "no letter lost or added");
    assert!(lines.iter().all(|l| bold.width(l) <= 20.0));
}

#[test]
fn han_text_breaks_between_characters_and_latin_words_stay_whole() {
    let w: Vec<(String, bool)> = words("中美 cyber 网络安全 talks");
    let shown: Vec<(&str, bool)> = w.iter().map(|(s, b)| (s.as_str(), *b)).collect();
    assert_eq!(
        shown,
        [
            ("中", false),
            ("美", false),
            ("cyber", true),
            ("网", true),
            ("络", false),
            ("安", false),
            ("全", false),
            ("talks", true)
        ]
    );
}

#[test]
fn closing_punctuation_never_starts_a_line() {
    let w: Vec<String> = words("网络，安全。").into_iter().map(|(s, _)| s).collect();
    assert_eq!(w, ["网", "络，", "安", "全。"]);
}

#[test]
fn a_title_of_a_whole_front_matter_is_cut_in_one_pass() {
    // 60,000 letters without a space: cut at the smallest size, never trimmed letter by
    // letter from the end (which would take minutes).
    let title = "x".repeat(60_000);
    let (w, _, pixels) = draw_card(&card(&title, &[]));
    assert_eq!(w, WIDTH);
    stays_inside(&pixels);
}

#[test]
fn a_right_to_left_title_is_set_from_the_right() {
    assert!(right_to_left("«اتفاقية بودابست»"));
    assert!(!right_to_left("Budapest اتفاقية"));
    let title = "اتفاقية بودابست لمكافحة الجريمة الإلكترونية";
    let (_, _, pixels) = draw_card(&card(title, &[]));
    // DejaVu Sans, where it is installed, draws it; either way nothing leaves the band,
    // and the ink starts at the right.
    stays_inside(&pixels);
    let f = fonts();
    if f.missing(title).is_empty() {
        let mid = LEFT as u32 + (RIGHT - LEFT) as u32 / 2;
        assert!(!blank(
            &pixels,
            mid..RIGHT as u32,
            TITLE_TOP as u32..TITLE_BOTTOM as u32
        ));
    }
}

#[test]
fn the_image_follows_the_title_authors_date_and_site_name() {
    let f = fonts();
    let a = ["Ada Lovelace".to_string()];
    let base = card("Cyber norms after 2015", &a);
    let png = draw(&base, &f, base.key(&f)).unwrap();
    let other = ["Bo Chen".to_string()];
    let changes = [
        card("Cyber norms after 2016", &a),
        card("Cyber norms after 2015", &other),
        Card {
            date: Date::parse("2014-03-02").unwrap(),
            ..base
        },
        Card {
            site: "Another Review",
            ..base
        },
    ];
    for c in changes {
        assert_ne!(c.key(&f), base.key(&f), "{c:?}");
        assert_ne!(draw(&c, &f, c.key(&f)).unwrap(), png, "{c:?}");
    }
    // The same card is the same bytes.
    assert_eq!(draw(&base, &f, base.key(&f)).unwrap(), png);
}

#[test]
fn a_card_records_the_key_it_was_drawn_from() {
    let f = fonts();
    let c = card("Keys", &[]);
    let png = draw(&c, &f, 0x1234).unwrap();
    let prefix = &png[..crate::site::write::PREFIX];
    assert!(is_drawn_from(prefix, 0x1234));
    assert!(!is_drawn_from(prefix, 0x1235));
    assert!(!is_drawn_from(b"not a png", 0x1234));
    assert!(!is_drawn_from(&png[..40], 0x1234), "cut before the chunk");
}

#[test]
fn characters_no_font_has_are_named_once() {
    let f = fonts();
    assert!(f.missing("Budapest Convention, 2001 — «Ça»").is_empty());
    assert_eq!(f.missing("a\u{378}b\u{378}\u{379}"), ['\u{378}', '\u{379}']);
    let d = missing_glyphs(&f, "x\u{378}", "title", (Path::new("a.md"), 2, 8)).unwrap();
    assert_eq!(
        d.to_string().lines().next().unwrap(),
        "warning: a.md:2:8: no font can draw `\u{378}` (U+0378) of the `title` on the link card, which would show an empty box; add a font that has it to `fonts:` in scholia.yaml (for Chinese, Japanese or Korean, Noto Sans CJK: Debian's fonts-noto-cjk)"
    );
}

#[test]
fn a_configured_font_is_used_for_what_the_embedded_one_lacks() {
    // DejaVu Sans is not embedded; if the machine has it, name it as a site would.
    let dejavu = Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    if !dejavu.exists() {
        return;
    }
    let files = [crate::config::FontFile {
        path: dejavu.display().to_string(),
        line: 2,
        col: 5,
    }];
    let (f, d) = Fonts::load(Path::new("."), &files, Path::new("scholia.yaml"));
    assert!(d.is_empty(), "{d:?}");
    assert!(f.families.contains("'DejaVu Sans'"), "{}", f.families);
    // Charis has no arrows block's ⇄ (U+21C4); DejaVu Sans has.
    assert!(!covers(&fonts().ranges, '⇄'));
    assert!(f.has('⇄'));
    assert_ne!(f.fp, fonts().fp, "the key follows the fonts");
}

#[test]
fn the_date_and_byline_are_in_the_commentarys_language() {
    let f = fonts();
    let authors = ["Li Wei".to_string(), "Ann Lee".to_string()];
    let en = card("网络安全", &authors);
    let zh = Card {
        text: text("zh"),
        ..en
    };
    assert_eq!(en.date_text(), "1 March 2014");
    assert_eq!(zh.date_text(), "2014年3月1日");
    assert_eq!(
        zh.alt(),
        "网络安全. 作者： Li Wei 和 Ann Lee. 2014年3月1日. Cyber Policy Commentary"
    );
    let (_, faces) = f.choose(&zh.texts().each_ref().map(String::as_str));
    let drawn = svg(&zh, &f, &faces, 0, true);
    assert!(drawn.contains(">2014年3月1日</text>"), "{drawn}");
    assert!(!drawn.contains("March"), "{drawn}");
    assert_ne!(zh.key(&f), en.key(&f));
}
