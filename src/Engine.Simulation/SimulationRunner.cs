using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Engine.Core.Results;
using Engine.Core.Specs;
using Engine.Core.Statistics;
using Engine.Simulation.Lanes;

namespace Engine.Simulation;

/// <summary>How to run a spec; the spec itself fixes what is computed.</summary>
public sealed record RunOptions
{
    /// <summary>Worker threads; results are identical for every value.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>cpu or reference (SimulationRunner); gpu and auto go through AnyBackend.</summary>
    public string Backend { get; init; } = Backends.Cpu;
    /// <summary>SIMD width of the cpu backend (see <see cref="SimdWidths"/>).</summary>
    public string Simd { get; init; } = SimdWidths.Auto;
    /// <summary>double, or single: float lanes (cpu and gpu backends; accuracy in bench/RESULTS.md).</summary>
    public string Precision { get; init; } = "double";
    /// <summary>The gpu backend's device: auto (CUDA device 0), a CUDA device index, or cpu-accelerator.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>The backend as results name it: cpu, reference, or cpu-single for float lanes.</summary>
    public string BackendLabel => Precision == "single" ? Backend + "-single" : Backend;
}

/// <summary>
/// Runs the replicates of a spec in fixed blocks and merges the blocks' statistics in block
/// order. A block is the one unit of work: whatever thread runs it, its statistics are the same,
/// and the merge order is fixed, so the estimates are bit-for-bit independent of the thread count.
/// </summary>
public static class SimulationRunner
{
    /// <summary>Replicates per block: the unit of work and of the merge order.</summary>
    public const int BlockSize = 256;

    /// <summary>Runs the spec's replicates on the cpu or reference backend; progress reports replicates merged.</summary>
    public static SimulationResult Run(SimulationSpec spec, RunOptions options, IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        if (Array.IndexOf(Backends.Available, options.Backend) < 0)
        {
            throw SpecException.Invalid("--backend", options.Backend, "one of " + string.Join(", ", Backends.Available));
        }
        if (options.Threads < 1)
        {
            throw SpecException.Invalid("--threads", options.Threads, "an integer >= 1");
        }
        if (Array.IndexOf(SimdWidths.Precisions, options.Precision) < 0)
        {
            throw SpecException.Invalid("--precision", options.Precision, "one of double, single");
        }
        if (options.Precision == "single" && options.Backend == Backends.Reference)
        {
            throw SpecException.Invalid("--precision", options.Precision, "single precision needs --backend cpu (the reference is double)");
        }
        string width = options.Precision == "single" ? SimdWidths.ResolveSingle(options.Simd)
            : options.Backend == Backends.Reference ? "scalar" : SimdWidths.Resolve(options.Simd);
        var runBlock = LaneDispatch.Run<BlockRunner, Action<SimulationSpec, SimulationSpec[], long, BlockStatistics>>(width, default);
        var arms = spec.Arms();
        var total = RunBlocks(spec, arms, runBlock, options.Threads, progress, cancel);
        return total.ToResult(spec, options.BackendLabel);
    }

    /// <summary>
    /// Runs the loop of these options once on a small built-in spec, so that its methods, which are
    /// compiled fully optimised on first call (about 0.06 s in all on one core), are compiled
    /// before a run needs them: the command line calls it on a background thread while it parses
    /// its arguments and reads the spec. The spec (<see cref="WarmUpSpec"/>) reaches the moments
    /// sampler and both curated paths, finite K and K = inf; its one lane's worth of replicates
    /// and two rounds cost nothing next to the compilation.
    /// </summary>
    public static SimulationResult WarmUp(RunOptions options) => Run(WarmUpSpec, options with { Threads = 1 });

    /// <summary>The canonical benchmark's shape (bench/canonical.toml) with phi at K = inf, so both curated paths compile.</summary>
    internal static SimulationSpec WarmUpSpec => new()
    {
        Dimension = 2, Rounds = 2, BurnIn = 1, Replicates = 16, Seed = 1,
        Models = [WarmUpModel("theta", 4, [0.3, 0.4, 0, 0, 0.3]), WarmUpModel("phi", ModelSpec.InfiniteK, [0.4, 0.3, 0, 0.3, 0])],
    };

