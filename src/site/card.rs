//! Link cards: the Open Graph image of each commentary (`commentaries/<slug>/card.png`,
//! 1200×630), drawn at build time with its title, authors, date and the site's name in the
//! default theme's colours.
//!
//! Lines are laid out here (the title wrapped, and set smaller until it fits) and drawn by
//! resvg from an SVG: usvg shapes the text (harfrust: kerning, ligatures, Arabic joining;
//! right-to-left runs through unicode-bidi) and falls back, character by character, to any
//! loaded font that has the character. The fonts: Charis SIL (compiled in; Latin, Greek,
//! Cyrillic), then the files `fonts:` names in `scholia.yaml` (a CJK font is about 20 MB, too
//! much to compile in), then, only for a card those do not cover, the system's fonts. A
//! character no font has is a warning at its front-matter line, never a blank box.
//!
//! Each PNG records the key of what it was drawn from in a `tEXt` chunk, so that a build,
//! which starts from an empty staging folder, can take the previous output's card instead of
//! drawing it again ([`super::output::Sink::reuse`], [`is_drawn_from`]).

use crate::codes;
use crate::content::Date;
use crate::error::Diagnostic;
use crate::theme::i18n::{self, Text};
use resvg::usvg::{self, fontdb};
use skrifa::instance::{LocationRef, Size};
use skrifa::MetadataProvider;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Width of a card, in pixels.
pub const WIDTH: u32 = 1200;
/// Height of a card, in pixels.
pub const HEIGHT: u32 = 630;
/// The card's file name beside the commentary's page.
pub const FILE: &str = "card.png";

/// Changed whenever the drawing changes, so that cards kept from earlier builds are redrawn.
const VERSION: u32 = 1;
/// The `tEXt` keyword of the key.
const KEY_WORD: &str = "scholia-key";

static REGULAR: &[u8] = include_bytes!("../../fonts/CharisSIL-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../fonts/CharisSIL-Bold.ttf");
/// The compiled-in family, first in every `font-family`.
const FAMILY: &str = "Charis SIL";

// The default theme's light scheme (themes/default/static/style.css).
const BG: &str = "#fcfaf5";
const FG: &str = "#1e1c19";
const MUTED: &str = "#5f5a52";
const RULE: &str = "#ddd6c8";
const ACCENT: &str = "#9a2a1c";

const LEFT: f32 = 80.0;
const RIGHT: f32 = 1120.0;
const TITLE_TOP: f32 = 150.0;
const TITLE_BOTTOM: f32 = 475.0;
/// Title sizes tried in turn, largest first.
const SIZES: [f32; 9] = [76.0, 68.0, 62.0, 56.0, 50.0, 45.0, 40.0, 36.0, 32.0];
const LEADING: f32 = 1.18;
const SMALL: f32 = 30.0;
const SITE_Y: f32 = 96.0;
const RULE_Y: f32 = 505.0;
const FOOT_Y: f32 = 566.0;

type Data = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// The code points a font maps, as sorted inclusive ranges.
fn ranges(data: &[u8], index: u32) -> Vec<(u32, u32)> {
    let Ok(font) = skrifa::FontRef::from_index(data, index) else {
        return Vec::new();
    };
    let mut points: Vec<u32> = font.charmap().mappings().map(|(c, _)| c).collect();
    points.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for c in points {
        match out.last_mut() {
            Some((_, end)) if c <= *end + 1 => *end = (*end).max(c),
            _ => out.push((c, c)),
        }
    }
    out
}

fn covers(ranges: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    let i = ranges.partition_point(|(_, end)| *end < c);
    ranges.get(i).is_some_and(|(start, _)| *start <= c)
}

/// A system font face, with the characters it has (its data is read again when a card needs
/// it: a desktop's fonts can be gigabytes).
struct SystemFace {
    path: std::path::PathBuf,
    index: u32,
    len: u64,
    ranges: Vec<(u32, u32)>,
}

