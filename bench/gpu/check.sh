#!/usr/bin/env bash
# The GPU backend's checks and timings on a lent GPU machine (an H100 or H200 with 16 CPU cores),
# which has the NVIDIA driver, CUDA at /usr/local/cuda and Python with JAX, but no .NET.
#
# Here (the development machine), pack a self-contained build of loopsim and the benchmarks:
#   dotnet publish src/Engine.Cli -c Release -r linux-x64 --self-contained -o /tmp/pub
#   dotnet publish bench/Engine.Benchmarks -c Release -r linux-x64 --self-contained -o /tmp/pub
#   echo '/.carry/' >> .git/info/exclude; mkdir -p .carry; tar -C /tmp -cJf .carry/pub.tar.xz pub   # about 190 MB, 54 MB packed (the carry limit is 64 MB; DuckDB's native library is 70 MB of it)
# There, from the repository root (device tool: carry [".carry"], about 8 minutes):
#   bash bench/gpu/check.sh .carry/pub.tar.xz "$OUT"
#
# It prints and writes to OUT/gpu-check.txt: the card and driver; the GPU against the scalar
# reference replicate by replicate on bench/canonical.toml (both precisions); the GPU estimates
# against the 16-core CPU backend's (difference in standard errors); loopsim's throughput at
# 1M, 4M and 16M replicates in double and single precision and at 4M for the K = inf variant
# (process start and kernel compilation included, and without them); the CPU backend's; and
# the JAX peer (bench/peers/jax_loop.py, float64) on the same GPU, with the throughput ratios;
# and the fig3 sweep through the sweep engine on the GPU and on the 16 CPU cores.
set -u
archive=${1:?usage: bench/gpu/check.sh PUB.tar.xz OUT_DIR}
out=${2:?usage: bench/gpu/check.sh PUB.tar.xz OUT_DIR}
mkdir -p /tmp/gpucheck "$out"
tar -C /tmp/gpucheck -xJf "$archive"
pub=/tmp/gpucheck/pub
export CUDA_HOME=${CUDA_HOME:-/usr/local/cuda}
export DOTNET_CLI_TELEMETRY_OPTOUT=1
work=/tmp/gpucheck/work
mkdir -p "$work"
sed 's/^k = 4$/k = "inf"/' bench/canonical.toml > "$work/canonical-kinf.toml"
log="$out/gpu-check.txt"
rm -f "$log.partial"

rate() { python3 -c "print(f'{$1 * 200 / ($3 - $2):.4g}')"; }
# loopsim run SPEC REPLICATES [flags...]: prints "seconds rate" (process start included).
timed() {
  local spec=$1 replicates=$2 start end
  shift 2
  start=$(date +%s.%N)
  if ! timeout 300 "$pub/loopsim" run "$spec" --replicates "$replicates" --out "$work/run" "$@" > "$work/run.log" 2>&1; then
    echo "FAILED: loopsim run $spec --replicates $replicates $*"; tail -5 "$work/run.log"; return 1
  fi
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f} s, {$replicates * 200 / ($end - $start):.4g} replicate-rounds/s')"
}

