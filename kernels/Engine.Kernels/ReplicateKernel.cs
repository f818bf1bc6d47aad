using ILGPU;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Simulation.Lanes;
using Engine.Simulation.Step;

namespace Engine.Kernels;

/// <summary>What one launch of <see cref="ReplicateKernel"/> computes: one arm of the spec for a range of replicates.</summary>
public struct ReplicateArguments<T> where T : unmanaged
{
    /// <summary>The arm's flattened models.</summary>
    public ArrayView<ModelParameters> Models;
    /// <summary>The arm's constant table.</summary>
    public ArrayView<double> Constants;
    /// <summary>The ziggurat's layers (<see cref="Core.Random.Ziggurat.Table"/>).</summary>
    public ArrayView<double> Ziggurat;
    /// <summary><see cref="ReplicateLayout.Size"/> x Count lane values.</summary>
    public ArrayView<T> State;
    /// <summary>(rounds + 1) x M x (2 + d) values per replicate; empty for the influence arms.</summary>
    public ArrayView<T> Trajectory;
    /// <summary>M x M stationary J_i(p_j) per replicate.</summary>
    public ArrayView<T> Stationary;
    /// <summary>1 where the replicate stayed finite.</summary>
    public ArrayView<int> Finite;
    /// <summary>Where each part of a replicate's state lies.</summary>
    public ReplicateLayout Layout;
    /// <summary>T, refits per replicate.</summary>
    public int Rounds;
    /// <summary>B: rounds 1..B are left out of the stationary average.</summary>
    public int BurnIn;
    /// <summary>1 for the sequential schedule, 0 for the simultaneous one.</summary>
    public int Sequential;
    /// <summary>1 for the multinomial mixture, 0 for the fixed one.</summary>
    public int Multinomial;
    /// <summary>1 for the sufficient-statistic sampler (moments), 0 for the per-sample one.</summary>
    public int Moments;
    /// <summary>The spec's seed, word 0 of the Philox key.</summary>
    public uint Seed;
    /// <summary>The index of the launch's first replicate (its thread 0).</summary>
    public long FirstReplicate;
    /// <summary>Replicates in this launch, the stride of every view.</summary>
    public int Count;
}

/// <summary>
/// The loop of docs/model.md sections 2-4 on the GPU, one replicate per thread: the orchestration of
/// <see cref="LaneLoop{TLane}"/> for a single lane (slot by slot, chunks of 64 samples, the same
/// counters), with every piece of model arithmetic taken from <see cref="ModelStep"/>, so a
/// thread computes what the scalar reference computes for its replicate, up to the last bits of
/// the device's math library.
/// </summary>
public static class ReplicateKernel
{
    /// <summary>
    /// <see cref="Run{T}"/> as an explicitly grouped kernel, for loading with a
    /// <see cref="ILGPU.Runtime.KernelSpecialization"/>: its threads per group and groups per
    /// multiprocessor bound the registers each thread may use (bench/RESULTS.md, the GPU section).
    /// </summary>
    public static void RunGrouped<T>(ReplicateArguments<T> a) where T : unmanaged, IDeviceLane<T> => Run(Grid.GlobalIndex.X, a);