/// The fonts cards are drawn with, loaded once a run.
pub struct Fonts {
    /// The compiled-in fonts and the configured ones.
    db: Arc<fontdb::Database>,
    /// Which characters they have.
    ranges: Vec<(u32, u32)>,
    /// Fingerprint of the configured files' bytes (and of the drawing), part of each key.
    fp: u64,
    /// The `font-family` attribute: the compiled-in family, then the configured ones.
    families: String,
    /// Faces to measure text with, after the compiled-in ones (the configured files).
    extra: Vec<(Data, u32)>,
    /// The system's faces, listed the first time a card needs a character the own fonts lack.
    system: OnceLock<Vec<SystemFace>>,
}

/// Characters that are never missing: spaces and controls draw nothing.
fn drawn(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}')
}

impl Fonts {
    /// The compiled-in fonts and the files `fonts:` names (relative to the site root). A file
    /// that cannot be read or is no font is an error at its line of `config`.
    pub fn load(
        root: &Path,
        files: &[crate::config::FontFile],
        config: &Path,
    ) -> (Fonts, Vec<Diagnostic>) {
        let mut db = fontdb::Database::new();
        let mut all = Vec::new();
        let mut diags = Vec::new();
        let mut extra = Vec::new();
        let mut families = vec![FAMILY.to_string()];
        let mut h = DefaultHasher::new();
        VERSION.hash(&mut h);
        for data in [BOLD, REGULAR] {
            db.load_font_source(fontdb::Source::Binary(Arc::new(data)));
            all.extend(ranges(data, 0));
        }
        for f in files {
            let err = |m: String| Diagnostic::error(codes::CARD_FONT, config, f.line, f.col, m);
            let bytes = match std::fs::read(root.join(&f.path)) {
                Ok(b) => b,
                Err(e) => {
                    diags.push(err(format!(
                        "cannot read the font file `{}`: {e} (a path is relative to the site root)",
                        f.path
                    )));
                    continue;
                }
            };
            let data: Data = Arc::new(bytes);
            let ids = db.load_font_source(fontdb::Source::Binary(data.clone()));
            if ids.is_empty() {
                diags.push(err(format!(
                    "`{}` is not a font file: give a TrueType or OpenType font (.ttf, .otf) or a collection (.ttc)",
                    f.path
                )));
                continue;
            }
            (*data).as_ref().hash(&mut h);
            for (i, id) in ids.iter().enumerate() {
                all.extend(ranges((*data).as_ref(), i as u32));
                extra.push((data.clone(), i as u32));
                if let Some(name) = db.face(*id).and_then(|f| f.families.first()) {
                    if !families.contains(&name.0) && !name.0.contains(['\'', '"', '&', '<']) {
                        families.push(name.0.clone());
                    }
                }
            }
        }
        all.sort_unstable();
        let mut merged: Vec<(u32, u32)> = Vec::new();
        for (s, e) in all {
            match merged.last_mut() {
                Some((_, end)) if s <= *end + 1 => *end = (*end).max(e),
                _ => merged.push((s, e)),
            }
        }
        let families = families
            .iter()
            .map(|f| format!("'{f}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let fonts = Fonts {
            db: Arc::new(db),
            ranges: merged,
            fp: h.finish(),
            families,
            extra,
            system: OnceLock::new(),
        };
        (fonts, diags)
    }

    fn has(&self, c: char) -> bool {
        covers(&self.ranges, c)
    }

    /// The system's faces, in fontdb's order (each file read once, here).
    fn system(&self) -> &[SystemFace] {
        self.system.get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            let mut faces: Vec<(std::path::PathBuf, u32)> = db
                .faces()
                .filter_map(|f| match &f.source {
                    fontdb::Source::File(p) => Some((p.clone(), f.index)),
                    _ => None,
                })
                .collect();
            // fontdb's order follows the file system's: sorted, the choice does not.
            faces.sort();
            let mut out = Vec::new();
            let mut current: Option<(std::path::PathBuf, Vec<u8>)> = None;
            for (path, index) in faces {
                if current.as_ref().is_none_or(|(p, _)| *p != path) {
                    current = std::fs::read(&path).ok().map(|d| (path.clone(), d));
                }
                if let Some((_, data)) = &current {
                    out.push(SystemFace {
                        len: data.len() as u64,
                        ranges: ranges(data, index),
                        path,
                        index,
                    });
                }
            }
            out
        })
    }

    /// For each character of `text` the own fonts lack, the first system face that has it
    /// (none when they lack nothing: the system's fonts are not even listed then).
    fn pick(&self, text: &[&str]) -> Vec<&SystemFace> {
        let mut picked: Vec<&SystemFace> = Vec::new();
        let lacking = text
            .iter()
            .flat_map(|t| t.chars())
            .filter(|c| drawn(*c) && !self.has(*c));
        for c in lacking {
            if picked.iter().any(|f| covers(&f.ranges, c)) {
                continue;
            }
            if let Some(f) = self.system().iter().find(|f| covers(&f.ranges, c)) {
                picked.push(f);
            }
        }
        picked
    }

    /// The fonts to draw `text` with: the own ones and the system faces [`Fonts::pick`]s;
    /// with the faces to measure it with after the compiled-in ones.
    fn choose(&self, text: &[&str]) -> (Arc<fontdb::Database>, Vec<(Data, u32)>) {
        let picked = self.pick(text);
        if picked.is_empty() {
            return (self.db.clone(), self.extra.clone());
        }
        let mut db = (*self.db).clone();
        let mut faces = self.extra.clone();
        for f in picked {
            if let Ok(bytes) = std::fs::read(&f.path) {
                let data: Data = Arc::new(bytes);
                db.load_font_source(fontdb::Source::Binary(data.clone()));
                faces.push((data, f.index));
            }
        }
        (Arc::new(db), faces)
    }

    /// The fingerprint of every font configured.
    pub fn fingerprint(&self) -> u64 {
        self.fp
    }

    /// The fingerprint of the fonts [`Fonts::choose`] gives, without reading them.
    fn fp_for(&self, text: &[&str]) -> u64 {
        let picked = self.pick(text);
        if picked.is_empty() {
            return self.fp;
        }
        let mut h = DefaultHasher::new();
        self.fp.hash(&mut h);
        for f in picked {
            (&f.path, f.index, f.len).hash(&mut h);
        }
        h.finish()
    }

    /// The characters of `text` no font has, each once, in order.
    pub fn missing(&self, text: &str) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        for c in text.chars().filter(|c| drawn(*c) && !self.has(*c)) {
            if !out.contains(&c) && !self.system().iter().any(|f| covers(&f.ranges, c)) {
                out.push(c);
            }
        }
        out
    }
}

