//! Languages: what a language code looks like, which languages are written right to left,
//! which scripts are written without spaces, and which file is a translation of which.
//!
//! A site has a default language (`language:`) and others (`languages:`). A content file
//! `NAME.LANG.md` is the LANG version of `NAME.md`; the configured codes decide what LANG is,
//! and a suffix that only looks like a code (`report.fr.md` on a site without French) is an
//! error rather than part of a slug, because it is almost always a translation the
//! configuration forgot.

/// ISO 639-1 two-letter codes: a file suffix that is one of these is taken for a language.
/// (Three-letter codes are recognised only when configured: `notes.old.md` is no language.)
const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh",
    "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da",
    "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
    "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
    "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
    "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
    "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi",
    "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
    "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
    "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo",
    "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Primary subtags of languages written right to left.
const RTL: &[&str] = &["ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"];

/// Whether `code` has the shape of a BCP 47 tag: a primary subtag of 2–3 lower-case letters,
/// then subtags of 1–8 letters or digits (`zh`, `zh-Hans`, `pt-BR`, `sr-Latn-RS`).
pub fn is_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Whether a file-name suffix looks like a language code: an ISO 639-1 code, alone or with
/// subtags (`fr`, `zh-Hant`).
pub fn looks_like_code(s: &str) -> bool {
    is_code(s) && ISO_639_1.contains(&s.split('-').next().unwrap_or_default())
}

/// The language's name in itself, for the language switcher (the code when unknown).
pub fn endonym(code: &str) -> &str {
    match code.split('-').next().unwrap_or_default() {
        "en" => "English",
        "zh" => "中文",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        "ar" => "العربية",
        "ru" => "Русский",
        "ja" => "日本語",
        "ko" => "한국어",
        "pt" => "Português",
        "it" => "Italiano",
        "he" => "עברית",
        "fa" => "فارسی",
        "ur" => "اردو",
        "nl" => "Nederlands",
        "uk" => "Українська",
        "tr" => "Türkçe",
        "vi" => "Tiếng Việt",
        "th" => "ไทย",
        _ => code,
    }
}

/// Whether the language is written right to left (`dir="rtl"`).
pub fn is_rtl(code: &str) -> bool {
    RTL.contains(&code.split('-').next().unwrap_or_default())
}

/// `rtl` or `ltr`.
pub fn dir(code: &str) -> &'static str {
    if is_rtl(code) {
        "rtl"
    } else {
        "ltr"
    }
}

/// Whether `c` belongs to a script written without spaces between words (Han, Hiragana,
/// Katakana, Thai): there a name matches at any position, and such a character next to a
/// Latin name is a word boundary.
pub fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0E7F // Thai
        | 0x3040..=0x309F // Hiragana
        | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F // Katakana
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF // Han
        | 0x20000..=0x2FA1F // Han, supplementary planes
        | 0x3005..=0x3007 // 々 〆 〇
    )
}

/// A file stem split into its name and language: `leading-group.zh` → (`leading-group`,
/// `Some("zh")`) when `zh` is one of `configured`. `Err` with the suffix when it looks like a
/// language code but is not configured.
pub fn split_stem<'a>(
    stem: &'a str,
    configured: &[String],
) -> Result<(&'a str, Option<&'a str>), &'a str> {
    let Some((name, suffix)) = stem.rsplit_once('.') else {
        return Ok((stem, None));
    };
    if name.is_empty() {
        return Ok((stem, None));
    }
    if configured.iter().any(|c| c == suffix) {
        Ok((name, Some(suffix)))
    } else if looks_like_code(suffix) {
        Err(suffix)
    } else {
        Ok((stem, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_bcp_47_shape() {
        for ok in ["zh", "fr", "zh-Hans", "pt-BR", "sr-Latn-RS", "yue"] {
            assert!(is_code(ok), "{ok}");
        }
        for bad in ["", "Z", "ZH", "chinese", "zh_CN", "zh-", "fr-toolongsubtag"] {
            assert!(!is_code(bad), "{bad}");
        }
    }

    #[test]
    fn stems_split_on_configured_codes_only() {
        let langs = vec!["zh".to_string(), "yue".to_string()];
        assert_eq!(split_stem("a.zh", &langs), Ok(("a", Some("zh"))));
        assert_eq!(split_stem("a.yue", &langs), Ok(("a", Some("yue"))));
        assert_eq!(split_stem("a", &langs), Ok(("a", None)));
        assert_eq!(split_stem("notes.old", &langs), Ok(("notes.old", None)));
        assert_eq!(split_stem("report.v2", &langs), Ok(("report.v2", None)));
        assert_eq!(split_stem("a.fr", &langs), Err("fr"));
        assert_eq!(split_stem("a.pt-BR", &langs), Err("pt-BR"));
        assert_eq!(split_stem(".zh", &langs), Ok((".zh", None)));
    }

    #[test]
    fn scripts_without_spaces() {
        assert!("网络安全ひらがなカタカナไทย".chars().all(unspaced));
        assert!(!"ICAO é ü ß Москва عربي".chars().any(unspaced));
        assert!(is_rtl("ar") && is_rtl("he-IL") && is_rtl("fa") && is_rtl("ur"));
        assert!(!is_rtl("zh") && !is_rtl("fr"));
    }
}
