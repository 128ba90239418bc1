//! The `scholia` binary: parse the command line, run it, exit with its code.

use clap::Parser;

fn main() {
    let cli = scholia::cli::Cli::parse();
    std::process::exit(scholia::cli::run(cli));
}