/// What a card shows.
#[derive(Debug, Clone, Copy)]
pub struct Card<'a> {
    /// The commentary's title.
    pub title: &'a str,
    /// Its authors, in order.
    pub authors: &'a [String],
    /// Its publication date.
    pub date: Date,
    /// The site's name.
    pub site: &'a str,
    /// The theme's text in the commentary's language: the date's pattern and months, `by`
    /// and `and`.
    pub text: &'a Text,
}

/// `A`, `A and B`, `A, B and C`, as the theme's byline joins names (`and` in the card's
/// language).
fn names(authors: &[String], text: &Text) -> String {
    match authors {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!(
            "{} {} {last}",
            rest.join(", "),
            text.get("and").map_or("and", String::as_str)
        ),
    }
}

impl Card<'_> {
    /// The date as the commentary's pages show it.
    fn date_text(&self) -> String {
        i18n::local_date(self.text, self.date)
    }

    fn texts(&self) -> [String; 4] {
        [
            self.title.to_string(),
            names(self.authors, self.text),
            self.site.to_string(),
            self.date_text(),
        ]
    }

    /// The key of the card's image: everything it is drawn from.
    pub fn key(&self, fonts: &Fonts) -> u64 {
        let texts = self.texts();
        let fonts_fp = fonts.fp_for(&texts.each_ref().map(String::as_str));
        let mut h = DefaultHasher::new();
        (VERSION, &texts, fonts_fp).hash(&mut h);
        h.finish()
    }

    /// The card's text for `og:image:alt`.
    pub fn alt(&self) -> String {
        let by = match self.authors {
            [] => String::new(),
            a => format!(
                " {} {}.",
                self.text.get("by").map_or("By", String::as_str),
                names(a, self.text)
            ),
        };
        format!(
            "{}.{by} {}. {}",
            self.title.trim_end_matches('.'),
            self.date_text(),
            self.site
        )
    }
}

/// Widths of text in one style: the faces to measure with, first that has a character wins.
struct Measure<'a> {
    faces: Vec<(
        skrifa::charmap::Charmap<'a>,
        skrifa::metrics::GlyphMetrics<'a>,
    )>,
}

