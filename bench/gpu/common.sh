# Sourced by the scripts beside it, from the repository root on a lent GPU machine, with the
# archive in $archive: unpacks the self-contained build once, and lays out the specs they share.
# Sets pub (the build), work (scratch), canonical, kinf (its K = inf variant) and canonical10
# (10 rounds, for Nsight Compute); Nsight's kernel filter matches the simulation kernel in either
# entry (Kernel_Run, or Kernel_RunGrouped under the register bound).
mkdir -p /tmp/gpucheck
[ -x /tmp/gpucheck/pub/loopsim ] || tar -C /tmp/gpucheck -xJf "$archive"
pub=/tmp/gpucheck/pub
export CUDA_HOME=${CUDA_HOME:-/usr/local/cuda} DOTNET_CLI_TELEMETRY_OPTOUT=1
PATH=$PATH:$CUDA_HOME/bin
work=/tmp/gpucheck/work
mkdir -p "$work"
canonical=bench/canonical.toml
kinf="$work/canonical-kinf.toml"
canonical10="$work/canonical-10.toml"
sed 's/^k = 4$/k = "inf"/' "$canonical" > "$kinf"
sed 's/^rounds = 200$/rounds = 10/; s/^burn_in = 100$/burn_in = 5/' "$canonical" > "$canonical10"
simulation_kernel='regex:^Kernel_Run'
