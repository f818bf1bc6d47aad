#!/usr/bin/env bash
# Where the loop's time goes: runs the canonical loop (throughput harness, one width) with parts
# of the step knocked out and prints the rates side by side. The knockouts change the results,
# so they live in bench/knockout.patch (environment switches read once into static readonly
# fields, which the optimising JIT folds away) and are applied to a copy of the tree, never to
# the product. The rates of a knocked-out loop are an attribution, not a result. It measures
# the committed tree (HEAD); when src/Engine.Simulation/LaneLoop.cs changes, the patch may no
# longer apply (git apply says where): redo its few lines and regenerate it with git diff.
# Usage: bench/knockout.sh [replicates=4096] [width=256x2] [runs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
replicates=${1:-4096}
width=${2:-256x2}
runs=${3:-3}
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
git archive HEAD | tar -x -C "$copy"
git -C "$copy" init -q && git -C "$copy" apply "$PWD/bench/knockout.patch"
dotnet build "$copy/bench/Engine.Benchmarks" -c Release -v quiet -nologo >/dev/null
harness="$copy/bench/Engine.Benchmarks/bin/Release/net10.0/Engine.Benchmarks.dll"
rate() { env "$@" dotnet "$harness" throughput "$replicates" "$width" 2>&1 | awk -F'|' -v w="$width" '$2 ~ " " w " " { gsub(/ /, "", $4); print $4 }'; }
declare -A label=(
  [NONE]="full loop"
  [NOGEN]="generator free: uniforms from a table, no Box-Muller"
  [NOGEN_NOCURATE]="generator free, no curated draws"
  [KO_CURATE]="no curated draws (CurateCompacted skipped)"
  [KO_CHOOSE]="curated candidates drawn, no choice among them"
  [KO_EXP]="choice without its exponentials"
  [KO_SELECT]="no source selection"
  [KO_P0]="block 0 (source and choice uniforms) from a table"
)
configurations=(NONE NOGEN NOGEN_NOCURATE KO_CURATE KO_CHOOSE KO_EXP KO_SELECT KO_P0)
echo "canonical loop, $replicates replicates, width $width, $(nproc) threads; replicate-rounds/s, $runs runs alternated"
declare -A results
for ((run = 0; run < runs; run++)); do
  for configuration in "${configurations[@]}"; do
    case $configuration in
      NONE) value=$(rate A=0) ;;
      NOGEN) value=$(rate KO_P0=1 KO_P1=1 KO_P2=1 KO_BM=1) ;;
      NOGEN_NOCURATE) value=$(rate KO_P0=1 KO_P1=1 KO_P2=1 KO_BM=1 KO_CURATE=1) ;;
      *) value=$(rate "$configuration=1") ;;
    esac
    results[$configuration]="${results[$configuration]:-} $value"
  done
done
echo "| configuration | runs |"
echo "| --- | --- |"
for configuration in "${configurations[@]}"; do
  echo "| ${label[$configuration]} |${results[$configuration]} |"
done
