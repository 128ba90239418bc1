//! The theme's fixed text in each language: `i18n/LANG.yaml` files of flat keys (`notes:
//! Notes`), plus `date` (a pattern with `{day}`, `{month}`, `{m}`, `{year}`) and `months` (a
//! list of twelve names). A site's own `i18n/LANG.yaml` overrides keys of its theme's (and
//! may add keys for its own templates); the theme's comes from `themes/<name>/i18n/` or the
//! default theme in the binary. A key missing in a language falls back to the default
//! language's text, with one warning naming it. Templates read the result as `site.text`.
//!
//! A count's text has a form for each of the language's CLDR plural categories (`zero`,
//! `one`, `two`, `few`, `many`, `other`): `commentaries: {one: "{n} commentary", other: "{n}
//! commentaries"}`, kept as `commentaries.one`, `commentaries.other`; [`plural`] picks the
//! form for a number (Arabic has all six, Russian one/few/many/other, Chinese other only).
//! A plain string serves every number. The text of a language also holds its code, under
//! `lang`, for the rules.

use crate::codes;
use crate::content::front_matter::{self, Yaml};
use crate::error::Diagnostic;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One language's text: key → string (`month_1` … `month_12` for the months).
pub type Text = BTreeMap<String, String>;

/// Parses an i18n file; every problem is reported at its key.
pub fn parse(path: &Path, text: &str) -> (Text, Vec<Diagnostic>) {
    let mut out = Text::new();
    let mut diags = Vec::new();
    let doc = match front_matter::parse(text, 1) {
        Ok(d) => d,
        Err(e) => {
            diags.push(Diagnostic::error(
                codes::YAML,
                path,
                e.line,
                e.col,
                format!("invalid YAML: {}", e.message),
            ));
            return (out, diags);
        }
    };
    for (key, value) in &doc.entries {
        let loc = doc.loc(key);
        let mut bad = |what: &str| {
            diags.push(Diagnostic::error(
                codes::WRONG_TYPE,
                path,
                loc.line,
                loc.value_col,
                format!("`{key}` must be {what}"),
            ))
        };
        match (key.as_str(), value) {
            ("months", Yaml::List(items)) if items.len() == 12 => {
                for (i, m) in items.iter().enumerate() {
                    match m {
                        Yaml::String(s) => {
                            out.insert(format!("month_{}", i + 1), s.clone());
                        }
                        _ => bad("a list of twelve month names"),
                    }
                }
            }
            ("months", _) => bad("a list of twelve month names"),
            (_, Yaml::Map(forms)) => {
                let mut ok = forms.iter().any(|(c, _)| c == "other");
                for (category, form) in forms {
                    match form {
                        Yaml::String(f) if CATEGORIES.contains(&category.as_str()) => {
                            out.insert(format!("{key}.{category}"), f.clone());
                        }
                        _ => ok = false,
                    }
                }
                if !ok {
                    bad("a string, or a map of plural forms (`zero`, `one`, `two`, `few`, `many`, `other`; `other` required) to strings")
                }
            }
            (_, Yaml::String(s)) => {
                out.insert(key.clone(), s.clone());
            }
            (_, Yaml::Int(n)) => {
                out.insert(key.clone(), n.to_string());
            }
            _ => bad("a string"),
        }
    }
    (out, diags)
}

/// CLDR's plural categories.
const CATEGORIES: &[&str] = &["zero", "one", "two", "few", "many", "other"];

/// The key of a text without its plural category: `commentaries` for `commentaries.one`.
fn group(key: &str) -> &str {
    match key.rsplit_once('.') {
        Some((g, c)) if CATEGORIES.contains(&c) => g,
        _ => key,
    }
}

/// Where one language's text comes from: (file as shown, its text), least specific first
/// (the theme's, then the site's).
pub type Sources = Vec<(PathBuf, String)>;

