using Engine.Core.Results;
using Engine.Core.Specs;
using Engine.Simulation;

namespace Engine.Gpu;

/// <summary>
/// Every --backend value in one place: cpu and reference run on <see cref="SimulationRunner"/>,
/// gpu on <see cref="GpuRunner"/>, and auto takes the GPU when a CUDA device is found, else the
/// SIMD CPU backend.
/// </summary>
public static class AnyBackend
{
    /// <summary>Runs the spec on the backend the options name (auto resolved); progress reports replicates done.</summary>
    public static SimulationResult Run(SimulationSpec spec, RunOptions options, IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        string backend = Resolve(options);
        return backend == Backends.Gpu
            ? GpuRunner.Run(spec, options, progress, cancel)
            : SimulationRunner.Run(spec, options with { Backend = backend }, progress, cancel);
    }

    /// <summary>The backend that runs: auto resolved (once per process: finding no device costs a driver probe).</summary>
    public static string Resolve(RunOptions options)
    {
        Backends.CheckName(options.Backend);
        if (options.Device != GpuDevices.Auto && options.Backend is not (Backends.Gpu or Backends.Auto))
        {
            throw SpecException.Invalid("--device", options.Device, "only with --backend gpu or auto");
        }
        if (options.Backend != Backends.Auto)
        {
            return options.Backend;
        }
        // A device named explicitly asks for the GPU backend.
        return options.Device != GpuDevices.Auto || CudaFound.Value ? Backends.Gpu : Backends.Cpu;
    }

    private static readonly Lazy<bool> CudaFound = new(GpuDevices.CudaAvailable);
}
