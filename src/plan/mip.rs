//! A MIP under construction: good_lp variables and named constraints, the
//! objective split into the cost lines the plan reports, and a readable
//! LP dump. Columns are numbered in creation order, which is the order
//! good_lp hands them to HiGHS; [`Values`] reads a solution by that number.

use good_lp::{variable, Constraint, Expression, IntoAffineExpression, ProblemVariables, Variable};

/// Which cost line a column's objective coefficient belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostLine {
    InHouse,
    Outsourced,
    Penalties,
    /// Priced slack of the elastic re-solve.
    Slack,
}

/// One column: its good_lp variable and what the plan needs to know.
#[derive(Debug, Clone)]
pub struct Column {
    pub var: Variable,
    pub name: String,
    pub integer: bool,
    pub lower: f64,
    pub upper: Option<f64>,
    pub cost: f64,
    pub line: CostLine,
    /// RENS keeps this column near its LP value (shift and break counts);
    /// other integer columns are free to follow.
    pub anchored: bool,
    /// A yes/no column whose 1 commits a fixed charge (an outsourcer's
    /// weekly minimum): when RENS's plan has it on where the LP had it
    /// below one half, RENS is tried again with it off (see
    /// `solve::solve_from`).
    pub switch: bool,
}

pub struct Mip {
    pub vars: ProblemVariables,
    pub columns: Vec<Column>,
    pub rows: Vec<Constraint>,
    /// How far RENS lets an anchored column move past the integers around
    /// its LP value: 1 for counts, 0 for yes/no columns (RENS proper: the
    /// LP's integral values are fixed, the fractional ones free).
    pub rens_reach: f64,
    /// Share of the time limit RENS may use.
    pub rens_share: f64,
    /// When every solution's objective is a multiple of this, a gap below
    /// it proves optimality (benchmarks with whole-number weights).
    pub objective_step: Option<f64>,
}

impl Default for Mip {
    fn default() -> Self {
        Self::new()
    }
}

/// A solution: one value per column, by column number.
#[derive(Debug, Clone)]
pub struct Values(pub Vec<f64>);

/// Price and cost line per column.
#[derive(Debug, Clone)]
pub struct Prices(pub Vec<(f64, CostLine)>);

impl Prices {
    /// The cost of `values` on one line.
    pub fn line_cost(&self, values: &Values, line: CostLine) -> f64 {
        self.0
            .iter()
            .zip(&values.0)
            .filter(|((_, l), _)| *l == line)
            .map(|((p, _), x)| p * x)
            .sum()
    }
}

/// A column as the passes hold it: its number and variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    pub index: usize,
    pub var: Variable,
}

impl Values {
    pub fn of(&self, c: Col) -> f64 {
        self.0[c.index]
    }

    /// An integer column's value, rounded (HiGHS returns integers within
    /// its feasibility tolerance).
    pub fn count(&self, c: Col) -> u32 {
        self.0[c.index].round().max(0.0) as u32
    }
}

impl Mip {
    pub fn new() -> Self {
        Mip {
            vars: ProblemVariables::new(),
            columns: Vec::new(),
            rows: Vec::new(),
            rens_reach: 1.0,
            rens_share: 0.3,
            objective_step: None,
        }
    }

    /// Adds a column `lower ≤ x ≤ upper` costing `cost` per unit on `line`.
    pub fn col(
        &mut self,
        name: String,
        lower: f64,
        upper: Option<f64>,
        integer: bool,
        cost: f64,
        line: CostLine,
    ) -> Col {
        let name = lp_name(&name);
        let mut def = variable().name(name.clone()).min(lower);
        if let Some(u) = upper {
            def = def.max(u);
        }
        if integer {
            def = def.integer();
        }
        let var = self.vars.add(def);
        let index = self.columns.len();
        self.columns.push(Column {
            var,
            name,
            integer,
            lower,
            upper,
            cost,
            line,
            anchored: false,
            switch: false,
        });
        Col { index, var }
    }