/// The text of every language (`codes`, the default one first), each complete: a key
/// missing in a language is the default language's, with a warning naming it, and the
/// default language's missing keys are English (silently when it has no file at all: a
/// site in a language the theme does not ship reads as it always did).
pub fn resolve(
    codes: &[String],
    sources: &[Sources],
    english: &Text,
) -> (Vec<Text>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut layered: Vec<(Text, Option<PathBuf>)> = Vec::new();
    for files in sources {
        let mut t = Text::new();
        for (path, text) in files {
            let (map, d) = parse(path, text);
            diags.extend(d);
            t.extend(map);
        }
        layered.push((t, files.last().map(|(p, _)| p.clone())));
    }
    let mut out: Vec<Text> = Vec::new();
    for (i, (mut t, file)) in layered.into_iter().enumerate() {
        let fallback: &Text = if i == 0 { english } else { &out[0] };
        let from = if i == 0 { "en" } else { codes[0].as_str() };
        let code = &codes[i];
        let quiet = i == 0 && file.is_none();
        // A count's forms come as a whole: a language has the categories its rules need
        // (Chinese `other` alone), never some of another language's.
        let own: std::collections::BTreeSet<String> =
            t.keys().map(|k| group(k).to_string()).collect();
        let mut missing: Vec<&str> = Vec::new();
        for (k, v) in fallback {
            let g = group(k);
            if k != "lang" && !own.contains(g) {
                if missing.last() != Some(&g) {
                    missing.push(g);
                }
                t.insert(k.clone(), v.clone());
            }
        }
        t.insert("lang".to_string(), code.clone());
        if !missing.is_empty() && !quiet && code != from {
            let msg = match &file {
                None => format!(
                    "the theme has no text in `{code}` (i18n/{code}.yaml); its {from} text is used: add the file to the site's i18n/ folder"
                ),
                Some(_) => format!(
                    "the theme text `{}` has no `{code}` version; the {from} text is used: add {} to i18n/{code}.yaml",
                    missing.join("`, `"),
                    if missing.len() == 1 { "it" } else { "them" }
                ),
            };
            diags.push(match &file {
                Some(p) => Diagnostic::warning(codes::MISSING_TEXT, p, 1, 1, msg),
                None => Diagnostic::global(codes::MISSING_TEXT, msg).as_warning(),
            });
        }
        out.push(t);
    }
    (out, diags)
}

/// A date in a language: `date`'s pattern with the day, the month's name (`{month}`) or
/// number (`{m}`) and the year.
pub fn format_date(text: &Text, year: i64, month: u32, day: u32) -> String {
    let pattern = text
        .get("date")
        .map_or("{day} {month} {year}", String::as_str);
    let name = text
        .get(&format!("month_{month}"))
        .cloned()
        .unwrap_or_else(|| month.to_string());
    pattern
        .replace("{day}", &day.to_string())
        .replace("{month}", &name)
        .replace("{m}", &month.to_string())
        .replace("{year}", &year.to_string())
}

/// A content date in a language (see [`format_date`]); in English without a theme's text.
pub fn local_date(text: &Text, d: crate::content::Date) -> String {
    if !text.contains_key("date") {
        return d.text();
    }
    format_date(text, d.year.into(), d.month.into(), d.day.into())
}

/// The plural category of `n` in the language `code` (CLDR cardinal rules): `one`, `few`…
/// `other` for a language without rules.
pub fn category(code: &str, n: u64) -> &'static str {
    use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
    let rules = code
        .parse::<unic_langid::LanguageIdentifier>()
        .ok()
        .and_then(|id| PluralRules::create(id, PluralRuleType::CARDINAL).ok());
    match rules.and_then(|r| r.select(n).ok()) {
        Some(PluralCategory::ZERO) => "zero",
        Some(PluralCategory::ONE) => "one",
        Some(PluralCategory::TWO) => "two",
        Some(PluralCategory::FEW) => "few",
        Some(PluralCategory::MANY) => "many",
        Some(PluralCategory::OTHER) | None => "other",
    }
}

