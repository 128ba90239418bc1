//! The one slug rule, used for tags, authors, and titles given to `scholia new`.
//!
//! Unicode letters are transliterated to ASCII (`Zhōngyāng` → `zhongyang`, `网络` → `wang-luo`),
//! lower-cased; an apostrophe disappears (`China's` → `chinas`: it joins a word, it does not
//! split one); every run of other characters becomes one `-`; no leading or trailing `-`.
//!
//! Han characters are transliterated to toneless pinyin, one word per character (`网络` →
//! `wang-luo`), so a Chinese tag's address stays readable in any browser, log and shell, and
//! stable: the same characters always give the same slug. A site that wants another address
//! for a tag or an author can't set one today; for a page or commentary, `slug:` does.

/// Makes a URL-safe slug from any text. Never empty: text with no letters or digits at all
/// becomes `-`-free `n-a`.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c == '\'' {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        out.push_str("n-a");
    }
    out
}

/// Whether `slug` is safe as one path segment of the output: letters, digits, `-`, `_`, `.`,
/// not starting with `.` (so never `..`), no separators, no control characters.
pub fn is_safe_segment(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('.')
        && slug
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_cases() {
        for (input, want) in [
            ("Hello, World!", "hello-world"),
            ("Zhōngyāng", "zhongyang"),
            ("  U.S.–China  cyber ", "u-s-china-cyber"),
            ("2010 Beijing Convention", "2010-beijing-convention"),
            ("网络", "wang-luo"),
            ("China's", "chinas"),
            ("China’s cyber", "chinas-cyber"),
            ("O'Brien & 'quoted'", "obrien-quoted"),
            ("!!!", "n-a"),
            ("Ünïcödé ßtraße", "unicode-sstrasse"),
        ] {
            assert_eq!(slugify(input), want, "{input}");
        }
    }

    #[test]
    fn safe_segments() {
        assert!(is_safe_segment("beijing-convention-2010"));
        assert!(is_safe_segment("v1.2"));
        for bad in ["", "..", ".hidden", "a/b", "a\\b", "a\0b", "a b"] {
            assert!(!is_safe_segment(bad), "{bad:?}");
        }
    }
}
