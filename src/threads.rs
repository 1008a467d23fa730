//! How many threads this process may start: the cores it may use, and
//! under a process limit (`ulimit -u`, a container's pids limit) the
//! threads the system still lets it start. HiGHS's C++ pool aborts the
//! process when it cannot start a thread, and rayon's global pool
//! panics, so both are sized from a probe, never from a wish.

use std::sync::{Arc, RwLock};
use std::time::Duration;

/// The cores this process may use (at least one).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |c| c.get())
}

/// Threads this process can start now beside the ones it runs, up to
/// `want`: each probe thread waits until all have been tried, so they
/// count against the limit together, then all end.
pub fn spare(want: usize) -> usize {
    if want == 0 {
        return 0;
    }
    let gate = Arc::new(RwLock::new(()));
    let held = gate.write().unwrap_or_else(|e| e.into_inner());
    let mut started = Vec::with_capacity(want);
    for _ in 0..want {
        let gate = Arc::clone(&gate);
        let probe = std::thread::Builder::new()
            .name("slaplan-probe".into())
            .stack_size(64 * 1024)
            .spawn(move || drop(gate.read()));
        match probe {
            Ok(handle) => started.push(handle),
            Err(_) => break,
        }
    }
    drop(held);
    let n = started.len();
    for handle in started {
        let _ = handle.join();
    }
    // A joined thread is counted against the limit until the kernel has
    // released it, a moment after `join` returns: let that moment pass
    // before the caller starts the threads it was promised.
    std::thread::sleep(Duration::from_millis(10));
    n
}

/// `n` threads, at most the cores this process may use and at most the
/// threads it can start (its own counted), at least one.
pub fn cap(n: usize) -> usize {
    let n = n.clamp(1, cores());
    1 + spare(n - 1)
}

/// Sizes rayon's global pool before anything uses it: the cores, or
/// fewer under a process limit; with no thread to spare, the calling
/// thread is the pool's one worker. Without this the first parallel loop
/// panics when the limit refuses the pool its threads.
pub fn init_global_pool() {
    let spare = spare(cores());
    let builder = rayon::ThreadPoolBuilder::new();
    let builder = if spare == 0 {
        builder.num_threads(1).use_current_thread()
    } else {
        builder.num_threads(spare.min(cores()))
    };
    // An error means the pool exists already (a second call): keep it.
    let _ = builder.build_global();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_never_exceeds_the_cores_nor_falls_below_one() {
        assert_eq!(cap(0), 1);
        assert_eq!(cap(1), 1);
        assert!(cap(10_000) <= cores());
        assert!(spare(3) <= 3);
    }
}
