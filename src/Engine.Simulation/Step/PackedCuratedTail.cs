using System.Runtime.CompilerServices;
using Engine.Core.Random;
using Engine.Simulation.Lanes;

namespace Engine.Simulation.Step;

/// <summary>
/// The SIMD lanes' curated tail (<see cref="ICuratedTail{TSelf, T, TV, TC}"/>): the lanes of a
/// value draw in lockstep only up to the smallest of their curated counts; past it, lockstep would
/// leave the lanes that are done idle (at n = 64, K = 4, 16 lanes: a third of the canonical run's time).
/// Instead the remaining (lane, draw) pairs are packed, j by j, into full lane values, each lane
/// with its replicate's counters and its model's mean and factor gathered from the lane it stands
/// for; the chosen candidates' deviations are then added back to their own lanes' sums in j order.
/// Every draw reads the counters it reads in lockstep and runs the same arithmetic, so the sums are
/// those of the lockstep loop, bit for bit.
/// </summary>
public readonly ref struct PackedCuratedTail<TLane> : ICuratedTail<PackedCuratedTail<TLane>, TLane, LaneSpan<TLane>, ConstantSpan>
    where TLane : struct, ILane<TLane>
{
    private readonly ref readonly PhiloxKey _key;
    private readonly uint _counter0;
    private readonly Span<int> _lanes;        // per packed lane: the lane it stands for
    private readonly Span<uint> _counters0;   // its replicate's counter word 0
    private readonly Span<uint> _counters2;   // its model and draw (word 2)
    private readonly Span<TLane> _mean;       // the packed lanes' model mean (d)
    private readonly Span<TLane> _factor;     // and factor (d x d)

    /// <summary>A tail over the stream of replicates counter0 .. counter0 + width - 1; the buffers hold one lane value's pairs and its gathered mean (d) and factor (d x d).</summary>
    public PackedCuratedTail(ref readonly PhiloxKey key, uint counter0, Span<int> lanes, Span<uint> counters0, Span<uint> counters2, Span<TLane> mean, Span<TLane> factor)
    {
        _key = ref key;
        _counter0 = counter0;
        _lanes = lanes;
        _counters0 = counters0;
        _counters2 = counters2;
        _mean = mean;
        _factor = factor;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int LockstepDraws(PackedCuratedTail<TLane> tail, TLane count)
    {
        double smallest = double.PositiveInfinity;
        for (int lane = 0; lane < TLane.Width; lane++)
        {
            smallest = Math.Min(smallest, TLane.Element(count, lane));
        }
        return (int)smallest;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DrawRest(PackedCuratedTail<TLane> tail, int first, in ModelParameters model, ConstantSpan constants, int d, int index, int round, bool scatter,
        TLane count, LaneSpan<TLane> ownMean, LaneSpan<TLane> ownCholesky, StatisticLayout layout, LaneSpan<TLane> scratch)
    {
        int width = TLane.Width;
        int packed = 0;
        for (int j = first; TLane.Any(TLane.GreaterThan(count, TLane.Broadcast(j))); j++)
        {
            uint counter2 = ((uint)index << 24) | (uint)j;
            for (int bits = TLane.MaskBits(TLane.GreaterThan(count, TLane.Broadcast(j))); bits != 0; bits &= bits - 1)
            {
                int lane = System.Numerics.BitOperations.TrailingZeroCount(bits);
                tail._lanes[packed] = lane;
                tail._counters0[packed] = tail._counter0 + (uint)lane;
                tail._counters2[packed] = counter2;
                if (++packed == width)
                {
                    DrawPacked(tail, in model, constants, d, round, ownMean.Values, ownCholesky.Values, layout, scratch.Values);
                    AddToLanes(tail._lanes, packed, d, scatter, layout, scratch.Values);
                    packed = 0;
                }
            }
        }
        if (packed > 0)
        {
            // The unused lanes repeat the last pair: valid inputs whose results are dropped.
            for (int pad = packed; pad < width; pad++)
            {
                tail._lanes[pad] = tail._lanes[packed - 1];
                tail._counters0[pad] = tail._counters0[packed - 1];
                tail._counters2[pad] = tail._counters2[packed - 1];
            }
            DrawPacked(tail, in model, constants, d, round, ownMean.Values, ownCholesky.Values, layout, scratch.Values);
            AddToLanes(tail._lanes, packed, d, scatter, layout, scratch.Values);
        }
    }

    /// <summary>
    /// One lane value of packed draws: the chosen candidates' deviations from their lanes' means
    /// into the scratch's sample (d), their products into its candidates (d x d, the lower triangle).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DrawPacked(PackedCuratedTail<TLane> tail, in ModelParameters model, ConstantSpan constants, int d, int round,
        ReadOnlySpan<TLane> ownMean, ReadOnlySpan<TLane> ownCholesky, StatisticLayout layout, Span<TLane> scratch)
    {
        var mean = tail._mean[..d];
        var factor = tail._factor[..(d * d)];
        GatherLaw(d, ownMean, ownCholesky, tail._lanes, mean, factor);
        var (_, uChoice) = TLane.UniformsPerLane(in tail._key, tail._counters0, (uint)round, tail._counters2, 0);
        var normals = scratch.Slice(layout.Normals, layout.Candidates - layout.Normals);
        for (int b = 0; 2 * b < model.K * d; b++)
        {
            var (z0, z1) = TLane.NormalsPerLane(in tail._key, tail._counters0, (uint)round, tail._counters2, (uint)(1 + b));
            normals[2 * b] = z0;
            normals[2 * b + 1] = z1;
        }
        var x = scratch.Slice(layout.Sample, d);
        ModelStep.AffineLower<TLane, LaneSpan<TLane>>(d, mean, factor, normals, x);
        ModelStep.ChooseCandidate<TLane, LaneSpan<TLane>, ConstantSpan>(in model, constants, d, mean, factor, normals, uChoice, TLane.AllTrue, x,
            scratch[layout.Candidates..], scratch[layout.Weights..]);
        var products = scratch.Slice(layout.Candidates, d * d);
        for (int r = 0; r < d; r++)
        {
            x[r] -= mean[r];
        }
        for (int r = 0; r < d; r++)
        {
            for (int c = 0; c <= r; c++)
            {
                products[r * d + c] = x[r] * x[c];
            }
        }
    }

    /// <summary>
    /// A model's law (its mean and the lower triangle of its factor, d and d x d lane values) as
    /// packed lane values: packed lane j takes the values of lane <paramref name="lanes"/>[j].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void GatherLaw(int d, ReadOnlySpan<TLane> mean, ReadOnlySpan<TLane> factor, ReadOnlySpan<int> lanes, Span<TLane> gatheredMean, Span<TLane> gatheredFactor)
    {
        for (int r = 0; r < d; r++)
        {
            gatheredMean[r] = TLane.Gather(mean, r, lanes);
            for (int c = 0; c <= r; c++)
            {
                gatheredFactor[r * d + c] = TLane.Gather(factor, r * d + c, lanes);
            }
        }
    }

    /// <summary>The first <paramref name="used"/> packed deviations (and products) added to the sums of the lanes they stand for, as AddDeviation adds them in lockstep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddToLanes(ReadOnlySpan<int> lanes, int used, int d, bool scatter, StatisticLayout layout, Span<TLane> scratch)
    {
        ReadOnlySpan<TLane> x = scratch.Slice(layout.Sample, d), products = scratch.Slice(layout.Candidates, d * d);
        var sum = scratch.Slice(layout.Sum, d);
        var squares = scratch.Slice(layout.SumOfSquares, d * d);
        for (int r = 0; r < d; r++)
        {
            for (int p = 0; p < used; p++)
            {
                TLane.Write(sum, r, lanes[p], TLane.Read(sum, r, lanes[p]) + TLane.Read(x, r, p));
            }
        }
        if (!scatter)
        {
            return;
        }
        for (int r = 0; r < d; r++)
        {
            for (int c = 0; c <= r; c++)
            {
                int k = r * d + c;
                for (int p = 0; p < used; p++)
                {
                    TLane.Write(squares, k, lanes[p], TLane.Read(squares, k, lanes[p]) + TLane.Read(products, k, p));
                }
            }
        }
    }
}
