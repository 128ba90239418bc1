//! A whole build: from a site root to an output folder (or, for `check`, to nothing).
//!
//! [`build::build`] calls each stage in turn; [`routes`] is the URL plan, [`write`] the only
//! writer, [`feeds`] the Atom feed and the sitemap.

pub mod affected;
pub mod build;
pub mod feeds;
pub mod incremental;
pub mod routes;
pub mod write;

pub use build::{build, BuildOptions, Counts};
