//! The verification by simulation in `plan.json` (`verification`): each
//! round's replay of the roster, contract by contract, against the
//! acceptance rule of `docs/model.md` ("Verified by simulation").

use serde::{Deserialize, Serialize};

use super::round;

/// One contract (a queue's SLA at its contractual scope) by the
/// acceptance rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractVerdict {
    pub queue: String,
    pub scope: String,
    pub target: f64,
    /// Priced SLAs may miss (their misses are paid); they do not decide.
    pub priced: bool,
    /// Periods with contacts, and those at or above target in simulation.
    pub periods: usize,
    pub periods_met: usize,
    /// The worst period: its label, simulated mean and 95% interval.
    pub worst: String,
    pub worst_sl: f64,
    pub worst_low: f64,
    pub worst_high: f64,
    /// The widest 95% half-width over the periods, in SL (0.01 = 1 point).
    pub half_width: f64,
    pub holds: bool,
    /// A deferred queue's best possible SL over its worst period: the
    /// share of its contacts done by their deadline if each were taken the
    /// moment it arrives, under the replay's handle times. A target above
    /// it cannot be reached by any staffing. `None`: voice queues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceiling: Option<f64>,
    /// A voice contract that fails: the interval (its label) where the
    /// replay is furthest short in agents, and how many more agents on
    /// duty (before shrinkage) the queueing table, read at the replay's SL
    /// there, says would bring it to target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<AgentsShort>,
}

/// Where a failing voice contract is furthest short, in agents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentsShort {
    pub at: String,
    pub agents: f64,
}

/// One replay of a round's roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Round {
    /// The round's plan cost (the MIP's objective).
    pub cost: f64,
    /// Every unpriced contract holds.
    pub holds: bool,
    /// The round's plan credits the pooling gain the previous round's
    /// replay found where every contract held (`docs/model.md`, "Verified
    /// by simulation": the other direction); otherwise it corrects what
    /// the previous replay found failing (or is round 0).
    #[serde(default)]
    pub relaxed: bool,
    /// Seconds from the round's start (its plan and roster; for round 0,
    /// the first plan's) to the end of its replays.
    pub seconds: f64,
    /// Replications run, the routing search's included.
    pub replays: usize,
    /// The routing the replay chose: per skill group with several queues,
    /// seconds a call waits before the group takes it from a queue that
    /// is not the group's first (`routing.csv`).
    pub routing: Vec<Routing>,
    /// The deferred queues whose work the round's plan put earlier than
    /// their deadline, and by how much.
    #[serde(default)]
    pub deadline_margins: Vec<DeadlineMargin>,
    pub verdicts: Vec<ContractVerdict>,
}

impl Round {
    /// Its verdict on `queue`'s contract counted over `scope`.
    pub fn verdict(&self, queue: &str, scope: &str) -> Option<&ContractVerdict> {
        self.verdicts
            .iter()
            .find(|v| v.queue == queue && v.scope == scope)
    }

    /// What the round's plan is, in words: the tables' (the first round
    /// of a routing's start, `first`), a correction of the previous
    /// replay's failures, or the pooling gain it found credited.
    pub fn kind(&self, first: bool) -> &'static str {
        if first {
            "tables"
        } else if self.relaxed {
            "pooling gain credited"
        } else {
            "corrected"
        }
    }
}

/// A deferred queue's work planned done this much before its deadline,
/// and planned with this much more work than its contacts bring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadlineMargin {
    pub queue: String,
    pub margin_s: f64,
    /// Share of the in-house work added (0.05: 5% more agent-intervals).
    #[serde(default)]
    pub work_uplift: f64,
    /// The intervals (their local start) whose work is planned at most
    /// one interval early instead: the margin asked too much of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eased_intervals: Vec<String>,
}

/// One skill group's routing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Routing {
    pub skill_group: String,
    /// Its queues, highest priority first.
    pub queues: Vec<String>,
    /// Seconds a call waits before the group's agents take it from a queue
    /// lower in their list; `None` (JSON `null`, CSV `never`): they never
    /// do — voice calls from their first queue only.
    pub secondary_delay_s: Option<f64>,
}