    /// <summary>Runs replicate <c>FirstReplicate + index</c> through every round: its stationary J_i(p_j), its trajectory (arm 0) and whether it stayed finite.</summary>
    public static void Run<T>(Index1D index, ReplicateArguments<T> a) where T : unmanaged, IDeviceLane<T>
    {
        int r = index;
        if (r >= a.Count)
        {
            return;
        }
        var layout = a.Layout;
        int d = layout.Dimension, dd = d * d, m = layout.Models;
        long stride = a.Count;
        var state = new DeviceView<T>(a.State, r, stride);
        var constants = new DeviceConstants(a.Constants);
        long replicate = a.FirstReplicate + r;
        uint key1 = (uint)((ulong)replicate >> 32);
        uint counter0 = (uint)replicate;

        for (int i = 0; i < m; i++)
        {
            var model = a.Models[i];
            for (int c = 0; c < d; c++)
            {
                DeviceView<T>.Store(state, layout.Mean + i * d + c, T.Broadcast(a.Constants[model.InitMean + c]));
                DeviceView<T>.Store(state, layout.RealMean + i * d + c, T.Broadcast(a.Constants[model.RealMean + c]));
            }
            for (int c = 0; c < dd; c++)
            {
                DeviceView<T>.Store(state, layout.Cov + i * dd + c, T.Broadcast(a.Constants[model.InitCov + c]));
                DeviceView<T>.Store(state, layout.RealCholesky + i * dd + c, T.Broadcast(a.Constants[model.RealFactor + c]));
            }
        }
        var stationary = new DeviceView<T>(a.Stationary, r, stride);
        for (int k = 0; k < m * m; k++)
        {
            DeviceView<T>.Store(stationary, k, T.Broadcast(0));
        }
        var finite = Record(a, state, constants, 0, r, T.AllTrue);
        bool sequential = a.Sequential != 0;
        for (int round = 1; round <= a.Rounds && T.IsTrue(finite); round++)
        {
            for (int j = 0; j < m; j++)
            {
                ModelStep.CholeskySemiDefinite<T, DeviceView<T>>(d, Part(state, layout.Cov + j * dd), Part(state, layout.Cholesky + j * dd));
            }
            for (int i = 0; i < m; i++)
            {
                RefitModel(a, state, constants, key1, counter0, round, i);
                if (sequential)
                {
                    // Models later in this round sample from model i's newest parameters.
                    Copy(state, layout.NextMean + i * d, layout.Mean + i * d, d);
                    Copy(state, layout.NextCov + i * dd, layout.Cov + i * dd, dd);
                    ModelStep.CholeskySemiDefinite<T, DeviceView<T>>(d, Part(state, layout.Cov + i * dd), Part(state, layout.Cholesky + i * dd));
                }
            }
            if (!sequential)
            {
                Copy(state, layout.NextMean, layout.Mean, m * d);
                Copy(state, layout.NextCov, layout.Cov, m * dd);
            }
            finite = T.And(finite, ParametersFinite(state, layout));
            finite = Record(a, state, constants, round, r, finite);
        }
        var scale = T.Broadcast(1.0 / (a.Rounds - a.BurnIn));
        for (int k = 0; k < m * m; k++)
        {
            DeviceView<T>.Store(stationary, k, DeviceView<T>.Load(stationary, k) * scale);
        }
        a.Finite[r] = T.IsTrue(finite) ? 1 : 0;
    }

    private static DeviceView<T> Part<T>(DeviceView<T> state, int offset) where T : unmanaged, IDeviceLane<T> =>
        DeviceView<T>.Slice(state, offset);

    private static void Copy<T>(DeviceView<T> state, int from, int to, int count) where T : unmanaged, IDeviceLane<T>
    {
        for (int k = 0; k < count; k++)
        {
            DeviceView<T>.Store(state, to + k, DeviceView<T>.Load(state, from + k));
        }
    }