    private static ModelSpec WarmUpModel(string name, int k, double[] weights) => new()
    {
        Name = name, N = 64, Covariance = CovarianceStructure.Full, RealMean = [0, 0], RealCov = [1, 0, 0, 1], InitMean = [0, 0], InitCov = [1, 0, 0, 1],
        Reward = RewardKind.Quadratic, RewardVector = [0, 0], Beta = 0.25, K = k, Ridge = 0, Weights = weights,
    };

    /// <summary>
    /// Runs every block on <paramref name="threads"/> workers, each taking the next block as soon
    /// as it is free (no wave of blocks waits for its slowest one), and merges the blocks'
    /// statistics strictly in block order, so the sums are the same for every thread count. At
    /// most a window of blocks may finish ahead of the merge, which bounds the memory they hold.
    /// </summary>
    private static BlockStatistics RunBlocks(SimulationSpec spec, SimulationSpec[] arms, Action<SimulationSpec, SimulationSpec[], long, BlockStatistics> runBlock,
        int threads, IProgress<long>? progress, CancellationToken cancel)
    {
        long blockCount = (spec.Replicates + BlockSize - 1) / BlockSize;
        int window = threads * 4;
        var finished = new BlockStatistics?[window];
        var spare = new Stack<BlockStatistics>();
        var total = new BlockStatistics(spec);
        var gate = new object();
        long claimed = 0, merged = 0, done = 0;
        ExceptionDispatchInfo? failure = null;

        void Work()
        {
            try
            {
                while (true)
                {
                    long block;
                    BlockStatistics statistics;
                    lock (gate)
                    {
                        while (failure is null && !cancel.IsCancellationRequested && claimed < blockCount && claimed >= merged + window)
                        {
                            Monitor.Wait(gate);
                        }
                        if (failure is not null || cancel.IsCancellationRequested || claimed >= blockCount)
                        {
                            return;
                        }
                        block = claimed++;
                        statistics = spare.Count > 0 ? spare.Pop() : new BlockStatistics(spec);
                    }
                    statistics.Clear();
                    runBlock(spec, arms, block, statistics);
                    lock (gate)
                    {
                        if (failure is not null)
                        {
                            return;
                        }
                        try
                        {
                            finished[block % window] = statistics;
                            long mergedBefore = merged;
                            while (merged < blockCount && finished[merged % window] is { } next)
                            {
                                total.Merge(next);
                                finished[merged % window] = null;
                                spare.Push(next);
                                done += Math.Min(BlockSize, spec.Replicates - merged * BlockSize);
                                merged++;
                            }
                            // Under the lock, so the reports arrive in order; a block that finished
                            // ahead of the merge reports nothing until the blocks before it are in.
                            if (merged > mergedBefore)
                            {
                                progress?.Report(done);
                            }
                        }
                        catch (Exception exception)
                        {
                            // Recorded before the lock is let go, so no other worker merges or reports after it.
                            failure = ExceptionDispatchInfo.Capture(exception);
                            return;
                        }
                        finally
                        {
                            Monitor.PulseAll(gate);
                        }
                    }
                }
            }
            catch (Exception exception)
            {
                lock (gate)
                {
                    failure ??= ExceptionDispatchInfo.Capture(exception);
                    Monitor.PulseAll(gate);
                }
            }
        }

        var workers = new Thread[Math.Min(threads, blockCount) - 1];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = new Thread(Work) { IsBackground = true, Name = "loopsim worker " + (w + 1) };
            workers[w].Start();
        }
        Work();
        foreach (var worker in workers)
        {
            worker.Join();
        }
        failure?.Throw();
        cancel.ThrowIfCancellationRequested();
        return total;
    }

    /// <summary>
    /// The result of statistics summed elsewhere (the gpu backend's device reductions), in the
    /// layout of the block statistics: trajectory values, stationary J_i(p_j), influence quotients.
    /// </summary>
    public static SimulationResult ResultFromMoments(SimulationSpec spec, string backend, Moments[] trajectory, Moments[] stationary, Moments[] influence, long diverged) =>
        new BlockStatistics(spec, trajectory, stationary, influence) { Diverged = diverged }.ToResult(spec, backend);

    /// <summary>
    /// One result of two batches of the same spec's replicates: <paramref name="earlier"/>'s, then
    /// <paramref name="later"/>'s, which starts where the earlier ends. The sums merge in that order,
    /// so the same batches always give the same bits.
    /// </summary>
    public static SimulationResult Combine(SimulationResult earlier, SimulationResult later)
    {
        var first = earlier.Moments ?? throw new ArgumentException("The result carries no moments.", nameof(earlier));
        var second = later.Moments ?? throw new ArgumentException("The result carries no moments.", nameof(later));
        if (later.Spec.FirstReplicate != earlier.Spec.FirstReplicate + earlier.Spec.Replicates)
        {
            throw new ArgumentException("The later batch does not start where the earlier one ends.", nameof(later));
        }
        var spec = earlier.Spec with { Replicates = earlier.Spec.Replicates + later.Spec.Replicates };
        var total = new BlockStatistics(spec, (Moments[])first.Trajectory.Clone(), (Moments[])first.Stationary.Clone(), (Moments[])first.Influence.Clone()) { Diverged = first.Diverged };
        total.Merge(new BlockStatistics(later.Spec, second.Trajectory, second.Stationary, second.Influence) { Diverged = second.Diverged });
        return total.ToResult(spec, earlier.Backend) with { Device = earlier.Device };
    }

    /// <summary>
    /// The stationary J_i(p_j) (M x M per replicate) and the finite flag of replicates
    /// 0..count-1 of the spec's base arm, one by one: for comparing backends replicate by replicate.
    /// </summary>
    internal static (double[] Stationary, bool[] Finite) PerReplicate(SimulationSpec spec, string width, long count) =>
        LaneDispatch.Run<PerReplicateAction, (double[], bool[])>(width, new PerReplicateAction(spec, count));

    /// <summary>
    /// The final means (M x d) and covariances (M x d x d) of replicates 0..count-1 of the spec's
    /// base arm, one row per replicate: for checking the law of the refitted parameters.
    /// </summary>
    internal static (double[] Means, double[] Covariances) ParametersPerReplicate(SimulationSpec spec, string width, long count) =>
        LaneDispatch.Run<ParametersAction, (double[], double[])>(width, new ParametersAction(spec, count));

    private readonly struct ParametersAction(SimulationSpec spec, long count) : ILaneAction<(double[], double[])>
    {
        public (double[], double[]) Run<T>() where T : struct, ILane<T> => ParametersPerReplicate<T>(spec, count);
    }

    private static (double[] Means, double[] Covariances) ParametersPerReplicate<TLane>(SimulationSpec spec, long count) where TLane : struct, ILane<TLane>
    {
        int m = spec.ModelCount, d = spec.Dimension;
        var loop = new LaneLoop<TLane>(spec);
        var stationary = new TLane[m * m];
        var means = new double[count * m * d];
        var covariances = new double[count * m * d * d];
        for (long group = 0; group < count; group += TLane.Width)
        {
            loop.Run(group, Span<TLane>.Empty, stationary);
            for (int lane = 0; lane < TLane.Width && group + lane < count; lane++)
            {
                long r = group + lane;
                loop.CopyParameters(lane, means.AsSpan((int)(r * m * d), m * d), covariances.AsSpan((int)(r * m * d * d), m * d * d));
            }
        }
        return (means, covariances);
    }

    private readonly struct BlockRunner : ILaneAction<Action<SimulationSpec, SimulationSpec[], long, BlockStatistics>>
    {
        public Action<SimulationSpec, SimulationSpec[], long, BlockStatistics> Run<T>() where T : struct, ILane<T> => RunBlock<T>;
    }

    private readonly struct PerReplicateAction(SimulationSpec spec, long count) : ILaneAction<(double[], bool[])>
    {
        public (double[], bool[]) Run<T>() where T : struct, ILane<T> => PerReplicate<T>(spec, count);
    }

    private static (double[] Stationary, bool[] Finite) PerReplicate<TLane>(SimulationSpec spec, long count) where TLane : struct, ILane<TLane>
    {
        int m = spec.ModelCount;
        var loop = new LaneLoop<TLane>(spec);
        var stationary = new TLane[m * m];
        var values = new double[count * m * m];
        var finite = new bool[count];
        for (long group = 0; group < count; group += TLane.Width)
        {
            var mask = loop.Run(group, Span<TLane>.Empty, stationary);
            for (int lane = 0; lane < TLane.Width && group + lane < count; lane++)
            {
                finite[group + lane] = BitConverter.DoubleToInt64Bits(TLane.Element(mask, lane)) != 0;
                for (int k = 0; k < m * m; k++)
                {
                    values[(group + lane) * m * m + k] = TLane.Element(stationary[k], lane);
                }
            }
        }
        return (values, finite);
    }

    /// <summary>One block: its replicates in groups of one lane width, added to the statistics in replicate order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunBlock<TLane>(SimulationSpec spec, SimulationSpec[] arms, long block, BlockStatistics statistics) where TLane : struct, ILane<TLane>
    {
        var loops = arms.Select(arm => new LaneLoop<TLane>(arm)).ToArray();
        int m = spec.ModelCount, width = TLane.Width;
        int trajectoryLength = (spec.Rounds + 1) * m * loops[0].TrajectoryWidth;
        var trajectory = new TLane[trajectoryLength];
        var stationary = arms.Select(_ => new TLane[m * m]).ToArray();
        var laneTrajectory = new double[trajectoryLength];
        var laneStationary = arms.Select(_ => new double[m * m]).ToArray();
        long first = spec.FirstReplicate + block * BlockSize;
        long last = Math.Min(first + BlockSize, spec.FirstReplicate + spec.Replicates);
        for (long group = first; group < last; group += width)
        {
            var finite = loops[0].Run(group, trajectory, stationary[0]);
            for (int a = 1; a < arms.Length; a++)
            {
                finite = TLane.And(finite, loops[a].Run(group, Span<TLane>.Empty, stationary[a]));
            }
            for (int lane = 0; lane < width && group + lane < last; lane++)
            {
                if (BitConverter.DoubleToInt64Bits(TLane.Element(finite, lane)) == 0)
                {
                    statistics.Diverged++;
                    continue;
                }
                for (int k = 0; k < trajectoryLength; k++)
                {
                    laneTrajectory[k] = TLane.Read(trajectory, k, lane);
                }
                for (int a = 0; a < arms.Length; a++)
                {
                    for (int k = 0; k < m * m; k++)
                    {
                        laneStationary[a][k] = TLane.Read(stationary[a], k, lane);
                    }
                }
                statistics.AddReplicate(laneTrajectory, laneStationary, spec.Influence?.Step ?? 0);
            }
        }
    }
}

