using ILGPU;
using Engine.Core.Statistics;
using Engine.Simulation;

namespace Engine.Kernels;

/// <summary>What the reductions read: the per-replicate outputs of one launch's arms.</summary>
public struct ReductionArguments<T> where T : unmanaged
{
    /// <summary>Arm 0's per-replicate trajectory values, quantity x replicates.</summary>
    public ArrayView<T> Trajectory;
    /// <summary>The base arm's stationary J_i(p_j), M x M x replicates.</summary>
    public ArrayView<T> Stationary0;
    /// <summary>The w^cur + h arm's stationary values (the base arm's when there is no influence).</summary>
    public ArrayView<T> Stationary1;
    /// <summary>The w^cur - h arm's stationary values (the base arm's when there is no influence).</summary>
    public ArrayView<T> Stationary2;
    /// <summary>1 where the replicate stayed finite in the base arm.</summary>
    public ArrayView<int> Finite0;
    /// <summary>1 where it stayed finite in the w^cur + h arm.</summary>
    public ArrayView<int> Finite1;
    /// <summary>1 where it stayed finite in the w^cur - h arm.</summary>
    public ArrayView<int> Finite2;
    /// <summary>1 (no influence) or 3 (the spec and its two influence arms).</summary>
    public int Arms;
    /// <summary>Trajectory values per replicate: (rounds + 1) x M x (2 + d).</summary>
    public int TrajectoryLength;
    /// <summary>M, the number of models.</summary>
    public int Models;
    /// <summary>The influence step h (0 without influence).</summary>
    public double Step;
    /// <summary>Replicates in the launch (the views' stride).</summary>
    public int Count;
    /// <summary>Blocks of <see cref="SimulationRunner.BlockSize"/> replicates in the launch.</summary>
    public int Blocks;
    /// <summary>Quantities x Blocks moments.</summary>
    public ArrayView<Moments> BlockMoments;
}

/// <summary>
/// The estimates' reductions on the device, in the CPU's order: within a block of 256 replicates
/// Welford's update in replicate order over the replicates that stayed finite in every arm, then
/// Chan's merge of the blocks in block order. The sums are therefore those of the CPU runner for
/// the same per-replicate values, and independent of how replicates are split into launches.
/// Quantities: the trajectory values, then the stationary J_i(p_j), then the influence quotients.
/// </summary>
public static class ReductionKernels
{
    /// <summary>One thread per (quantity, block): index = quantity x blocks + block.</summary>
    public static void BlockMoments<T>(Index1D index, ReductionArguments<T> a) where T : unmanaged, IDeviceLane<T>
    {
        int quantity = index / a.Blocks, block = index - quantity * a.Blocks;
        int m = a.Models, stationaryEnd = a.TrajectoryLength + m * m;
        long stride = a.Count;
        var moments = new Moments();
        int first = block * SimulationRunner.BlockSize;
        int last = Math.Min(first + SimulationRunner.BlockSize, a.Count);
        for (int r = first; r < last; r++)
        {
            bool finite = a.Finite0[r] != 0 && (a.Arms == 1 || (a.Finite1[r] != 0 && a.Finite2[r] != 0));
            if (!finite)
            {
                continue;
            }
            double value;
            if (quantity < a.TrajectoryLength)
            {
                value = T.ToDouble(a.Trajectory[quantity * stride + r]);
            }
            else if (quantity < stationaryEnd)
            {
                value = T.ToDouble(a.Stationary0[(quantity - a.TrajectoryLength) * stride + r]);
            }
            else
            {
                // Central difference of the stationary alignment A_j between the arms w^cur + h and w^cur - h.
                int j = quantity - stationaryEnd, diagonal = j * m + j;
                value = (T.ToDouble(a.Stationary1[diagonal * stride + r]) - T.ToDouble(a.Stationary2[diagonal * stride + r])) / (2 * a.Step);
            }
            moments.Add(value);
        }
        a.BlockMoments[index] = moments;
    }

    /// <summary>One thread per quantity: merges the launch's blocks, in block order, into the running totals.</summary>
    public static void MergeBlocks(Index1D quantity, ArrayView<Moments> blockMoments, int blocks, ArrayView<Moments> totals)
    {
        var total = totals[quantity];
        for (int b = 0; b < blocks; b++)
        {
            total.Merge(blockMoments[quantity * blocks + b]);
        }
        totals[quantity] = total;
    }
}
