//! Fingerprinted asset names: `style.css` is also written as `style.<hash>.css`, and
//! templates link it through `asset("style.css")`, so hosts can cache it forever (the name
//! changes whenever the bytes do).
//!
//! Only stylesheets and scripts get a second name: they are what every page links, and
//! files they reference by relative URL (fonts, images) keep working because those keep
//! their plain names.

use std::collections::BTreeMap;

/// Extensions that get a fingerprinted copy.
const FINGERPRINTED: &[&str] = &["css", "js"];

/// 64-bit FNV-1a: tiny, stable across Rust versions and platforms (unlike `DefaultHasher`),
/// and plenty for telling two versions of one file apart.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// `css/style.css` with its bytes → `css/style.1a2b3c4d5e6f7a8b.css`; `None` for files that
/// are not fingerprinted.
pub fn fingerprinted_name(rel: &str, bytes: &[u8]) -> Option<String> {
    let (stem, ext) = rel.rsplit_once('.')?;
    if stem.is_empty() || stem.ends_with('/') || !FINGERPRINTED.contains(&ext) {
        return None;
    }
    Some(format!("{stem}.{:016x}.{ext}", fnv1a(bytes)))
}

/// Files as (output path, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// The extra files to write and the map templates use: plain name → fingerprinted name.
pub fn fingerprint(files: &[(String, Vec<u8>)]) -> (Files, BTreeMap<String, String>) {
    let mut copies = Vec::new();
    let mut map = BTreeMap::new();
    for (rel, bytes) in files {
        if let Some(name) = fingerprinted_name(rel, bytes) {
            copies.push((name.clone(), bytes.clone()));
            map.insert(rel.clone(), name);
        }
    }
    (copies, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_change_with_the_bytes_only() {
        let a = fingerprinted_name("style.css", b"body{}").unwrap();
        assert!(
            a.starts_with("style.") && a.ends_with(".css") && a.len() == "style..css".len() + 16
        );
        assert_eq!(fingerprinted_name("style.css", b"body{}").unwrap(), a);
        assert_ne!(fingerprinted_name("style.css", b"body{ }").unwrap(), a);
        assert!(fingerprinted_name("js/app.js", b"1")
            .unwrap()
            .starts_with("js/app."));
        assert_eq!(fingerprinted_name("fonts/a.woff2", b"1"), None);
        assert_eq!(fingerprinted_name("css/.css", b"1"), None);
        assert_eq!(fingerprinted_name("README", b"1"), None);
    }

    #[test]
    fn fnv_matches_the_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
