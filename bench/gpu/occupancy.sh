#!/usr/bin/env bash
# The simulation kernel's register bound on a lent GPU: LOOPSIM_GPU_GROUPS_PER_SM = G compiles it
# for groups of 128 threads with at least G groups per multiprocessor (at most 65,536 / (128 G)
# registers a thread); 0 leaves the choice to ILGPU and the compiler (234 registers and 12% of the
# warps active on the H200, bench/RESULTS.md). For each G: the steady rate at 1M replicates of the
# canonical run (K = 4) and of its K = inf variant in double precision, and the registers and
# active warps from Nsight Compute; then the best G at 16M replicates in both precisions, and its
# agreement with the scalar reference replicate by replicate.
# Pack as for check.sh; there: bash bench/gpu/occupancy.sh .carry/pub.tar.xz "$OUT" [seconds=400]
set -u
archive=${1:?usage: bench/gpu/occupancy.sh PUB.tar.xz OUT_DIR [seconds]}
out=${2:?usage: bench/gpu/occupancy.sh PUB.tar.xz OUT_DIR [seconds]}
deadline=$(( $(date +%s) + ${3:-400} ))
mkdir -p "$out"
. "$(dirname "$0")/common.sh"
log="$out/gpu-occupancy.txt"
: > "$log"
left() { echo $(( deadline - $(date +%s) )); }

{
  echo "== date: $(date -u +%Y-%m-%dT%H:%MZ); $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader)"
  for groups in 0 2 3 4 6; do
    [ "$(left)" -lt 60 ] && { echo "G = $groups: skipped (deadline)"; continue; }
    echo "== G = $groups"
    LOOPSIM_GPU_GROUPS_PER_SM=$groups timeout 60 "$pub/Engine.Benchmarks" gpu-throughput "$canonical" double moments 1048576 60 2>&1 | sed "s/^/G=$groups /"
    LOOPSIM_GPU_GROUPS_PER_SM=$groups timeout 40 "$pub/Engine.Benchmarks" gpu-throughput "$kinf" double moments 1048576 60 2>&1 | sed "s/^/G=$groups /"
    LOOPSIM_GPU_GROUPS_PER_SM=$groups timeout 40 ncu --kernel-name "$simulation_kernel" --launch-count 1 --metrics launch__registers_per_thread,sm__warps_active.avg.pct_of_peak_sustained_active,launch__occupancy_limit_registers \
      "$pub/loopsim" run "$canonical10" --replicates 65536 --backend gpu --out "$work/ncu" 2>&1 | grep -E "registers|warps_active|==ERR" | sed "s/^/G=$groups /"
  done
} 2>&1 | tee -a "$log"

# The best G at K = 4 (double), then its large runs and its agreement.
best=$(python3 - "$log" <<'PY'
import re, sys
rates = {}
for g, rate in re.findall(r"^G=(\d+)\s+1048576 replicates x 200 rounds: [0-9.]+ s, ([0-9.]+E[+-]?\d+)", open(sys.argv[1]).read(), re.M):
    rates.setdefault(g, float(rate))  # the first 1M line of each G is the K = 4 run
print(max(rates, key=rates.get) if rates else 0)
PY
)
{
  echo "== best G at K = 4, double: $best"
  for precision in double single; do
    [ "$(left)" -lt 40 ] && { echo "16M $precision: skipped (deadline)"; continue; }
    LOOPSIM_GPU_GROUPS_PER_SM=$best timeout $(( $(left) - 20 )) "$pub/Engine.Benchmarks" gpu-throughput "$canonical" $precision moments 1048576,16777216 150 2>&1 | sed "s/^/G=$best /"
  done
  [ "$(left)" -gt 25 ] && LOOPSIM_GPU_GROUPS_PER_SM=$best timeout 30 "$pub/Engine.Benchmarks" gpu-agreement 1024 auto double 2>&1 | sed "s/^/G=$best /"
  [ "$(left)" -gt 25 ] && LOOPSIM_GPU_GROUPS_PER_SM=$best timeout 30 "$pub/Engine.Benchmarks" gpu-throughput "$canonical" double samples 1048576 60 2>&1 | sed "s/^/G=$best /"
} 2>&1 | tee -a "$log"
