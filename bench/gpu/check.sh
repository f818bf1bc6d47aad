#!/usr/bin/env bash
# The GPU backend's checks and timings on a lent GPU machine (an H100 or H200 with 16 CPU cores),
# which has the NVIDIA driver, CUDA at /usr/local/cuda and Python with JAX, but no .NET.
#
# Here (the development machine), pack a self-contained build of loopsim and the benchmarks:
#   dotnet publish src/Engine.Cli -c Release -r linux-x64 --self-contained -o /tmp/pub
#   dotnet publish bench/Engine.Benchmarks -c Release -r linux-x64 --self-contained -o /tmp/pub
#   echo '/.carry/' >> .git/info/exclude; mkdir -p .carry
#   tar -C /tmp --exclude='pub/libcapstone.so' --exclude='pub/Microsoft.CodeAnalysis*.dll' --exclude='pub/*.xml' -cf - pub | xz -T2 -6 > .carry/pub.tar.xz
# (about 190 MB, 51 MB packed; the carry limit is 64 MB with the tree, and DuckDB's native library is 70 MB of it;
# the excluded files serve only BenchmarkDotNet's suites and the IDE.)
# There, from the repository root (device tool: carry [".carry"], timeout_s 420):
#   bash bench/gpu/check.sh .carry/pub.tar.xz "$OUT" [seconds=360]
#
# Device time is scarce (15 minutes a session, the machine's start included), so the steps run in
# order of what they decide, each under a timeout, and every step after the deadline (third
# argument) is skipped, not cut: the first steps say whether the kernels run and agree, the next
# ones measure. The log grows in OUT/gpu-check.txt as it goes, so a run stopped early still brings
# back what it did. The steps:
#   1. the card, the driver and the CPU;
#   2. loopsim's steady throughput on the canonical spec (K = 4), double precision, in one process
#      (Engine.Benchmarks gpu-throughput: compilation timed apart), up to 16M replicates;
#   3. the GPU against the scalar reference, replicate by replicate (double);
#   4. the JAX peer (bench/peers/jax_loop.py, float64, jit + vmap) on the same GPU;
#   5. the GPU estimates against the 16-core CPU backend's through the real binary (summary.json);
#   6. single precision, the K = inf variant, and the literal per-sample loop (--sampler samples);
#   7. loopsim's wall clock with process start and compilation;
#   8. agreement in single precision and at K = inf; the JAX peer at K = inf;
#   9. the fig3 sweep on the GPU and on the 16 CPU cores;
#  10. FP64 instructions per replicate-round from Nsight Compute's counters, for the share of peak.
set -u
archive=${1:?usage: bench/gpu/check.sh PUB.tar.xz OUT_DIR [seconds]}
out=${2:?usage: bench/gpu/check.sh PUB.tar.xz OUT_DIR [seconds]}
deadline=$(( $(date +%s) + ${3:-360} ))
mkdir -p "$out"
. "$(dirname "$0")/common.sh"
# GPU_CHECK_DEVICE=cpu-accelerator tries the script's plumbing on a machine without a GPU.
device=${GPU_CHECK_DEVICE:-auto}
log="$out/gpu-check.txt"
: > "$log"

# step LIMIT NAME COMMAND...: runs COMMAND under min(LIMIT, seconds left), or says it was skipped.
step() {
  local limit=$1 name=$2 left
  shift 2
  left=$(( deadline - $(date +%s) ))
  if [ "$left" -lt 15 ]; then
    echo "SKIPPED (deadline): $name"
    return 0
  fi
  [ "$limit" -gt "$left" ] && limit=$left
  echo "== $name"
  local start=$(date +%s.%N)
  timeout "$limit" bash -c '"$@"' step "$@" 2>&1 || echo "FAILED or timed out (exit $?, limit $limit s): $name"
  echo "   ($(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s)"
}

# wall SPEC REPLICATES FLAGS...: loopsim run through the real binary, process start and compilation included.
wall() {
  local spec=$1 replicates=$2 start end
  shift 2
  start=$(date +%s.%N)
  if ! "$pub/loopsim" run "$spec" --replicates "$replicates" --out "$work/wall" "$@" > "$work/wall.log" 2>&1; then
    echo "FAILED: loopsim run $spec --replicates $replicates $*"; cat "$work/wall.log"; return 1
  fi
  end=$(date +%s.%N)
  python3 -c "print(f'loopsim run $(basename "$spec") $replicates $*: {$end - $start:.2f} s, {$replicates * 200 / ($end - $start):.4g} replicate-rounds/s (wall clock)')"
}

