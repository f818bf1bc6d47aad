#!/usr/bin/env bash
# Cost against n at K = inf (the setting of the paper's Figure 3): the canonical spec with
# k = "inf" and n = 4, 64, 1024, 16384 in loopsim and in the NumPy peer, one after the other on
# this machine, in replicate-rounds per second (process start included for loopsim). Replicates
# shrink as n grows so that each run takes seconds.
# Usage: bench/peers/n-scaling.sh [n values...]
set -euo pipefail
cd "$(dirname "$0")/../.."
python=/usr/bin/python3
"$python" -c 'import numpy' 2>/dev/null || { echo "n-scaling: needs numpy for $python (apt-get install python3-numpy)" >&2; exit 1; }
dotnet build src/Engine.Cli -c Release -v quiet -nologo >/dev/null
loopsim=src/Engine.Cli/bin/Release/net10.0/loopsim
sizes=${*:-4 64 1024 16384}
out=$(mktemp -d)
echo "machine: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed "s/^ //"), $(nproc) cores; canonical spec with k = inf, 200 rounds"
echo
echo "| n | loopsim (moments) replicate-rounds/s (replicates) | loopsim --sampler samples (replicates) | NumPy replicate-rounds/s (replicates) | moments / NumPy | samples / NumPy |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for n in $sizes; do
  # The moments sampler's cost hardly grows with n: it keeps its replicates.
  loopsim_replicates=$(( n <= 64 ? 65536 : 16384 ))
  numpy_replicates=$(( n <= 16 ? 4096 : n <= 64 ? 512 : n <= 1024 ? 32 : 4 ))
  sed -e 's/^k = 4$/k = "inf"/' -e "s/^n = 64$/n = $n/" bench/canonical.toml > "$out/spec.toml"
  start=$(date +%s.%N)
  "$loopsim" run "$out/spec.toml" --replicates "$loopsim_replicates" --out "$out/run" >/dev/null 2>&1
  end=$(date +%s.%N)
  loopsim_rate=$("$python" -c "print(f'{$loopsim_replicates * 200 / ($end - $start):.4g}')")
  samples_replicates=$(( n <= 16 ? 65536 : n <= 64 ? 8192 : n <= 1024 ? 512 : 32 ))
  start=$(date +%s.%N)
  "$loopsim" run "$out/spec.toml" --replicates "$samples_replicates" --sampler samples --out "$out/run" >/dev/null 2>&1
  end=$(date +%s.%N)
  samples_rate=$("$python" -c "print(f'{$samples_replicates * 200 / ($end - $start):.4g}')")
  numpy_output=$("$python" bench/peers/numpy_loop.py "$numpy_replicates" inf "$n")
  numpy_rate=$(echo "$numpy_output" | head -1 | sed -E 's/.*: ([0-9.e+]+) replicate-rounds\/s/\1/')
  echo "| $n | $loopsim_rate ($loopsim_replicates) | $samples_rate ($samples_replicates) | $numpy_rate ($numpy_replicates) | $("$python" -c "print(f'{$loopsim_rate / $numpy_rate:.1f}x')") | $("$python" -c "print(f'{$samples_rate / $numpy_rate:.1f}x')") |"
done
rm -rf "$out"
