#!/usr/bin/env bash
# On a lent GPU machine: the first count of each model from its table of cumulative probabilities
# (LOOPSIM_GPU_COUNT_TABLES=1, the CPU lanes' way) against every count by inversion (=0), steady
# throughput in double precision at K = inf and K = 4, and the agreement with the scalar reference
# without the tables. Pack and carry the build as bench/gpu/check.sh says; then, from the
# repository root: bash bench/gpu/count-tables.sh .carry/pub.tar.xz "$OUT"
set -u
archive=${1:?usage: bench/gpu/count-tables.sh PUB.tar.xz OUT_DIR}
out=${2:?usage: bench/gpu/count-tables.sh PUB.tar.xz OUT_DIR}
mkdir -p "$out"
. "$(dirname "$0")/common.sh"
log="$out/gpu-count-tables.txt"
{
  echo "== date: $(date -u +%Y-%m-%dT%H:%MZ); $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader)"
  for tables in 1 0 1; do
    echo "== LOOPSIM_GPU_COUNT_TABLES=$tables, K = inf"
    LOOPSIM_GPU_COUNT_TABLES=$tables timeout 80 "$pub/Engine.Benchmarks" gpu-throughput "$kinf" double moments 1048576,4194304,16777216 30 auto
  done
  for tables in 1 0; do
    echo "== LOOPSIM_GPU_COUNT_TABLES=$tables, K = 4"
    LOOPSIM_GPU_COUNT_TABLES=$tables timeout 60 "$pub/Engine.Benchmarks" gpu-throughput "$canonical" double moments 1048576,4194304 25 auto
  done
  echo "== agreement without the tables (K = 4, K = inf)"
  LOOPSIM_GPU_COUNT_TABLES=0 timeout 40 "$pub/Engine.Benchmarks" gpu-agreement 1024 auto double
  LOOPSIM_GPU_COUNT_TABLES=0 timeout 40 "$pub/Engine.Benchmarks" gpu-agreement 512 auto double "$kinf"
} 2>&1 | tee "$log"
