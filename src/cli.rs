//! The command line (clap derive; doc comments are the `--help` text) and one function per
//! command. Each returns the process exit code: 0 success, 1 content/template/I/O errors;
//! clap itself exits 2 on bad usage.

use crate::error::{Diagnostic, Severity};
use crate::glossary::coverage::Suggest;
use crate::report::{self, Format};
use crate::site::{self, BuildOptions};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

/// Scholia: a static-site generator for annotated commentary.
#[derive(Debug, Parser)]
#[command(name = "scholia", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (`site/` by default).
    Build {
        /// The site root (the folder with `content/`).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder; replaced whole on success, untouched on failure.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Overrides `base_url` of scholia.yaml (e.g. https://example.org/commentary/).
        #[arg(long)]
        base_url: Option<String>,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Render everything again: neither read nor write the build cache (`.scholia-cache/`
        /// in the site root, which keeps each commentary's render between builds).
        #[arg(long)]
        no_cache: bool,
        /// How to print problems: human (default on a terminal), short, or json.
        #[arg(long, value_enum)]
        message_format: Option<Format>,
    },
    /// Validate the site and report every problem and the editorial state, writing nothing.
    Check {
        /// The site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors (for CI).
        #[arg(long)]
        strict: bool,
        /// Check links as if deployed at this URL (default: `base_url` of scholia.yaml).
        #[arg(long)]
        base_url: Option<String>,
        /// List every external link with the number of pages linking it (links are not fetched).
        #[arg(long)]
        external: bool,
        /// How to print problems: human (default on a terminal), short, or json.
        #[arg(long, value_enum)]
        message_format: Option<Format>,
    },
    /// Preview the site: build it into .scholia-cache/serve/site (kept for the next serve),
    /// serve it over HTTP, and rebuild (incrementally) and reload open pages on every save.
    Serve {
        /// The site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port; when taken, the next ones are tried. 0 lets the system choose.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but a loopback address shares the preview with
        /// the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Open the preview in a browser.
        #[arg(long)]
        open: bool,
        /// Make the commentaries' PDFs too (`pdf:` in scholia.yaml); slower.
        #[arg(long)]
        pdf: bool,
    },
    /// Write one PDF of several commentaries, with a cover and a table of contents: those
    /// named, in that order, or all of them, newest first; `--tag` and `--author` narrow them.
    Pdf {
        /// Commentaries by slug, in the order wanted.
        slugs: Vec<String>,
        /// Only the commentaries with this tag.
        #[arg(long)]
        tag: Option<String>,
        /// Only the commentaries by this author (as written in `authors:`).
        #[arg(long)]
        author: Option<String>,
        /// The cover's title (the site's title by default).
        #[arg(long)]
        title: Option<String>,
        /// The PDF file to write.
        #[arg(long)]
        out: PathBuf,
        /// The site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Override `base_url` from scholia.yaml (the links in the PDF).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Create a commentary or glossary entry with complete front matter.
    New {
        /// What to create.
        kind: NewKind,
        /// Its title (commentary) or name (body, treaty).
        title: String,
        /// The site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write the version in this language (a code under `languages:`): beside the
        /// original whose title or slug this is, else a new file.
        #[arg(long)]
        lang: Option<String>,
    },
    /// Create a new site skeleton in DIR.
    Init {
        /// The folder to create (must be empty or absent).
        dir: PathBuf,
    },
}

/// Kinds of content `new` can create.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NewKind {
    /// An annotated article.
    Commentary,
    /// An institution.
    Body,
    /// A treaty.
    Treaty,
}

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Build {
            root,
            out,
            base_url,
            drafts,
            no_cache,
            message_format,
        } => build(
            BuildOptions {
                out,
                root,
                base_url,
                drafts,
                cache: !no_cache,
                ..BuildOptions::default()
            },
            Format::resolve(message_format),
            false,
        ),
        Command::Check {
            root,
            drafts,
            strict,
            base_url,
            external,
            message_format,
        } => check(
            BuildOptions {
                root,
                drafts,
                base_url,
                editorial: true,
                ..BuildOptions::default()
            },
            Format::resolve(message_format),
            strict,
            external,
        ),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            open,
            pdf,
        } => crate::serve::serve(crate::serve::ServeOptions {
            root,
            port,
            bind,
            drafts,
            open,
            pdf,
        }),
        Command::Pdf {
            slugs,
            tag,
            author,
            title,
            out,
            root,
            base_url,
        } => report_simple(site::pdf::collection(&site::pdf::Collection {
            root,
            slugs,
            tag,
            author,
            title,
            base_url,
            out,
        })),
        Command::New {
            kind,
            title,
            root,
            lang,
        } => report_simple(match lang {
            Some(lang) => crate::scaffold::translation(&root, kind, &title, &lang),
            None => crate::scaffold::new(&root, kind, &title),
        }),
        Command::Init { dir } => report_simple(crate::scaffold::init(&dir)),
    }
}

