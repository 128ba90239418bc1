//! Integration tests: each builds a small fixture site with the real binary and checks the
//! output by parsing it (HTML with scraper, the feed with feed-rs), never by timing.
//!
//! `util` copies a fixture from `tests/fixtures/` into a fresh temporary folder per test, so
//! tests can change files and run in parallel.

mod authoring;
mod bodies;
mod browser;
mod build;
mod cache;
mod cards;
mod citable;
mod cite;
mod errors;
mod languages;
mod nginx;
mod pdf;
mod publish;
mod robustness;
mod search;
mod serve;
mod theme_text;
mod themes;
mod timeline;
mod treaties;
mod util;