/// <summary>Sums over a block's replicates (or, after merging, over all of them).</summary>
internal sealed class BlockStatistics
{
    private readonly int _m;
    private readonly int _width;
    private readonly Moments[] _trajectory;
    private readonly Moments[] _stationary;
    private readonly Moments[] _influence;
    // Replicates added one by one update every trajectory entry with the same count, so their
    // moments are kept as arrays of means and squared deviations, updated a vector at a time with
    // the same arithmetic as Moments.Add (the same bits), and folded into _trajectory when read.
    private double _addedCount;
    private readonly double[] _addedMean;
    private readonly double[] _addedSquares;

    public BlockStatistics(SimulationSpec spec)
    {
        _m = spec.ModelCount;
        _width = 2 + spec.Dimension;
        _trajectory = new Moments[(spec.Rounds + 1) * _m * _width];
        _stationary = new Moments[_m * _m];
        _influence = new Moments[spec.Influence is null ? 0 : _m];
        _addedMean = new double[_trajectory.Length];
        _addedSquares = new double[_trajectory.Length];
    }

    internal BlockStatistics(SimulationSpec spec, Moments[] trajectory, Moments[] stationary, Moments[] influence)
    {
        _m = spec.ModelCount;
        _width = 2 + spec.Dimension;
        if (trajectory.Length != (spec.Rounds + 1) * _m * _width || stationary.Length != _m * _m || influence.Length != (spec.Influence is null ? 0 : _m))
        {
            throw new ArgumentException("The moments do not have the layout of the spec's block statistics.");
        }
        _trajectory = trajectory;
        _stationary = stationary;
        _influence = influence;
        _addedMean = new double[_trajectory.Length];
        _addedSquares = new double[_trajectory.Length];
    }

