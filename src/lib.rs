//! Scholia turns a folder of Markdown commentaries and a glossary of bodies and treaties into a
//! cross-linked, annotated static site.
//!
//! # A tour
//!
//! The pipeline is a chain of functions over plain data, each stage in its own module:
//!
//! - [`content`] finds and reads the files (the only module that reads content), splits and
//!   checks front matter into [`content::Commentary`], [`content::Entry`] and [`content::Page`].
//! - [`glossary`] indexes entries by slug and builds the one automaton that finds their names.
//! - [`markdown`] renders a Markdown body: glossary links, footnotes as sidenotes and endnotes,
//!   highlighted code, summaries. It does no I/O.
//! - [`theme`] sets up minijinja with the template loader chain and the views templates see.
//! - [`routes`] is the URL plan: every output path and link target.
//! - [`site`] is the one pipeline that `build` and `serve` run: its stages in order, the page
//!   views (whose keys are fingerprints of what they read), and the outputs they write into
//!   (a staging folder swapped in, or `serve`'s live folder).
//! - [`serve`] is the live preview: an HTTP server, a file watcher, and the kept pipeline
//!   ([`site::session`]).
//!
//! Problems are collected as [`error::Diagnostic`]s and reported together.

pub mod citable;
pub mod cite;
pub mod cli;
pub mod codes;
pub mod config;
pub mod content;
pub mod error;
pub mod glossary;
pub mod html;
pub mod lang;
pub mod markdown;
pub mod pdf;
pub mod progress;
pub mod report;
pub mod routes;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod theme;
