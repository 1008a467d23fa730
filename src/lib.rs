//! slaplan plans a contact centre's week: it turns contacts into staffing
//! requirements with queueing models and plans agents, shifts and
//! outsourcing to meet contractual service levels at minimum cost.
//!
//! The library is layered one way: [`units`] and [`queueing`] are pure
//! computations; [`model`] holds the validated centre and week, which
//! [`input`] builds from files; [`cli`] reads arguments and writes results.

pub mod check;
pub mod cli;
pub mod forecast;
pub mod generate;
pub mod input;
pub mod model;
pub mod plan;
pub mod progress;
pub mod queueing;
pub mod report;
pub mod requirements;
pub mod roster;
pub mod scenario;
pub mod simulate;
pub mod units;