    public long Diverged;

    public void Clear()
    {
        Array.Clear(_trajectory);
        _addedCount = 0;
        Array.Clear(_addedMean);
        Array.Clear(_addedSquares);
        Array.Clear(_stationary);
        Array.Clear(_influence);
        Diverged = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddReplicate(double[] trajectory, double[][] stationary, double step)
    {
        AddTrajectory(trajectory);
        for (int k = 0; k < _stationary.Length; k++)
        {
            _stationary[k].Add(stationary[0][k]);
        }
        // Central difference of the stationary alignment A_j between the arms w^cur + h and w^cur - h.
        for (int j = 0; j < _influence.Length; j++)
        {
            int diagonal = j * _m + j;
            _influence[j].Add((stationary[1][diagonal] - stationary[2][diagonal]) / (2 * step));
        }
    }

    /// <summary>Welford's update (<see cref="Moments.Add"/>) of every trajectory entry, with one count, a vector of entries at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddTrajectory(ReadOnlySpan<double> values)
    {
        _addedCount += 1;
        var mean = _addedMean.AsSpan();
        var squares = _addedSquares.AsSpan();
        int k = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            var count = new System.Numerics.Vector<double>(_addedCount);
            int width = System.Numerics.Vector<double>.Count;
            for (; k <= values.Length - width; k += width)
            {
                var value = new System.Numerics.Vector<double>(values[k..]);
                var oldMean = new System.Numerics.Vector<double>(mean[k..]);
                var delta = value - oldMean;
                var newMean = oldMean + delta / count;
                newMean.CopyTo(mean[k..]);
                (new System.Numerics.Vector<double>(squares[k..]) + delta * (value - newMean)).CopyTo(squares[k..]);
            }
        }
        for (; k < values.Length; k++)
        {
            double delta = values[k] - mean[k];
            mean[k] += delta / _addedCount;
            squares[k] += delta * (values[k] - mean[k]);
        }
    }

