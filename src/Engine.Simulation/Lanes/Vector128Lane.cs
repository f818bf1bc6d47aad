using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Simulation.Lanes;

// Generated from VectorLane.template by generate.py: edit the template, not this file.
/// <summary>2 replicates in a Vector128&lt;double&gt;.</summary>
public readonly struct Vector128Lane(Vector128<double> value) : ILane<Vector128Lane>
{
    public readonly Vector128<double> Value = value;

    internal static readonly Vector128<ulong> LaneIndex = Vector128.Create(0UL, 1UL);
    internal static readonly Vector128<ulong> Low32 = Vector128.Create(0xFFFF_FFFFUL);
    private static readonly Vector128<ulong> ExponentBits = Vector128.Create(0x4330_0000_0000_0000UL);
    private static readonly Vector128<double> TwoTo52 = Vector128.Create(4503599627370496.0);

    public static int Width => 2;
    public static string Name => "vector128";
    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;
    public static Vector128Lane AllTrue => new(Vector128<double>.AllBitsSet);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane Broadcast(double value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane operator +(Vector128Lane a, Vector128Lane b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane operator -(Vector128Lane a, Vector128Lane b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane operator *(Vector128Lane a, Vector128Lane b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane operator /(Vector128Lane a, Vector128Lane b) => new(a.Value / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane Sqrt(Vector128Lane a) => new(Vector128.Sqrt(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane Exp(Vector128Lane a) => LaneMath.Exp(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane Log(Vector128Lane a) => LaneMath.Log(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static (Vector128Lane Sin, Vector128Lane Cos) SinCosTwoPi(Vector128Lane u) => LaneMath.SinCosTwoPi(u);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane Round(Vector128Lane a) => new(Vector128.Round(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane MultiplyAdd(Vector128Lane a, Vector128Lane b, Vector128Lane c) => new(Vector128.FusedMultiplyAdd(a.Value, b.Value, c.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane Equal(Vector128Lane a, Vector128Lane b) => new(Vector128.Equals(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane Or(Vector128Lane a, Vector128Lane b) => new(a.Value | b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128Lane Mantissa, Vector128Lane Exponent) SplitExponent(Vector128Lane x)
    {
        var bits = x.Value.AsUInt64();
        var mantissa = ((bits & Vector128.Create(0x000F_FFFF_FFFF_FFFFUL)) | Vector128.Create(0x3FF0_0000_0000_0000UL)).AsDouble();
        var biased = (Vector128.ShiftRightLogical(bits, 52) | ExponentBits).AsDouble() - TwoTo52;
        return (new(mantissa), new(biased - Vector128.Create(1023.0)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128Lane ScaleByPowerOfTwo(Vector128Lane x, Vector128Lane k)
    {
        // k + 1023 + 2^52 holds the biased exponent in its low bits; shifting by 52 makes it a power of two.
        var biased = (k.Value + Vector128.Create(1023.0) + TwoTo52).AsUInt64();
        return new(x.Value * Vector128.ShiftLeft(biased, 52).AsDouble());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane Max(Vector128Lane a, Vector128Lane b) => new(Vector128.Max(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane Abs(Vector128Lane a) => new(Vector128.Abs(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane LessThan(Vector128Lane a, Vector128Lane b) => new(Vector128.LessThan(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane GreaterThan(Vector128Lane a, Vector128Lane b) => new(Vector128.GreaterThan(a.Value, b.Value));
    // x - x is 0 exactly for finite x and NaN for infinities and NaN.
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane IsFinite(Vector128Lane a) => new(Vector128.Equals(a.Value - a.Value, Vector128<double>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane And(Vector128Lane a, Vector128Lane b) => new(a.Value & b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane AndNot(Vector128Lane a, Vector128Lane notB) => new(Vector128.AndNot(a.Value, notB.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane Select(Vector128Lane mask, Vector128Lane whenTrue, Vector128Lane whenFalse) => new(Vector128.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector128Lane mask) => Vector128.ExtractMostSignificantBits(mask.Value) != 0;
    public static double Element(Vector128Lane value, int lane) => value.Value.GetElement(lane);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static int MaskBits(Vector128Lane mask) => (int)Vector128.ExtractMostSignificantBits(mask.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Read(ReadOnlySpan<Vector128Lane> values, int index, int lane) => MemoryMarshal.Cast<Vector128Lane, double>(values)[index * 2 + lane];
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Write(Span<Vector128Lane> values, int index, int lane, double value) => MemoryMarshal.Cast<Vector128Lane, double>(values)[index * 2 + lane] = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128Lane FromElements(ReadOnlySpan<double> values) => new(Vector128.Create(values[..2]));

    /// <summary>32 x 32 -> 64-bit products of the low halves of each 64-bit lane (vpmuludq where available).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<ulong> MultiplyLow32(Vector128<ulong> a, Vector128<ulong> b) =>
        Sse2.IsSupported ? Sse2.Multiply(a.AsUInt32(), b.AsUInt32()) : a * b;

    /// <summary>An integer below 2^53 to the double of the same value, exactly: two 32-bit halves via the 2^52 exponent trick.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<double> ToDouble53(Vector128<ulong> bits)
    {
        var high = (Vector128.ShiftRightLogical(bits, 32) | ExponentBits).AsDouble() - TwoTo52;
        var low = ((bits & Low32) | ExponentBits).AsDouble() - TwoTo52;
        return high * Vector128.Create(4294967296.0) + low;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector128Lane U0, Vector128Lane U1) Uniforms(uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3) =>
        Philox(key0, key1, Vector128.Create((ulong)counter0) + LaneIndex, Vector128.Create((ulong)counter1), Vector128.Create((ulong)counter2), Vector128.Create((ulong)counter3));

    public static (Vector128Lane U0, Vector128Lane U1) UniformsPerLane(uint key0, uint key1, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3) =>
        Philox(key0, key1, Widen(counter0), Vector128.Create((ulong)counter1), Widen(counter2), Vector128.Create((ulong)counter3));

    /// <summary>2 32-bit counter words zero-extended into the 64-bit lanes (one vpmovzxdq where available).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<ulong> Widen(ReadOnlySpan<uint> values) => Vector128.WidenLower(Vector128.Create(values[0], values[1], 0u, 0u));

    /// <summary>Philox4x32-10 with each 64-bit lane holding one 32-bit counter word, then the two 53-bit uniforms.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128Lane U0, Vector128Lane U1) Philox(uint key0, uint key1, Vector128<ulong> c0, Vector128<ulong> c1, Vector128<ulong> c2, Vector128<ulong> c3)
    {
        var m0 = Vector128.Create(0xD2511F53UL);
        var m1 = Vector128.Create(0xCD9E8D57UL);
        uint k0 = key0, k1 = key1;
        for (int round = 0; round < 10; round++)
        {
            var product0 = MultiplyLow32(m0, c0);
            var product1 = MultiplyLow32(m1, c2);
            var next0 = Vector128.ShiftRightLogical(product1, 32) ^ c1 ^ Vector128.Create((ulong)k0);
            var next2 = Vector128.ShiftRightLogical(product0, 32) ^ c3 ^ Vector128.Create((ulong)k1);
            c1 = product1 & Low32;
            c3 = product0 & Low32;
            c0 = next0;
            c2 = next2;
            k0 += 0x9E3779B9;
            k1 += 0xBB67AE85;
        }
        var bits0 = Vector128.ShiftLeft(c0, 21) ^ Vector128.ShiftRightLogical(c1, 11);
        var bits1 = Vector128.ShiftLeft(c2, 21) ^ Vector128.ShiftRightLogical(c3, 11);
        var scale = Vector128.Create(1.0 / (1UL << 53));
        return (new(ToDouble53(bits0) * scale), new(ToDouble53(bits1) * scale));
    }
}
