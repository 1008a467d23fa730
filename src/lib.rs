//! slaplan plans a contact centre's week: it turns contacts into staffing
//! requirements with queueing models and plans agents, shifts and
//! outsourcing to meet contractual service levels at minimum cost.
//!
//! The library is layered one way: [`units`] and [`queueing`] are pure
//! computations; [`model`] holds the validated centre and week, which
//! [`input`] builds from files; [`pipeline`] plans a week end to end,
//! [`finance`] compares weeks, [`files`] is every file written and read
//! back. The command line lives in the binary (`src/cli/`), above all of it.

pub mod bench;
pub mod check;
pub mod files;
pub mod finance;
pub mod forecast;
pub mod generate;
pub mod init;
pub mod input;
pub mod model;
pub mod pipeline;
pub mod plan;
pub mod progress;
pub mod queueing;
pub mod report;
pub mod requirements;
pub mod roster;
pub mod scenario;
pub mod simulate;
pub mod threads;
pub mod units;

#[cfg(test)]
mod layering {
    //! The library's modules import one another one way: no circle, so
    //! that each layer can be read, tested and replaced on its own.

    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    /// Top-level module of each `crate::NAME` reference in `text`.
    fn references(text: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (i, _) in text.match_indices("crate::") {
            if text[..i].ends_with('$') {
                continue;
            }
            let name: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
        out
    }

    fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).expect("src reads").flatten() {
            let p = e.path();
            if p.is_dir() {
                files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// `module -> modules it imports`, from the sources under `src/`
    /// (code before any `#[cfg(test)]`).
    fn graph() -> BTreeMap<String, BTreeSet<String>> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut all = Vec::new();
        files(&src, &mut all);
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for f in all {
            let rel = f.strip_prefix(&src).expect("under src");
            let first = rel.components().next().expect("a path");
            let module = first
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_string();
            if module == "lib" || module == "main" {
                continue;
            }
            // Test code may reach across layers (to plan a fixture it then
            // checks): the layering is about the library's own code, which
            // ends where a file's tests begin.
            if f.file_name().is_some_and(|n| n == "tests.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&f).expect("source reads");
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            let refs = references(code);
            let e = g.entry(module.clone()).or_default();
            e.extend(refs.into_iter().filter(|r| *r != module));
        }
        g
    }

    /// A path back to `start` through `g`, if any.
    fn circle(
        g: &BTreeMap<String, BTreeSet<String>>,
        start: &str,
        at: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in g.get(at).into_iter().flatten() {
            if next == start {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if circle(g, start, next, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }

    #[test]
    fn no_module_imports_itself_through_others() {
        let g = graph();
        assert!(g.contains_key("plan") && g.contains_key("check"), "{g:?}");
        let mut found = Vec::new();
        for m in g.keys() {
            let mut path = vec![m.clone()];
            if circle(&g, m, m, &mut path, &mut BTreeSet::new()) {
                found.push(path.join(" -> "));
            }
        }
        assert!(found.is_empty(), "import circles:\n{}", found.join("\n"));
    }

    #[test]
    fn the_checker_imports_neither_the_planner_nor_the_roster() {
        let g = graph();
        let check = &g["check"];
        for m in ["plan", "roster", "pipeline", "finance", "simulate"] {
            assert!(!check.contains(m), "check imports {m}: {check:?}");
        }
    }

    #[test]
    fn a_circle_is_found() {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        g.entry("a".into()).or_default().insert("b".into());
        g.entry("b".into()).or_default().insert("a".into());
        let mut path = vec!["a".to_string()];
        assert!(circle(&g, "a", "a", &mut path, &mut BTreeSet::new()));
        assert_eq!(path, ["a", "b", "a"]);
    }
}
