//! A whole build: from a site root to an output folder (or, for `check`, to nothing).
//!
//! [`build::build`] calls each stage in turn; [`routes`] is the URL plan, [`write`] the only
//! writer, [`feeds`] the Atom feed and the sitemap.

pub mod build;
pub mod feeds;
pub mod routes;
pub mod sources;
pub mod write;

pub use build::{build, BuildOptions, Counts};