    /// Each column's number, by its variable.
    pub fn column_numbers(&self) -> std::collections::HashMap<Variable, usize> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.var, i))
            .collect()
    }

    /// The MIP's content as numbers: every column's bounds, integrality
    /// and cost, every row's terms (by column number), constant and sense.
    /// Two MIPs with the same fingerprint are the same problem to HiGHS
    /// (names aside), so a deterministic solve of one is the other's.
    pub fn fingerprint(&self) -> Vec<u64> {
        let mut key = Vec::with_capacity(4 * self.columns.len() + 8 * self.rows.len());
        key.push(self.columns.len() as u64);
        for c in &self.columns {
            key.push(c.lower.to_bits());
            key.push(c.upper.map_or(u64::MAX, f64::to_bits));
            key.push(u64::from(c.integer));
            key.push(c.cost.to_bits());
        }
        for (r, terms) in self.rows.iter().zip(self.row_terms()) {
            key.push(terms.len() as u64);
            for (c, k) in terms {
                key.push(c as u64);
                key.push(k.to_bits());
            }
            key.push(r.expression().constant().to_bits());
            key.push(u64::from(r.is_equality()));
        }
        key
    }

    /// Each row's nonzero terms as `(column number, coefficient)`, by
    /// column number.
    pub fn row_terms(&self) -> Vec<Vec<(usize, f64)>> {
        let index = self.column_numbers();
        self.rows
            .iter()
            .map(|r| {
                let mut t: Vec<(usize, f64)> = r
                    .expression()
                    .linear_coefficients()
                    .filter(|(_, k)| *k != 0.0)
                    .map(|(v, k)| (index[&v], k))
                    .collect();
                t.sort_by_key(|&(c, _)| c);
                t
            })
            .collect()
    }

    /// Marks `c` as a column RENS keeps near its LP value.
    pub fn anchor(&mut self, c: Col) {
        self.columns[c.index].anchored = true;
    }

    /// Marks `c` as a fixed charge's switch (see [`Column::switch`]).
    pub fn switch(&mut self, c: Col) {
        self.columns[c.index].switch = true;
    }

    /// Adds a constraint under `name`.
    pub fn row(&mut self, name: String, c: Constraint) {
        self.rows.push(c.set_name(lp_name(&name)));
    }

    pub fn size(&self) -> super::ModelSize {
        super::ModelSize {
            columns: self.columns.len(),
            integer_columns: self.columns.iter().filter(|c| c.integer).count(),
            rows: self.rows.len(),
        }
    }

    /// The objective: every column's cost.
    pub fn objective(&self) -> Expression {
        self.columns
            .iter()
            .filter(|c| c.cost != 0.0)
            .map(|c| c.cost * c.var)
            .sum()
    }

    /// Every column's price and cost line, to cost a solution after the
    /// model has gone to the solver.
    pub fn prices(&self) -> Prices {
        Prices(self.columns.iter().map(|c| (c.cost, c.line)).collect())
    }

    /// The model in CPLEX LP format, with its names.
    pub fn lp(&self) -> String {
        use std::fmt::Write;
        let mut s = String::from("\\ slaplan planning MIP\nMinimize\n obj:");
        for c in self.columns.iter().filter(|c| c.cost != 0.0) {
            let _ = write!(s, " {:+} {}", c.cost, c.name);
        }
        s.push_str("\nSubject To\n");
        for r in &self.rows {
            let _ = writeln!(s, " {}: {}", r.name().unwrap_or("r"), self.vars.display(r));
        }
        s.push_str("Bounds\n");
        for c in &self.columns {
            match c.upper {
                Some(u) => {
                    let _ = writeln!(s, " {} <= {} <= {}", c.lower, c.name, u);
                }
                None => {
                    let _ = writeln!(s, " {} >= {}", c.name, c.lower);
                }
            }
        }
        s.push_str("General\n");
        for c in self.columns.iter().filter(|c| c.integer) {
            let _ = writeln!(s, " {}", c.name);
        }
        s.push_str("End\n");
        s
    }
}