{
  echo "== date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "== card"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader
  echo "cuda: $(ls -d "$CUDA_HOME"/nvvm/libdevice 2>/dev/null) $(cat "$CUDA_HOME/version.json" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["cuda"]["version"])' 2>/dev/null)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(nproc) cores"

  echo "== agreement with the scalar reference, replicate by replicate (canonical, 200 rounds)"
  timeout 240 "$pub/Engine.Benchmarks" gpu-agreement 1024 auto double
  timeout 240 "$pub/Engine.Benchmarks" gpu-agreement 512 auto single
  timeout 240 "$pub/Engine.Benchmarks" gpu-agreement 512 auto double "$work/canonical-kinf.toml"

  echo "== estimates: gpu against the 16-core cpu backend (65,536 replicates, common random numbers)"
  "$pub/loopsim" run bench/canonical.toml --replicates 65536 --backend gpu --out "$work/gpu" > /dev/null 2>&1
  "$pub/loopsim" run bench/canonical.toml --replicates 65536 --backend cpu --out "$work/cpu" > /dev/null 2>&1
  python3 - "$work/gpu/summary.json" "$work/cpu/summary.json" <<'PY'
import json, sys
gpu, cpu = (json.load(open(p)) for p in sys.argv[1:3])
print(f"backend {gpu['backend']} on {gpu.get('device')}, diverged {gpu['diverged']} (cpu: {cpu['diverged']})")
for g, c in zip(gpu["alignment"], cpu["alignment"]):
    print(f"  {g['model']}: gpu {g['mean']:.6f} +- {g['se']:.6f}, cpu {c['mean']:.6f} +- {c['se']:.6f}: difference {abs(g['mean'] - c['mean']) / c['se']:.3f} SE")
PY

  echo "== loopsim gpu throughput (canonical, K = 4, 200 rounds; wall clock with process start and kernel compilation)"
  echo "start-up (256 replicates): $(timed bench/canonical.toml 256 --backend gpu)"
  for replicates in 1048576 4194304; do
    echo "double $replicates: $(timed bench/canonical.toml $replicates --backend gpu)"
  done
  echo "== JAX peer (float64, jit + vmap) on the same GPU"
  timeout 300 python3 bench/peers/jax_loop.py 1048576 4 || echo "FAILED: jax_loop.py 1048576 4"
  for replicates in 1048576 4194304; do
    echo "single $replicates: $(timed bench/canonical.toml $replicates --backend gpu --precision single)"
  done
  echo "double K = inf 4194304: $(timed "$work/canonical-kinf.toml" 4194304 --backend gpu)"
  # Issue 9's like for like: the same runs with the literal per-sample loop.
  echo "double 4194304, --sampler samples: $(timed bench/canonical.toml 4194304 --backend gpu --sampler samples)"
  echo "double K = inf 4194304, --sampler samples: $(timed "$work/canonical-kinf.toml" 4194304 --backend gpu --sampler samples)"
  timeout 300 python3 bench/peers/jax_loop.py 1048576 inf || echo "FAILED: jax_loop.py 1048576 inf"
  # 16M replicates only where the 4M runs predict it fits in two minutes.
  for precision in double single; do
    seconds4=$(grep -m1 "^$precision 4194304:" "$log.partial" 2>/dev/null | sed -E 's/^[^:]*: ([0-9.]+) s.*/\1/')
    if [ -n "$seconds4" ] && python3 -c "import sys; sys.exit(0 if 4 * $seconds4 < 120 else 1)"; then
      echo "$precision 16777216: $(timed bench/canonical.toml 16777216 --backend gpu --precision $precision)"
    else
      echo "$precision 16777216: skipped (4M took ${seconds4:-?} s)"
    fi
  done
  echo "== loopsim cpu backend on the same machine (65,536 replicates)"
  echo "cpu 65536: $(timed bench/canonical.toml 65536 --backend cpu)"

  echo "== a sweep on the gpu: reproduce fig3 (45 cells x 4,096 replicates x 200 rounds, three arms; store and figure included)"
  for backend in gpu cpu; do
    start=$(date +%s.%N)
    if timeout 300 "$pub/loopsim" reproduce fig3 --backend $backend --out "$work/fig3-$backend" > "$work/fig3-$backend.log" 2>&1; then
      echo "fig3 $backend: $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s; $(grep -m1 'changes sign at' "$work/fig3-$backend.log")"
    else
      echo "FAILED: reproduce fig3 --backend $backend"; tail -5 "$work/fig3-$backend.log"
    fi
  done
  cp "$work/fig3-gpu/fig3.png" "$out/fig3-gpu.png" 2>/dev/null

  echo "== FP64 operations per replicate-round (Nsight Compute counters, 16,384 replicates x 10 rounds)"
  sed 's/^rounds = 200$/rounds = 10/; s/^burn_in = 100$/burn_in = 5/' bench/canonical.toml > "$work/canonical-10.toml"
  if command -v ncu > /dev/null; then
    timeout 240 ncu --launch-count 1 --metrics smsp__sass_thread_inst_executed_op_dadd_pred_on.sum,smsp__sass_thread_inst_executed_op_dmul_pred_on.sum,smsp__sass_thread_inst_executed_op_dfma_pred_on.sum \
      "$pub/loopsim" run "$work/canonical-10.toml" --replicates 16384 --backend gpu --out "$work/ncu" 2>&1 | grep -E "op_d(add|mul|fma)|==ERR|rror" | head -8
  else
    echo "ncu not found"
  fi
} 2>&1 | tee "$log.partial"
mv "$log.partial" "$log"

# Ratios and the share of the card's FP64 peak, from the lines above.
python3 - "$log" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def rate(pattern):
    m = re.search(pattern + r".*?([0-9.]+(?:e[+-]?[0-9]+)?) replicate-rounds/s", text)
    return float(m.group(1)) if m else None
gpu4 = rate(r"double 4194304:")
gpu16 = rate(r"double 16777216:") or rate(r"double 4194304:")
jax4 = rate(r"jax .*k = 4\)")
cpu = rate(r"cpu 65536:")
print("== summary")
for name, value in [("loopsim gpu double 4M", gpu4), ("loopsim gpu double 16M", gpu16), ("jax float64 1M", jax4), ("loopsim cpu 16 cores", cpu)]:
    print(f"  {name}: {value:.4g} replicate-rounds/s" if value else f"  {name}: not measured")
if gpu16 and jax4:
    print(f"  loopsim gpu (largest run, double) / jax: {gpu16 / jax4:.2f}x")
if gpu16 and cpu:
    print(f"  loopsim gpu (largest run, double) / loopsim cpu (16 cores): {gpu16 / cpu:.2f}x")
ops = {k: float(v.replace(",", "")) for k, v in re.findall(r"op_(dadd|dmul|dfma)_pred_on\.sum\s+\S*\s+([0-9,.]+)", text)}
card = re.search(r"== card\n([^,\n]+), ([^,]+), ([^,]+), (\d+) MHz", text)
if len(ops) == 3 and gpu16 and card:
    flops = (ops["dadd"] + ops["dmul"] + 2 * ops["dfma"]) / (16384 * 10)
    sms = 132  # H100 SXM and H200: 132 SMs, 64 FP64 FMA per SM per clock
    peak = sms * 64 * 2 * float(card.group(4)) * 1e6
    print(f"  FP64 flops per replicate-round (counted, simulation kernel): {flops:.4g}; at 16M: {flops * gpu16 / 1e12:.3g} TFLOP/s at the largest run's rate "
          f"= {100 * flops * gpu16 / peak:.1f}% of the FP64 peak {peak / 1e12:.1f} TFLOP/s ({card.group(1)}, {card.group(4)} MHz)")
else:
    print("  FP64 share of peak: not measured (no counters)")
PY
