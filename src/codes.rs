//! Stable diagnostic codes. Each has a title, an example and the fix; `docs/diagnostics.md`
//! is generated from this table (a test keeps it in step), so a code is never renamed or
//! reused: add new ones at the end of their group.

/// One diagnostic code and its documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// `E0012`, `W0031`.
    pub id: &'static str,
    /// What it means, in a few words.
    pub title: &'static str,
    /// A message it prints.
    pub example: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

macro_rules! codes {
    ($($name:ident = $id:literal, $title:literal, $example:literal, $fix:literal;)*) => {
        $(
            #[doc = $title]
            pub const $name: Code = Code { id: $id, title: $title, example: $example, fix: $fix };
        )*
        /// Every code, in documentation order.
        pub const ALL: &[Code] = &[$($name),*];
    };
}

codes! {
    IO = "E0001", "A file or folder cannot be read or written",
        "error: content/commentaries/a.md:1:1: cannot read the file: Permission denied (os error 13)",
        "Check the file's permissions and that the disk is not full.";
    NOT_UTF8 = "E0002", "A content file is not UTF-8",
        "error: content/commentaries/a.md:5:4: the file is not valid UTF-8; save it with UTF-8 encoding",
        "Re-save the file as UTF-8 in your editor; the position shows the first bad byte.";
    TOO_LARGE = "E0003", "A file is over the size limit",
        "error: content/commentaries/a.md:1:1: the file is 52.4 MB, over the 20.0 MB limit; split it, or raise `max_file_mb` in scholia.yaml",
        "Split the article, move data out of it, or raise `max_file_mb` in scholia.yaml.";
    NO_CONTENT = "E0004", "There is no content folder",
        "error: content is not a folder; run scholia in a site root (one with a `content/` folder) or pass --root",
        "Run scholia in the site root, pass `--root DIR`, or create a site with `scholia init DIR`.";
    FRONT_MATTER = "E0010", "Front matter is missing or not closed",
        "error: content/commentaries/a.md:1:1: the file does not start with front matter; start it with a `---` line, the YAML keys, and a closing `---` line",
        "Start the file with a line `---`, the keys, and another line `---`.";
    YAML = "E0011", "The YAML is invalid",
        "error: content/commentaries/a.md:4:7: invalid front matter: did not find expected ',' or ']'",
        "Fix the YAML at the position shown: quote values containing `: `, `#`, `@` or a leading `*`, and indent with spaces.";
    UNKNOWN_KEY = "E0012", "An unknown key",
        "error: content/commentaries/a.md:4:1: unknown key `titel`; did you mean `title`?; allowed keys: title, date, …",
        "Correct the spelling, or move free-form data under `extra:`.";
    WRONG_TYPE = "E0013", "A value of the wrong type, or empty",
        "error: content/commentaries/a.md:4:7: `tags` must be a list of strings, found a number",
        "Write the value in the form the message asks for; quote values YAML would read as numbers or booleans.";
    MISSING_KEY = "E0014", "A required key is missing",
        "error: content/commentaries/a.md:1:1: missing required key `date` (a date, YYYY-MM-DD)",
        "Add the key: commentaries need `title` and `date`, glossary entries `name`, pages `title`.";
    BAD_DATE = "E0015", "A date is not a real YYYY-MM-DD date",
        "error: content/commentaries/a.md:3:7: `date`: `2015-02-29` is not a real date: February 2015 has 28 days",
        "Write dates as YYYY-MM-DD with a month and day that exist.";
    BAD_SLUG = "E0016", "A slug cannot be a URL segment",
        "error: content/commentaries/a.md:4:7: the slug `../x` cannot be a URL segment; use letters, digits, `-`, `_` or `.`, not starting with `.`",
        "Use letters, digits, `-`, `_` and `.` only; for a page, avoid the names of the site's sections.";
    DUPLICATE_SLUG = "E0017", "Two files have the same slug",
        "error: content/glossary/treaties/nsa.md:1:1: the glossary entry slug `nsa` is already used by content/glossary/bodies/nsa.md; …",
        "Rename one file, or set a different `slug:` (commentaries and pages).";
    UNKNOWN_ENTRY = "E0018", "A slug names no glossary entry",
        "error: content/glossary/bodies/nsa.md:3:9: `parent` names `dod`, which is not a glossary entry; did you mean `dhs`?",
        "Use the file name (without `.md`) of an entry under content/glossary/, or create the entry with `scholia new body`.";
    BAD_RELATION = "E0019", "A relation that cannot be",
        "error: content/glossary/bodies/nsa.md:3:9: `parent` names the entry itself; remove `nsa`",
        "`parent` and `successor` name another body; no entry relates to itself.";
    SHARED_NAME = "E0020", "Two entries share a name, abbreviation or alias",
        "error: content/glossary/bodies/b.md:1:1: `the Accord` is a name, abbreviation or alias of both this entry and content/glossary/bodies/a.md; …",
        "Remove the surface from one entry, or set `autolink: false` on one.";
    CONFIG = "E0021", "A setting of scholia.yaml is invalid",
        "error: scholia.yaml:2:11: `autolink` must be `first`, `all` or `none`, not `some`",
        "Use one of the values the message lists.";
    CORRECTION_DATE = "E0022", "A correction is dated before its commentary",
        "error: content/commentaries/a.md:7:11: this correction is dated 2014-11-01, before the commentary's `date` (2014-11-18); a correction follows publication: fix the date of one or the other",
        "Give the correction the day it was made, on or after the commentary's `date`.";
    CORRECTION_TEXT = "E0023", "A correction has no text",
        "error: content/commentaries/a.md:7:5: this correction has no `text`; say what the earlier version said and what is right, e.g. `text: \"An earlier version dated the convention to 1997.\"`",
        "Add `text:` to the item: inline Markdown, which may link glossary entries with `[[slug]]`.";
    UNKNOWN_LINK = "E0030", "A `[[slug]]` link names no entry",
        "error: content/commentaries/a.md:6:5: `nsaa` is not a glossary entry; did you mean `nsa`?; …",
        "Use the file name of a glossary entry, e.g. `[[nsa]]` or `[[nsa|the agency]]`.";
    UNDEFINED_NOTE = "E0031", "A note is referenced but never defined",
        "error: content/commentaries/a.md:6:24: the note `[^nope]` has no definition; add a line `[^nope]: …` to the file",
        "Add the definition `[^label]: text` anywhere in the file, or fix the label.";
    DUPLICATE_NOTE = "E0032", "A note label is defined twice",
        "error: content/commentaries/a.md:7:1: the note `[^a]` is defined twice; keep one definition or rename one label",
        "Labels match regardless of case: keep one definition.";
    UNUSED_NOTE = "W0033", "A note is defined but never referenced",
        "warning: content/commentaries/a.md:8:1: the note `[^unused]` is never referenced; cite it with `[^unused]` in the text or remove it",
        "Reference it with `[^label]` where it belongs, or delete it.";
    TOO_DEEP = "E0034", "Blocks or HTML elements nested too deep to sanitize",
        "error: content/commentaries/a.md:9:1: blocks are nested more than 512 deep here; with `sanitize_html: true` Scholia refuses such pages, because cleaning them takes time that grows with the square of the depth; flatten the quotes, lists or HTML",
        "Flatten the nesting: no reader can follow 500 levels of quotes or lists, and browsers stop nesting at 512.";
    TEMPLATE = "E0040", "A template failed to render",
        "error: templates/page.html:3:1: template error: undefined value",
        "Fix the template at the line shown; docs/templates.md lists every variable a template receives.";
    THEME = "E0041", "A theme or template does not exist",
        "error: scholia.yaml:1:1: the theme `nowhere` does not exist: there is no folder themes/nowhere/",
        "Create `themes/NAME/` or remove `theme:` to use the built-in theme.";
    OUTPUT = "E0050", "The output folder is refused",
        "error: refusing to replace `elsewhere`: it is not empty and was not written by Scholia (no .scholia-output file); …",
        "Choose a new or empty folder with `--out`, or delete the folder yourself if it is disposable.";
    OUTSIDE_SECTION = "W0060", "A file sits outside every section",
        "warning: content/notes.md:1:1: this Markdown file is in no section (…) and is ignored; move it or rename it",
        "Move the file under commentaries/, glossary/bodies/, glossary/treaties/ or pages/.";
    SYMLINK = "W0061", "A symbolic link is skipped",
        "warning: content/commentaries/link.md:1:1: symbolic links are not followed; this one is skipped (copy the file instead)",
        "Copy the file into the site instead of linking to it.";
    EXISTS = "E0070", "`new` or `init` would overwrite",
        "error: content/glossary/bodies/nsa.md:1:1: already exists; scholia new never overwrites a file (choose another title)",
        "Choose another title or folder.";
    UNUSED_ENTRY = "W0080", "A glossary entry no commentary mentions",
        "warning: content/glossary/bodies/nsa.md:1:1: no commentary mentions `National Security Agency`; link it or remove the entry",
        "Mention it in a commentary (by name, abbreviation, alias or `[[slug]]`), or remove it.";
    NO_SUMMARY = "W0081", "A commentary has no summary",
        "warning: content/commentaries/a.md:2:1: the commentary has no `summary:`; lists and feeds will use its first paragraph",
        "Add `summary:` with one or two sentences.";
    PLAIN_MENTION = "W0082", "An explicit-only entry is also mentioned plainly",
        "warning: content/commentaries/a.md:9:12: `Commission` is linked explicitly elsewhere in this article but mentioned here without a link",
        "Entries with `autolink: false` are only linked by `[[slug]]`: link this mention too, or reword it.";
    UNKNOWN_SOURCE = "E0090", "A citation names no work of the bibliography",
        "error: content/commentaries/a.md:6:12: `@xinhua2023` is not a key of the bibliography; did you mean `xinhua-2023`?; add the work to content/sources.yaml, or fix the key",
        "Cite a key of content/sources.yaml or content/sources.bib (`[@key]`, `[@key, p. 12]`, `[@a; @b]`), or add the work there.";
    BAD_BIBLIOGRAPHY = "E0091", "A bibliography entry is malformed",
        "error: content/sources.yaml:14:9: the entry `un-charter` is malformed: invalid type: sequence, expected a date; see the Hayagriva format in docs/sources.md",
        "Fix the entry at the line shown; docs/sources.md shows the fields of Hayagriva's YAML format.";
    BAD_STYLE = "E0092", "The citation style cannot be used",
        "error: scholia.yaml:3:17: `citation_style` is not a bundled style or a .csl file: `chicago-note`; did you mean `chicago-notes`?",
        "Use a bundled style name (e.g. `chicago-notes`, `apa`, `ieee`) or the path of a CSL file in the site, ending in `.csl`.";
    UNUSED_SOURCE = "W0093", "A work of the bibliography is never cited",
        "warning: content/sources.yaml:20:1: the source `iaea-2015` is never cited; cite it with `[@iaea-2015]`, list it under `sources:` in a glossary entry, or remove it",
        "Cite it, list it in a glossary entry's `sources:`, or remove it from the bibliography.";
    BROKEN_LINK = "E0110", "A link points to no page or file of the built site",
        "error: content/commentaries/a.md:12:9: broken link `/commentaries/old-slug/`: the built site has no page or file `commentaries/old-slug/`; correct the URL, or link the page with its current slug",
        "`scholia check` builds the site into a temporary folder and follows every internal `href` and `src`. Correct the URL; for a glossary entry prefer `[[slug]]`, which is checked when the page is built. A problem that is not in any Markdown file is reported against the built page: it comes from a template.";
    BROKEN_FRAGMENT = "E0111", "A link's #fragment names no element of its target page",
        "error: content/commentaries/a.md:7:30: broken link `#see-below`: the page `commentaries/a/index.html` has no element with id `see-below`; link an existing heading id or add one",
        "Heading ids are the heading text in lower case with dashes (`## The 2015 agreement` → `#the-2015-agreement`); footnote anchors are made by Scholia and need no hand-written links.";
    OUTSIDE_BASE = "E0112", "A root-relative link leaves the base_url sub-path",
        "error: content/pages/about.md:5:3: the link `/feed.xml` leaves the site's path `/policy/commentary/`; it works at the root of a test server and breaks where the site is deployed (write the full path, or a relative link)",
        "With `base_url: https://example.org/policy/commentary/`, a link written `/tags/` points outside the site. Write it relative (`../tags/`) or with the sub-path (`/policy/commentary/tags/`).";
    PARTIES_FORMAT = "E0120", "A treaty's parties file is malformed",
        "error: content/glossary/treaties/tokyo-1963.parties.csv:1:14: unknown column `consnt`; did you mean `consent`?; the columns are state, signed, consent, kind, in_force, withdrawn, note (any order; put free text in `note`)",
        "A parties file is CSV with a header row naming some of the columns `state,signed,consent,kind,in_force,withdrawn,note` (in any order; `state` is required), then one row per state with as many cells as the header. Quote a cell that contains a comma; `kind` is one of ratification, accession, acceptance, approval, succession.";
    DUPLICATE_STATE = "E0121", "A state has two rows in a parties file",
        "error: content/glossary/treaties/tokyo-1963.parties.csv:7:1: `China` already has a row (line 3); keep one row per state",
        "Keep one row per state: put the later act in its own column (`consent`, `withdrawn`) and history in `note`.";
    PARTY_DATES = "E0122", "A state's dates contradict each other",
        "error: content/glossary/treaties/tokyo-1963.parties.csv:4:14: `consent` (1961-01-01) is before `signed` (1963-09-14); a state consents on or after signing (an accession has no signature: leave `signed` empty)",
        "`kind` is given exactly when `consent` is; `consent` is not before `signed`; `withdrawn` needs a `consent` and is not before it. Check the dates against the depositary's status list.";
    PREMATURE_IN_FORCE = "W0123", "A commentary says a treaty is in force before it was",
        "warning: content/commentaries/2014-03-01-a.md:9:1: this sentence says `Beijing Convention` is in force, but it entered into force on 1 July 2018, after this commentary's date (1 March 2014); reword it (e.g. \"not yet in force\"), or correct `in_force` or the date",
        "`scholia check` looks for a sentence that names the treaty and says `entered into force` or `in force` without a word such as not, yet, before, until, will or if (README: \"Treaty parties\"). Reword the sentence, or correct the treaty's `in_force` date or the commentary's `date`.";
    STALE_PARTIES = "I0124", "A treaty's parties were last checked more than a year ago",
        "info: content/glossary/treaties/budapest-convention.md:13:16: the parties of `Convention on Cybercrime` were last checked on 2015-12-03, more than a year ago; check them against the depositary's list and update the parties file and `parties_as_of`",
        "Compare the parties file with the depositary's status list, update it and `parties_as_of`. Information only: `check --strict` does not fail on it.";
    ORPHAN_PARTIES = "W0125", "A parties file belongs to no treaty",
        "warning: content/glossary/treaties/tokio.parties.csv:1:1: there is no treaty entry `content/glossary/treaties/tokio.md` for this parties file, so it is ignored; name it after its treaty's file (`<slug>.parties.csv`)",
        "A parties file sits beside its treaty's entry and has the entry's file name with `.parties.csv` for `.md`. Rename it, or create the entry (`scholia new treaty`).";
    BAD_LANGUAGE = "E0160", "A language code is not configured or malformed",
        "error: content/commentaries/a.fr.md:1:1: `fr` looks like a language code, but it is not one of the site's languages (en, zh); add it to `languages:` in scholia.yaml, or rename the file",
        "List every language besides the default under `languages:` in scholia.yaml (`languages: {zh: {}, fr: {}}`) with its BCP 47 code; a file `NAME.LANG.md` is the LANG version of `NAME.md`.";
    TRANSLATION_FACTS = "E0161", "A glossary translation sets facts",
        "error: content/glossary/bodies/cac.zh.md:3:1: a translation gives only `name`, `abbr`, `aliases`, `summary`, `autolink` and `extra`; `jurisdiction` comes from the original (cac.md): remove it here",
        "Facts (dates, jurisdiction, parent, parties…) are the same in every language: set them in the original entry and keep the translation to its names, summary and body.";
    TRANSLATION_KIND = "E0164", "A translation is not the same kind of content as its original",
        "error: content/glossary/bodies/budapest.zh.md:1:1: this body translation has the name of the treaty `budapest` (content/glossary/treaties/budapest.md), which is not a body; a translation is a version of the same kind of content: move it beside its original (content/glossary/treaties/budapest.zh.md), or rename it",
        "A file `NAME.LANG.md` is the LANG version of the `NAME.md` of the same kind: a glossary entry's translation sits in its original's folder (`bodies/` or `treaties/`), a commentary's in `commentaries/`. Move the file beside its original, or give it a name of its own.";
    MISSING_TRANSLATION = "I0162", "A commentary has no translation in a language",
        "info: content/commentaries/a.md:1:1: the commentary `a` has no translation in zh (a.zh.md)",
        "Information only: write `NAME.LANG.md` beside it (`scholia new commentary \"Title\" --lang zh`), or leave it untranslated.";
    MISSING_TEXT = "W0163", "A theme text has no version in a language",
        "warning: i18n/zh.yaml:1:1: the theme text `notes` has no `zh` version; the en text is used: add it to i18n/zh.yaml",
        "Add the key to `i18n/LANG.yaml` in the site (it overrides the theme's file of that language, key by key).";
    SERVE = "E0130", "The preview cannot start or go on",
        "error: cannot listen on 127.0.0.1:1111: Address already in use (os error 98); choose another port with --port",
        "Follow the message: choose another port with `--port`, or restart `scholia serve` when the file watcher stopped.";
    EXPOSED = "W0131", "The preview listens on the network",
        "warning: listening on 0.0.0.0, not a loopback address: other machines on the network can read this preview (drafts included with --drafts)",
        "Use the default `--bind 127.0.0.1` unless other machines must see the preview.";
    CARD_FONT = "E0140", "A font file for the link cards cannot be used",
        "error: scholia.yaml:3:5: cannot read the font file `fonts/NotoSansCJK.ttc`: No such file or directory (os error 2) (a path is relative to the site root)",
        "List font files (.ttf, .otf, .ttc) that exist, relative to the site root, under `fonts:`; for Chinese, Japanese or Korean titles Debian's fonts-noto-cjk has `/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc` (copy it into the site, or give its absolute path).";
    MISSING_GLYPH = "W0141", "No font can draw a character of a link card",
        "warning: content/commentaries/a.md:2:8: no font can draw `中` (U+4E2D) of the `title` on the link card, which would show an empty box; add a font that has it to `fonts:` in scholia.yaml (for Chinese, Japanese or Korean, Noto Sans CJK: Debian's fonts-noto-cjk)",
        "Add a font file that has the character to `fonts:` in scholia.yaml (a system font found by fontconfig also serves), or set `cards: false`.";
    CACHE_DAMAGED = "W0180", "The build cache cannot be read or written",
        "warning: .scholia-cache/articles.bin: the build cache is damaged (its checksum does not match) and was not used; it is written again after this build, or delete the folder .scholia-cache",
        "Nothing to do: the build is correct without the cache and writes it again. If the warning stays, delete `.scholia-cache/` or build with `--no-cache`.";
    PDF_ALT = "E0150", "An image in a commentary with a PDF has no alt text",
        "error: content/commentaries/a.md:12:1: this image has no alt text, which its PDF needs (PDF/UA, and readers who cannot see it); describe it between the brackets: `![what it shows](…)`",
        "Describe the image between the brackets of `![…](…)`: an accessible PDF (PDF/UA-1) must say what each image shows.";
    PDF_GLYPH = "E0151", "A character no PDF font can show",
        "error: content/commentaries/a.md:7:14: no font of the PDF has the character `中` (U+4E2D); add a font that has it to `pdf.fonts` in scholia.yaml (on Debian, fonts-noto-cjk has Chinese, Japanese and Korean)",
        "Add a font that covers the script to `pdf.fonts:` (a static .otf or .ttf file), or turn the commentary's PDF off with `pdf: false`.";
    PDF_FONT = "E0152", "A PDF font file cannot be used",
        "error: scholia.yaml:4:7: `fonts/x.otf` is not an OpenType or TrueType font; give a static .otf or .ttf file",
        "Give the path (from the site root) of a static OpenType or TrueType font; variable fonts and font collections may not work.";
    PDF_TYPESET = "E0153", "A PDF could not be typeset",
        "error: content/commentaries/a.md:3:1: the PDF cannot be typeset: …",
        "The message is Typst's: at a line of the commentary, change the text there; at a line of pdf/commentary.typ, fix the template.";
}

/// The documentation page, `docs/diagnostics.md`.
pub fn markdown() -> String {
    let mut s = String::from(
        "# Diagnostics\n\n<!-- Generated from src/codes.rs by `SCHOLIA_BLESS=1 cargo test codes`; do not edit. -->\n\n\
         Every error (`E…`) and warning (`W…`) Scholia reports has a stable code. On a terminal,\n\
         `scholia build` and `scholia check` show the offending line with a caret; `--message-format short`\n\
         prints one line per problem (`error: PATH:LINE:COL: message`), and `--message-format json` one\n\
         JSON object per line for editors and CI. `scholia check --strict` turns warnings into errors.\n\n",
    );
    for c in ALL {
        s.push_str(&format!(
            "## {}: {}\n\n```text\n{}\n```\n\n{}\n\n",
            c.id, c.title, c.example, c.fix
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_docs_are_current() {
        let mut ids: Vec<_> = ALL.iter().map(|c| c.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len(), "duplicate code");
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md");
        let want = markdown();
        if std::env::var_os("SCHOLIA_BLESS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "docs/diagnostics.md is stale: run SCHOLIA_BLESS=1 cargo test codes"
        );
    }
}
