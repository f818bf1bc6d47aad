using Engine.Simulation;

namespace Engine.Kernels;

/// <summary>
/// Where each part of one replicate's state lies in the kernels' state buffer (in lane values
/// per replicate; each value is strided by the launch's replicate count). Everything a thread
/// needs lives here: the kernels allocate nothing, and the state of a launch is
/// <see cref="Size"/> x replicates lane values.
/// </summary>
public struct ReplicateLayout
{
    /// <summary>Slots accumulated together, as on the CPU (<see cref="LaneLoop{TLane}.ChunkSlots"/>), so the refit rounds alike.</summary>
    public const int ChunkSlots = 64;

    public int Dimension;
    public int Models;
    public int MaxK;
    public int Mean;
    public int Cov;
    public int NextMean;
    public int NextCov;
    public int Cholesky;
    public int RealMean;
    public int RealCholesky;
    public int TiltMean;
    public int TiltCholesky;
    public int Normals;
    public int Samples;
    public int Candidates;
    public int Weights;
    public int Picks;
    public int SampleMean;
    public int Comoment;
    public int ChunkMean;
    public int MatrixA;
    public int MatrixB;
    public int ScratchLower;
    public int ScratchCov;
    public int Size;

    /// <summary>Values per (round, model) of a trajectory: alignment, trace, mean_0..mean_{d-1}.</summary>
    public readonly int TrajectoryWidth => 2 + Dimension;

    public static ReplicateLayout For(int dimension, int models, int maxK)
    {
        int d = dimension, dd = d * d, k = Math.Max(1, maxK), next = 0;
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
            Candidates = Take(k * d),
            Weights = Take(k),
            Picks = Take(k),
            SampleMean = Take(d),
            Comoment = Take(dd),
            ChunkMean = Take(d),
            MatrixA = Take(dd),
            MatrixB = Take(d * (d + 1)),
            ScratchLower = Take(dd),
            ScratchCov = Take(dd),
        };
        layout.Size = next;
        return layout;
    }
}
