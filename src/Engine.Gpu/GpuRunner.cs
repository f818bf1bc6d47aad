using ILGPU;
using ILGPU.Runtime;
using Engine.Core.Random;
using Engine.Core.Results;
using Engine.Core.Specs;
using Engine.Core.Statistics;
using Engine.Kernels;
using Engine.Simulation;
using Engine.Simulation.Step;

namespace Engine.Gpu;

/// <summary>
/// --backend gpu: the replicates of a spec as ILGPU kernels, one replicate per thread. Work
/// larger than the device streams through it in launches of whole 256-replicate blocks; each
/// launch runs every arm, reduces its blocks on the device and merges them, in block order, into
/// totals that stay on the device, so only the summaries come back, and the result does not
/// depend on how the replicates were split into launches.
/// </summary>
public static class GpuRunner
{
    /// <summary>The share of device memory one launch may fill.</summary>
    public const double MemoryShare = 0.5;
    /// <summary>At most this many replicates per launch on the CPU accelerator (its memory is the host's).</summary>
    public const int CpuAcceleratorLaunch = 4096;
    /// <summary>And at most this many bytes of state per launch there.</summary>
    public const double CpuAcceleratorBytes = 1 << 30;

    /// <summary>Runs the spec on the device the options name; <paramref name="maxReplicatesPerLaunch"/> caps a launch (for tests of streaming).</summary>
    public static SimulationResult Run(SimulationSpec spec, RunOptions options, IProgress<long>? progress = null, CancellationToken cancel = default,
        int? maxReplicatesPerLaunch = null)
    {
        if (Array.IndexOf(SimdWidths.Precisions, options.Precision) < 0)
        {
            throw SpecException.Invalid("--precision", options.Precision, "one of double, single");
        }
        var device = Opened(options.Device);
        // gpu or gpu-single, whatever backend name (auto) led here.
        string backend = (options with { Backend = Backends.Gpu }).BackendLabel;
        var result = options.Precision == "single"
            ? Run<DeviceSingleLane>(spec, backend, device, progress, cancel, maxReplicatesPerLaunch)
            : Run<DeviceLane>(spec, backend, device, progress, cancel, maxReplicatesPerLaunch);
        return result with { Device = device.Name };
    }

    /// <summary>Opens the device the options name now, so a missing one is reported before any output is made (a sweep's store).</summary>
    public static void EnsureDevice(RunOptions options)
    {
        if (options.Backend == Backends.Gpu)
        {
            Opened(options.Device);
        }
    }

    private static readonly Dictionary<string, OpenedDevice> Devices = [];

    /// <summary>
    /// The device, opened once per process: a sweep's cells then share one context, and ILGPU's
    /// cache of compiled kernels, instead of compiling the kernels again for every cell.
    /// </summary>
    private static OpenedDevice Opened(string name)
    {
        lock (Devices)
        {
            if (!Devices.TryGetValue(name, out var device))
            {
                device = GpuDevices.Open(name);
                Devices[name] = device;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => device.Dispose();
            }
            return device;
        }
    }

    private static SimulationResult Run<T>(SimulationSpec spec, string backend, OpenedDevice device, IProgress<long>? progress, CancellationToken cancel, int? maxReplicatesPerLaunch)
        where T : unmanaged, IDeviceLane<T>
    {
        var accelerator = device.Accelerator;
        var arms = spec.Arms();
        int m = spec.ModelCount, d = spec.Dimension;
        int maxK = spec.Models.Max(model => model.K);
        var layout = ReplicateLayout.For(d, m, maxK);
        int trajectoryLength = (spec.Rounds + 1) * m * layout.TrajectoryWidth;
        int quantities = trajectoryLength + m * m + (spec.Influence is null ? 0 : m);
        int launch = LaunchSize(spec, layout, trajectoryLength, quantities, arms.Length, System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), device, maxReplicatesPerLaunch);
        int blocksPerLaunch = (launch + SimulationRunner.BlockSize - 1) / SimulationRunner.BlockSize;

