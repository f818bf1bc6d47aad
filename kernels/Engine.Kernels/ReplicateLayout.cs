using Engine.Simulation.Step;

namespace Engine.Kernels;

/// <summary>
/// Where each part of one replicate's state lies in the kernels' state buffer (in lane values
/// per replicate; each value is strided by the launch's replicate count). Everything a thread
/// needs lives here: the kernels allocate nothing, and the state of a launch is
/// <see cref="Size"/> x replicates lane values.
/// </summary>
public struct ReplicateLayout
{
    /// <summary>Slots accumulated together, as on the CPU (<see cref="ModelStep.RefitChunk"/>), so the refit rounds alike.</summary>
    public const int ChunkSlots = ModelStep.RefitChunk;

    /// <summary>d.</summary>
    public int Dimension;
    /// <summary>M.</summary>
    public int Models;
    /// <summary>The largest K of the models (at least 1).</summary>
    public int MaxK;
    /// <summary>Offset of the models' means (M x d).</summary>
    public int Mean;
    /// <summary>Offset of the models' covariances (M x d x d).</summary>
    public int Cov;
    /// <summary>Offset of the refitted means of the round.</summary>
    public int NextMean;
    /// <summary>Offset of the refitted covariances of the round.</summary>
    public int NextCov;
    /// <summary>Offset of the models' Cholesky factors.</summary>
    public int Cholesky;
    /// <summary>Offset of the real data's means.</summary>
    public int RealMean;
    /// <summary>Offset of the real data's Cholesky factors.</summary>
    public int RealCholesky;
    /// <summary>Offset of the K = inf curated law's mean.</summary>
    public int TiltMean;
    /// <summary>Offset of its Cholesky factor.</summary>
    public int TiltCholesky;
    /// <summary>Offset of a slot's normals (K d + 1).</summary>
    public int Normals;
    /// <summary>Offset of a chunk's samples (64 x d).</summary>
    public int Samples;
    /// <summary>Offset of a curated slot's kept candidate's normals (d).</summary>
    public int Candidates;
    /// <summary>Offset of their softmax weights (K).</summary>
    public int Weights;
    /// <summary>Offset of the running sample mean.</summary>
    public int SampleMean;
    /// <summary>Offset of the running co-moment.</summary>
    public int Comoment;
    /// <summary>Offset of a chunk's mean.</summary>
    public int ChunkMean;
    /// <summary>Offset of the tilt's I + beta Sigma.</summary>
    public int MatrixA;
    /// <summary>Offset of the tilt's right-hand sides (d x (d + 1)).</summary>
    public int MatrixB;
    /// <summary>Offset of the tilt's Cholesky scratch.</summary>
    public int ScratchLower;
    /// <summary>Offset of the tilt's covariance scratch.</summary>
    public int ScratchCov;
    /// <summary>Offset of each source's mean this round (sources x d), for the moments sampler.</summary>
    public int SourceMeans;
    /// <summary>Offset of each source's Cholesky factor (sources x d x d).</summary>
    public int SourceFactors;
    /// <summary>Offset of the moments sampler's scratch (<see cref="Statistic"/>.Size values).</summary>
    public int Statistics;
    /// <summary>Where the moments sampler keeps its values within its scratch.</summary>
    public StatisticLayout Statistic;
    /// <summary>Lane values per replicate.</summary>
    public int Size;

    /// <summary>Values per (round, model) of a trajectory: alignment, trace, mean_0..mean_{d-1}.</summary>
    public readonly int TrajectoryWidth => 2 + Dimension;

    /// <summary>The layout for M models in dimension d with candidates up to <paramref name="maxK"/>.</summary>
    public static ReplicateLayout For(int dimension, int models, int maxK)
    {
        int d = dimension, dd = d * d, k = Math.Max(1, maxK), sources = Core.Specs.WeightIndex.Count(models), next = 0;
        var statistic = new StatisticLayout(d, k, sources);
        int Take(int values)
        {
            int offset = next;
            next += values;
            return offset;
        }
        var layout = new ReplicateLayout
        {
            Dimension = d,
            Models = models,
            MaxK = k,
            Mean = Take(models * d),
            Cov = Take(models * dd),
            NextMean = Take(models * d),
            NextCov = Take(models * dd),
            Cholesky = Take(models * dd),
            RealMean = Take(models * d),
            RealCholesky = Take(models * dd),
            TiltMean = Take(d),
            TiltCholesky = Take(dd),
            Normals = Take(k * d + 1),
            Samples = Take(ChunkSlots * d),
            Candidates = Take(d),
            Weights = Take(k),
            SampleMean = Take(d),
            Comoment = Take(dd),
            ChunkMean = Take(d),
            MatrixA = Take(dd),
            MatrixB = Take(d * (d + 1)),
            ScratchLower = Take(dd),
            ScratchCov = Take(dd),
            SourceMeans = Take(sources * d),
            SourceFactors = Take(sources * dd),
            Statistics = Take(statistic.Size),
            Statistic = statistic,
        };
        layout.Size = next;
        return layout;
    }
}
