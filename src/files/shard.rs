//! `--shard I/N`: a run that takes every N-th bench case or compare
//! scenario, from the I-th, so that shards on separate machines (a Slurm
//! array, a Kubernetes Indexed Job) split the work and `slaplan merge`
//! joins it (`docs/ci.md`).

use serde::{Deserialize, Serialize};

/// Which items (bench cases, compare scenarios) a run takes: the
/// `index`-th (from 1) of every `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Whether the `i`-th item (from 0) is this shard's.
    pub fn takes(&self, i: usize) -> bool {
        i % self.count == self.index - 1
    }
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("'{s}' is not a shard like 2/4 (the 2nd of 4, counted from 1)");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_the_cases_once_each() {
        let shards: Vec<Shard> = (1..=4).map(|i| format!("{i}/4").parse().unwrap()).collect();
        for i in 0..13 {
            assert_eq!(shards.iter().filter(|s| s.takes(i)).count(), 1, "case {i}");
        }
        for bad in ["0/4", "5/4", "1/0", "2", "a/b", "-1/3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
