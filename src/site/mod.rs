//! From a site root to its output: the one [`pipeline`] that `build` ([`build`]) and `serve`
//! ([`session`]) both run.
//!
//! - [`pipeline`]: the stages in order, each written once, and what they keep between runs;
//! - [`ctx`]: what page views read, and the fingerprint of what they read (a page's key);
//! - [`pages`]: the page plan and one view function per page kind;
//! - [`output`]: where files go (a staging folder swapped in, or a live folder);
//! - [`affected`]: which commentaries a glossary change can reach;
//! - [`feeds`], [`index`], [`assets`], [`sources`]: the feed and sitemap, the search index,
//!   fingerprinted asset names, the bibliography;
//! - [`treaty`], [`timeline`], [`bodies`], [`chart`]: a treaty's citation, status and parties, the
//!   site's dated events, a body's relations, and the SVG charts drawn at build time;
//! - [`card`]: each commentary's link card (its Open Graph image), drawn at build time;
//! - [`claims`]: `check`'s report on stale parties data and premature claims of entry into
//!   force;
//! - [`write`]: the guard and the staging folder; [`links`]: the link check of a built site.

pub mod affected;
pub mod assets;
pub mod bodies;
pub mod build;
pub mod card;
pub mod chart;
pub mod claims;
mod ctx;
pub mod feeds;
pub mod index;
pub mod links;
pub mod output;
mod pages;
pub mod pdf;
pub mod pipeline;
pub mod session;
pub mod sources;
pub mod timeline;
pub mod treaty;
pub mod write;

#[cfg(test)]
mod tests;

pub use build::{build, BuildOptions};
pub use pipeline::{Counts, Report};
