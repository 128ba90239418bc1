//! The command line (clap derive; doc comments are the `--help` text) and one function per
//! command. Each returns the process exit code: 0 success, 1 content/template/I/O errors;
//! clap itself exits 2 on bad usage.

use crate::error::{Diagnostic, Severity};
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
    },
    /// Validate the site and report every problem, writing nothing.
    Check {
        /// The site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
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
        } => build(BuildOptions {
            out: Some(out.unwrap_or_else(|| root.join("site"))),
            root,
            base_url,
            drafts,
            write: true,
        }),
        Command::Check { root, drafts } => build(BuildOptions {
            root,
            drafts,
            write: false,
            ..BuildOptions::default()
        }),
        Command::New { kind, title, root } => {
            report_simple(crate::scaffold::new(&root, kind, &title))
        }
        Command::Init { dir } => report_simple(crate::scaffold::init(&dir)),
    }
}

fn print_diagnostics(diags: &[Diagnostic]) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
}

fn build(opts: BuildOptions) -> i32 {
    let (counts, diags) = site::build(&opts);
    print_diagnostics(&diags);
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let errors = diags.len() - warnings;
    match counts {
        Some(c) if opts.write => {
            println!(
                "built {} pages ({} commentaries, {} glossary, {} home, {} tag and author, {} other) and {} files into {} in {:.2} s, {} warning{}",
                c.html_pages(),
                c.commentaries,
                c.glossary,
                c.home,
                c.taxonomies,
                c.pages,
                c.statics,
                opts.out.as_deref().unwrap_or(std::path::Path::new("site")).display(),
                c.elapsed.as_secs_f64(),
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
                if opts.write {
                    "nothing was written"
                } else {
                    "see above"
                }
            );
            1
        }
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
            print_diagnostics(&diags);
            1
        }
    }
}