impl<'a> Measure<'a> {
    fn new(first: &'static [u8], extra: &'a [(Data, u32)]) -> Measure<'a> {
        let mut faces = Vec::new();
        let datas =
            std::iter::once((first, 0)).chain(extra.iter().map(|(d, i)| ((**d).as_ref(), *i)));
        for (data, index) in datas {
            if let Ok(font) = skrifa::FontRef::from_index(data, index) {
                let metrics = font.glyph_metrics(Size::new(1.0), LocationRef::default());
                faces.push((font.charmap(), metrics));
            }
        }
        Measure { faces }
    }

    /// Width in ems. A character none of these faces has (a system font will draw it) counts
    /// as one em, the width of a CJK ideograph; the drawn lines are checked anyway.
    fn width(&self, s: &str) -> f32 {
        s.chars()
            .map(|c| {
                self.faces
                    .iter()
                    .find_map(|(map, m)| map.map(c).and_then(|g| m.advance_width(g)))
                    .unwrap_or(if drawn(c) { 1.0 } else { 0.0 })
            })
            .sum()
    }
}

/// Scripts written without spaces between words: a line may break before any of their
/// characters.
fn breaks_anywhere(c: char) -> bool {
    matches!(c as u32, 0x0E00..=0x0EFF | 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Punctuation of those scripts that closes a phrase, so never starts a line.
fn closing(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '：'
            | '；'
            | '！'
            | '？'
            | '」'
            | '』'
            | '）'
            | '》'
            | '〉'
            | '】'
            | '〕'
    )
}

/// Words of `text`, each with whether a space stood before it.
fn words(text: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut word = String::new();
    let mut space = false;
    let flush = |word: &mut String, space: &mut bool, out: &mut Vec<(String, bool)>| {
        if !word.is_empty() {
            out.push((std::mem::take(word), *space));
            *space = false;
        }
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut space, &mut out);
            space = true;
        } else if closing(c) && word.is_empty() && !space && !out.is_empty() {
            // Never at the start of a line: it stays with the character before it.
            if let Some((last, _)) = out.last_mut() {
                last.push(c);
            }
        } else if breaks_anywhere(c) {
            flush(&mut word, &mut space, &mut out);
            word.push(c);
            flush(&mut word, &mut space, &mut out);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut space, &mut out);
    out
}

