#!/bin/bash
# A Slurm job array running the full suite as four shards, one per task;
# then `merge` joins them. Submit from the repository (after `cargo build
# --release` on a shared file system):
#   sbatch docs/ci/slurm-bench.sh
#   # when all four tasks are done:
#   target/release/slaplan merge bench-out/full-* -o bench-out/full \
#     --baseline bench/full-baseline.json
#SBATCH --job-name=slaplan-bench
#SBATCH --array=1-4
#SBATCH --cpus-per-task=2
#SBATCH --mem=8G
#SBATCH --time=01:00:00
#SBATCH --output=bench-out/slurm-%A_%a.log
set -euo pipefail
mkdir -p bench-out
# Slurm numbers the tasks 1..4 (--array=1-4), as --shard counts them.
target/release/slaplan bench bench/full.yaml \
  --shard "${SLURM_ARRAY_TASK_ID}/4" -o "bench-out/full-${SLURM_ARRAY_TASK_ID}" -q

# A finance comparison splits the same way (its scenarios and sweep points):
#   target/release/slaplan compare instances/amen/strike-week.yaml \
#     --scenarios instances/amen/scenarios-strike.yaml --work-limit 200 \
#     --shard "${SLURM_ARRAY_TASK_ID}/4" -o "compare-out/s${SLURM_ARRAY_TASK_ID}"
# then, with the same instance, scenarios and options:
#   target/release/slaplan compare instances/amen/strike-week.yaml \
#     --scenarios instances/amen/scenarios-strike.yaml --work-limit 200 \
#     --merge compare-out/s1 compare-out/s2 compare-out/s3 compare-out/s4 -o compare-out/all
