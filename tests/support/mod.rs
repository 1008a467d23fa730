//! Shared by the integration tests: where the outside reference data lives,
//! and what to do when it is not there.
//!
//! The large reference sets are read from `../shared/data` beside the
//! repository, or from `$SLAPLAN_SHARED_DATA`. Where they are absent the
//! tests that need them are reported *ignored* with the reason (never a
//! silent pass), and with `SLAPLAN_REQUIRE_DATA=1` (set by `.ci/run`) they
//! fail instead.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `rel` inside the repository.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Runs the built `slaplan` binary with `args`; its exit, stdout and stderr.
pub fn slaplan<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slaplan"))
        .args(args)
        .output()
        .expect("run slaplan")
}

/// Where the data lives, or why it cannot be used.
pub enum DataDir {
    Found(PathBuf),
    /// Not found, and that is allowed: skip with this reason.
    Missing(String),
    /// Not found, and CI requires it: fail with this reason.
    Required(String),
}

pub fn shared_data() -> DataDir {
    let dir = std::env::var_os("SLAPLAN_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.join("erlang").is_dir() {
        return DataDir::Found(dir);
    }
    let reason = format!(
        "reference data not found at {} (set SLAPLAN_SHARED_DATA to the shared/data folder)",
        dir.display()
    );
    if std::env::var("SLAPLAN_REQUIRE_DATA").is_ok_and(|v| v == "1") {
        DataDir::Required(reason)
    } else {
        DataDir::Missing(reason)
    }
}

/// Runs a libtest-mimic harness over the reference data: `found` builds
/// the trials from the data folder; where the folder is absent each of
/// `names` is reported *ignored* with the reason (or, with
/// `SLAPLAN_REQUIRE_DATA=1`, one failing trial says why), after a banner
/// naming `what` does not run.
pub fn run_with_data(
    what: &str,
    names: Vec<String>,
    found: impl FnOnce(&std::path::Path) -> Vec<libtest_mimic::Trial>,
) -> ! {
    use libtest_mimic::{Arguments, Completion, Trial};
    let args = Arguments::from_args();
    let data = shared_data();
    if let DataDir::Missing(reason) | DataDir::Required(reason) = &data {
        let bar = "!".repeat(72);
        eprintln!("\n{bar}\n!!! {reason}\n!!! {what} below do NOT run\n{bar}\n");
    }
    let trials = match data {
        DataDir::Found(dir) => found(&dir),
        DataDir::Missing(reason) => names
            .into_iter()
            .map(|name| {
                let reason = reason.clone();
                Trial::ignorable_test(name, move || Ok(Completion::ignored_with(reason)))
            })
            .collect(),
        DataDir::Required(reason) => vec![Trial::test("reference_data_present", move || {
            Err(reason.into())
        })],
    };
    libtest_mimic::run(&args, trials).exit()
}
