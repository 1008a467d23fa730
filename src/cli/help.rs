//! What every `--help` ends with: examples on the shipped instances and
//! the exit codes (`docs/formats.md` says the same per command). The
//! examples run from the repository's root; `tests/suite/cli.rs` checks
//! that every path they name exists.

pub const INIT: &str = "\
Examples:
  slaplan init my-centre
  slaplan init my-centre --force

Exit codes:
  0  the files written
  2  one of them exists already (nothing written; --force replaces them)";

pub const ERLANG: &str = "\
Examples:
  slaplan erlang --calls 360 --per 30m --aht 240s --answer-within 20s --target 80%
  slaplan erlang --load 12 --aht 3m --answer-within 30s --target 90% --patience 2m --format csv

Exit codes:
  0  the table printed
  2  bad or missing options (the flag named)";

pub const VALIDATE: &str = "\
Examples:
  slaplan validate instances/club-internet/week-2003-03-03.yaml
  slaplan validate instances/stratus/week-2003-03-03.yaml --format json

Exit codes:
  0  ok: every command can run on this input
  2  problems, each with its code, file, line and what to do";

pub const FORECAST: &str = "\
Examples:
  slaplan forecast instances/club-internet/week-2003-03-03.yaml -o out/club
  slaplan forecast instances/amen/strike-week.yaml --method seasonal-naive --format json

Exit codes:
  0  the forecast written or printed
  2  bad input or options, nothing written";

pub const STAFF: &str = "\
Examples:
  slaplan staff instances/club-internet/week-2003-03-03.yaml -o out/club
  slaplan staff instances/amen/strike-week.yaml --format json

Exit codes:
  0  the requirements written or printed
  2  bad input or options, nothing written";

pub const PLAN: &str = "\
Examples:
  slaplan plan instances/club-internet/week-2003-03-03.yaml -o out/club
  slaplan plan instances/amen/strike-week.yaml -o out/amen --set outsourcing=off
  slaplan plan instances/large-centre/week.yaml -o out/large --work-limit 200 --no-roster
  slaplan plan instances/club-internet/week-2003-03-03.yaml -o out/quarter --weeks 13
  slaplan plan instances/amen/strike-4-weeks.yaml -o out/amen-strike

Exit codes:
  0  a plan and roster whose every contract holds (verified by simulation unless --no-verify);
     with --weeks, every week so
  1  no acceptable plan: infeasible (explained), no plan in time, a shift unrostered,
     or a contract failing when the roster is replayed call by call; the files say which
     (with --weeks, horizon.json says which weeks)
  2  bad input or options, nothing written";

pub const HEADCOUNT: &str = "\
Examples:
  slaplan headcount instances/club-internet/week-2003-03-03.yaml --weeks 13 -o out/club-headcount
  slaplan headcount instances/internet-telecom/week-50-agents.yaml --weeks 13 --set outsourcing=off

Exit codes:
  0  the decision written or printed (short hours, if any, listed)
  2  bad input or options (no headcount policy, a horizon that cannot be forecast), nothing written";

pub const REPORT: &str = "\
Examples:
  slaplan report out/club
  slaplan report out/club --format json

Exit codes:
  0  report.html rebuilt
  2  the folder holds no plan, or bad options";

pub const COMPARE: &str = "\
Examples:
  slaplan compare instances/club-internet/week-2003-03-03.yaml --scenarios instances/club-internet/scenarios-snt.yaml -o out/snt
  slaplan compare instances/amen/strike-week.yaml --set sla.support.penalty=5 --sweep outsourcer.provider.price=5..20:2.5 --no-roster

Exit codes:
  0  the comparison made: every scenario decided (infeasible ones marked in it)
  1  a scenario undecided (no plan in time, infeasibility not proven);
     with --fail-on-infeasible also a scenario without an acceptable plan
  2  bad input, scenario file or options, nothing written";

pub const CHECK: &str = "\
Examples:
  slaplan check instances/club-internet/week-2003-03-03.yaml out/club/roster.csv
  slaplan check instances/club-internet/week-2003-03-03.yaml out/quarter
  slaplan check --curtois ../shared/data/curtois/Instance1.txt out/instance1/roster.csv --format json

Exit codes:
  0  no rule broken, every SLA kept as recomputed
  1  violations, each with agent, date and rule
  2  bad input (the file and line named)";

pub const SIMULATE: &str = "\
Examples:
  slaplan simulate instances/club-internet/week-2003-03-03.yaml out/club/roster.csv
  slaplan simulate instances/club-internet/week-2003-03-03.yaml out/club/roster.csv --replications 100 --seed 3 --secondary-delay 60s
  slaplan simulate instances/club-internet/week-2003-03-03.yaml out/quarter

Exit codes:
  0  the replay made (its verdict per contract is in the table and simulation.json)
  2  bad input or options, nothing written";

pub const ROSTER: &str = "\
Examples:
  slaplan roster --curtois ../shared/data/curtois/Instance1.txt -o out/instance1
  slaplan roster --curtois ../shared/data/curtois/Instance5.txt --work-limit 50 --format json

Exit codes:
  0  a roster that breaks no hard rule
  1  no roster, or one breaking a hard rule
  2  bad input or options";

pub const BENCH: &str = "\
Examples:
  slaplan bench bench/quick.yaml -o out/quick --baseline bench/quick-baseline.json
  slaplan bench bench/quick.yaml -o out/shard1 --shard 1/2

Exit codes:
  0  the suite ran (and, with --baseline, no regression)
  1  a regression against the baseline (the table names it)
  2  bad suite, baseline or options, nothing written";

pub const MERGE: &str = "\
Examples:
  slaplan merge out/shard1 out/shard2 -o out/quick --baseline bench/quick-baseline.json

Exit codes:
  0  merged (and, with --baseline, no regression)
  1  a regression against the baseline
  2  shards that do not belong together, or bad options";

pub const GENERATE: &str = "\
Examples:
  slaplan generate-history instances/club-internet/history.yaml -o out/club

Exit codes:
  0  the history written
  2  bad input or options, nothing written";
