#!/usr/bin/env bash
# The Xeon-16 figures of bench/RESULTS.md: run on a machine without .NET, from a self-contained
# build of loopsim and the benchmarks packed on the development machine:
#   dotnet publish src/Engine.Cli -c Release -r linux-x64 --self-contained -o /tmp/pub
#   dotnet publish bench/Engine.Benchmarks -c Release -r linux-x64 --self-contained -o /tmp/pub
#   tar -C /tmp -cJf .carry/pub.tar.xz pub
# then, there, from the repository root: bench/lent-machine.sh .carry/pub.tar.xz OUT_DIR
# It runs the NumPy peer, loopsim end to end twice (process start included) and in single
# precision, and the throughput harness for every width with its agreement check.
set -u
archive=${1:?usage: bench/lent-machine.sh PUB.tar.xz OUT_DIR}
out=${2:?usage: bench/lent-machine.sh PUB.tar.xz OUT_DIR}
mkdir -p /tmp/run "$out" && tar -C /tmp/run -xJf "$archive"
pub=/tmp/run/pub
rate() { python3 -c "print(f'$1 replicates x 200 rounds in {$3 - $2:.2f} s: {$1 * 200 / ($3 - $2):.4g} replicate-rounds/s')"; }
{
  echo "== machine"; grep -m1 "model name" /proc/cpuinfo; nproc
  echo "== numpy"; timeout 120 python3 bench/peers/numpy_loop.py 512
  echo "== loopsim end to end (process start included)"
  for run in 1 2; do
    start=$(date +%s.%N); "$pub/loopsim" run bench/canonical.toml --replicates 65536 --out "/tmp/run/out$run" > /dev/null 2>&1; end=$(date +%s.%N)
    rate 65536 "$start" "$end"
  done
  start=$(date +%s.%N); "$pub/loopsim" run bench/canonical.toml --replicates 65536 --precision single --out /tmp/run/single > /dev/null 2>&1; end=$(date +%s.%N)
  echo "single: $(rate 65536 "$start" "$end")"
  echo "== throughput"; timeout 300 "$pub/Engine.Benchmarks" throughput 32768
} > "$out/lent-machine.txt" 2>&1
tail -40 "$out/lent-machine.txt"
