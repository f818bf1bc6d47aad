using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Engine.Core.Random;

namespace Engine.Simulation.Lanes;

// Generated from VectorPairLane.template by generate.py: edit the template, not this file.
/// <summary>
/// 16 replicates in two Vector512&lt;double&gt; halves. Every operation is issued on both halves, so
/// the step runs as two independent dependency chains: the loop is latency-bound (Philox
/// rounds, the polynomial chains of log and exp), and two chains let the core overlap them
/// (bench/RESULTS.md has the measurements that set the automatic order of widths).
/// </summary>
public readonly struct Vector512x2Lane(Vector512<double> low, Vector512<double> high) : ILane<Vector512x2Lane>
{
    /// <summary>The lower half of the lanes.</summary>
    public readonly Vector512<double> Low = low;
    /// <summary>The upper half of the lanes.</summary>
    public readonly Vector512<double> High = high;

    /// <inheritdoc />
    public static int Width => 16;
    /// <inheritdoc />
    public static string Name => "vector512x2";
    /// <inheritdoc />
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;
    /// <inheritdoc />
    public static int MinNormalExponent => -1022;
    /// <inheritdoc />
    public static Vector512x2Lane AllTrue => new(Vector512<double>.AllBitsSet, Vector512<double>.AllBitsSet);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512x2Lane Of(Vector512Lane low, Vector512Lane high) => new(low.Value, high.Value);
    private Vector512Lane L { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Low); }
    private Vector512Lane H { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(High); }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane Broadcast(double value) { var v = Vector512.Create(value); return new(v, v); }
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane operator +(Vector512x2Lane a, Vector512x2Lane b) => new(a.Low + b.Low, a.High + b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane operator -(Vector512x2Lane a, Vector512x2Lane b) => new(a.Low - b.Low, a.High - b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane operator *(Vector512x2Lane a, Vector512x2Lane b) => new(a.Low * b.Low, a.High * b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane operator /(Vector512x2Lane a, Vector512x2Lane b) => new(a.Low / b.Low, a.High / b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane Sqrt(Vector512x2Lane a) => new(Vector512.Sqrt(a.Low), Vector512.Sqrt(a.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane Exp(Vector512x2Lane a) => LaneMath.Exp(a);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane Log(Vector512x2Lane a) => LaneMath.Log(a);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static (Vector512x2Lane Sin, Vector512x2Lane Cos) SinCosTwoPi(Vector512x2Lane u) => LaneMath.SinCosTwoPi(u);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane Max(Vector512x2Lane a, Vector512x2Lane b) => new(Vector512.Max(a.Low, b.Low), Vector512.Max(a.High, b.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane Abs(Vector512x2Lane a) => new(Vector512.Abs(a.Low), Vector512.Abs(a.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane Floor(Vector512x2Lane a) => new(Vector512.Floor(a.Low), Vector512.Floor(a.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane Round(Vector512x2Lane a) => new(Vector512.Round(a.Low), Vector512.Round(a.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane MultiplyAdd(Vector512x2Lane a, Vector512x2Lane b, Vector512x2Lane c) =>
        new(Vector512.FusedMultiplyAdd(a.Low, b.Low, c.Low), Vector512.FusedMultiplyAdd(a.High, b.High, c.High));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512x2Lane Mantissa, Vector512x2Lane Exponent) SplitExponent(Vector512x2Lane x)
    {
        var (lowMantissa, lowExponent) = Vector512Lane.SplitExponent(x.L);
        var (highMantissa, highExponent) = Vector512Lane.SplitExponent(x.H);
        return (Of(lowMantissa, highMantissa), Of(lowExponent, highExponent));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512x2Lane ScaleByPowerOfTwo(Vector512x2Lane x, Vector512x2Lane k) =>
        Of(Vector512Lane.ScaleByPowerOfTwo(x.L, k.L), Vector512Lane.ScaleByPowerOfTwo(x.H, k.H));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane LessThan(Vector512x2Lane a, Vector512x2Lane b) => new(Vector512.LessThan(a.Low, b.Low), Vector512.LessThan(a.High, b.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane GreaterThan(Vector512x2Lane a, Vector512x2Lane b) => new(Vector512.GreaterThan(a.Low, b.Low), Vector512.GreaterThan(a.High, b.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane Equal(Vector512x2Lane a, Vector512x2Lane b) => new(Vector512.Equals(a.Low, b.Low), Vector512.Equals(a.High, b.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane IsFinite(Vector512x2Lane a) => Of(Vector512Lane.IsFinite(a.L), Vector512Lane.IsFinite(a.H));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane And(Vector512x2Lane a, Vector512x2Lane b) => new(a.Low & b.Low, a.High & b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane Or(Vector512x2Lane a, Vector512x2Lane b) => new(a.Low | b.Low, a.High | b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane AndNot(Vector512x2Lane a, Vector512x2Lane notB) => new(Vector512.AndNot(a.Low, notB.Low), Vector512.AndNot(a.High, notB.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane Select(Vector512x2Lane mask, Vector512x2Lane whenTrue, Vector512x2Lane whenFalse) =>
        Of(Vector512Lane.Select(mask.L, whenTrue.L, whenFalse.L), Vector512Lane.Select(mask.H, whenTrue.H, whenFalse.H));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector512x2Lane mask) => Vector512.ExtractMostSignificantBits(mask.Low | mask.High) != 0;
    /// <inheritdoc />
    public static double Element(Vector512x2Lane value, int lane) => lane < 8 ? value.Low.GetElement(lane) : value.High.GetElement(lane - 8);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static int MaskBits(Vector512x2Lane mask) => (int)(Vector512.ExtractMostSignificantBits(mask.Low) | (Vector512.ExtractMostSignificantBits(mask.High) << 8));
    // Low then High: lane j of a value is double j of its memory.
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Read(ReadOnlySpan<Vector512x2Lane> values, int index, int lane) => MemoryMarshal.Cast<Vector512x2Lane, double>(values)[index * 16 + lane];
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Write(Span<Vector512x2Lane> values, int index, int lane, double value) => MemoryMarshal.Cast<Vector512x2Lane, double>(values)[index * 16 + lane] = value;
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512x2Lane Gather(ReadOnlySpan<Vector512x2Lane> values, int index, ReadOnlySpan<int> offsets)
    {
        var flat = MemoryMarshal.Cast<Vector512x2Lane, double>(values);
        int origin = index * 16;
        return new(Vector512.Create(flat[origin + offsets[0]], flat[origin + offsets[1]], flat[origin + offsets[2]], flat[origin + offsets[3]], flat[origin + offsets[4]], flat[origin + offsets[5]], flat[origin + offsets[6]], flat[origin + offsets[7]]),
                   Vector512.Create(flat[origin + offsets[8]], flat[origin + offsets[9]], flat[origin + offsets[10]], flat[origin + offsets[11]], flat[origin + offsets[12]], flat[origin + offsets[13]], flat[origin + offsets[14]], flat[origin + offsets[15]]));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512x2Lane FromElements(ReadOnlySpan<double> values) => new(Vector512.Create(values[..8]), Vector512.Create(values[8..16]));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512x2Lane U0, Vector512x2Lane U1) UniformsPerLane(in PhiloxKey key, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3) =>
        UniformsPair(in key, Vector512Lane.Widen(counter0[..8]), Vector512Lane.Widen(counter0[8..16]), counter1, Vector512Lane.Widen(counter2[..8]), Vector512Lane.Widen(counter2[8..16]), counter3);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512x2Lane U0, Vector512x2Lane U1) UniformsWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector512x2Lane counter2Low, uint counter3)
    {
        var low0 = Vector512Lane.Word0(counter0);
        return UniformsPair(in key, low0, low0 + Vector512.Create((ulong)8), counter1,
            Vector512Lane.Word2(counter2High, counter2Low.Low), Vector512Lane.Word2(counter2High, counter2Low.High), counter3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512x2Lane U0, Vector512x2Lane U1) Uniforms(in PhiloxKey key, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var low0 = Vector512Lane.Word0(counter0);
        var word2 = Vector512.Create((ulong)counter2);
        return UniformsPair(in key, low0, low0 + Vector512.Create((ulong)8), counter1, word2, word2, counter3);
    }

    /// <summary>
    /// Philox4x32-10 on two groups of 8 lanes (the low half with counter words a, the high half with b, words
    /// 1 and 3 shared), their rounds interleaved: two independent dependency chains for the core to overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PhiloxBoth(in PhiloxKey key, Vector512<ulong> a0, Vector512<ulong> b0, uint counter1, Vector512<ulong> a2, Vector512<ulong> b2, uint counter3,
        out Vector512<ulong> x0, out Vector512<ulong> x1, out Vector512<ulong> x2, out Vector512<ulong> x3, out Vector512<ulong> y0, out Vector512<ulong> y1, out Vector512<ulong> y2, out Vector512<ulong> y3)
    {
        x0 = a0;
        y0 = b0;
        x1 = Vector512.Create((ulong)counter1);
        y1 = x1;
        x2 = a2;
        y2 = b2;
        x3 = Vector512.Create((ulong)counter3);
        y3 = x3;
        for (int round = 0; round < Philox4x32.Rounds; round++)
        {
            Vector512Lane.PhiloxRound(ref x0, ref x1, ref x2, ref x3, in key, round);
            Vector512Lane.PhiloxRound(ref y0, ref y1, ref y2, ref y3, in key, round);
        }
    }

    /// <summary>Both halves' blocks (<see cref="PhiloxBoth"/>) as uniforms.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512x2Lane U0, Vector512x2Lane U1) UniformsPair(
        in PhiloxKey key, Vector512<ulong> a0, Vector512<ulong> b0, uint counter1, Vector512<ulong> a2, Vector512<ulong> b2, uint counter3)
    {
        PhiloxBoth(in key, a0, b0, counter1, a2, b2, counter3, out var x0, out var x1, out var x2, out var x3, out var y0, out var y1, out var y2, out var y3);
        return (new(Vector512Lane.ToUniform(x0, x1), Vector512Lane.ToUniform(y0, y1)),
                new(Vector512Lane.ToUniform(x2, x3), Vector512Lane.ToUniform(y2, y3)));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512x2Lane Z0, Vector512x2Lane Z1) NormalsPerLane(in PhiloxKey key, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3) =>
        NormalsPair(in key, Vector512Lane.Widen(counter0[..8]), Vector512Lane.Widen(counter0[8..16]), counter1, Vector512Lane.Widen(counter2[..8]), Vector512Lane.Widen(counter2[8..16]), counter3);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512x2Lane Z0, Vector512x2Lane Z1) NormalsWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector512x2Lane counter2Low, uint counter3)
    {
        var low0 = Vector512Lane.Word0(counter0);
        return NormalsPair(in key, low0, low0 + Vector512.Create((ulong)8), counter1,
            Vector512Lane.Word2(counter2High, counter2Low.Low), Vector512Lane.Word2(counter2High, counter2Low.High), counter3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512x2Lane Z0, Vector512x2Lane Z1) Normals(in PhiloxKey key, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var low0 = Vector512Lane.Word0(counter0);
        var word2 = Vector512.Create((ulong)counter2);
        return NormalsPair(in key, low0, low0 + Vector512.Create((ulong)8), counter1, word2, word2, counter3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512x2Lane Z, Vector512x2Lane U) NormalAndUniformWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector512x2Lane counter2Low, uint counter3)
    {
        var low0 = Vector512Lane.Word0(counter0);
        return NormalAndUniformPair(in key, low0, low0 + Vector512.Create((ulong)8), counter1,
            Vector512Lane.Word2(counter2High, counter2Low.Low), Vector512Lane.Word2(counter2High, counter2Low.High), counter3);
    }

    /// <summary>As <see cref="NormalsPair"/>, the ziggurat on words 0 and 1 only, and the uniform of words 2 and 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512x2Lane Z, Vector512x2Lane U) NormalAndUniformPair(
        in PhiloxKey key, Vector512<ulong> a0, Vector512<ulong> b0, uint counter1, Vector512<ulong> a2, Vector512<ulong> b2, uint counter3)
    {
        PhiloxBoth(in key, a0, b0, counter1, a2, b2, counter3, out var x0, out var x1, out var x2, out var x3, out var y0, out var y1, out var y2, out var y3);
        var zLow = Vector512Lane.ZigguratFast(Vector512Lane.ToUniform(x0, x1), x1, out var rejectLow);
        var zHigh = Vector512Lane.ZigguratFast(Vector512Lane.ToUniform(y0, y1), y1, out var rejectHigh);
        uint rejected = (uint)Vector512.ExtractMostSignificantBits(rejectLow) | (uint)Vector512.ExtractMostSignificantBits(rejectHigh) << 8;
        if (rejected != 0)
        {
            (zLow, zHigh) = ZigguratFinish(zLow, zHigh, rejected, in key, a0, b0, counter1, a2, b2, counter3, 0);
        }
        return (new(zLow, zHigh), new(Vector512Lane.ToUniform(x2, x3), Vector512Lane.ToUniform(y2, y3)));
    }

    /// <summary>Both halves' blocks (<see cref="PhiloxBoth"/>), then the ziggurat on each half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512x2Lane Z0, Vector512x2Lane Z1) NormalsPair(
        in PhiloxKey key, Vector512<ulong> a0, Vector512<ulong> b0, uint counter1, Vector512<ulong> a2, Vector512<ulong> b2, uint counter3)
    {
        PhiloxBoth(in key, a0, b0, counter1, a2, b2, counter3, out var x0, out var x1, out var x2, out var x3, out var y0, out var y1, out var y2, out var y3);
        var z0Low = Vector512Lane.ZigguratFast(Vector512Lane.ToUniform(x0, x1), x1, out var reject0Low);
        var z1Low = Vector512Lane.ZigguratFast(Vector512Lane.ToUniform(x2, x3), x3, out var reject1Low);
        var z0High = Vector512Lane.ZigguratFast(Vector512Lane.ToUniform(y0, y1), y1, out var reject0High);
        var z1High = Vector512Lane.ZigguratFast(Vector512Lane.ToUniform(y2, y3), y3, out var reject1High);
        uint rejected0 = (uint)Vector512.ExtractMostSignificantBits(reject0Low) | (uint)Vector512.ExtractMostSignificantBits(reject0High) << 8;
        uint rejected1 = (uint)Vector512.ExtractMostSignificantBits(reject1Low) | (uint)Vector512.ExtractMostSignificantBits(reject1High) << 8;
        if ((rejected0 | rejected1) != 0)
        {
            // Each only where its own lanes were rejected: a call passes every counter through the stack.
            if (rejected0 != 0)
            {
                (z0Low, z0High) = ZigguratFinish(z0Low, z0High, rejected0, in key, a0, b0, counter1, a2, b2, counter3, 0);
            }
            if (rejected1 != 0)
            {
                (z1Low, z1High) = ZigguratFinish(z1Low, z1High, rejected1, in key, a0, b0, counter1, a2, b2, counter3, 1);
            }
        }
        return (new(z0Low, z0High), new(z1Low, z1High));
    }

    /// <summary>The lanes in <paramref name="rejected"/> (bit j for lane j, the high half from bit 8) finished one by one on their own counters (rare: out of line).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static (Vector512<double> Low, Vector512<double> High) ZigguratFinish(Vector512<double> low, Vector512<double> high, uint rejected, in PhiloxKey key,
        Vector512<ulong> a0, Vector512<ulong> b0, uint counter1, Vector512<ulong> a2, Vector512<ulong> b2, uint counter3, int normal)
    {
        while (rejected != 0)
        {
            int j = System.Numerics.BitOperations.TrailingZeroCount(rejected);
            rejected &= rejected - 1;
            if (j < 8)
            {
                low = low.WithElement(j, Ziggurat.NormalOfBlock(key.Key0, key.Key1, (uint)a0.GetElement(j), counter1, (uint)a2.GetElement(j), counter3, normal));
            }
            else
            {
                high = high.WithElement(j - 8, Ziggurat.NormalOfBlock(key.Key0, key.Key1, (uint)b0.GetElement(j - 8), counter1, (uint)b2.GetElement(j - 8), counter3, normal));
            }
        }
        return (low, high);
    }
}