/// `name` as CPLEX LP format allows it, so that HiGHS (and other solvers)
/// read `--write-lp` files back: brackets become parentheses, `+` and `-`
/// become `p` and `m`, and anything else outside the format's set (letters,
/// digits, `!"#$%&()/,.;?@_'{}|~` and backquote) an underscore.
pub fn lp_name(name: &str) -> String {
    name.chars()
        .map(|ch| match ch {
            '[' => '(',
            ']' => ')',
            '+' => 'p',
            '-' => 'm',
            c if c.is_ascii_alphanumeric() || "!\"#$%&()/,.;?@_`'{}|~".contains(c) => c,
            _ => '_',
        })
        .collect()
}

/// `Σ coef·col` as a good_lp expression.
pub fn sum(terms: impl IntoIterator<Item = (f64, Col)>) -> Expression {
    let mut e = Expression::with_capacity(8);
    for (k, c) in terms {
        e.add_mul(k, c.var);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lp_names_keep_to_the_cplex_set() {
        assert_eq!(
            lp_name("y[support/full_time][day_Mon_0830][0][+210]"),
            "y(support/full_time)(day_Mon_0830)(0)(p210)"
        );
        assert_eq!(lp_name("a b:c–d-e"), "a_b_c_dme");
    }

    /// The same problem built twice (other names) has one fingerprint; a
    /// changed cost, bound, coefficient, right-hand side or sense another.
    #[test]
    fn a_fingerprint_is_the_problem_not_its_names() {
        let build = |name: &str, cost: f64, upper: f64, k: f64, rhs: f64, equality: bool| {
            let mut m = Mip::new();
            let a = m.col(
                format!("{name}a"),
                0.0,
                Some(upper),
                true,
                cost,
                CostLine::InHouse,
            );
            let b = m.col(
                format!("{name}b"),
                0.0,
                None,
                false,
                1.0,
                CostLine::Penalties,
            );
            let e = sum([(1.0, a), (k, b)]);
            m.row(
                format!("{name}r"),
                if equality { e.eq(rhs) } else { e.geq(rhs) },
            );
            m.fingerprint()
        };
        let base = build("x", 2.0, 4.0, 3.0, 5.0, false);
        assert_eq!(base, build("y", 2.0, 4.0, 3.0, 5.0, false));
        for other in [
            build("x", 2.5, 4.0, 3.0, 5.0, false),
            build("x", 2.0, 3.0, 3.0, 5.0, false),
            build("x", 2.0, 4.0, 2.0, 5.0, false),
            build("x", 2.0, 4.0, 3.0, 6.0, false),
            build("x", 2.0, 4.0, 3.0, 5.0, true),
        ] {
            assert_ne!(base, other);
        }
    }

    /// HiGHS reads back what `--write-lp` writes: every column and row.
    #[test]
    #[allow(unsafe_code)]
    fn the_lp_file_reads_back_into_highs() {
        let mut m = Mip::new();
        let a = m.col(
            "x[g][+30]".into(),
            0.0,
            Some(4.0),
            true,
            2.0,
            CostLine::InHouse,
        );
        let b = m.col(
            "a[g][q][Mon-0900]".into(),
            0.0,
            None,
            false,
            1.0,
            CostLine::InHouse,
        );
        m.row(
            "cap[g][Mon 09:00]".into(),
            sum([(1.0, b), (-1.0, a)]).leq(0.0),
        );
        m.row("cov[q]".into(), sum([(1.0, b)]).geq(2.5));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.lp");
        std::fs::write(&path, m.lp()).unwrap();
        let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a fresh HiGHS instance, used and destroyed here; the
        // path and option name are NUL-terminated.
        let (status, cols, rows) = unsafe {
            let h = highs_sys::Highs_create();
            highs_sys::Highs_setBoolOptionValue(h, c"output_flag".as_ptr(), 0);
            let status = highs_sys::Highs_readModel(h, c_path.as_ptr());
            let counts = (highs_sys::Highs_getNumCol(h), highs_sys::Highs_getNumRow(h));
            highs_sys::Highs_destroy(h);
            (status, counts.0, counts.1)
        };
        assert_eq!(status, highs_sys::kHighsStatusOk, "{}", m.lp());
        assert_eq!((cols, rows), (2, 2));
    }
}