    /// <summary>Model i's refit on its n samples this round, into NextMean and NextCov (LaneLoop.RefitModel for one lane).</summary>
    private static void RefitModel<T>(ReplicateArguments<T> a, DeviceView<T> state, DeviceConstants constants, uint key1, uint counter0, int round, int i)
        where T : unmanaged, IDeviceLane<T>
    {
        if (a.Moments != 0 && StatisticStep.DrawsStatistics(in a.Models[i]))
        {
            RefitByStatistics(a, state, constants, key1, counter0, round, i);
            return;
        }
        var layout = a.Layout;
        var model = a.Models[i];
        int d = layout.Dimension, dd = d * d;
        bool finiteK = model.IsFiniteChoice;
        bool curates = a.Constants[model.Weights + WeightIndex.Curated] > 0;
        bool multinomial = a.Multinomial != 0;
        bool needUniforms = multinomial || finiteK;
        var ownMean = Part(state, layout.Mean + i * d);
        var ownCholesky = Part(state, layout.Cholesky + i * dd);
        if (curates && model.IsInfiniteK)
        {
            TiltedLaw(layout, state, constants, model, i);
        }
        var normals = Part(state, layout.Normals);
        var samples = Part(state, layout.Samples);
        var comoment = Part(state, layout.Comoment);
        for (int first = 0; first < model.N; first += ReplicateLayout.ChunkSlots)
        {
            int count = Math.Min(ReplicateLayout.ChunkSlots, model.N - first);
            for (int k = 0; k < count; k++)
            {
                int slot = first + k;
                uint modelSlot = ((uint)i << 24) | (uint)slot;
                var uSource = T.Broadcast(0);
                var uChoice = T.Broadcast(0);
                if (needUniforms)
                {
                    (uSource, uChoice) = T.Uniforms(a.Seed, key1, counter0, (uint)round, modelSlot, 0);
                }
                int source = multinomial ? ModelStep.SourceOf(in model, constants, uSource) : (int)a.Constants[model.FixedSources + slot];
                bool curated = finiteK && curates && source == WeightIndex.Curated;
                int drawn = curated ? model.K * d : d;
                for (int b = 0; 2 * b < drawn; b++)
                {
                    var (z0, z1) = T.Normals(new DeviceZiggurat(a.Ziggurat), a.Seed, key1, counter0, (uint)round, modelSlot, (uint)(b + 1));
                    DeviceView<T>.Store(normals, 2 * b, z0);
                    DeviceView<T>.Store(normals, 2 * b + 1, z1);
                }
                var x = Part(samples, k * d);
                var (sourceMean, sourceFactor) = SourceLaw(layout, state, model, i, source);
                ModelStep.AffineLower<T, DeviceView<T>>(d, sourceMean, sourceFactor, normals, x);
                if (curated)
                {
                    ModelStep.ChooseCandidate<T, DeviceView<T>, DeviceConstants>(in model, constants, d, ownMean, ownCholesky, normals, uChoice, T.AllTrue, x,
                        Part(state, layout.Candidates), Part(state, layout.Weights));
                }
            }
            if (first == 0)
            {
                for (int c = 0; c < dd; c++)
                {
                    DeviceView<T>.Store(comoment, c, T.Broadcast(0));
                }
            }
            ModelStep.AccumulateChunk<T, DeviceView<T>>(d, samples, count, first, Part(state, layout.SampleMean), comoment, Part(state, layout.ChunkMean));
        }
        Copy(state, layout.SampleMean, layout.NextMean + i * d, d);
        ModelStep.FinishRefit<T, DeviceView<T>, DeviceConstants>(in model, constants, d, comoment, Part(state, layout.NextCov + i * dd));
    }

    /// <summary>Model i's refit on its sources' sufficient statistics (LaneLoop.RefitByStatistics for one lane).</summary>
    private static void RefitByStatistics<T>(ReplicateArguments<T> a, DeviceView<T> state, DeviceConstants constants, uint key1, uint counter0, int round, int i)
        where T : unmanaged, IDeviceLane<T>
    {
        var layout = a.Layout;
        var model = a.Models[i];
        int d = layout.Dimension, dd = d * d;
        var ownMean = Part(state, layout.Mean + i * d);
        var ownCholesky = Part(state, layout.Cholesky + i * dd);
        bool curates = a.Constants[model.Weights + WeightIndex.Curated] > 0;
        if (curates && model.IsInfiniteK)
        {
            TiltedLaw(layout, state, constants, model, i);
        }
        for (int source = 0; source < model.Sources; source++)
        {
            if (a.Constants[model.Weights + source] > 0)
            {
                var (mean, factor) = SourceLaw(layout, state, model, i, source);
                for (int c = 0; c < d; c++)
                {
                    DeviceView<T>.Store(state, layout.SourceMeans + source * d + c, DeviceView<T>.Load(mean, c));
                }
                for (int c = 0; c < dd; c++)
                {
                    DeviceView<T>.Store(state, layout.SourceFactors + source * dd + c, DeviceView<T>.Load(factor, c));
                }
            }
        }
        StatisticStep.Refit<T, DeviceView<T>, DeviceConstants, DeviceUniformStream<T>, LockstepToTheEnd<T, DeviceView<T>, DeviceConstants>>(in model, constants, d, i, round,
            new DeviceUniformStream<T>(a.Seed, key1, counter0, new DeviceZiggurat(a.Ziggurat)), default,
            Part(state, layout.SourceMeans), Part(state, layout.SourceFactors), ownMean, ownCholesky, layout.Statistic, Part(state, layout.Statistics),
            Part(state, layout.NextMean + i * d), Part(state, layout.NextCov + i * dd));
    }