    /// <summary>Folds the replicates added one by one into the trajectory's moments (a merge into empty moments copies them).</summary>
    private void FoldTrajectory()
    {
        if (_addedCount == 0)
        {
            return;
        }
        for (int k = 0; k < _trajectory.Length; k++)
        {
            _trajectory[k].Merge(new Moments { Count = _addedCount, Mean = _addedMean[k], SquaredDeviations = _addedSquares[k] });
        }
        _addedCount = 0;
        Array.Clear(_addedMean);
        Array.Clear(_addedSquares);
    }

    public void Merge(BlockStatistics other)
    {
        FoldTrajectory();
        other.FoldTrajectory();
        for (int k = 0; k < _trajectory.Length; k++)
        {
            _trajectory[k].Merge(other._trajectory[k]);
        }
        for (int k = 0; k < _stationary.Length; k++)
        {
            _stationary[k].Merge(other._stationary[k]);
        }
        for (int k = 0; k < _influence.Length; k++)
        {
            _influence[k].Merge(other._influence[k]);
        }
        Diverged += other.Diverged;
    }

    public SimulationResult ToResult(SimulationSpec spec, string backend)
    {
        FoldTrajectory();
        var crossReward = new Estimate[_m, _m];
        var alignment = new Estimate[_m];
        for (int i = 0; i < _m; i++)
        {
            for (int j = 0; j < _m; j++)
            {
                crossReward[i, j] = _stationary[i * _m + j].ToEstimate();
            }
            alignment[i] = crossReward[i, i];
        }
        var points = new TrajectoryPoint[(spec.Rounds + 1) * _m];
        for (int round = 0; round <= spec.Rounds; round++)
        {
            for (int j = 0; j < _m; j++)
            {
                int offset = (round * _m + j) * _width;
                var mean = new double[spec.Dimension];
                for (int c = 0; c < mean.Length; c++)
                {
                    mean[c] = _trajectory[offset + 2 + c].MeanOrNaN;
                }
                points[round * _m + j] = new TrajectoryPoint(round, j, _trajectory[offset].ToEstimate(), _trajectory[offset + 1].MeanOrNaN, mean);
            }
        }
        return new SimulationResult
        {
            Spec = spec,
            Backend = backend,
            Included = (long)_stationary[0].Count,
            Diverged = Diverged,
            Alignment = alignment,
            CrossReward = crossReward,
            Influence = _influence.Length == 0 ? null : _influence.Select(moments => moments.ToEstimate()).ToArray(),
            Trajectory = points,
            Moments = new ResultMoments((Moments[])_trajectory.Clone(), (Moments[])_stationary.Clone(), (Moments[])_influence.Clone(), Diverged),
        };
    }
}
