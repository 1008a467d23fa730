//! Every rule of a centre's roster, caught on a roster (or a tightened
//! instance) that breaks it and not on the planned roster that keeps it.
//! The fixture (`tests/fixtures/check/`) is planned and rostered once; each
//! case edits one thing — a roster row, the allocation, a contract limit,
//! an agent, the week's pins or strikes — and checks the files as
//! `slaplan check` reads them. Removing a rule's code fails its case.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{Duration, NaiveDateTime, NaiveTime};

use super::Rule;
use crate::pipeline::{self, WeekOptions};
use crate::plan::PlanOptions;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("the checker fixture is shipped")
}

/// The fixture's roster and allocation, planned once: `(roster.csv,
/// allocation.csv)`.
fn planned() -> &'static (String, String) {
    static PLANNED: OnceLock<(String, String)> = OnceLock::new();
    PLANNED.get_or_init(|| {
        let inst = crate::input::load_instance(&fixture("week.yaml")).expect("fixture loads");
        let opts = WeekOptions::new(PlanOptions::default(), Some(60.0));
        let week = pipeline::plan_week(&inst, &opts).expect("fixture plans");
        assert!(
            week.is_acceptable(),
            "the fixture's week must plan and roster"
        );
        let (Some(s), Some(r)) = (&week.plan.solution, &week.roster) else {
            unreachable!("an acceptable week has a plan and a roster")
        };
        (
            crate::roster::output::roster_csv(&week.cx, r),
            crate::roster::output::allocation_csv(&week.cx, s),
        )
    })
}

/// One case: the fixture's files, edited.
struct Case {
    model: String,
    week: String,
    agents: String,
    /// Roster rows split into fields (header first).
    roster: Vec<Vec<String>>,
    allocation: String,
    /// What the weeks before leave the agents (a horizon's later week).
    carry: crate::model::Carry,
}

/// Roster fields.
const AGENT: usize = 0;
const DATE: usize = 3;
const TEMPLATE: usize = 4;
const START: usize = 5;
const END: usize = 6;
const PAID: usize = 9;
const BREAKS: usize = 10;
const QUEUES: usize = 11;

/// A local `YYYY-MM-DD HH:MM` moved by `minutes` (the fixture's week has
/// no change of the clocks).
fn later(t: &str, minutes: i64) -> String {
    let f = crate::files::roster::LOCAL_FORMAT;
    (NaiveDateTime::parse_from_str(t, f).expect("roster time") + Duration::minutes(minutes))
        .format(f)
        .to_string()
}

/// A break's `HH:MM` clock time moved by `minutes`.
fn later_clock(t: &str, minutes: i64) -> String {
    (NaiveTime::parse_from_str(t, "%H:%M").expect("break time") + Duration::minutes(minutes))
        .format("%H:%M")
        .to_string()
}

impl Case {
    fn new() -> Case {
        let (roster, allocation) = planned();
        Case {
            model: read("model.yaml"),
            week: read("week.yaml"),
            agents: read("agents.csv"),
            roster: roster
                .lines()
                .map(|l| l.split(',').map(str::to_string).collect())
                .collect(),
            allocation: allocation.clone(),
            carry: crate::model::Carry::default(),
        }
    }

    /// Replaces `from` (which must be there) in the model.
    fn model(mut self, from: &str, to: &str) -> Case {
        assert!(self.model.contains(from), "the model has no '{from}'");
        self.model = self.model.replacen(from, to, 1);
        self
    }

