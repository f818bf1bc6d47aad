#!/usr/bin/env bash
# Runs the canonical loop (bench/canonical.toml) in loopsim and in the NumPy peer on this
# machine, one after the other, and prints both throughputs and their ratio.
# Usage: bench/peers/compare.sh [numpy_replicates=512] [loopsim_replicates=8192]
set -euo pipefail
cd "$(dirname "$0")/../.."
numpy_replicates=${1:-512}
loopsim_replicates=${2:-8192}
python=/usr/bin/python3
if ! "$python" -c 'import numpy' 2>/dev/null; then
  echo "compare: needs numpy for $python (apt-get install python3-numpy)" >&2
  exit 1
fi
dotnet build src/Engine.Cli -c Release -v quiet -nologo >/dev/null
loopsim=src/Engine.Cli/bin/Release/net10.0/loopsim
echo "machine: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed "s/^ //"), $(nproc) cores"

numpy_output=$("$python" bench/peers/numpy_loop.py "$numpy_replicates")
numpy_line=$(echo "$numpy_output" | head -1)
echo "$numpy_line"
numpy_rate=$(echo "$numpy_line" | sed -E 's/.*: ([0-9.e+]+) replicate-rounds\/s/\1/')

out=$(mktemp -d)
# loopsim's run, with the process start included; prints its rate.
run_loopsim() {
  local start end
  start=$(date +%s.%N)
  "$loopsim" run bench/canonical.toml --replicates "$loopsim_replicates" --out "$out" "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  "$python" -c "print(f'{$loopsim_replicates * 200 / ($end - $start):.4g}')"
}
loopsim_rate=$(run_loopsim)
echo "loopsim (cpu backend, all cores, $(nproc) threads): $loopsim_replicates replicates x 200 rounds: $loopsim_rate replicate-rounds/s (process start included)"
"$python" -c "print(f'ratio loopsim / numpy: {$loopsim_rate / $numpy_rate:.1f}x')"
# The optional float lanes (per-replicate results within 7e-6 of double for 99% of replicates).
single_rate=$(run_loopsim --precision single)
echo "loopsim --precision single: $single_rate replicate-rounds/s; ratio to numpy (double): $("$python" -c "print(f'{$single_rate / $numpy_rate:.1f}x')")"
rm -rf "$out"
