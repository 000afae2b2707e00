//! The `zerodown` binary: install error reporting, parse the command line, hand over.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    if let Err(e) = color_eyre::install() {
        eprintln!("warning: error reporting not installed: {e}");
    }
    zerodown::cli::main(zerodown::cli::Cli::parse())
}
