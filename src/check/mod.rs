//! The independent checker: re-reads the input and a roster file and
//! verifies every rule, counting from the files alone. It shares nothing
//! with the solver but the input loader and the queueing maths, so a model
//! bug cannot hide in both.

pub mod centre;
pub mod curtois;
pub mod rules;
pub mod service;

use serde::Serialize;

/// One broken rule: who, when, which rule, and by how much.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// Employee or agent id (or the queue, for service rules).
    pub who: String,
    /// The day (an index or a date), when the rule is about one.
    pub day: Option<String>,
    pub rule: rules::Rule,
    pub detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.who)?;
        if let Some(d) = &self.day {
            write!(f, ", day {d}")?;
        }
        write!(f, ": {}: {}", self.rule, self.detail)
    }
}
