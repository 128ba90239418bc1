//! Markdown bodies: arbitrary UTF-8 must render in every autolink mode without a panic, and,
//! when the input holds no `<` (so no raw HTML can pass through), the HTML must be balanced.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scholia::content::{parse_entry, Kind, Text};
use scholia::glossary::Glossary;
use scholia::markdown::{render, summary, Autolink, Input};
use scholia::routes::Routes;
use std::path::Path;
use std::sync::OnceLock;

const FRONT: &str = "---\ntitle: t\n---\n";

fn glossary() -> &'static Glossary {
    static G: OnceLock<Glossary> = OnceLock::new();
    G.get_or_init(|| {
        let entry = |slug: &str, kind, fm: &str| {
            let (e, d) = parse_entry(
                Path::new(&format!("{slug}.md")),
                kind,
                format!("---\n{fm}\n---\nFirst sentence of {slug}. Second.\n"),
            );
            assert!(d.is_empty(), "{d:?}");
            e.unwrap()
        };
        let entries = vec![
            entry("nsa", Kind::Body, "name: National Security Agency\nabbr: NSA\njurisdiction: United States"),
            entry("beijing-convention", Kind::Treaty, "name: 2010 Beijing Convention\naliases: [Beijing Convention]\nsummary: Aviation \"crimes\" <treaty> & more."),
            entry("commission", Kind::Body, "name: Commission\nautolink: false"),
            entry("osce", Kind::Body, "name: Organization for Security & Co-operation in Europe\nabbr: OSCE\naliases: [U.S. Helsinki Commission]"),
            entry("cac", Kind::Body, "name: 国家互联网信息办公室\nabbr: CAC\naliases: [Cyberspace Administration]"),
        ];
        let (g, d) = Glossary::new(entries, &Routes::new("/"), |b| {
            summary::first_sentence(&summary::first_paragraph(b))
        });
        assert!(d.is_empty(), "{d:?}");
        g
    })
}

/// Every tag opened is closed, in order; `<` and `&` in text are escaped.
fn check_html(html: &str) -> Result<(), String> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let b = html.as_bytes();
    let mut stack: Vec<String> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' => {
                if html[i..].starts_with("<!--") {
                    let end = html[i..].find("-->").ok_or("unclosed comment")?;
                    i += end + 3;
                    continue;
                }
                let closing = b.get(i + 1) == Some(&b'/');
                let name_start = i + 1 + closing as usize;
                let mut j = name_start;
                while j < b.len() && b[j].is_ascii_alphanumeric() {
                    j += 1;
                }
                if j == name_start {
                    return Err(format!("unescaped `<` at {i}"));
                }
                let name = html[name_start..j].to_ascii_lowercase();
                // Skip attributes, honouring quotes.
                let mut quote = None;
                while j < b.len() {
                    match (quote, b[j]) {
                        (None, b'"' | b'\'') => quote = Some(b[j]),
                        (Some(q), c) if c == q => quote = None,
                        (None, b'>') => break,
                        _ => {}
                    }
                    j += 1;
                }
                if j == b.len() {
                    return Err(format!("unterminated tag at {i}"));
                }
                let self_closing = b[j - 1] == b'/';
                if closing {
                    match stack.pop() {
                        Some(open) if open == name => {}
                        other => return Err(format!("`</{name}>` at {i} closes {other:?}")),
                    }
                } else if !VOID.contains(&name.as_str()) && !self_closing {
                    stack.push(name);
                }
                i = j + 1;
            }
            b'&' => {
                let rest = &html[i + 1..];
                let n = rest
                    .bytes()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == b'#')
                    .count();
                if n == 0 || rest.as_bytes().get(n) != Some(&b';') {
                    return Err(format!("unescaped `&` at {i}"));
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let file = Text {
        path: Path::new("a.md").to_path_buf(),
        text: format!("{FRONT}{body}"),
        body_start: FRONT.len(),
    };
    let g = glossary();
    let modes = [
        (Autolink::None, None, false, false),
        (Autolink::First, None, false, true),
        (Autolink::All, None, false, false),
        (Autolink::First, g.find("nsa"), true, false),
    ];
    for (autolink, own_entry, sanitize, editorial) in modes {
        let r = render(&Input {
            file: &file,
            glossary: g,
            autolink,
            own_entry,
            sanitize,
            editorial,
            sources: None,
            paragraph_ids: !editorial,
            written: None,
            states: &[],
            lang: "en",
        });
        if !body.contains('<') {
            if let Err(e) = check_html(&r.html) {
                panic!("malformed HTML ({autolink:?}, sanitize {sanitize}): {e}\n{}", r.html);
            }
            for n in &r.notes {
                if let Err(e) = check_html(&n.html) {
                    panic!("malformed note HTML ({autolink:?}): {e}\n{}", n.html);
                }
            }
        }
    }
});
