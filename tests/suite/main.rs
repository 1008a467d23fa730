//! The integration tests, in one binary: one link of the library and
//! HiGHS instead of one per file. Each file is a module named after what
//! it tests (`cargo test --test suite plan::` runs the planning tests).
//! The Curtois–Qu benchmark and the reference data run as their own
//! binaries (`tests/curtois.rs`, `tests/reference_data.rs`): they list
//! one case per instance or data row through libtest-mimic.

#[path = "../support/mod.rs"]
mod support;

mod bench;
mod campaign;
mod cli;
mod clocks;
mod compare;
mod forecast;
mod headcount;
mod high_precision;
mod horizon;
mod hostile;
mod init;
mod instances;
mod loader_fuzz;
mod on_call;
mod plan;
mod properties;
mod requirements;
mod roster;
mod simulate;
mod sites;
mod staff;
mod tiers;
mod validation;
mod verify;