/// Greedy lines of at most `max` ems; a word longer than a line is broken between characters.
fn wrap(text: &str, max: f32, m: &Measure) -> Vec<String> {
    let space = m.width(" ");
    let mut lines = Vec::new();
    let (mut line, mut w) = (String::new(), 0.0);
    for (word, spaced) in words(text) {
        let ww = m.width(&word);
        let sep = if spaced && !line.is_empty() {
            space
        } else {
            0.0
        };
        if w + sep + ww <= max {
            if sep > 0.0 {
                line.push(' ');
            }
            line.push_str(&word);
            w += sep + ww;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            w = 0.0;
        }
        for c in word.chars() {
            let cw = m.width(c.encode_utf8(&mut [0; 4]));
            // Never before a mark of zero width: it belongs to the character before it.
            if w + cw > max && !line.is_empty() && cw > 0.0 {
                lines.push(std::mem::take(&mut line));
                w = 0.0;
            }
            line.push(c);
            w += cw;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` cut to `max` ems, with an ellipsis when cut (in one pass: a front-matter value can
/// be 64 KB long).
fn fit(text: &str, max: f32, m: &Measure) -> String {
    if m.width(text) <= max {
        return text.to_string();
    }
    let room = max - m.width("…");
    let (mut w, mut end) = (0.0, 0);
    for (i, c) in text.char_indices() {
        w += m.width(c.encode_utf8(&mut [0; 4]));
        if w > room {
            break;
        }
        end = i + c.len_utf8();
    }
    format!("{}…", text[..end].trim_end())
}

/// Whether the first letter with a direction is right-to-left (Hebrew, Arabic, Syriac,
/// Thaana, N'Ko and their presentation forms).
fn right_to_left(s: &str) -> bool {
    s.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(|c| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF))
}

/// How many title lines of `size` the title's band holds (the last needs no leading below).
fn max_lines(size: f32) -> usize {
    let lines = (TITLE_BOTTOM - TITLE_TOP + size * (LEADING - 1.0)) / (size * LEADING);
    (lines.floor() as usize).max(1)
}

/// The SVG of a card with the title at size `SIZES[step]`.
fn svg(card: &Card, fonts: &Fonts, faces: &[(Data, u32)], step: usize, last: bool) -> String {
    let size = SIZES[step];
    let bold = Measure::new(BOLD, faces);
    let regular = Measure::new(REGULAR, faces);
    let width = (RIGHT - LEFT) / size;
    let room = max_lines(size);
    let mut lines = wrap(card.title.trim(), width, &bold);
    if last && lines.len() > room {
        let rest = lines.split_off(room - 1).join(" ");
        lines.push(fit(&format!("{rest}…"), width, &bold));
    }
    let esc = crate::html::escape;
    let fam = &fonts.families;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\">\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{BG}\"/>\
         <rect width=\"{WIDTH}\" height=\"14\" fill=\"{ACCENT}\"/>"
    );
    let small = |text: &str, x: f32, y: f32, anchor: &str, fill: &str| {
        format!(
            "<text x=\"{x}\" y=\"{y}\" font-family=\"{fam}\" font-size=\"{SMALL}\" text-anchor=\"{anchor}\" fill=\"{fill}\">{}</text>",
            esc(text)
        )
    };
    let site = fit(card.site.trim(), (RIGHT - LEFT) / SMALL, &regular);
    let (x, anchor) = if right_to_left(&site) {
        (RIGHT, "end")
    } else {
        (LEFT, "start")
    };
    s.push_str(&small(&site, x, SITE_Y, anchor, ACCENT));
    let (x, anchor) = if right_to_left(card.title) {
        (RIGHT, "end")
    } else {
        (LEFT, "start")
    };
    s.push_str(&format!(
        "<g id=\"title\" font-family=\"{fam}\" font-weight=\"700\" font-size=\"{size}\" fill=\"{FG}\" text-anchor=\"{anchor}\">"
    ));
    for (i, line) in lines.iter().enumerate() {
        let y = TITLE_TOP + size + i as f32 * size * LEADING;
        s.push_str(&format!(
            "<text x=\"{x}\" y=\"{y:.1}\">{}</text>",
            esc(line)
        ));
    }
    s.push_str("</g>");
    s.push_str(&format!(
        "<rect x=\"{LEFT}\" y=\"{RULE_Y}\" width=\"{}\" height=\"2\" fill=\"{RULE}\"/>",
        RIGHT - LEFT
    ));
    let date = card.date_text();
    let by = names(card.authors, card.text);
    let room = (RIGHT - LEFT) / SMALL - regular.width(&date) - 1.5;
    s.push_str("<g id=\"foot\">");
    if !by.is_empty() {
        s.push_str(&small(&fit(&by, room, &regular), LEFT, FOOT_Y, "start", FG));
    }
    s.push_str(&small(&date, RIGHT, FOOT_Y, "end", MUTED));
    s.push_str("</g></svg>");
    s
}

/// Whether a group of the drawn card stays inside `[LEFT, RIGHT]` and above `bottom` (a
/// glyph's side bearing may reach a little further).
fn inside(tree: &usvg::Tree, id: &str, bottom: f32) -> bool {
    match tree.node_by_id(id) {
        Some(n) => {
            let b = n.abs_bounding_box();
            b.left() >= LEFT - 4.0 && b.right() <= RIGHT + 4.0 && b.bottom() <= bottom
        }
        None => true,
    }
}

/// Draws a card: a PNG of [`WIDTH`]×[`HEIGHT`] that records `key`.
pub fn draw(card: &Card, fonts: &Fonts, key: u64) -> Result<Vec<u8>, String> {
    let texts = card.texts();
    let (db, faces) = fonts.choose(&texts.each_ref().map(String::as_str));
    let opts = usvg::Options {
        fontdb: db,
        font_family: FAMILY.into(),
        ..usvg::Options::default()
    };
    // Measured widths leave out kerning and shaping: the drawn title is checked, and set a
    // size smaller when it does not fit.
    let bold = Measure::new(BOLD, &faces);
    let start = SIZES
        .iter()
        .position(|&size| {
            wrap(card.title.trim(), (RIGHT - LEFT) / size, &bold).len() <= max_lines(size)
        })
        .unwrap_or(SIZES.len() - 1);
    let mut tree = None;
    for step in start..SIZES.len() {
        let last = step == SIZES.len() - 1;
        let t = usvg::Tree::from_str(&svg(card, fonts, &faces, step, last), &opts)
            .map_err(|e| e.to_string())?;
        let fits = inside(&t, "title", TITLE_BOTTOM + 12.0) && inside(&t, "foot", HEIGHT as f32);
        tree = Some(t);
        if fits {
            break;
        }
    }
    let tree = tree.ok_or("no layout")?;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("cannot allocate the image")?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    // Opaque everywhere (the background is drawn first): premultiplied alpha changes nothing
    // and RGB is enough. `Balanced` makes half the file of `Fast` (about 40 KB against 80 KB;
    // 400 MB for 10,000 cards) for a few milliseconds a card, paid once per content change.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Balanced);
    enc.add_text_chunk(KEY_WORD.into(), format!("{key:016x}"))
        .map_err(|e| e.to_string())?;
    let mut w = enc.write_header().map_err(|e| e.to_string())?;
    w.write_image_data(&rgb).map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// Whether the first bytes of a PNG say it was drawn from `key`: the chunks before the image
/// data are read for the `tEXt` chunk [`draw`] writes (it ends 73 bytes in).
pub fn is_drawn_from(prefix: &[u8], key: u64) -> bool {
    let want = format!("{KEY_WORD}\0{key:016x}");
    let Some(mut rest) = prefix.strip_prefix(b"\x89PNG\r\n\x1a\n".as_slice()) else {
        return false;
    };
    while rest.len() >= 8 {
        let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        let kind = &rest[4..8];
        if kind == b"IDAT" {
            return false;
        }
        let Some(body) = rest.get(8..8 + len) else {
            return false;
        };
        if kind == b"tEXt" && body == want.as_bytes() {
            return true;
        }
        rest = rest.get(8 + len + 4..).unwrap_or_default();
    }
    false
}

/// A warning naming the characters of `text` no font has, at `path:line:col`; `what` says
/// which text (`title`, `authors`).
pub fn missing_glyphs(
    fonts: &Fonts,
    text: &str,
    what: &str,
    (path, line, col): (&Path, usize, usize),
) -> Option<Diagnostic> {
    let missing = fonts.missing(text);
    if missing.is_empty() {
        return None;
    }
    let shown: Vec<String> = missing
        .iter()
        .map(|c| format!("`{c}` (U+{:04X})", *c as u32))
        .collect();
    Some(Diagnostic::warning(
        codes::MISSING_GLYPH,
        path,
        line,
        col,
        format!(
            "no font can draw {} of the `{what}` on the link card, which would show an empty box; add a font that has {} to `fonts:` in scholia.yaml (for Chinese, Japanese or Korean, Noto Sans CJK: Debian's fonts-noto-cjk)",
            shown.join(", "),
            if missing.len() == 1 { "it" } else { "them" }
        ),
    ))
}

/// The warnings of a commentary's title and authors, at their front-matter lines.
pub fn check_commentary(fonts: &Fonts, c: &crate::content::Commentary) -> Vec<Diagnostic> {
    let at = |keys: &[&str]| {
        let (line, col) = keys
            .iter()
            .find_map(|k| key_position(&c.file.text, k))
            .unwrap_or((1, 1));
        (c.file.path.as_path(), line, col)
    };
    let mut out = Vec::new();
    out.extend(missing_glyphs(fonts, &c.title, "title", at(&["title"])));
    out.extend(missing_glyphs(
        fonts,
        &c.authors.join(", "),
        "authors",
        at(&["authors", "author"]),
    ));
    out
}

/// Line and column of a top-level front-matter key's value (a value on the lines below it:
/// the key's own line, after the colon).
fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim_end() == "---" {
            break;
        }
        if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let pad = rest.len() - rest.trim_start().len();
            return Some((i + 1, key.len() + 2 + pad));
        }
    }
    None
}

#[cfg(test)]
mod tests;
