//! A MIP under construction: good_lp variables and named constraints, the
//! objective split into the cost lines the plan reports, and a readable
//! LP dump. Columns are numbered in creation order, which is the order
//! good_lp hands them to HiGHS; [`Values`] reads a solution by that number.

use good_lp::{variable, Constraint, Expression, ProblemVariables, Variable};

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
        });
        Col { index, var }
    }

    /// Marks `c` as a column RENS keeps near its LP value.
    pub fn anchor(&mut self, c: Col) {
        self.columns[c.index].anchored = true;
    }

    /// Adds a constraint under `name`.
    pub fn row(&mut self, name: String, c: Constraint) {
        self.rows.push(c.set_name(name));
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

/// `Σ coef·col` as a good_lp expression.
pub fn sum(terms: impl IntoIterator<Item = (f64, Col)>) -> Expression {
    let mut e = Expression::with_capacity(8);
    for (k, c) in terms {
        e.add_mul(k, c.var);
    }
    e
}
