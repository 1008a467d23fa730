//! Progress of long runs on stderr: the stage, the time elapsed, and the
//! solver's latest objective, bound and gap, on one spinner line
//! (indicatif). Off unless a command turns it on — and a command turns it
//! on only when stderr is a terminal and `--quiet` is not given, so pipes,
//! files and CI logs never see it, and stdout is never touched.
//!
//! One process-wide line: the stages report through [`stage`] and
//! [`note`] without threading a handle through the solver's interfaces.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

static BAR: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Set by [`outer`]: the stages of work running in parallel beneath it
/// (scenarios) keep quiet, and only the outer line moves.
static OUTER: AtomicBool = AtomicBool::new(false);

/// Set by `--quiet`: no progress line, no notices.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Says whether `--quiet` was given (every command has it).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether `--quiet` was given.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// A line for the person at the terminal that is neither a result nor
/// an error (a capped option, a skipped case): stderr, unless `--quiet`.
pub fn notice(message: impl AsRef<str>) {
    if !quiet() {
        eprintln!("{}", message.as_ref());
    }
}

/// Turns the line on when stderr is a terminal and not `--quiet`;
/// returns whether it is on.
pub fn start() -> bool {
    if quiet() || !std::io::stderr().is_terminal() {
        return false;
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {prefix}: {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    if let Ok(mut slot) = BAR.lock() {
        *slot = Some(bar);
    }
    true
}

fn with(f: impl FnOnce(&ProgressBar)) {
    if let Ok(slot) = BAR.lock() {
        if let Some(bar) = slot.as_ref() {
            f(bar);
        }
    }
}

/// A new stage: its name, with a first message.
pub fn stage(name: &str, message: impl Into<String>) {
    if OUTER.load(Ordering::Relaxed) {
        return;
    }
    let (name, message) = (name.to_string(), message.into());
    with(|bar| {
        bar.set_prefix(name);
        bar.set_message(message);
    });
}

/// Whether [`note`] shows anywhere: the line is on and not held by an
/// outer stage. Lets a caller skip work done only for the line.
pub fn active() -> bool {
    !OUTER.load(Ordering::Relaxed) && BAR.lock().is_ok_and(|slot| slot.is_some())
}

/// News within the stage (objective, bound, gap…).
pub fn note(message: impl Into<String>) {
    if OUTER.load(Ordering::Relaxed) {
        return;
    }
    let message = message.into();
    with(|bar| bar.set_message(message));
}

/// A stage over work that runs in parallel (scenarios): from now on only
/// [`outer`] moves the line; the inner stages keep quiet.
pub fn outer(name: &str, message: impl Into<String>) {
    OUTER.store(true, Ordering::Relaxed);
    let (name, message) = (name.to_string(), message.into());
    with(|bar| {
        bar.set_prefix(name);
        bar.set_message(message);
    });
}

/// Clears the line (before the command prints its results).
pub fn finish() {
    OUTER.store(false, Ordering::Relaxed);
    if let Ok(mut slot) = BAR.lock() {
        if let Some(bar) = slot.take() {
            bar.finish_and_clear();
        }
    }
}
