//! `compare.html`: the scenario table, the cost split per scenario as
//! stacked bars, SL per queue, and for a sweep the cost curve with the
//! break-even price or the marginal cost of an SLA point.

use super::{charts, figure, money, page, pct, table};
use crate::files::compare::CompareFile;

pub fn html(c: &CompareFile) -> String {
    let rows = &c.scenarios;
    let queues = crate::files::compare::queues(rows);
    let cur = &c.currency;
    // The money columns carry the currency.
    let mut header: Vec<String> = crate::files::compare::COLUMNS
        .iter()
        .map(|h| match *h {
            "total" | "in-house" | "outsourced" | "penalties" => format!("{h} ({cur})"),
            _ => h.to_string(),
        })
        .collect();
    header.extend(queues.iter().cloned());
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let m = |x: Option<f64>| x.map_or("–".into(), money);
            let mut v = vec![
                r.scenario.clone(),
                r.status.as_str().to_string(),
                m(r.cost_total),
                m(r.in_house),
                m(r.outsourced),
                m(r.penalties),
                format!("{:.0}", r.outsourced_contacts),
                r.agents.to_string(),
                r.fte.map_or("–".into(), |x| format!("{x:.1}")),
                r.gap.map_or("–".into(), pct),
            ];
            v.extend(queues.iter().map(|q| match r.sl_of(q) {
                Some(s) if s.kept => pct(s.achieved),
                Some(s) => format!("!{}", pct(s.achieved)),
                None => "–".into(),
            }));
            v
        })
        .collect();
    let mut t = table(&header, &body);
    for r in rows.iter().filter(|r| !r.explanation.is_empty()) {
        t.push_str(&format!(
            "<h3>Why {} has no plan</h3>\n",
            super::esc(&r.scenario)
        ));
        t.push_str(&super::capped_list(
            &r.explanation,
            "compare.json, the scenario's explanation",
        ));
    }
    t.push_str("<p class=\"note\">SL: each queue's contract scope, its worst period, exact evaluation; red: below what the contract asks.</p>\n");
    let mut findings = String::new();
    if let Some(b) = &c.break_even {
        findings.push_str(&format!(
            "<p>Break-even outsourcer price: between {:.2} and {:.2} {cur}. At {:.2} the plan sends {:.0} contacts to the outsourcer (cost {} {cur}); at {:.2} it sends none (cost {} {cur}).</p>\n",
            b.below,
            b.above,
            b.below,
            b.contacts_below,
            b.cost_below.map_or("–".into(), money),
            b.above,
            b.cost_above.map_or("–".into(), money)
        ));
    }
    if let Some(n) = &c.break_even_note {
        findings.push_str(&format!("<p>Break-even: {}.</p>\n", super::esc(n)));
    }
    if let Some(x) = &c.cheapest {
        findings.push_str(&format!(
            "<p>Cheapest: {}.</p>\n",
            super::esc(&x.sentence(cur))
        ));
    }
    if let Some(m) = &c.marginal_sla {
        findings.push_str(&format!(
            "<p>Marginal cost of one SLA point around the contract target {:.0}%: {} {cur} per point (between targets {:.0}% and {:.0}%; within the plans' gaps, {} to {}).</p>\n",
            100.0 * m.contract_target,
            money(m.cost_per_point),
            100.0 * m.from,
            100.0 * m.to,
            money(m.low),
            money(m.high)
        ));
    }
    // A sweep's bars are named by their value, scenarios by their name.
    let labels: Vec<String> = rows
        .iter()
        .map(|r| {
            match (
                r.value,
                c.sweep.is_some() && rows.len() == distinct_values(rows),
            ) {
                (Some(v), true) => format!("{v}"),
                _ => r.scenario.clone(),
            }
        })
        .collect();
    let stacks: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| {
            vec![
                r.in_house.unwrap_or(0.0),
                r.outsourced.unwrap_or(0.0),
                r.penalties.unwrap_or(0.0),
            ]
        })
        .collect();
    let mut charts_html = figure(
        "cost",
        "cost by scenario",
        charts::stacked_bars(
            &format!("Cost by scenario ({cur})"),
            &labels,
            &stacks,
            &["in-house", "outsourced", "penalties"],
            None,
            false,
            Some(&rows.iter().map(|r| r.cost_total).collect::<Vec<_>>()),
        ),
    );
    if c.sweep.is_some() {
        let pts = |get: &dyn Fn(&crate::files::compare::Row) -> Option<f64>| -> Vec<(f64, f64)> {
            rows.iter()
                .filter_map(|r| Some((r.value?, get(r)?)))
                .collect()
        };
        let key = c
            .sweep
            .as_deref()
            .and_then(|s| s.split('=').next())
            .unwrap_or("value");
        charts_html.push_str(&figure(
            "curve",
            "cost curve",
            charts::curve(
                &format!("Cost over the sweep ({cur})"),
                key,
                &[
                    ("total", pts(&|r| r.cost_total)),
                    ("in-house", pts(&|r| r.in_house)),
                    ("outsourced", pts(&|r| r.outsourced)),
                    ("penalties", pts(&|r| r.penalties)),
                ],
            ),
        ));
    }
    for q in &queues {
        let values: Vec<Option<f64>> = rows
            .iter()
            .map(|r| r.sl_of(q).map(|s| s.achieved))
            .collect();
        let target = rows.iter().find_map(|r| r.sl_of(q)).map(|s| s.target);
        charts_html.push_str(&figure(
            "sla",
            q,
            charts::bars(
                &format!("{q}: SL by scenario"),
                &labels,
                &values,
                target,
                true,
            ),
        ));
    }
    let mut first = findings;
    first.push_str(&t);
    page(
        "Scenario comparison",
        &format!(
            "{}{}",
            c.instance,
            c.sweep
                .as_deref()
                .map_or(String::new(), |s| format!(", sweep {s}"))
        ),
        &[
            ("table", "Scenarios", first),
            ("charts", "Charts", charts_html),
        ],
    )
}

fn distinct_values(rows: &[crate::files::compare::Row]) -> usize {
    let mut v: Vec<f64> = rows.iter().filter_map(|r| r.value).collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v.len()
}