/// The replays of a week and which round's plan was kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    pub replications: usize,
    pub seed: u64,
    /// How far the replays' days strayed from the forecast, as
    /// `simulation.json`'s `forecast_error` says it.
    #[serde(default)]
    pub forecast_error: String,
    /// The skill groups kept on their first queue from round 0 (see
    /// `docs/model.md`, "Verified by simulation"); empty when none can be,
    /// or when the week so routed has no acceptable plan and the rounds
    /// start from the pooled routing (`dedicated_failed`).
    #[serde(default)]
    pub dedicated: Vec<String>,
    /// The week with those groups kept on their first queue had no
    /// acceptable plan or no complete roster: round 0 is the pooled plan.
    #[serde(default)]
    pub dedicated_failed: bool,
    /// The round from which the pooled routing's own rounds follow the
    /// dedicated routing's: the week they kept failed, or cost a fifth or
    /// more above the pooled routing's LP bound (`docs/model.md`, "The
    /// pooled routing's own rounds"). `None`: one start only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pooled_from: Option<usize>,
    /// Round 0 is the plan as the queueing tables made it; each later one
    /// is planned with the calibration of the replay before.
    pub rounds: Vec<Round>,
    /// The round kept: the cheapest that holds, else the last replayed;
    /// `None` when no roster could be replayed.
    pub chosen: Option<usize>,
    /// The kept round's contracts all hold.
    pub holds: bool,
    /// Why no further round was planned, in planners' words: the week
    /// holds, the corrections (`--verify-rounds`) or the time budget
    /// (`--time-limit`) are spent, nothing the corrections reach fails, no
    /// roster could be replayed, or the plan crediting the pooling gain
    /// fails or costs no less.
    #[serde(default)]
    pub stopped: String,
}

/// An SL as a percentage for people, two decimals unless that would show
/// an SL under its target as the target itself (99.996% as "100.00%"):
/// then as many more, up to six, as tell them apart.
pub fn sl_text(sl: f64, target: f64) -> String {
    let at = |d: usize, v: f64| format!("{:.*}%", d, 100.0 * v);
    (2..=6)
        .find(|&d| sl >= target || at(d, sl) != at(d, target))
        .map_or_else(|| at(6, sl), |d| at(d, sl))
}

impl ContractVerdict {
    /// As written: SL to six decimals.
    pub fn rounded(&self) -> ContractVerdict {
        ContractVerdict {
            worst_sl: round(self.worst_sl, 6),
            worst_low: round(self.worst_low, 6),
            worst_high: round(self.worst_high, 6),
            half_width: round(self.half_width, 6),
            ceiling: self.ceiling.map(|c| round(c, 6)),
            short: self.short.as_ref().map(|x| AgentsShort {
                at: x.at.clone(),
                agents: round(x.agents, 2),
            }),
            ..self.clone()
        }
    }
}

impl Verification {
    /// What round `index`'s plan is, in words ([`Round::kind`]): round 0
    /// and the pooled routing's first round are the tables'.
    pub fn kind(&self, index: usize) -> &'static str {
        self.rounds.get(index).map_or("", |r| {
            r.kind(index == 0 || self.pooled_from == Some(index))
        })
    }

    /// The round whose plan, roster and routing were written.
    pub fn kept(&self) -> Option<&Round> {
        self.rounds.get(self.chosen?)
    }

    /// As written: SL and costs rounded (decisions are taken before).
    pub fn rounded(&self) -> Verification {
        let mut v = self.clone();
        for r in &mut v.rounds {
            r.cost = round(r.cost, 2);
            r.seconds = round(r.seconds, 1);
            for c in &mut r.verdicts {
                *c = c.rounded();
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::sl_text;

    #[test]
    fn an_sl_under_its_target_never_reads_as_the_target() {
        // The large centre's q10: a few contacts late against 100%.
        assert_eq!(sl_text(0.999_96, 1.0), "99.996%");
        assert_eq!(sl_text(0.999_999_6, 1.0), "99.99996%");
        assert_eq!(sl_text(0.798_4, 0.8), "79.84%");
        // At or above target, and far from it, two decimals.
        assert_eq!(sl_text(1.0, 1.0), "100.00%");
        assert_eq!(sl_text(0.800_01, 0.8), "80.00%");
        assert_eq!(sl_text(0.5, 0.8), "50.00%");
    }
}