    /// Edits agent `a`'s line of the agents file.
    fn agent(mut self, a: &str, f: impl Fn(&str) -> String) -> Case {
        let prefix = format!("{a},");
        self.agents = self
            .agents
            .lines()
            .map(|l| {
                if l.starts_with(&prefix) {
                    f(l)
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n";
        self
    }

    /// The index of the first row matching `f`.
    fn row(&self, f: impl Fn(&[String]) -> bool) -> usize {
        (1..self.roster.len())
            .find(|&i| f(&self.roster[i]))
            .expect("the planned roster has such a row")
    }

    /// The first row of a full-time front-line agent on Monday.
    fn monday_row(&self) -> usize {
        self.row(|r| r[AGENT].starts_with('F') && r[DATE] == "2024-03-04")
    }

    /// Moves row `i` (its times and breaks) by `minutes`; by whole days,
    /// its date too.
    fn shift_row(mut self, i: usize, minutes: i64) -> Case {
        let r = &mut self.roster[i];
        r[START] = later(&r[START], minutes);
        r[END] = later(&r[END], minutes);
        r[BREAKS] = r[BREAKS]
            .split(';')
            .filter(|b| !b.is_empty())
            .map(|b| {
                let (a, z) = b.split_once('-').expect("a break is from-to");
                format!("{}-{}", later_clock(a, minutes), later_clock(z, minutes))
            })
            .collect::<Vec<_>>()
            .join(";");
        if minutes % (24 * 60) == 0 {
            r[DATE] = r[START][..10].to_string();
        }
        self
    }

    /// Rows of agent `a`, by day index (Monday 0).
    fn days_of(&self, a: &str) -> Vec<usize> {
        self.roster[1..]
            .iter()
            .filter(|r| r[AGENT] == a)
            .map(|r| usize::from(r[DATE].as_bytes()[9] - b'4'))
            .collect()
    }

    /// Writes the files into a fresh folder and checks them: the rules
    /// broken, each once, in order.
    fn found(&self) -> Vec<Rule> {
        let dir = tempfile::tempdir().expect("temp folder");
        let d = dir.path();
        std::fs::write(d.join("model.yaml"), &self.model).expect("write");
        std::fs::write(d.join("week.yaml"), &self.week).expect("write");
        std::fs::write(d.join("agents.csv"), &self.agents).expect("write");
        std::fs::copy(fixture("volumes.csv"), d.join("volumes.csv")).expect("copy");
        let roster: Vec<String> = self.roster.iter().map(|r| r.join(",")).collect();
        std::fs::write(d.join("roster.csv"), roster.join("\n") + "\n").expect("write");
        std::fs::write(d.join("allocation.csv"), &self.allocation).expect("write");
        let mut inst = crate::input::load_instance(&d.join("week.yaml"))
            .unwrap_or_else(|p| panic!("the edited instance must load: {}", p[0]));
        inst.carry = self.carry.clone();
        let demand = pipeline::demand(&inst).expect("demand");
        let (violations, _) = super::super::centre::check(
            &inst,
            &demand,
            &d.join("roster.csv"),
            &d.join("allocation.csv"),
            None,
            &Default::default(),
        )
        .unwrap_or_else(|p| panic!("the edited files must read: {}", p[0]));
        let mut rules: Vec<Rule> = violations.iter().map(|v| v.rule).collect();
        rules.sort();
        rules.dedup();
        rules
    }
}

/// The case that breaks `rule`.
fn breaking(rule: Rule) -> Case {
    let c = Case::new();
    match rule {
        // Monday's shift moved to Saturday: early runs Monday to Friday.
        Rule::TemplateDay => {
            let i = c.monday_row();
            c.shift_row(i, 5 * 24 * 60)
        }
        // A quarter of an hour later: not one of the template's starts.
        Rule::TemplateStart => {
            let i = c.monday_row();
            c.shift_row(i, 15)
        }
        Rule::ShiftLength => {
            let mut c = c;
            let i = c.monday_row();
            c.roster[i][END] = later(&c.roster[i][END], 30);
            c
        }
        // A full-time agent on the part-timers' template.
        Rule::Contract => {
            let mut c = c;
            let i = c.monday_row();
            c.roster[i][TEMPLATE] = "short".into();
            // The row states the template's paid hours, as a roster must.
            c.roster[i][PAID] = "4.00".into();
            c
        }
        // The agent unavailable the whole day of their shift.
        Rule::Availability => {
            let i = c.monday_row();
            let (a, date) = (c.roster[i][AGENT].clone(), c.roster[i][DATE].clone());
            c.agent(&a, |l| format!("{l}{date}"))
        }
        // The break three hours late, past its window.
        Rule::Breaks => {
            let mut c = c;
            let i = c.monday_row();
            let (a, z) = c.roster[i][BREAKS]
                .split_once('-')
                .map(|(a, z)| (later_clock(a, 180), later_clock(z, 180)))
                .expect("early has a break");
            c.roster[i][BREAKS] = format!("{a}-{z}");
            c
        }
        // A front-line agent on the back office's queue.
        Rule::Skills => {
            let mut c = c;
            let i = c.monday_row();
            c.roster[i][QUEUES] = "back".into();
            c
        }
        Rule::OneShiftPerDay => {
            let mut c = c;
            let i = c.monday_row();
            let again = c.roster[i].clone();
            c.roster.insert(i + 1, again);
            c
        }
        // Rest between shifts on consecutive days is at most 17 h here.
        Rule::MinRest => c.model("    min_rest: 11h\n    hourly_cost: 20.00", "    min_rest: 20h\n    hourly_cost: 20.00"),
        // A full-time agent on a 4-hour-a-day part-time contract.
        Rule::MaxDayHours => {
            let i = c.monday_row();
            let a = c.roster[i][AGENT].clone();
            c.agent(&a, |l| l.replacen(",full,", ",part,", 1))
        }
        Rule::WeeklyHoursMax => c.model("{ min: 0h, max: 40h }", "{ min: 0h, max: 7h }"),
        Rule::WeeklyHoursMin => c.model("{ min: 0h, max: 40h }", "{ min: 30h, max: 40h }"),
        Rule::MaxDays => c.model("    max_days: 5\n    max_hours_per_day: 8h", "    max_days: 1\n    max_hours_per_day: 8h"),
        Rule::MaxConsecutiveDays => c.model(
            "    max_days: 5\n    max_hours_per_day: 8h",
            "    max_days: 5\n    max_consecutive_days: 1\n    max_hours_per_day: 8h",
        ),
        // An agent working three days in a row loses the middle one: one
        // day off inside the week, where the contract asks two.
        Rule::MinConsecutiveDaysOff => {
            let c = c.model(
                "    max_days: 5\n    max_hours_per_day: 8h",
                "    max_days: 5\n    min_consecutive_days_off: 2\n    max_hours_per_day: 8h",
            );
            let (a, mid) = c.roster[1..]
                .iter()
                .map(|r| r[AGENT].clone())
                .find_map(|a| {
                    let days = c.days_of(&a);
                    (1..6)
                        .find(|d| days.contains(&(d - 1)) && days.contains(d) && days.contains(&(d + 1)))
                        .map(|d| (a, d))
                })
                .expect("an agent works three days in a row");
            let mut c = c;
            let date = format!("2024-03-{:02}", 4 + mid);
            c.roster.retain(|r| !(r[AGENT] == a && r[DATE] == date));
            c
        }
        Rule::MaxWeekends => {
            let c = c.model(
                "    max_days: 5\n    max_hours_per_day: 8h",
                "    max_days: 5\n    max_weekends: 0\n    max_hours_per_day: 8h",
            );
            let i = c.monday_row();
            c.shift_row(i, 5 * 24 * 60)
        }
        // A Monday worker's last shift moved to Sunday: the week is worked
        // at both ends, and no rest is as long as the contract's 150 h.
        Rule::WeeklyRest => {
            let c = c.model(
                "    min_rest: 11h\n    hourly_cost: 20.00",
                "    min_rest: 11h\n    weekly_rest: 150h\n    hourly_cost: 20.00",
            );
            let a = c.roster[c.monday_row()][AGENT].clone();
            let last = (1..c.roster.len())
                .rev()
                .find(|&i| c.roster[i][AGENT] == a)
                .expect("the agent has rows");
            let day = usize::from(c.roster[last][DATE].as_bytes()[9] - b'4');
            c.shift_row(last, (6 - day as i64) * 24 * 60)
        }
        Rule::Strike => {
            let mut c = c;
            c.week.push_str("strikes:\n  - { skill_group: front, share: 100%, dates: [2024-03-04] }\n");
            c
        }
        Rule::Pin => {
            let mut c = c;
            let a = c.roster[c.monday_row()][AGENT].clone();
            c.week
                .push_str(&format!("pins:\n  - {{ agent: {a}, date: 2024-03-04, off: true }}\n"));
            c
        }
        // Every succession of two days forbidden.
        Rule::ForbiddenSuccession => c.model(
            "  - { after: late, then: early }",
            "  - { after: late, then: early }\n  - { after: early, then: early }\n  - { after: early, then: late }\n  - { after: late, then: late }",
        ),
        // Line's contacts sent to the provider, which serves the back office only.
        Rule::OutsourcerQueue => {
            let mut c = c;
            c.allocation
                .push_str("outsourcer,ext,line,2024-03-04T10:00,false,,1\n");
            c
        }
        // Fifty front-line agents allocated where a few are present.
        Rule::Coverage => {
            let mut c = c;
            c.allocation
                .push_str("in_house,front,line,2024-03-04T10:00,false,50,\n");
            c
        }
        // Nobody allocated to the back office's queue: its week's SL falls.
        Rule::Sla => {
            let mut c = c;
            c.allocation = c
                .allocation
                .lines()
                .filter(|l| !l.starts_with("in_house,backs,back,"))
                .collect::<Vec<_>>()
                .join("\n")
                + "\n";
            c
        }
        other => panic!("{other} is a Curtois–Qu rule: tests/curtois.rs checks it"),
    }
}

#[test]
fn the_planned_roster_breaks_no_rule() {
    assert_eq!(Case::new().found(), Vec::<Rule>::new());
}

/// In a horizon's later week, what the week before leaves an agent who
/// works Monday counts: a shift ending an hour before the week (rest),
/// five days worked up to Sunday (days in a row, at most 6), one day off
/// where the contract asks two (days off in a row). The same roster read
/// as a week alone breaks none of them.
#[test]
fn the_week_before_counts_at_the_weeks_start() {
    use crate::model::AgentCarry;
    let c = Case::new();
    // An agent whose days run from Monday unbroken: no stretch of days off
    // inside their week, so two may be asked of them.
    let agent = c.roster[1..]
        .iter()
        .map(|r| r[AGENT].clone())
        .find(|a| {
            let days = c.days_of(a);
            days.len() >= 2 && days.iter().enumerate().all(|(i, &d)| i == d)
        })
        .expect("someone works from Monday unbroken");
    // Their own contract, the full-time one asking two days off in a row.
    let c = c
        .model(
            "contracts:\n",
            "contracts:\n  - id: solo\n    weekly_hours: { min: 0h, max: 40h }\n    max_days: 5\n    max_hours_per_day: 8h\n    min_rest: 11h\n    min_consecutive_days_off: 2\n    hourly_cost: 20.00\n",
        )
        .agent(&agent, |l| l.replace(",full,", ",solo,"));
    assert_eq!(c.found(), Vec::<Rule>::new(), "a week alone");
    let inst = crate::input::load_instance(&fixture("week.yaml")).expect("fixture loads");
    let a = inst
        .agents
        .iter()
        .position(|x| x.id == agent)
        .expect("the agent");
    let carrying = |carried: AgentCarry| {
        let mut c = Case {
            model: c.model.clone(),
            week: c.week.clone(),
            agents: c.agents.clone(),
            roster: c.roster.clone(),
            allocation: c.allocation.clone(),
            carry: crate::model::Carry {
                agents: vec![AgentCarry::default(); inst.agents.len()],
                ..crate::model::Carry::default()
            },
        };
        c.carry.agents[a] = carried;
        c.found()
    };
    let none = AgentCarry {
        run: 0,
        off_run: 2,
        ..AgentCarry::default()
    };
    assert_eq!(carrying(none), Vec::<Rule>::new());
    let rest = carrying(AgentCarry {
        last_end: Some(-60),
        ..none
    });
    assert_eq!(rest, vec![Rule::MinRest]);
    let run = carrying(AgentCarry {
        run: 5,
        off_run: 0,
        ..none
    });
    assert_eq!(run, vec![Rule::MaxConsecutiveDays]);
    let off = carrying(AgentCarry { off_run: 1, ..none });
    assert_eq!(off, vec![Rule::MinConsecutiveDaysOff]);
}

/// One test per rule: its case breaks it, and the checker says so.
macro_rules! caught {
    ($($name:ident => $rule:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let found = breaking(Rule::$rule).found();
                assert!(found.contains(&Rule::$rule), "{} not caught; found {found:?}", Rule::$rule);
            }
        )*

        /// Every rule of [`Rule::CENTRE`] has its test above.
        #[test]
        fn every_centre_rule_has_a_case() {
            let tested = [$(Rule::$rule),*];
            for r in Rule::CENTRE {
                assert!(tested.contains(&r), "{r} has no case");
            }
        }
    };
}

caught! {
    template_day => TemplateDay,
    template_start => TemplateStart,
    shift_length => ShiftLength,
    contract => Contract,
    availability => Availability,
    breaks => Breaks,
    skills => Skills,
    one_shift_per_day => OneShiftPerDay,
    min_rest => MinRest,
    max_day_hours => MaxDayHours,
    weekly_hours_max => WeeklyHoursMax,
    weekly_hours_min => WeeklyHoursMin,
    max_days => MaxDays,
    max_consecutive_days => MaxConsecutiveDays,
    min_consecutive_days_off => MinConsecutiveDaysOff,
    max_weekends => MaxWeekends,
    weekly_rest => WeeklyRest,
    strike => Strike,
    pin => Pin,
    forbidden_succession => ForbiddenSuccession,
    outsourcer_queue => OutsourcerQueue,
    coverage => Coverage,
    sla => Sla,
}

#[test]
fn each_rule_has_one_name_and_a_family_file() {
    let all: Vec<Rule> = Rule::CENTRE
        .into_iter()
        .chain(Rule::ON_CALL)
        .chain(Rule::VISITS)
        .collect();
    let mut names: Vec<&str> = all.iter().map(|r| r.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), all.len());
    for r in all {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/check/rules")
            .join(format!("{}.rs", r.family()));
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let variant = format!("{r:?}");
        assert!(
            text.contains(&format!("Rule::{variant}")),
            "{r} is not flagged in {}",
            file.display()
        );
        assert_eq!(
            serde_json::to_value(r).expect("serialises"),
            serde_json::json!(r.as_str())
        );
    }
}

#[test]
fn docs_model_lists_every_rule_as_the_enum_says() {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/model.md"))
        .expect("docs/model.md");
    for r in Rule::CENTRE
        .into_iter()
        .chain(Rule::ON_CALL)
        .chain(Rule::VISITS)
    {
        let row = format!(
            "| `{}` | `check/rules/{}.rs` | {} |",
            r.as_str(),
            r.family(),
            r.description()
        );
        assert!(docs.contains(&row), "docs/model.md lacks the row {row}");
    }
}
