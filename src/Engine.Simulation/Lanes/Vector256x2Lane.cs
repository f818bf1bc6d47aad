using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Engine.Core.Random;

namespace Engine.Simulation.Lanes;

// Generated from VectorPairLane.template by generate.py: edit the template, not this file.
/// <summary>
/// 8 replicates in two Vector256&lt;double&gt; halves. Every operation is issued on both halves, so
/// the step runs as two independent dependency chains: the loop is latency-bound (Philox
/// rounds, the polynomial chains of log and exp), and two chains let the core overlap them
/// (bench/RESULTS.md has the measurements that set the automatic order of widths).
/// </summary>
public readonly struct Vector256x2Lane(Vector256<double> low, Vector256<double> high) : ILane<Vector256x2Lane>
{
    /// <summary>The lower half of the lanes.</summary>
    public readonly Vector256<double> Low = low;
    /// <summary>The upper half of the lanes.</summary>
    public readonly Vector256<double> High = high;

    /// <inheritdoc />
    public static int Width => 8;
    /// <inheritdoc />
    public static string Name => "vector256x2";
    /// <inheritdoc />
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;
    /// <inheritdoc />
    public static int MinNormalExponent => -1022;
    /// <inheritdoc />
    public static Vector256x2Lane AllTrue => new(Vector256<double>.AllBitsSet, Vector256<double>.AllBitsSet);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256x2Lane Of(Vector256Lane low, Vector256Lane high) => new(low.Value, high.Value);
    private Vector256Lane L { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Low); }
    private Vector256Lane H { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(High); }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane Broadcast(double value) { var v = Vector256.Create(value); return new(v, v); }
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane operator +(Vector256x2Lane a, Vector256x2Lane b) => new(a.Low + b.Low, a.High + b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane operator -(Vector256x2Lane a, Vector256x2Lane b) => new(a.Low - b.Low, a.High - b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane operator *(Vector256x2Lane a, Vector256x2Lane b) => new(a.Low * b.Low, a.High * b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane operator /(Vector256x2Lane a, Vector256x2Lane b) => new(a.Low / b.Low, a.High / b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane Sqrt(Vector256x2Lane a) => new(Vector256.Sqrt(a.Low), Vector256.Sqrt(a.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane Exp(Vector256x2Lane a) => LaneMath.Exp(a);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane Log(Vector256x2Lane a) => LaneMath.Log(a);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static (Vector256x2Lane Sin, Vector256x2Lane Cos) SinCosTwoPi(Vector256x2Lane u) => LaneMath.SinCosTwoPi(u);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane Max(Vector256x2Lane a, Vector256x2Lane b) => new(Vector256.Max(a.Low, b.Low), Vector256.Max(a.High, b.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane Abs(Vector256x2Lane a) => new(Vector256.Abs(a.Low), Vector256.Abs(a.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane Floor(Vector256x2Lane a) => new(Vector256.Floor(a.Low), Vector256.Floor(a.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane Round(Vector256x2Lane a) => new(Vector256.Round(a.Low), Vector256.Round(a.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane MultiplyAdd(Vector256x2Lane a, Vector256x2Lane b, Vector256x2Lane c) =>
        new(Vector256.FusedMultiplyAdd(a.Low, b.Low, c.Low), Vector256.FusedMultiplyAdd(a.High, b.High, c.High));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256x2Lane Mantissa, Vector256x2Lane Exponent) SplitExponent(Vector256x2Lane x)
    {
        var (lowMantissa, lowExponent) = Vector256Lane.SplitExponent(x.L);
        var (highMantissa, highExponent) = Vector256Lane.SplitExponent(x.H);
        return (Of(lowMantissa, highMantissa), Of(lowExponent, highExponent));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256x2Lane ScaleByPowerOfTwo(Vector256x2Lane x, Vector256x2Lane k) =>
        Of(Vector256Lane.ScaleByPowerOfTwo(x.L, k.L), Vector256Lane.ScaleByPowerOfTwo(x.H, k.H));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane LessThan(Vector256x2Lane a, Vector256x2Lane b) => new(Vector256.LessThan(a.Low, b.Low), Vector256.LessThan(a.High, b.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane GreaterThan(Vector256x2Lane a, Vector256x2Lane b) => new(Vector256.GreaterThan(a.Low, b.Low), Vector256.GreaterThan(a.High, b.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane Equal(Vector256x2Lane a, Vector256x2Lane b) => new(Vector256.Equals(a.Low, b.Low), Vector256.Equals(a.High, b.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane IsFinite(Vector256x2Lane a) => Of(Vector256Lane.IsFinite(a.L), Vector256Lane.IsFinite(a.H));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane And(Vector256x2Lane a, Vector256x2Lane b) => new(a.Low & b.Low, a.High & b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane Or(Vector256x2Lane a, Vector256x2Lane b) => new(a.Low | b.Low, a.High | b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane AndNot(Vector256x2Lane a, Vector256x2Lane notB) => new(Vector256.AndNot(a.Low, notB.Low), Vector256.AndNot(a.High, notB.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane Select(Vector256x2Lane mask, Vector256x2Lane whenTrue, Vector256x2Lane whenFalse) =>
        Of(Vector256Lane.Select(mask.L, whenTrue.L, whenFalse.L), Vector256Lane.Select(mask.H, whenTrue.H, whenFalse.H));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector256x2Lane mask) => Vector256.ExtractMostSignificantBits(mask.Low | mask.High) != 0;
    /// <inheritdoc />
    public static double Element(Vector256x2Lane value, int lane) => lane < 4 ? value.Low.GetElement(lane) : value.High.GetElement(lane - 4);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static int MaskBits(Vector256x2Lane mask) => (int)(Vector256.ExtractMostSignificantBits(mask.Low) | (Vector256.ExtractMostSignificantBits(mask.High) << 4));
    // Low then High: lane j of a value is double j of its memory.
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Read(ReadOnlySpan<Vector256x2Lane> values, int index, int lane) => MemoryMarshal.Cast<Vector256x2Lane, double>(values)[index * 8 + lane];
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Write(Span<Vector256x2Lane> values, int index, int lane, double value) => MemoryMarshal.Cast<Vector256x2Lane, double>(values)[index * 8 + lane] = value;
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256x2Lane Gather(ReadOnlySpan<Vector256x2Lane> values, int index, ReadOnlySpan<int> offsets)
    {
        var flat = MemoryMarshal.Cast<Vector256x2Lane, double>(values);
        int origin = index * 8;
        return new(Vector256.Create(flat[origin + offsets[0]], flat[origin + offsets[1]], flat[origin + offsets[2]], flat[origin + offsets[3]]),
                   Vector256.Create(flat[origin + offsets[4]], flat[origin + offsets[5]], flat[origin + offsets[6]], flat[origin + offsets[7]]));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256x2Lane FromElements(ReadOnlySpan<double> values) => new(Vector256.Create(values[..4]), Vector256.Create(values[4..8]));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256x2Lane U0, Vector256x2Lane U1) UniformsPerLane(in PhiloxKey key, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3) =>
        UniformsPair(in key, Vector256Lane.Widen(counter0[..4]), Vector256Lane.Widen(counter0[4..8]), counter1, Vector256Lane.Widen(counter2[..4]), Vector256Lane.Widen(counter2[4..8]), counter3);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256x2Lane U0, Vector256x2Lane U1) UniformsWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector256x2Lane counter2Low, uint counter3)
    {
        var low0 = Vector256Lane.Word0(counter0);
        return UniformsPair(in key, low0, low0 + Vector256.Create((ulong)4), counter1,
            Vector256Lane.Word2(counter2High, counter2Low.Low), Vector256Lane.Word2(counter2High, counter2Low.High), counter3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256x2Lane U0, Vector256x2Lane U1) Uniforms(in PhiloxKey key, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var low0 = Vector256Lane.Word0(counter0);
        var word2 = Vector256.Create((ulong)counter2);
        return UniformsPair(in key, low0, low0 + Vector256.Create((ulong)4), counter1, word2, word2, counter3);
    }

    /// <summary>
    /// Philox4x32-10 on two groups of 4 lanes (the low half with counter words a, the high half with b, words
    /// 1 and 3 shared), their rounds interleaved: two independent dependency chains for the core to overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PhiloxBoth(in PhiloxKey key, Vector256<ulong> a0, Vector256<ulong> b0, uint counter1, Vector256<ulong> a2, Vector256<ulong> b2, uint counter3,
        out Vector256<ulong> x0, out Vector256<ulong> x1, out Vector256<ulong> x2, out Vector256<ulong> x3, out Vector256<ulong> y0, out Vector256<ulong> y1, out Vector256<ulong> y2, out Vector256<ulong> y3)
    {
        x0 = a0;
        y0 = b0;
        x1 = Vector256.Create((ulong)counter1);
        y1 = x1;
        x2 = a2;
        y2 = b2;
        x3 = Vector256.Create((ulong)counter3);
        y3 = x3;
        for (int round = 0; round < Philox4x32.Rounds; round++)
        {
            Vector256Lane.PhiloxRound(ref x0, ref x1, ref x2, ref x3, in key, round);
            Vector256Lane.PhiloxRound(ref y0, ref y1, ref y2, ref y3, in key, round);
        }
    }

    /// <summary>Both halves' blocks (<see cref="PhiloxBoth"/>) as uniforms.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256x2Lane U0, Vector256x2Lane U1) UniformsPair(
        in PhiloxKey key, Vector256<ulong> a0, Vector256<ulong> b0, uint counter1, Vector256<ulong> a2, Vector256<ulong> b2, uint counter3)
    {
        PhiloxBoth(in key, a0, b0, counter1, a2, b2, counter3, out var x0, out var x1, out var x2, out var x3, out var y0, out var y1, out var y2, out var y3);
        return (new(Vector256Lane.ToUniform(x0, x1), Vector256Lane.ToUniform(y0, y1)),
                new(Vector256Lane.ToUniform(x2, x3), Vector256Lane.ToUniform(y2, y3)));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256x2Lane Z0, Vector256x2Lane Z1) NormalsPerLane(in PhiloxKey key, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3) =>
        NormalsPair(in key, Vector256Lane.Widen(counter0[..4]), Vector256Lane.Widen(counter0[4..8]), counter1, Vector256Lane.Widen(counter2[..4]), Vector256Lane.Widen(counter2[4..8]), counter3);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256x2Lane Z0, Vector256x2Lane Z1) NormalsWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector256x2Lane counter2Low, uint counter3)
    {
        var low0 = Vector256Lane.Word0(counter0);
        return NormalsPair(in key, low0, low0 + Vector256.Create((ulong)4), counter1,
            Vector256Lane.Word2(counter2High, counter2Low.Low), Vector256Lane.Word2(counter2High, counter2Low.High), counter3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256x2Lane Z0, Vector256x2Lane Z1) Normals(in PhiloxKey key, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var low0 = Vector256Lane.Word0(counter0);
        var word2 = Vector256.Create((ulong)counter2);
        return NormalsPair(in key, low0, low0 + Vector256.Create((ulong)4), counter1, word2, word2, counter3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256x2Lane Z, Vector256x2Lane U) NormalAndUniformWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector256x2Lane counter2Low, uint counter3)
    {
        var low0 = Vector256Lane.Word0(counter0);
        return NormalAndUniformPair(in key, low0, low0 + Vector256.Create((ulong)4), counter1,
            Vector256Lane.Word2(counter2High, counter2Low.Low), Vector256Lane.Word2(counter2High, counter2Low.High), counter3);
    }

    /// <summary>As <see cref="NormalsPair"/>, the ziggurat on words 0 and 1 only, and the uniform of words 2 and 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256x2Lane Z, Vector256x2Lane U) NormalAndUniformPair(
        in PhiloxKey key, Vector256<ulong> a0, Vector256<ulong> b0, uint counter1, Vector256<ulong> a2, Vector256<ulong> b2, uint counter3)
    {
        PhiloxBoth(in key, a0, b0, counter1, a2, b2, counter3, out var x0, out var x1, out var x2, out var x3, out var y0, out var y1, out var y2, out var y3);
        var zLow = Vector256Lane.ZigguratFast(Vector256Lane.ToUniform(x0, x1), x1, out var rejectLow);
        var zHigh = Vector256Lane.ZigguratFast(Vector256Lane.ToUniform(y0, y1), y1, out var rejectHigh);
        uint rejected = (uint)Vector256.ExtractMostSignificantBits(rejectLow) | (uint)Vector256.ExtractMostSignificantBits(rejectHigh) << 4;
        if (rejected != 0)
        {
            (zLow, zHigh) = ZigguratFinish(zLow, zHigh, rejected, in key, a0, b0, counter1, a2, b2, counter3, 0);
        }
        return (new(zLow, zHigh), new(Vector256Lane.ToUniform(x2, x3), Vector256Lane.ToUniform(y2, y3)));
    }

    /// <summary>Both halves' blocks (<see cref="PhiloxBoth"/>), then the ziggurat on each half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256x2Lane Z0, Vector256x2Lane Z1) NormalsPair(
        in PhiloxKey key, Vector256<ulong> a0, Vector256<ulong> b0, uint counter1, Vector256<ulong> a2, Vector256<ulong> b2, uint counter3)
    {
        PhiloxBoth(in key, a0, b0, counter1, a2, b2, counter3, out var x0, out var x1, out var x2, out var x3, out var y0, out var y1, out var y2, out var y3);
        var z0Low = Vector256Lane.ZigguratFast(Vector256Lane.ToUniform(x0, x1), x1, out var reject0Low);
        var z1Low = Vector256Lane.ZigguratFast(Vector256Lane.ToUniform(x2, x3), x3, out var reject1Low);
        var z0High = Vector256Lane.ZigguratFast(Vector256Lane.ToUniform(y0, y1), y1, out var reject0High);
        var z1High = Vector256Lane.ZigguratFast(Vector256Lane.ToUniform(y2, y3), y3, out var reject1High);
        uint rejected0 = (uint)Vector256.ExtractMostSignificantBits(reject0Low) | (uint)Vector256.ExtractMostSignificantBits(reject0High) << 4;
        uint rejected1 = (uint)Vector256.ExtractMostSignificantBits(reject1Low) | (uint)Vector256.ExtractMostSignificantBits(reject1High) << 4;
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

    /// <summary>The lanes in <paramref name="rejected"/> (bit j for lane j, the high half from bit 4) finished one by one on their own counters (rare: out of line).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static (Vector256<double> Low, Vector256<double> High) ZigguratFinish(Vector256<double> low, Vector256<double> high, uint rejected, in PhiloxKey key,
        Vector256<ulong> a0, Vector256<ulong> b0, uint counter1, Vector256<ulong> a2, Vector256<ulong> b2, uint counter3, int normal)
    {
        while (rejected != 0)
        {
            int j = System.Numerics.BitOperations.TrailingZeroCount(rejected);
            rejected &= rejected - 1;
            if (j < 4)
            {
                low = low.WithElement(j, Ziggurat.NormalOfBlock(key.Key0, key.Key1, (uint)a0.GetElement(j), counter1, (uint)a2.GetElement(j), counter3, normal));
            }
            else
            {
                high = high.WithElement(j - 4, Ziggurat.NormalOfBlock(key.Key0, key.Key1, (uint)b0.GetElement(j - 4), counter1, (uint)b2.GetElement(j - 4), counter3, normal));
            }
        }
        return (low, high);
    }
}
