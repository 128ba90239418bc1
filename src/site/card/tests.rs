use super::*;

fn fonts() -> Fonts {
    let (f, d) = Fonts::load(Path::new("."), &[], Path::new("scholia.yaml"));
    assert!(d.is_empty(), "{d:?}");
    f
}

fn card<'a>(title: &'a str, authors: &'a [String]) -> Card<'a> {
    Card {
        title,
        authors,
        date: Date::parse("2014-03-01").unwrap(),
        site: "Cyber Policy Commentary",
    }
}

#[test]
fn smoke() {
    let f = fonts();
    let a = vec!["Ada Lovelace".to_string()];
    let c = card("The 2015 Xi–Obama cyber understanding, three years on", &a);
    let t = std::time::Instant::now();
    let png = draw(&c, &f, c.key(&f)).unwrap();
    eprintln!("{} bytes in {:?}", png.len(), t.elapsed());
    std::fs::write("/tmp/card.png", &png).unwrap();
}

#[test]
fn timing() {
    let f = fonts();
    let a = vec!["Ada Lovelace".to_string()];
    let c = card("The 2015 Xi–Obama cyber understanding, three years on", &a);
    let opts = usvg::Options { fontdb: f.db.clone(), ..usvg::Options::default() };
    let svg = svg(&c, &f, 0, false);
    let t = std::time::Instant::now();
    for _ in 0..10 { let _ = usvg::Tree::from_str(&svg, &opts).unwrap(); }
    eprintln!("parse {:?}", t.elapsed() / 10);
    let tree = usvg::Tree::from_str(&svg, &opts).unwrap();
    let t = std::time::Instant::now();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).unwrap();
    for _ in 0..10 { resvg::render(&tree, resvg::tiny_skia::Transform::identity(), &mut pixmap.as_mut()); }
    eprintln!("render {:?}", t.elapsed() / 10);
    let t = std::time::Instant::now();
    for _ in 0..10 { draw(&c, &f, 1).unwrap(); }
    eprintln!("draw {:?}", t.elapsed() / 10);
}
