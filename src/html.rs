//! The one HTML escaper: text for element content and for double- or single-quoted
//! attributes. Everything Scholia writes itself (glossary link tags, highlighted code, feeds,
//! the sitemap, formatted citations, template output) goes through it, so a value is escaped
//! the same wherever it lands.

/// Appends `s` to `out`, escaped.
pub fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `s`, escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(s, &mut out);
    out
}

/// JSON made safe to sit inside `<script>`: `<`, `>` and `&` as JSON escapes, so no string in
/// it can close the element (`</script>`) or open a comment. The JSON means the same.
pub fn json_in_script(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_script_cannot_close_it() {
        let json = serde_json::json!({ "t": "</script><!-- & x" }).to_string();
        let safe = json_in_script(&json);
        assert!(!safe.contains('<') && !safe.contains('>'), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["t"], "</script><!-- & x");
    }

    #[test]
    fn escapes_the_five_characters_that_matter() {
        assert_eq!(
            escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape("plain / text 中文"), "plain / text 中文");
    }
}
