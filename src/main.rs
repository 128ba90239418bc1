//! The `scholia` binary: parse the command line, run it, exit with its code.

use clap::Parser;

// Rendering allocates many short strings on every thread; glibc's allocator spent a fifth of
// the build in malloc/free on the 10,000-commentary corpus, mimalloc a fraction of that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = scholia::cli::Cli::parse();
    std::process::exit(scholia::cli::run(cli));
}
