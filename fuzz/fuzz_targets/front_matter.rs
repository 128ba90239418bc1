//! Front matter and site config: arbitrary text must give a value or diagnostics, never a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scholia::config::SiteConfig;
use scholia::content::{parse_commentary, parse_entry, parse_page, Kind};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_commentary(Path::new("f.md"), text.to_string());
    let _ = parse_commentary(Path::new("2014-02-27-f.md"), text.to_string());
    let _ = parse_entry(Path::new("f.md"), Kind::Body, text.to_string());
    let _ = parse_entry(Path::new("f.md"), Kind::Treaty, text.to_string());
    let _ = parse_page(Path::new("f.md"), text.to_string());
    let _ = SiteConfig::parse(Path::new("scholia.yaml"), text);
});
