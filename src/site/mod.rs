//! A whole build: from a site root to an output folder (or, for `check`, to nothing).
//!
//! [`build::build`] calls each stage in turn; [`routes`] is the URL plan, [`write`] the only
//! writer, [`feeds`] the Atom feed and the sitemap, [`assets`] the
//! fingerprinted asset names, [`links`] the link check of a built site.

pub mod affected;
pub mod assets;
pub mod build;
pub mod feeds;
pub mod incremental;
pub mod links;
pub mod routes;
pub mod sources;
pub mod write;

pub use build::{build, BuildOptions, Counts};