estimates() {
  "$pub/loopsim" run "$canonical" --replicates 65536 --backend gpu --device "$device" --out "$work/gpu" > "$work/gpu.log" 2>&1 || { echo "FAILED: loopsim --backend gpu"; cat "$work/gpu.log"; return 1; }
  wall "$canonical" 65536 --backend cpu | sed 's/^/cpu 65536: /'
  cp "$work/wall/summary.json" "$work/cpu-summary.json"
  python3 - "$work/gpu/summary.json" "$work/cpu-summary.json" <<'PY'
import json, sys
gpu, cpu = (json.load(open(p)) for p in sys.argv[1:3])
print(f"backend {gpu['backend']} on {gpu.get('device')}, diverged {gpu['diverged']} (cpu: {cpu['diverged']})")
for g, c in zip(gpu["alignment"], cpu["alignment"]):
    print(f"  {g['model']}: gpu {g['mean']:.6f} +- {g['se']:.6f}, cpu {c['mean']:.6f} +- {c['se']:.6f}: difference {abs(g['mean'] - c['mean']) / c['se']:.3f} cpu SE")
PY
}

jax_peer() {
  python3 -c "import jax; d = jax.devices(); print('jax', jax.__version__, d); raise SystemExit(0 if d[0].platform == 'gpu' else 1)" || { echo "jax sees no GPU: peer not run"; return 1; }
  python3 bench/peers/jax_loop.py "$@"
}

fig3() {
  for backend in gpu cpu; do
    start=$(date +%s.%N)
    flags=(--backend $backend)
    [ $backend = gpu ] && flags+=(--device "$device")
    if timeout 150 "$pub/loopsim" reproduce fig3 "${flags[@]}" --out "$work/fig3-$backend" > "$work/fig3-$backend.log" 2>&1; then
      echo "fig3 $backend: $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s; $(grep -m1 'changes sign at' "$work/fig3-$backend.log")"
    else
      echo "FAILED: reproduce fig3 --backend $backend"; tail -5 "$work/fig3-$backend.log"
    fi
  done
  cp "$work/fig3-gpu/fig3.png" "$out/fig3-gpu.png" 2>/dev/null
}

counters() {
  command -v ncu > /dev/null || { echo "ncu not found"; return 1; }
  ncu --kernel-name "$simulation_kernel" --launch-count 1 --metrics smsp__sass_thread_inst_executed_op_dadd_pred_on.sum,smsp__sass_thread_inst_executed_op_dmul_pred_on.sum,smsp__sass_thread_inst_executed_op_dfma_pred_on.sum,launch__registers_per_thread,sm__warps_active.avg.pct_of_peak_sustained_active \
    "$pub/loopsim" run "$canonical10" --replicates 16384 --backend gpu --out "$work/ncu" 2>&1 | grep -E "op_d(add|mul|fma)|registers|warps_active|==ERR|rror|==PROF==" | head -12
}

throughput() { "$pub/Engine.Benchmarks" gpu-throughput "$@" "$device"; }
agreement() { "$pub/Engine.Benchmarks" gpu-agreement "$1" "$device" "${@:2}"; }
export pub work canonical kinf canonical10 simulation_kernel out device
export -f wall estimates jax_peer fig3 counters throughput agreement

{
  echo "== date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "== card"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader
  echo "cuda: $(ls -d "$CUDA_HOME"/nvvm/libdevice 2>/dev/null) $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cuda"]["version"])' "$CUDA_HOME/version.json" 2>/dev/null)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(nproc) cores"

  step 150 "throughput, canonical K = 4, double, moments (steady, in one process)" throughput "$canonical" double moments 262144,1048576,4194304,16777216 40
  step 60 "agreement with the scalar reference, replicate by replicate (canonical, double)" agreement 1024 double
  step 120 "JAX peer, K = 4 (float64, jit + vmap)" jax_peer 1048576 4
  step 60 "estimates: gpu against the 16-core cpu backend (65,536 replicates)" estimates
  step 90 "throughput, canonical K = 4, single, moments" throughput "$canonical" single moments 1048576,4194304,16777216 25
  step 90 "throughput, K = inf, double, moments" throughput "$kinf" double moments 1048576,4194304,16777216 25
  step 90 "throughput, canonical K = 4, double, samples (the literal per-sample loop)" throughput "$canonical" double samples 262144,1048576,4194304 25
  step 60 "throughput, K = inf, double, samples" throughput "$kinf" double samples 262144,1048576 20
  step 60 "wall clock with process start (double, 4M replicates)" wall "$canonical" 4194304 --backend gpu --device "$device"
  step 60 "agreement, single precision" agreement 512 single
  step 60 "agreement, K = inf" agreement 512 double "$kinf"
  step 120 "JAX peer, K = inf" jax_peer 1048576 inf
  step 200 "fig3 sweep (45 cells x 4,096 replicates x 200 rounds, three arms; store and figure included)" fig3
  step 120 "Nsight Compute counters (16,384 replicates x 10 rounds)" counters
} 2>&1 | tee -a "$log"

