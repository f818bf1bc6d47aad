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
  local spec=${1:-bench/canonical.toml}
  shift || true
  "$loopsim" run "$spec" --replicates "$loopsim_replicates" --out "$out/run" "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  "$python" -c "print(f'{$loopsim_replicates * 200 / ($end - $start):.4g}')"
}
loopsim_rate=$(run_loopsim)
echo "loopsim (cpu backend, all cores, $(nproc) threads, sampler moments): $loopsim_replicates replicates x 200 rounds: $loopsim_rate replicate-rounds/s (process start included)"
"$python" -c "print(f'ratio loopsim / numpy: {$loopsim_rate / $numpy_rate:.1f}x')"
# Like for like: the literal per-sample loop, the algorithm of the peer.
samples_rate=$(run_loopsim bench/canonical.toml --sampler samples)
echo "loopsim --sampler samples: $samples_rate replicate-rounds/s; ratio to numpy: $("$python" -c "print(f'{$samples_rate / $numpy_rate:.1f}x')")"
# The optional float lanes (per-replicate results within 7e-6 of double for 99% of replicates).
single_rate=$(run_loopsim bench/canonical.toml --precision single)
echo "loopsim --precision single: $single_rate replicate-rounds/s; ratio to numpy (double): $("$python" -c "print(f'{$single_rate / $numpy_rate:.1f}x')")"

# The K = inf variant (the setting of the paper's Figure 3).
sed -e 's/^k = 4$/k = "inf"/' bench/canonical.toml > "$out/kinf.toml"
numpy_inf_output=$("$python" bench/peers/numpy_loop.py "$numpy_replicates" inf 64)
numpy_inf_line=$(echo "$numpy_inf_output" | head -1)
echo "$numpy_inf_line"
numpy_inf_rate=$(echo "$numpy_inf_line" | sed -E 's/.*: ([0-9.e+]+) replicate-rounds\/s/\1/')
inf_rate=$(run_loopsim "$out/kinf.toml")
echo "loopsim, K = inf, sampler moments: $inf_rate replicate-rounds/s; ratio to numpy: $("$python" -c "print(f'{$inf_rate / $numpy_inf_rate:.1f}x')")"
inf_samples_rate=$(run_loopsim "$out/kinf.toml" --sampler samples)
echo "loopsim, K = inf, --sampler samples: $inf_samples_rate replicate-rounds/s; ratio to numpy: $("$python" -c "print(f'{$inf_samples_rate / $numpy_inf_rate:.1f}x')")"
rm -rf "$out"
