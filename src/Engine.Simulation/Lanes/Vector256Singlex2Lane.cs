using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Engine.Core.Random;

namespace Engine.Simulation.Lanes;

/// <summary>
/// Single precision in two registers: 16 replicates in two Vector256&lt;float&gt; halves, each half
/// computed exactly as <see cref="Vector256SingleLane"/> computes its 8 lanes (so a replicate's
/// results are the same to the bit in either lane type). Every operation is issued on both
/// halves, two independent dependency chains for the core to overlap, as <c>256x2</c> does for
/// double (bench/RESULTS.md).
/// </summary>
public readonly struct Vector256Singlex2Lane(Vector256<float> low, Vector256<float> high) : ILane<Vector256Singlex2Lane>
{
    /// <summary>The lower half of the lanes.</summary>
    public readonly Vector256<float> Low = low;
    /// <summary>The upper half of the lanes.</summary>
    public readonly Vector256<float> High = high;

    /// <inheritdoc />
    public static int Width => 16;
    /// <inheritdoc />
    public static string Name => "single256x2";
    /// <inheritdoc />
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;
    /// <inheritdoc />
    public static int MinNormalExponent => -126;
    /// <inheritdoc />
    public static Vector256Singlex2Lane AllTrue => new(Vector256<float>.AllBitsSet, Vector256<float>.AllBitsSet);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256Singlex2Lane Of(Vector256SingleLane low, Vector256SingleLane high) => new(low.Value, high.Value);
    private Vector256SingleLane L { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Low); }
    private Vector256SingleLane H { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(High); }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane Broadcast(double value) { var v = Vector256.Create((float)value); return new(v, v); }
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane operator +(Vector256Singlex2Lane a, Vector256Singlex2Lane b) => new(a.Low + b.Low, a.High + b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane operator -(Vector256Singlex2Lane a, Vector256Singlex2Lane b) => new(a.Low - b.Low, a.High - b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane operator *(Vector256Singlex2Lane a, Vector256Singlex2Lane b) => new(a.Low * b.Low, a.High * b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane operator /(Vector256Singlex2Lane a, Vector256Singlex2Lane b) => new(a.Low / b.Low, a.High / b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane Sqrt(Vector256Singlex2Lane a) => new(Vector256.Sqrt(a.Low), Vector256.Sqrt(a.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane Exp(Vector256Singlex2Lane a) => new(Vector256.Exp(a.Low), Vector256.Exp(a.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane Log(Vector256Singlex2Lane a) => new(Vector256.Log(a.Low), Vector256.Log(a.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static (Vector256Singlex2Lane Sin, Vector256Singlex2Lane Cos) SinCosTwoPi(Vector256Singlex2Lane u) => LaneMath.SinCosTwoPi(u);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane Max(Vector256Singlex2Lane a, Vector256Singlex2Lane b) => new(Vector256.Max(a.Low, b.Low), Vector256.Max(a.High, b.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane Abs(Vector256Singlex2Lane a) => new(Vector256.Abs(a.Low), Vector256.Abs(a.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane Floor(Vector256Singlex2Lane a) => new(Vector256.Floor(a.Low), Vector256.Floor(a.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane Round(Vector256Singlex2Lane a) => new(Vector256.Round(a.Low), Vector256.Round(a.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane MultiplyAdd(Vector256Singlex2Lane a, Vector256Singlex2Lane b, Vector256Singlex2Lane c) =>
        new(Vector256.FusedMultiplyAdd(a.Low, b.Low, c.Low), Vector256.FusedMultiplyAdd(a.High, b.High, c.High));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256Singlex2Lane Mantissa, Vector256Singlex2Lane Exponent) SplitExponent(Vector256Singlex2Lane x)
    {
        var (lowMantissa, lowExponent) = Vector256SingleLane.SplitExponent(x.L);
        var (highMantissa, highExponent) = Vector256SingleLane.SplitExponent(x.H);
        return (Of(lowMantissa, highMantissa), Of(lowExponent, highExponent));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Singlex2Lane ScaleByPowerOfTwo(Vector256Singlex2Lane x, Vector256Singlex2Lane k) =>
        Of(Vector256SingleLane.ScaleByPowerOfTwo(x.L, k.L), Vector256SingleLane.ScaleByPowerOfTwo(x.H, k.H));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane LessThan(Vector256Singlex2Lane a, Vector256Singlex2Lane b) => new(Vector256.LessThan(a.Low, b.Low), Vector256.LessThan(a.High, b.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane GreaterThan(Vector256Singlex2Lane a, Vector256Singlex2Lane b) => new(Vector256.GreaterThan(a.Low, b.Low), Vector256.GreaterThan(a.High, b.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane Equal(Vector256Singlex2Lane a, Vector256Singlex2Lane b) => new(Vector256.Equals(a.Low, b.Low), Vector256.Equals(a.High, b.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane IsFinite(Vector256Singlex2Lane a) => Of(Vector256SingleLane.IsFinite(a.L), Vector256SingleLane.IsFinite(a.H));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane And(Vector256Singlex2Lane a, Vector256Singlex2Lane b) => new(a.Low & b.Low, a.High & b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane Or(Vector256Singlex2Lane a, Vector256Singlex2Lane b) => new(a.Low | b.Low, a.High | b.High);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane AndNot(Vector256Singlex2Lane a, Vector256Singlex2Lane notB) => new(Vector256.AndNot(a.Low, notB.Low), Vector256.AndNot(a.High, notB.High));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256Singlex2Lane Select(Vector256Singlex2Lane mask, Vector256Singlex2Lane whenTrue, Vector256Singlex2Lane whenFalse) =>
        Of(Vector256SingleLane.Select(mask.L, whenTrue.L, whenFalse.L), Vector256SingleLane.Select(mask.H, whenTrue.H, whenFalse.H));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector256Singlex2Lane mask) => Vector256.ExtractMostSignificantBits(mask.Low | mask.High) != 0;
    /// <inheritdoc />
    public static double Element(Vector256Singlex2Lane value, int lane) => lane < 8 ? Vector256SingleLane.Element(value.L, lane) : Vector256SingleLane.Element(value.H, lane - 8);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static int MaskBits(Vector256Singlex2Lane mask) => (int)(Vector256.ExtractMostSignificantBits(mask.Low) | (Vector256.ExtractMostSignificantBits(mask.High) << 8));
    // Low then High: lane j of a value is float j of its memory.
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Read(ReadOnlySpan<Vector256Singlex2Lane> values, int index, int lane) => MemoryMarshal.Cast<Vector256Singlex2Lane, float>(values)[index * 16 + lane];
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Write(Span<Vector256Singlex2Lane> values, int index, int lane, double value) => MemoryMarshal.Cast<Vector256Singlex2Lane, float>(values)[index * 16 + lane] = (float)value;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Singlex2Lane Gather(ReadOnlySpan<Vector256Singlex2Lane> values, int index, ReadOnlySpan<int> offsets)
    {
        var flat = MemoryMarshal.Cast<Vector256Singlex2Lane, float>(values);
        int origin = index * 16;
        return new(Vector256.Create(flat[origin + offsets[0]], flat[origin + offsets[1]], flat[origin + offsets[2]], flat[origin + offsets[3]],
                                    flat[origin + offsets[4]], flat[origin + offsets[5]], flat[origin + offsets[6]], flat[origin + offsets[7]]),
                   Vector256.Create(flat[origin + offsets[8]], flat[origin + offsets[9]], flat[origin + offsets[10]], flat[origin + offsets[11]],
                                    flat[origin + offsets[12]], flat[origin + offsets[13]], flat[origin + offsets[14]], flat[origin + offsets[15]]));
    }

    /// <inheritdoc />
    public static Vector256Singlex2Lane FromElements(ReadOnlySpan<double> values) =>
        Of(Vector256SingleLane.FromElements(values[..8]), Vector256SingleLane.FromElements(values[8..16]));

    /// <inheritdoc />
    public static (Vector256Singlex2Lane U0, Vector256Singlex2Lane U1) UniformsWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector256Singlex2Lane counter2Low, uint counter3)
    {
        var low0 = Vector256SingleLane.Word0(counter0);
        return UniformsPair(in key, low0, low0 + Vector256.Create(8u), counter1, Vector256SingleLane.Word2(counter2High, counter2Low.Low), Vector256SingleLane.Word2(counter2High, counter2Low.High), counter3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256Singlex2Lane U0, Vector256Singlex2Lane U1) UniformsPerLane(in PhiloxKey key, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3) =>
        UniformsPair(in key, Vector256.Create<uint>(counter0[..8]), Vector256.Create<uint>(counter0[8..16]), counter1,
                     Vector256.Create<uint>(counter2[..8]), Vector256.Create<uint>(counter2[8..16]), counter3);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256Singlex2Lane U0, Vector256Singlex2Lane U1) Uniforms(in PhiloxKey key, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var low0 = Vector256SingleLane.Word0(counter0);
        var word2 = Vector256.Create(counter2);
        return UniformsPair(in key, low0, low0 + Vector256.Create(8u), counter1, word2, word2, counter3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256Singlex2Lane Z0, Vector256Singlex2Lane Z1) Normals(in PhiloxKey key, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var low0 = Vector256SingleLane.Word0(counter0);
        var word2 = Vector256.Create(counter2);
        return NormalsPair(in key, low0, low0 + Vector256.Create(8u), counter1, word2, word2, counter3);
    }

    /// <inheritdoc />
    public static (Vector256Singlex2Lane Z0, Vector256Singlex2Lane Z1) NormalsWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector256Singlex2Lane counter2Low, uint counter3)
    {
        var low0 = Vector256SingleLane.Word0(counter0);
        return NormalsPair(in key, low0, low0 + Vector256.Create(8u), counter1, Vector256SingleLane.Word2(counter2High, counter2Low.Low), Vector256SingleLane.Word2(counter2High, counter2Low.High), counter3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256Singlex2Lane Z0, Vector256Singlex2Lane Z1) NormalsPerLane(in PhiloxKey key, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3) =>
        NormalsPair(in key, Vector256.Create<uint>(counter0[..8]), Vector256.Create<uint>(counter0[8..16]), counter1,
            Vector256.Create<uint>(counter2[..8]), Vector256.Create<uint>(counter2[8..16]), counter3);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256Singlex2Lane Z, Vector256Singlex2Lane U) NormalAndUniformWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector256Singlex2Lane counter2Low, uint counter3)
    {
        var low0 = Vector256SingleLane.Word0(counter0);
        return NormalAndUniformPair(in key, low0, low0 + Vector256.Create(8u), counter1, Vector256SingleLane.Word2(counter2High, counter2Low.Low), Vector256SingleLane.Word2(counter2High, counter2Low.High), counter3);
    }

    /// <summary>As <see cref="NormalsPair"/>, the ziggurat on words 0 and 1 only, and the uniform of word 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256Singlex2Lane Z, Vector256Singlex2Lane U) NormalAndUniformPair(
        in PhiloxKey key, Vector256<uint> a0, Vector256<uint> b0, uint counter1, Vector256<uint> a2, Vector256<uint> b2, uint counter3)
    {
        PhiloxBoth(in key, a0, b0, counter1, a2, b2, counter3, out var x0, out var x1, out var x2, out _, out var y0, out var y1, out var y2, out _);
        var zLow = Vector256SingleLane.ZigguratFast(Vector256SingleLane.ToUniform(x0), x1, out var rejectLow);
        var zHigh = Vector256SingleLane.ZigguratFast(Vector256SingleLane.ToUniform(y0), y1, out var rejectHigh);
        uint rejectedLow = Vector256.ExtractMostSignificantBits(rejectLow), rejectedHigh = Vector256.ExtractMostSignificantBits(rejectHigh);
        if ((rejectedLow | rejectedHigh) != 0)
        {
            zLow = Vector256SingleLane.ZigguratFinish(zLow, rejectedLow, in key, a0, counter1, a2, counter3, 0);
            zHigh = Vector256SingleLane.ZigguratFinish(zHigh, rejectedHigh, in key, b0, counter1, b2, counter3, 0);
        }
        return (new(zLow, zHigh), new(Vector256SingleLane.ToUniform(x2), Vector256SingleLane.ToUniform(y2)));
    }

    /// <summary>Both halves' blocks (<see cref="PhiloxBoth"/>), then the ziggurat on each half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256Singlex2Lane Z0, Vector256Singlex2Lane Z1) NormalsPair(
        in PhiloxKey key, Vector256<uint> a0, Vector256<uint> b0, uint counter1, Vector256<uint> a2, Vector256<uint> b2, uint counter3)
    {
        PhiloxBoth(in key, a0, b0, counter1, a2, b2, counter3, out var x0, out var x1, out var x2, out var x3, out var y0, out var y1, out var y2, out var y3);
        var z0Low = Vector256SingleLane.ZigguratFast(Vector256SingleLane.ToUniform(x0), x1, out var reject0Low);
        var z1Low = Vector256SingleLane.ZigguratFast(Vector256SingleLane.ToUniform(x2), x3, out var reject1Low);
        var z0High = Vector256SingleLane.ZigguratFast(Vector256SingleLane.ToUniform(y0), y1, out var reject0High);
        var z1High = Vector256SingleLane.ZigguratFast(Vector256SingleLane.ToUniform(y2), y3, out var reject1High);
        uint rejected0Low = Vector256.ExtractMostSignificantBits(reject0Low), rejected1Low = Vector256.ExtractMostSignificantBits(reject1Low);
        uint rejected0High = Vector256.ExtractMostSignificantBits(reject0High), rejected1High = Vector256.ExtractMostSignificantBits(reject1High);
        if ((rejected0Low | rejected1Low | rejected0High | rejected1High) != 0)
        {
            z0Low = Vector256SingleLane.ZigguratFinish(z0Low, rejected0Low, in key, a0, counter1, a2, counter3, 0);
            z1Low = Vector256SingleLane.ZigguratFinish(z1Low, rejected1Low, in key, a0, counter1, a2, counter3, 1);
            z0High = Vector256SingleLane.ZigguratFinish(z0High, rejected0High, in key, b0, counter1, b2, counter3, 0);
            z1High = Vector256SingleLane.ZigguratFinish(z1High, rejected1High, in key, b0, counter1, b2, counter3, 1);
        }
        return (new(z0Low, z0High), new(z1Low, z1High));
    }

    /// <summary>
    /// Philox4x32-10 on two groups of 8 lanes (the low half with counter words a, the high half with b, words 1
    /// and 3 shared), their rounds interleaved: two independent dependency chains for the core to overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PhiloxBoth(in PhiloxKey key, Vector256<uint> a0, Vector256<uint> b0, uint counter1, Vector256<uint> a2, Vector256<uint> b2, uint counter3,
        out Vector256<uint> x0, out Vector256<uint> x1, out Vector256<uint> x2, out Vector256<uint> x3, out Vector256<uint> y0, out Vector256<uint> y1, out Vector256<uint> y2, out Vector256<uint> y3)
    {
        x0 = a0;
        y0 = b0;
        x1 = Vector256.Create(counter1);
        y1 = x1;
        x2 = a2;
        y2 = b2;
        x3 = Vector256.Create(counter3);
        y3 = x3;
        for (int round = 0; round < Philox4x32.Rounds; round++)
        {
            Vector256SingleLane.PhiloxRound(ref x0, ref x1, ref x2, ref x3, in key, round);
            Vector256SingleLane.PhiloxRound(ref y0, ref y1, ref y2, ref y3, in key, round);
        }
    }

    /// <summary>Both halves' blocks (<see cref="PhiloxBoth"/>) as uniforms.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256Singlex2Lane U0, Vector256Singlex2Lane U1) UniformsPair(
        in PhiloxKey key, Vector256<uint> a0, Vector256<uint> b0, uint counter1, Vector256<uint> a2, Vector256<uint> b2, uint counter3)
    {
        PhiloxBoth(in key, a0, b0, counter1, a2, b2, counter3, out var x0, out _, out var x2, out _, out var y0, out _, out var y2, out _);
        return (new(Vector256SingleLane.ToUniform(x0), Vector256SingleLane.ToUniform(y0)),
                new(Vector256SingleLane.ToUniform(x2), Vector256SingleLane.ToUniform(y2)));
    }
}