# Ratios and the share of the card's FP64 peak, from the lines above.
python3 - "$log" <<'PY' | tee -a "$log"
import re, sys
text = open(sys.argv[1]).read()
def section(title):
    m = re.search(r"== " + re.escape(title) + r".*?\n(.*?)(?=\n== |\Z)", text, re.S)
    return m.group(1) if m else ""
def steady(title):
    rates = [float(x) for x in re.findall(r"([0-9.]+E[+-]?[0-9]+) replicate-rounds/s \(steady\)", section(title))]
    return max(rates) if rates else None
def first(pattern):
    m = re.search(pattern, text)
    return float(m.group(1)) if m else None
rows = [
    ("loopsim gpu, K = 4, double, moments", steady("throughput, canonical K = 4, double, moments")),
    ("loopsim gpu, K = 4, single, moments", steady("throughput, canonical K = 4, single, moments")),
    ("loopsim gpu, K = 4, double, samples", steady("throughput, canonical K = 4, double, samples")),
    ("loopsim gpu, K = inf, double, moments", steady("throughput, K = inf, double, moments")),
    ("loopsim gpu, K = inf, double, samples", steady("throughput, K = inf, double, samples")),
    ("jax float64, K = 4", first(r"jax .*k = 4\).*?([0-9.]+(?:e[+-]?[0-9]+)?) replicate-rounds/s")),
    ("jax float64, K = inf", first(r"jax .*k = inf\).*?([0-9.]+(?:e[+-]?[0-9]+)?) replicate-rounds/s")),
    ("loopsim cpu, 16 cores, K = 4 (wall clock, 65,536)", first(r"cpu 65536: .*?([0-9.]+(?:e[+-]?[0-9]+)?) replicate-rounds/s")),
]
rate = dict(rows)
print("== summary (best steady rate of each)")
for name, value in rows:
    print(f"  {name}: {value:.4g} replicate-rounds/s" if value else f"  {name}: not measured")
def ratio(a, b, label):
    if rate.get(a) and rate.get(b):
        print(f"  {label}: {rate[a] / rate[b]:.2f}x")
ratio("loopsim gpu, K = 4, double, moments", "jax float64, K = 4", "loopsim gpu (double, moments) / jax, K = 4")
ratio("loopsim gpu, K = 4, double, samples", "jax float64, K = 4", "loopsim gpu (double, samples: like for like) / jax, K = 4")
ratio("loopsim gpu, K = inf, double, moments", "jax float64, K = inf", "loopsim gpu (double, moments) / jax, K = inf")
ratio("loopsim gpu, K = inf, double, samples", "jax float64, K = inf", "loopsim gpu (double, samples) / jax, K = inf")
ratio("loopsim gpu, K = 4, double, moments", "loopsim cpu, 16 cores, K = 4 (wall clock, 65,536)", "loopsim gpu / loopsim cpu (16 cores), K = 4 double")
ops = {k: float(v.replace(",", "")) for k, v in re.findall(r"op_(dadd|dmul|dfma)_pred_on\.sum\s+\S*\s+([0-9,.]+)", text)}
card = re.search(r"== card\n([^,\n]+), ([^,]+), ([^,]+), (\d+) MHz", text)
gpu = rate["loopsim gpu, K = 4, double, moments"]
if len(ops) == 3 and gpu and card:
    # The counters are from one launch of the simulation kernel (one arm, 16,384 replicates x 10 rounds).
    flops = (ops["dadd"] + ops["dmul"] + 2 * ops["dfma"]) / (16384 * 10)
    sms = 132  # H100 SXM and H200: 132 SMs, 64 FP64 FMA per SM per clock
    peak = sms * 64 * 2 * float(card.group(4)) * 1e6
    print(f"  FP64 flops per replicate-round (counted): {flops:.4g}; at the best double rate {flops * gpu / 1e12:.3g} TFLOP/s "
          f"= {100 * flops * gpu / peak:.1f}% of the FP64 peak {peak / 1e12:.1f} TFLOP/s ({card.group(1)}, {card.group(4)} MHz)")
else:
    print("  FP64 share of peak: not measured (no counters)")
PY
