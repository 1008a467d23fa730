//! A rostered week replayed call by call from its files — `roster.csv` and
//! `allocation.csv`, as `slaplan simulate` reads them — with the plan's
//! projection beside it.

use std::path::Path;

use crate::files::simulation::SimulationFile;
use crate::input::Problem;
use crate::model::{Instance, VolumeRow};
use crate::plan::evaluate::evaluate;
use crate::plan::{Context, PlanOptions};
use crate::simulate::report::csv;
use crate::simulate::{HandleTimes, Outsourcing, Report, Setup, Shrinkage, SimOptions};

/// A simulated week: the report, its CSV, its JSON.
pub struct Simulated {
    pub csv: String,
    pub json: SimulationFile,
    pub seconds: f64,
}

/// Whether the week has contacts to replay: not when the instance gives
/// its requirements (agents per interval, no contacts).
pub fn replayable(inst: &Instance) -> Result<(), crate::forecast::DemandError> {
    match inst.demand {
        crate::model::Demand::Requirements(_) => {
            Err(crate::forecast::DemandError::RequirementsGiven)
        }
        _ => Ok(()),
    }
}

/// The call-outs replayed on `on_call.csv` beside the roster, where the
/// model has rotas and the file is there.
fn on_call(
    inst: &Instance,
    roster: &Path,
    rows: &[crate::files::roster::Row],
    opts: &SimOptions,
) -> Result<Vec<crate::files::simulation::OnCallSummary>, Vec<Problem>> {
    let path = roster.with_file_name("on_call.csv");
    if inst.centre.on_call.is_empty() || !path.exists() {
        return Ok(Vec::new());
    }
    let duties = crate::files::on_call::read_duties(inst, &path)?;
    Ok(crate::simulate::on_call::replay(
        inst,
        rows,
        &duties,
        opts.replications,
        opts.seed,
    ))
}

/// The field-visit blocks of `visits.csv` beside the roster, where the
/// model has field queues and the file is there (the plan's otherwise).
fn visits(
    inst: &Instance,
    roster: &Path,
    rows: &[crate::files::roster::Row],
) -> Result<Option<Vec<crate::roster::visits::Block>>, Vec<Problem>> {
    let path = roster.with_file_name("visits.csv");
    if !inst.centre.has_field_queues() || !path.exists() {
        return Ok(None);
    }
    let stretches = crate::files::visits::read_visits(inst, &path)?;
    crate::roster::visits::on_shifts(rows, &stretches)
        .map(Some)
        .map_err(|bad| {
            bad.into_iter()
                .map(|(line, message)| {
                    let mut p = Problem::at(
                        crate::input::Code::CsvBadValue,
                        &path,
                        Some(line),
                        message,
                        "keep each block inside a shift of its engineer, or plan again",
                    );
                    p.field = "start".into();
                    p
                })
                .collect()
        })
}

/// Simulates `roster` with the plan's `allocation` on the week of `inst`,
/// routed as `routing` says where given (`routing.csv`; its delays replace
/// `opts`' for the groups it names).
pub fn simulate_files(
    inst: &Instance,
    demand: &[VolumeRow],
    (roster, allocation, routing): (&Path, &Path, Option<&Path>),
    opts: &SimOptions,
) -> Result<Simulated, Vec<Problem>> {
    let mut opts = opts.clone();
    if let Some(path) = routing {
        opts.group_delay_s = crate::files::routing::read_routing(inst, path)?;
    }
    let opts = &opts;
    if let Err(e) = replayable(inst) {
        return Err(vec![Problem::at(
            crate::input::Code::DemandSource,
            roster,
            None,
            e.to_string(),
            "a call-by-call replay needs contacts: give the instance demand: forecast or history",
        )]);
    }
    use crate::files::roster::{read_allocation, read_roster};
    use crate::simulate::allocation_solution;
    let started = std::time::Instant::now();
    let rows = read_roster(inst, roster)?;
    let mut cx = Context::new(inst, demand, &PlanOptions::default()).map_err(|e| {
        vec![Problem::at(
            crate::input::Code::OutOfRange,
            roster,
            None,
            format!("the instance's demand cannot be sized: {e}"),
            "check the instance with slaplan validate",
        )]
    })?;
    let alloc = read_allocation(inst, &cx.req.grid, allocation)?;
    crate::simulate::calibrate(&mut cx, &alloc);
    let sol = allocation_solution(&cx, &alloc);
    let projection = evaluate(&cx, &sol);
    let setup = Setup::new(&cx, &rows, &sol, opts);
    let setup = match visits(inst, roster, &rows)? {
        Some(blocks) => setup.with_visits(&blocks),
        None => setup,
    };
    let tallies = setup.run();
    let report = Report::new(&cx, &setup, &tallies, &projection);
    let json = SimulationFile {
        replications: opts.replications,
        seed: opts.seed,
        handle_times: match opts.handle {
            HandleTimes::Exponential => "exponential".into(),
            HandleTimes::LogNormal { cv } => format!("lognormal, cv {cv}"),
        },
        shrinkage: match opts.shrinkage {
            Shrinkage::OffPhone { mean_s } => format!("off-phone spells, mean {mean_s} s"),
            Shrinkage::Absence => "whole shifts absent".into(),
            Shrinkage::None => "none".into(),
        },
        outsourcing: match opts.outsourcing {
            Outsourcing::Share => "the plan's share".into(),
            Outsourcing::Overflow { waiting } => format!("overflow at {waiting} waiting"),
        },
        secondary_delay_s: opts.secondary_delay_s,
        forecast_error: crate::simulate::describe_day_error(inst, &opts.day_error),
        contacts_per_replication: report.contacts,
        queues: report.queues.clone(),
        contracts: {
            let mut v = super::verify::verdicts(&cx, &report, false);
            super::verify::with_ceilings(&cx, &mut v, &opts.handle);
            v.into_iter().map(|c| c.rounded()).collect()
        },
        on_call: on_call(inst, roster, &rows, opts)?,
    };
    Ok(Simulated {
        csv: csv(&cx, &report),
        json,
        seconds: started.elapsed().as_secs_f64(),
    })
}