    /// <summary>Model i's K = inf curated law this round into TiltMean and TiltCholesky (<see cref="ModelStep.TiltedLaw"/>).</summary>
    private static void TiltedLaw<T>(ReplicateLayout layout, DeviceView<T> state, DeviceConstants constants, ModelParameters model, int i) where T : unmanaged, IDeviceLane<T>
    {
        int d = layout.Dimension, dd = d * d;
        ModelStep.TiltedLaw<T, DeviceView<T>, DeviceConstants>(in model, constants, d, Part(state, layout.Mean + i * d), Part(state, layout.Cov + i * dd),
            Part(state, layout.Cholesky + i * dd), Part(state, layout.TiltMean), Part(state, layout.TiltCholesky), Part(state, layout.MatrixA),
            Part(state, layout.MatrixB), Part(state, layout.ScratchLower), Part(state, layout.ScratchCov));
    }

    /// <summary>The mean and Cholesky factor a source draws from this round (LaneLoop.PrepareSources).</summary>
    private static (DeviceView<T> Mean, DeviceView<T> Factor) SourceLaw<T>(ReplicateLayout layout, DeviceView<T> state, ModelParameters model, int i, int source)
        where T : unmanaged, IDeviceLane<T>
    {
        int d = layout.Dimension, dd = d * d;
        if (source == WeightIndex.Real)
        {
            return (Part(state, layout.RealMean + i * d), Part(state, layout.RealCholesky + i * dd));
        }
        if (source == WeightIndex.Curated && model.IsInfiniteK)
        {
            return (Part(state, layout.TiltMean), Part(state, layout.TiltCholesky));
        }
        int j = source >= WeightIndex.FirstCross ? source - WeightIndex.FirstCross : i;
        return (Part(state, layout.Mean + j * d), Part(state, layout.Cholesky + j * dd));
    }

    private static T ParametersFinite<T>(DeviceView<T> state, ReplicateLayout layout) where T : unmanaged, IDeviceLane<T>
    {
        int d = layout.Dimension, m = layout.Models;
        var finite = T.AllTrue;
        for (int k = 0; k < m * d; k++)
        {
            finite = T.And(finite, T.IsFinite(DeviceView<T>.Load(state, layout.Mean + k)));
        }
        for (int k = 0; k < m * d * d; k++)
        {
            finite = T.And(finite, T.IsFinite(DeviceView<T>.Load(state, layout.Cov + k)));
        }
        return finite;
    }

    /// <summary>Records round <paramref name="round"/> (LaneLoop.Record); returns <paramref name="finite"/> less a replicate whose measured rewards are not finite.</summary>
    private static T Record<T>(ReplicateArguments<T> a, DeviceView<T> state, DeviceConstants constants, int round, int r, T finite) where T : unmanaged, IDeviceLane<T>
    {
        var layout = a.Layout;
        int d = layout.Dimension, dd = d * d, m = layout.Models, width = layout.TrajectoryWidth;
        long stride = a.Count;
        bool stationaryRound = round > a.BurnIn;
        bool trajectory = a.Trajectory.Length > 0;
        var stationary = new DeviceView<T>(a.Stationary, r, stride);
        for (int j = 0; j < m; j++)
        {
            var mean = Part(state, layout.Mean + j * d);
            var cov = Part(state, layout.Cov + j * dd);
            if (stationaryRound)
            {
                for (int i = 0; i < m; i++)
                {
                    var model = a.Models[i];
                    var reward = ModelStep.ExpectedReward<T, DeviceView<T>, DeviceConstants>(in model, constants, d, mean, cov);
                    finite = T.And(finite, T.IsFinite(reward));
                    DeviceView<T>.Store(stationary, i * m + j, DeviceView<T>.Load(stationary, i * m + j) + reward);
                }
            }
            if (trajectory)
            {
                var slot = new DeviceView<T>(a.Trajectory, r + (long)((round * m + j) * width) * stride, stride);
                var own = a.Models[j];
                var alignment = ModelStep.ExpectedReward<T, DeviceView<T>, DeviceConstants>(in own, constants, d, mean, cov);
                DeviceView<T>.Store(slot, 0, alignment);
                var trace = T.Broadcast(0);
                for (int c = 0; c < d; c++)
                {
                    trace += DeviceView<T>.Load(cov, c * d + c);
                }
                DeviceView<T>.Store(slot, 1, trace);
                for (int c = 0; c < d; c++)
                {
                    DeviceView<T>.Store(slot, 2 + c, DeviceView<T>.Load(mean, c));
                }
                finite = T.And(finite, T.And(T.IsFinite(alignment), T.IsFinite(trace)));
            }
        }
        return finite;
    }
}