fn print_diagnostics(diags: &[Diagnostic], format: Format) {
    let color = report::use_color();
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for d in diags {
        let _ = write!(
            err,
            "{}",
            report::render(d, format, color, &report::read_source)
        );
    }
}

/// `check`: the build, written into a temporary folder so that its links can be followed,
/// then thrown away.
fn check(mut opts: BuildOptions, format: Format, strict: bool, external: bool) -> i32 {
    let tmp = std::env::temp_dir().join(format!("scholia-check-{}", std::process::id()));
    opts.out = Some(tmp.clone());
    let code = build_then(opts, format, strict, |counts, diags| {
        match site::links::check(&tmp, &counts.base_url) {
            Ok(report) => {
                let base_path = match site::links::split_origin(&counts.base_url).1 {
                    "" => "/",
                    p => p,
                };
                diags.extend(site::links::diagnostics(
                    &report,
                    &counts.sources,
                    base_path,
                    &|p| std::fs::read_to_string(p).ok(),
                ));
                // Quiet by default, like the rest of `check` when all is well.
                let mut lines = Vec::new();
                if external {
                    lines.push(format!(
                        "external links ({}, not fetched), with the number of pages linking each:",
                        report.external.len()
                    ));
                    for (url, on) in &report.external {
                        lines.push(format!("  {url} ({})", on.len()));
                    }
                }
                lines
            }
            Err(e) => {
                diags.push(Diagnostic::global(
                    crate::codes::IO,
                    format!("cannot read the built site back to check its links: {e}"),
                ));
                Vec::new()
            }
        }
    });
    let _ = std::fs::remove_dir_all(&tmp);
    code
}

fn build(opts: BuildOptions, format: Format, strict: bool) -> i32 {
    build_then(opts, format, strict, |_, _| Vec::new())
}

/// Builds, runs `after` on a successful build (it may add diagnostics and returns lines for
/// stdout), prints, and returns the exit code.
fn build_then(
    opts: BuildOptions,
    format: Format,
    strict: bool,
    after: impl FnOnce(&site::Report, &mut Vec<Diagnostic>) -> Vec<String>,
) -> i32 {
    let (mut counts, mut diags) = site::build(&opts);
    let mut lines = Vec::new();
    if let Some(c) = &counts {
        lines = after(c, &mut diags);
        if crate::error::has_errors(&diags) {
            counts = None;
        }
    }
    // `--strict` makes warnings errors; information stays information.
    if strict && diags.iter().any(|d| d.severity != Severity::Info) {
        for d in &mut diags {
            if d.severity == Severity::Warning {
                d.severity = Severity::Error;
            }
        }
        counts = None;
    }
    print_diagnostics(&diags, format);
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if format == Format::Json {
        return i32::from(counts.is_none());
    }
    if let Some(c) = &counts {
        print_coverage(&c.coverage);
    }
    for l in &lines {
        println!("{l}");
    }
    let checking = opts.editorial;
    match counts {
        Some(r) if !checking => {
            let c = &r.counts;
            println!(
                "built {} pages ({} commentaries, {} glossary, {} home, {} tag and author, {} other) and {} files into {} in {:.2} s, {} warning{}",
                c.html_pages(),
                c.commentaries,
                c.glossary,
                c.home,
                c.taxonomies,
                c.pages,
                c.statics,
                opts.out_dir().display(),
                r.elapsed.as_secs_f64(),
                warnings,
                if warnings == 1 { "" } else { "s" }
            );
            0
        }
        Some(_) => 0,
        None => {
            eprintln!(
                "{} error{} found; {}",
                errors.max(1),
                if errors == 1 { "" } else { "s" },
                if !checking {
                    "nothing was written"
                } else {
                    "see above"
                }
            );
            1
        }
    }
}

/// The glossary coverage section of `check`.
fn print_coverage(coverage: &[(String, Suggest, usize)]) {
    if coverage.is_empty() {
        return;
    }
    println!(
        "glossary coverage: {} name{} in several commentaries match no glossary entry",
        coverage.len(),
        if coverage.len() == 1 { "" } else { "s" }
    );
    for (name, kind, n) in coverage {
        let kind = match kind {
            Suggest::Body => "body",
            Suggest::Treaty => "treaty",
        };
        println!("  {name} ({n} commentaries): scholia new {kind} \"{name}\"");
    }
}

fn report_simple(result: Result<Vec<String>, Vec<Diagnostic>>) -> i32 {
    match result {
        Ok(lines) => {
            for l in lines {
                println!("{l}");
            }
            0
        }
        Err(diags) => {
            print_diagnostics(&diags, Format::resolve(None));
            1
        }
    }
}
