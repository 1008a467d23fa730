//! The `slaplan` binary: parse arguments, run, turn the outcome into an
//! exit code. Nothing else lives here.

use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    cli::main()
}