/// The text `key` for the number `n` in the text's language, with `{n}` replaced: the form
/// of `n`'s plural category, else `other`, else the plain string; `None` when there is none.
pub fn plural(text: &Text, key: &str, n: u64) -> Option<String> {
    let code = text.get("lang").map_or("en", String::as_str);
    let cat = category(code, n);
    [
        format!("{key}.{cat}"),
        format!("{key}.other"),
        key.to_string(),
    ]
    .iter()
    .find_map(|k| text.get(k))
    .map(|form| form.replace("{n}", &n.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(path: &str, text: &str) -> Sources {
        vec![(PathBuf::from(path), text.to_string())]
    }

    #[test]
    fn dates_follow_the_language() {
        let (zh, d) = parse(
            Path::new("zh.yaml"),
            include_str!("../../themes/default/i18n/zh.yaml"),
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(format_date(&zh, 2014, 3, 5), "2014年3月5日");
        let (fr, _) = parse(
            Path::new("fr.yaml"),
            include_str!("../../themes/default/i18n/fr.yaml"),
        );
        assert_eq!(format_date(&fr, 2014, 3, 5), "5 mars 2014");
    }

    #[test]
    fn every_shipped_language_has_every_key() {
        let (en, _) = parse(
            Path::new("en.yaml"),
            include_str!("../../themes/default/i18n/en.yaml"),
        );
        for (code, text) in crate::theme::embedded::i18n_files() {
            let (t, d) = parse(Path::new(&code), &text);
            assert!(d.is_empty(), "{code}: {d:?}");
            // A count has the forms of its language's categories, not English's.
            let own: Vec<&str> = t.keys().map(|k| group(k)).collect();
            let missing: Vec<&str> = en
                .keys()
                .map(|k| group(k))
                .filter(|g| !own.contains(g))
                .collect();
            assert!(missing.is_empty(), "{code} lacks {missing:?}");
        }
    }

    #[test]
    fn a_missing_key_falls_back_to_the_default_language_with_one_warning() {
        let (en, _) = parse(Path::new("en.yaml"), "notes: Notes\nsearch: Search\n");
        let codes = ["en".to_string(), "zh".to_string(), "nl".to_string()];
        let (texts, d) = resolve(
            &codes,
            &[Vec::new(), src("i18n/zh.yaml", "notes: 注释\n"), Vec::new()],
            &en,
        );
        assert_eq!(texts[1]["notes"], "注释");
        assert_eq!(texts[1]["search"], "Search");
        assert_eq!(texts[2]["notes"], "Notes");
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(
            d[0].to_string(),
            "warning: i18n/zh.yaml:1:1: the theme text `search` has no `zh` version; the en text is used: add it to i18n/zh.yaml"
        );
        assert!(
            d[1].to_string().contains("the theme has no text in `nl`"),
            "{d:?}"
        );
    }

    #[test]
    fn plural_categories_are_cldrs() {
        let ar: Vec<&str> = [0, 1, 2, 3, 11, 100].map(|n| category("ar", n)).to_vec();
        assert_eq!(ar, ["zero", "one", "two", "few", "many", "other"]);
        let ru: Vec<&str> = [1, 2, 5, 21].map(|n| category("ru", n)).to_vec();
        assert_eq!(ru, ["one", "few", "many", "one"]);
        assert!([0, 1, 2, 5, 21]
            .iter()
            .all(|&n| category("zh", n) == "other"));
        assert_eq!(
            [0, 1, 2].map(|n| category("en", n)),
            ["other", "one", "other"]
        );
        assert_eq!(
            [0, 1, 2].map(|n| category("fr", n)),
            ["one", "one", "other"]
        );
        assert_eq!(category("not a code", 1), "other");
    }

    #[test]
    fn counts_take_their_languages_form() {
        let yaml = "commentaries: {zero: \"لا تعليقات\", one: \"تعليق واحد\", two: \"تعليقان\", few: \"{n} تعليقات\", many: \"{n} تعليقًا\", other: \"{n} تعليق\"}\n";
        let (mut ar, d) = parse(Path::new("ar.yaml"), yaml);
        assert!(d.is_empty(), "{d:?}");
        ar.insert("lang".into(), "ar".into());
        let got: Vec<String> = [0, 1, 2, 3, 11, 100]
            .map(|n| plural(&ar, "commentaries", n).unwrap())
            .to_vec();
        assert_eq!(
            got,
            [
                "لا تعليقات",
                "تعليق واحد",
                "تعليقان",
                "3 تعليقات",
                "11 تعليقًا",
                "100 تعليق"
            ]
        );
        let (mut ru, _) = parse(
            Path::new("ru.yaml"),
            "n: {one: \"{n} статья\", few: \"{n} статьи\", many: \"{n} статей\", other: \"{n} статьи\"}\n",
        );
        ru.insert("lang".into(), "ru".into());
        let got: Vec<String> = [1, 2, 5, 21].map(|n| plural(&ru, "n", n).unwrap()).to_vec();
        assert_eq!(got, ["1 статья", "2 статьи", "5 статей", "21 статья"]);
        // A plain string serves every number; a language without a form uses `other`.
        let (mut zh, _) = parse(
            Path::new("zh.yaml"),
            "n: \"{n} 篇\"\nm: {other: \"{n} 条\"}\n",
        );
        zh.insert("lang".into(), "zh".into());
        assert_eq!(plural(&zh, "n", 1).unwrap(), "1 篇");
        assert_eq!(plural(&zh, "m", 1).unwrap(), "1 条");
        assert_eq!(plural(&zh, "x", 1), None);
    }

    #[test]
    fn plural_forms_fall_back_as_a_whole() {
        let (en, _) = parse(
            Path::new("en.yaml"),
            "n: {one: \"{n} item\", other: \"{n} items\"}\nm: {one: a, other: b}\n",
        );
        let codes = ["en".to_string(), "zh".to_string()];
        let (texts, d) = resolve(
            &codes,
            &[Vec::new(), src("i18n/zh.yaml", "n: {other: \"{n} 项\"}\n")],
            &en,
        );
        assert_eq!(plural(&texts[1], "n", 1).unwrap(), "1 项");
        assert_eq!(plural(&texts[1], "m", 1).unwrap(), "b");
        assert_eq!(plural(&texts[0], "n", 1).unwrap(), "1 item");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].to_string()
                .contains("the theme text `m` has no `zh` version"),
            "{d:?}"
        );
        let (_, d) = parse(Path::new("x.yaml"), "n: {one: a}\nm: {other: a, lots: b}\n");
        assert_eq!(d.len(), 2, "{d:?}");
    }

    #[test]
    fn bad_values_are_errors_at_their_key() {
        let (_, d) = parse(Path::new("x.yaml"), "notes: [a]\nmonths: [a, b]\n");
        assert_eq!(d.len(), 2);
        assert!(d[0]
            .to_string()
            .contains("x.yaml:1:8: `notes` must be a string"));
        assert!(d[1]
            .to_string()
            .contains("`months` must be a list of twelve month names"));
    }
}
