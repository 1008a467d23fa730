//! `slaplan init DIR`: a small, commented centre to start from — a model,
//! a week, its agents and a forecast — that validates and plans in
//! seconds. The YAML files are written as they stand in this folder; the
//! agents and the forecast are made here (a fixed week, so the same
//! files every time).

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate, NaiveTime};

/// The model, with a comment on every key a planner changes first.
const MODEL: &str = include_str!("model.yaml");
/// The week: model, Monday, demand, agents.
const WEEK: &str = include_str!("week.yaml");
/// The Monday of the example week (`week.yaml`'s `week_start`).
const MONDAY: (i32, u32, u32) = (2027, 1, 4);

/// The files `init` writes, in the order it lists them.
pub const FILES: [&str; 4] = ["model.yaml", "week.yaml", "agents.csv", "forecast.csv"];

/// The agents: twelve full-time and four part-time phone agents, three
/// full-time in the back office.
fn agents() -> String {
    let mut out = String::from("id,name,skill_group,contract,site,unavailable\n");
    let groups = [
        ("P", "Phone agent", "phone", "full_time", 12),
        ("T", "Part-time agent", "phone", "part_time", 4),
        ("B", "Back-office agent", "office", "full_time", 3),
    ];
    for (prefix, name, group, contract, n) in groups {
        for k in 1..=n {
            out.push_str(&format!("{prefix}{k:02},{name} {k},{group},{contract},,\n"));
        }
    }
    out
}

/// Contacts per queue and half hour of the week: calls in a morning and
/// an afternoon peak, heavier on Monday, a light Saturday morning;
/// e-mail spread over the opening hours.
fn forecast() -> String {
    let (y, m, d) = MONDAY;
    let monday = NaiveDate::from_ymd_opt(y, m, d).expect("a date");
    // Weekdays 08:00-18:00 and Saturday 09:00-13:00, per half hour.
    let weekday = [
        4.0, 6.0, 8.0, 9.0, 10.0, 10.0, 9.0, 8.0, 7.0, 6.0, 6.0, 7.0, 8.0, 8.0, 7.0, 6.0, 5.0, 4.0,
        3.0, 2.0,
    ];
    let saturday = [5.0, 7.0, 8.0, 8.0, 7.0, 6.0, 5.0, 4.0];
    let calls_per_day = [620.0, 540.0, 510.0, 510.0, 480.0, 120.0];
    let email_per_day = [130.0, 110.0, 100.0, 100.0, 100.0, 30.0];
    let mut out = String::from("queue,interval_start,contacts\n");
    for day in 0..6 {
        let date = monday + Duration::days(day as i64);
        let (open, profile): (u32, &[f64]) = if day < 5 {
            (8, &weekday)
        } else {
            (9, &saturday)
        };
        let total: f64 = profile.iter().sum();
        for (k, w) in profile.iter().enumerate() {
            let at = NaiveTime::from_hms_opt(open, 0, 0).expect("a time")
                + Duration::minutes(30 * k as i64);
            let stamp = date.and_time(at).format("%Y-%m-%dT%H:%M");
            let calls = calls_per_day[day] * w / total;
            let email = email_per_day[day] / profile.len() as f64;
            out.push_str(&format!(
                "calls,{stamp},{}\n",
                crate::files::fixed(calls, 1)
            ));
            out.push_str(&format!(
                "email,{stamp},{}\n",
                crate::files::fixed(email, 1)
            ));
        }
    }
    out
}

/// Writes the example centre into `dir` (made if missing) as one set:
/// into a staging folder inside it, then each file moved in. Refuses
/// (`AlreadyExists`, naming the file) where one of its files is there
/// already, unless `--force`. Returns the files written.
pub fn write(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let forced = crate::files::forced();
    for f in FILES {
        let path = dir.join(f);
        if !forced && std::fs::symlink_metadata(&path).is_ok() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "{}: exists; init writes a new centre: choose another folder (or --force to replace it)",
                    path.display()
                ),
            ));
        }
    }
    std::fs::create_dir_all(dir)?;
    let stage = dir.join(format!(".slaplan-init-{}", std::process::id()));
    std::fs::create_dir_all(&stage)?;
    let texts = [MODEL.to_string(), WEEK.to_string(), agents(), forecast()];
    let staged = FILES.iter().zip(&texts).try_for_each(|(f, text)| {
        std::fs::write(stage.join(f), text)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", dir.join(f).display())))
    });
    let moved = staged.and_then(|()| {
        FILES.iter().try_for_each(|f| {
            let to = dir.join(f);
            crate::files::refuse_clobbering(&to, false)?;
            std::fs::rename(stage.join(f), &to)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", to.display())))
        })
    });
    let _ = std::fs::remove_dir_all(&stage);
    moved?;
    Ok(FILES.iter().map(|f| dir.join(f)).collect())
}

#[cfg(test)]
mod tests {
    /// The forecast covers the opening hours of the model exactly: twenty
    /// half hours a weekday and eight on Saturday, for both queues.
    #[test]
    fn the_forecast_covers_the_opening_hours() {
        let f = super::forecast();
        assert_eq!(f.lines().count(), 1 + 2 * (5 * 20 + 8));
        assert!(f.contains("calls,2027-01-09T12:30,"));
        assert!(!f.contains("T18:00") && !f.contains("2027-01-10"));
    }
}