        var tables = arms.Select(arm => new ModelTable(arm)).ToArray();
        var models = tables.Select(table => accelerator.Allocate1D(DeviceModels(table))).ToArray();
        var constants = tables.Select(table => accelerator.Allocate1D(table.Constants)).ToArray();
        using var ziggurat = accelerator.Allocate1D(Ziggurat.Table.ToArray());
        using var state = accelerator.Allocate1D<T>((long)layout.Size * launch);
        using var trajectory = accelerator.Allocate1D<T>((long)trajectoryLength * launch);
        var stationary = arms.Select(_ => accelerator.Allocate1D<T>((long)m * m * launch)).ToArray();
        var finite = arms.Select(_ => accelerator.Allocate1D<int>(launch)).ToArray();
        using var blockMoments = accelerator.Allocate1D<Moments>((long)quantities * blocksPerLaunch);
        using var totals = accelerator.Allocate1D<Moments>(quantities);
        try
        {
            totals.MemSetToZero();
            var simulate = SimulationKernel<T>(device, spec);
            var reduce = accelerator.LoadAutoGroupedStreamKernel<Index1D, ReductionArguments<T>>(ReductionKernels.BlockMoments<T>);
            var merge = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<Moments>, int, ArrayView<Moments>>(ReductionKernels.MergeBlocks);
            for (long first = 0; first < spec.Replicates; first += launch)
            {
                cancel.ThrowIfCancellationRequested();
                int count = (int)Math.Min(launch, spec.Replicates - first);
                int blocks = (count + SimulationRunner.BlockSize - 1) / SimulationRunner.BlockSize;
                for (int arm = 0; arm < arms.Length; arm++)
                {
                    simulate(count, Arguments(spec, layout, models[arm], constants[arm], ziggurat, state, arm == 0 ? trajectory.View : ArrayView<T>.Empty, stationary[arm], finite[arm], spec.FirstReplicate + first, count));
                }
                int last = arms.Length - 1;
                reduce(quantities * blocks, new ReductionArguments<T>
                {
                    Trajectory = trajectory.View,
                    Stationary0 = stationary[0].View,
                    Stationary1 = stationary[Math.Min(1, last)].View,
                    Stationary2 = stationary[last].View,
                    Finite0 = finite[0].View,
                    Finite1 = finite[Math.Min(1, last)].View,
                    Finite2 = finite[last].View,
                    Arms = arms.Length,
                    TrajectoryLength = trajectoryLength,
                    Models = m,
                    Step = spec.Influence?.Step ?? 0,
                    Count = count,
                    Blocks = blocks,
                    BlockMoments = blockMoments.View,
                });
                merge(quantities, blockMoments.View, blocks, totals.View);
                accelerator.Synchronize();
                progress?.Report(first + count);
            }
            var summed = totals.GetAsArray1D();
            var trajectoryMoments = summed.AsSpan(0, trajectoryLength).ToArray();
            var stationaryMoments = summed.AsSpan(trajectoryLength, m * m).ToArray();
            var influenceMoments = summed.AsSpan(trajectoryLength + m * m).ToArray();
            long included = (long)stationaryMoments[0].Count;
            return SimulationRunner.ResultFromMoments(spec, backend, trajectoryMoments, stationaryMoments, influenceMoments, spec.Replicates - included);
        }
        finally
        {
            foreach (var buffer in models)
            {
                buffer.Dispose();
            }
            foreach (var buffer in constants)
            {
                buffer.Dispose();
            }
            foreach (var buffer in stationary)
            {
                buffer.Dispose();
            }
            foreach (var buffer in finite)
            {
                buffer.Dispose();
            }
        }
    }

    /// <summary>The environment variable that overrides the simulation kernel's register bound (see <see cref="GroupsPerMultiprocessor"/>).</summary>
    public const string GroupsPerMultiprocessorVariable = "LOOPSIM_GPU_GROUPS_PER_SM";
    /// <summary>Threads per group of the simulation kernel when its registers are bounded.</summary>
    public const int GroupThreads = 128;
    /// <summary>The bound taken for specs that draw finite-K candidates: the fastest measured there.</summary>
    public const int CandidateGroupsPerMultiprocessor = 4;

    /// <summary>The environment variable that overrides <see cref="UsesCountTables"/>: 1 reads the tables, 0 draws every count by inversion.</summary>
    public const string CountTablesVariable = "LOOPSIM_GPU_COUNT_TABLES";

    /// <summary>
    /// Whether the kernels draw a model's first count from its table of cumulative probabilities
    /// (StatisticStep.BinomialByTable, the CPU lanes' way) or by inversion as every other count
    /// (the same counts, <see cref="ModelParameters.CountTableBoundary"/> set to -1).
    /// <paramref name="setting"/> (the environment variable, for measuring) overrides the choice.
    /// </summary>
    public static bool UsesCountTables(string? setting) => setting switch
    {
        null or "" or "1" => true,
        "0" => false,
        _ => throw SpecException.Invalid(CountTablesVariable, setting, "1 (a table for each model's first count) or 0 (every count by inversion)"),
    };

    /// <summary>The arm's models as the kernels read them (<see cref="UsesCountTables"/>).</summary>
    private static ModelParameters[] DeviceModels(ModelTable table)
    {
        var models = (ModelParameters[])table.Models.Clone();
        if (!UsesCountTables(Environment.GetEnvironmentVariable(CountTablesVariable)))
        {
            for (int i = 0; i < models.Length; i++)
            {
                models[i].CountTableBoundary = -1;
            }
        }
        return models;
    }

    /// <summary>
    /// G, the simulation kernel's groups of <see cref="GroupThreads"/> threads that must fit on one
    /// multiprocessor at once, which bounds a thread to 65,536 / (128 G) registers; 0 leaves the
    /// group size to ILGPU and the registers to the compiler. Measured on the H200
    /// (bench/RESULTS.md): the compiler takes 234 registers, so 8 warps run per multiprocessor;
    /// G = 4 (128 registers) is 14-17% faster where models draw finite-K candidates and 30% slower
    /// at K = inf, so it is taken only where a model curates with 1 &lt; K &lt; inf. <paramref name="setting"/> (the
    /// environment variable, for measuring) overrides the choice.
    /// </summary>
    public static int GroupsPerMultiprocessor(SimulationSpec spec, string? setting)
    {
        if (string.IsNullOrEmpty(setting))
        {
            return spec.Models.Any(model => model.K > 1 && model.Weights[WeightIndex.Curated] > 0) ? CandidateGroupsPerMultiprocessor : 0;
        }
        if (int.TryParse(setting, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int groups) && groups <= 16)
        {
            return groups;
        }
        throw SpecException.Invalid(GroupsPerMultiprocessorVariable, setting, "a whole number of groups per multiprocessor from 0 (the compiler's choice) to 16");
    }

    /// <summary>
    /// The simulation kernel as a launcher of <c>count</c> threads, bounded to
    /// <see cref="GroupsPerMultiprocessor"/> groups: explicitly grouped and specialised for G &gt; 0,
    /// grouped by ILGPU for 0.
    /// </summary>
    private static Action<int, ReplicateArguments<T>> SimulationKernel<T>(OpenedDevice device, SimulationSpec spec) where T : unmanaged, IDeviceLane<T>
    {
        var accelerator = device.Accelerator;
        int groups = GroupsPerMultiprocessor(spec, Environment.GetEnvironmentVariable(GroupsPerMultiprocessorVariable));
        if (groups == 0)
        {
            var automatic = accelerator.LoadAutoGroupedStreamKernel<Index1D, ReplicateArguments<T>>(ReplicateKernel.Run<T>);
            return (count, arguments) => automatic(count, arguments);
        }
        // The CPU accelerator has no registers to share and smaller groups: it runs the grouped entry, and a partial last group, unspecialised.
        int threads = Math.Min(GroupThreads, accelerator.MaxNumThreadsPerGroup);
        var specialization = device.IsCpuAccelerator ? KernelSpecialization.Empty : new KernelSpecialization(GroupThreads, groups);
        var grouped = accelerator.LoadStreamKernel<ReplicateArguments<T>>(ReplicateKernel.RunGrouped<T>, specialization);
        return (count, arguments) => grouped(new KernelConfig((count + threads - 1) / threads, threads), arguments);
    }

    /// <summary>
    /// The stationary J_i(p_j) (M x M per replicate) and the finite flag of replicates
    /// 0..count-1 of the spec's base arm, one by one, in one launch: for comparing backends
    /// replicate by replicate.
    /// </summary>
    internal static (double[] Stationary, bool[] Finite) PerReplicate(SimulationSpec spec, string device, int count, string precision = "double") =>
        precision == "single" ? PerReplicate<DeviceSingleLane>(spec, Opened(device), count) : PerReplicate<DeviceLane>(spec, Opened(device), count);

    private static (double[] Stationary, bool[] Finite) PerReplicate<T>(SimulationSpec spec, OpenedDevice device, int count) where T : unmanaged, IDeviceLane<T>
    {
        var accelerator = device.Accelerator;
        int m = spec.ModelCount;
        var layout = ReplicateLayout.For(spec.Dimension, m, spec.Models.Max(model => model.K));
        var table = new ModelTable(spec);
        using var models = accelerator.Allocate1D(DeviceModels(table));
        using var constants = accelerator.Allocate1D(table.Constants);
        using var ziggurat = accelerator.Allocate1D(Ziggurat.Table.ToArray());
        using var state = accelerator.Allocate1D<T>((long)layout.Size * count);
        using var stationary = accelerator.Allocate1D<T>((long)m * m * count);
        using var finite = accelerator.Allocate1D<int>(count);
        var simulate = SimulationKernel<T>(device, spec);
        simulate(count, Arguments(spec, layout, models, constants, ziggurat, state, ArrayView<T>.Empty, stationary, finite, 0, count));
        accelerator.Synchronize();
        var values = stationary.GetAsArray1D();
        var flags = finite.GetAsArray1D();
        var byReplicate = new double[(long)count * m * m];
        for (int r = 0; r < count; r++)
        {
            for (int k = 0; k < m * m; k++)
            {
                byReplicate[(long)r * m * m + k] = T.ToDouble(values[(long)k * count + r]);
            }
        }
        return (byReplicate, flags.Select(flag => flag != 0).ToArray());
    }

    private static ReplicateArguments<T> Arguments<T>(SimulationSpec spec, ReplicateLayout layout, MemoryBuffer1D<ModelParameters, Stride1D.Dense> models,
        MemoryBuffer1D<double, Stride1D.Dense> constants, MemoryBuffer1D<double, Stride1D.Dense> ziggurat, MemoryBuffer1D<T, Stride1D.Dense> state, ArrayView<T> trajectory, MemoryBuffer1D<T, Stride1D.Dense> stationary,
        MemoryBuffer1D<int, Stride1D.Dense> finite, long first, int count) where T : unmanaged => new()
        {
            Models = models.View,
            Constants = constants.View,
            Ziggurat = ziggurat.View,
            State = state.View,
            Trajectory = trajectory,
            Stationary = stationary.View,
            Finite = finite.View,
            Layout = layout,
            Rounds = spec.Rounds,
            BurnIn = spec.BurnIn,
            Sequential = spec.Schedule == Schedule.Sequential ? 1 : 0,
            Multinomial = spec.Mixture == MixtureMode.Multinomial ? 1 : 0,
            Moments = spec.Sampler == Sampler.Moments ? 1 : 0,
            Seed = spec.Seed,
            FirstReplicate = first,
            Count = count,
        };

    /// <summary>
    /// Replicates per launch: as many whole blocks as fit in <see cref="MemoryShare"/> of the
    /// device (state, trajectories, stationary values and block moments), at most the run.
    /// </summary>
    private static int LaunchSize(SimulationSpec spec, ReplicateLayout layout, int trajectoryLength, int quantities, int arms, int laneBytes, OpenedDevice device,
        int? maxReplicatesPerLaunch)
    {
        int m = spec.ModelCount;
        double perReplicate = laneBytes * ((double)layout.Size + trajectoryLength + (double)arms * m * m) + 4.0 * arms
            + quantities * (double)System.Runtime.CompilerServices.Unsafe.SizeOf<Moments>() / SimulationRunner.BlockSize;
        double budget = device.IsCpuAccelerator ? Math.Min(CpuAcceleratorLaunch * perReplicate, CpuAcceleratorBytes) : device.Accelerator.MemorySize * MemoryShare;
        long fits = (long)(budget / perReplicate) / SimulationRunner.BlockSize * SimulationRunner.BlockSize;
        if (maxReplicatesPerLaunch is { } cap)
        {
            fits = Math.Min(fits, Math.Max(SimulationRunner.BlockSize, cap / SimulationRunner.BlockSize * SimulationRunner.BlockSize));
        }
        // One thread index per replicate of a launch: stay within int, in whole blocks.
        fits = Math.Min(fits, (int.MaxValue / 2) / SimulationRunner.BlockSize * SimulationRunner.BlockSize);
        if (fits < SimulationRunner.BlockSize)
        {
            throw SpecException.Invalid("--backend", "gpu", $"a device with room for one block of {SimulationRunner.BlockSize} replicates of this spec ({perReplicate * SimulationRunner.BlockSize / 1e9:F1} GB)");
        }
        return (int)Math.Min(fits, spec.Replicates);
    }
}
