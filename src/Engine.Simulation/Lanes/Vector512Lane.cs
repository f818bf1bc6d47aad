using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Core.Random;

namespace Engine.Simulation.Lanes;

// Generated from VectorLane.template by generate.py: edit the template, not this file.
/// <summary>8 replicates in a Vector512&lt;double&gt;.</summary>
public readonly struct Vector512Lane(Vector512<double> value) : ILane<Vector512Lane>
{
    /// <summary>The lanes' numbers.</summary>
    public readonly Vector512<double> Value = value;

    internal static readonly Vector512<ulong> LaneIndex = Vector512.Create(0UL, 1UL, 2UL, 3UL, 4UL, 5UL, 6UL, 7UL);

    /// <summary>Counter word 0 of the lanes: <paramref name="counter0"/> + the lane's index (its replicate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<ulong> Word0(uint counter0) => Vector512.Create((ulong)counter0) + LaneIndex;

    /// <summary>Counter word 2 of the lanes: the shared high bits and each lane's own low bits (an integer below 2^24, held as a number).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<ulong> Word2(uint counter2High, Vector512<double> counter2Low) => Vector512.Create((ulong)counter2High) | Vector512.ConvertToUInt64(counter2Low);
    internal static readonly Vector512<ulong> Low32 = Vector512.Create(0xFFFF_FFFFUL);
    private static readonly Vector512<ulong> ExponentBits = Vector512.Create(0x4330_0000_0000_0000UL);
    private static readonly Vector512<double> TwoTo52 = Vector512.Create(4503599627370496.0);

    /// <inheritdoc />
    public static int Width => 8;
    /// <inheritdoc />
    public static string Name => "vector512";
    /// <inheritdoc />
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;
    /// <inheritdoc />
    public static int MinNormalExponent => -1022;
    /// <inheritdoc />
    public static Vector512Lane AllTrue => new(Vector512<double>.AllBitsSet);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane Broadcast(double value) => new(Vector512.Create(value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane operator +(Vector512Lane a, Vector512Lane b) => new(a.Value + b.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane operator -(Vector512Lane a, Vector512Lane b) => new(a.Value - b.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane operator *(Vector512Lane a, Vector512Lane b) => new(a.Value * b.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane operator /(Vector512Lane a, Vector512Lane b) => new(a.Value / b.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane Sqrt(Vector512Lane a) => new(Vector512.Sqrt(a.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane Exp(Vector512Lane a) => LaneMath.Exp(a);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane Log(Vector512Lane a) => LaneMath.Log(a);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static (Vector512Lane Sin, Vector512Lane Cos) SinCosTwoPi(Vector512Lane u) => LaneMath.SinCosTwoPi(u);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane Round(Vector512Lane a) => new(Vector512.Round(a.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane MultiplyAdd(Vector512Lane a, Vector512Lane b, Vector512Lane c) => new(Vector512.FusedMultiplyAdd(a.Value, b.Value, c.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane Equal(Vector512Lane a, Vector512Lane b) => new(Vector512.Equals(a.Value, b.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane Or(Vector512Lane a, Vector512Lane b) => new(a.Value | b.Value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512Lane Mantissa, Vector512Lane Exponent) SplitExponent(Vector512Lane x)
    {
        var bits = x.Value.AsUInt64();
        var mantissa = ((bits & Vector512.Create(0x000F_FFFF_FFFF_FFFFUL)) | Vector512.Create(0x3FF0_0000_0000_0000UL)).AsDouble();
        var biased = (Vector512.ShiftRightLogical(bits, 52) | ExponentBits).AsDouble() - TwoTo52;
        return (new(mantissa), new(biased - Vector512.Create(1023.0)));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane ScaleByPowerOfTwo(Vector512Lane x, Vector512Lane k)
    {
        // k + 1023 + 2^52 holds the biased exponent in its low bits; shifting by 52 makes it a power of two.
        var biased = (k.Value + Vector512.Create(1023.0) + TwoTo52).AsUInt64();
        return new(x.Value * Vector512.ShiftLeft(biased, 52).AsDouble());
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane Max(Vector512Lane a, Vector512Lane b) => new(Vector512.Max(a.Value, b.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane Abs(Vector512Lane a) => new(Vector512.Abs(a.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane Floor(Vector512Lane a) => new(Vector512.Floor(a.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane LessThan(Vector512Lane a, Vector512Lane b) => new(Vector512.LessThan(a.Value, b.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane GreaterThan(Vector512Lane a, Vector512Lane b) => new(Vector512.GreaterThan(a.Value, b.Value));
    // x - x is 0 exactly for finite x and NaN for infinities and NaN.
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane IsFinite(Vector512Lane a) => new(Vector512.Equals(a.Value - a.Value, Vector512<double>.Zero));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane And(Vector512Lane a, Vector512Lane b) => new(a.Value & b.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane AndNot(Vector512Lane a, Vector512Lane notB) => new(Vector512.AndNot(a.Value, notB.Value));
    // Masks are all ones or all zeros per lane, so a blend on the sign bit is the same select in one instruction instead of three.
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane Select(Vector512Lane mask, Vector512Lane whenTrue, Vector512Lane whenFalse) => new(Vector512.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector512Lane mask) => Vector512.ExtractMostSignificantBits(mask.Value) != 0;
    /// <inheritdoc />
    public static double Element(Vector512Lane value, int lane) => value.Value.GetElement(lane);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static int MaskBits(Vector512Lane mask) => (int)Vector512.ExtractMostSignificantBits(mask.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Read(ReadOnlySpan<Vector512Lane> values, int index, int lane) => MemoryMarshal.Cast<Vector512Lane, double>(values)[index * 8 + lane];
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Write(Span<Vector512Lane> values, int index, int lane, double value) => MemoryMarshal.Cast<Vector512Lane, double>(values)[index * 8 + lane] = value;
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane Gather(ReadOnlySpan<Vector512Lane> values, int index, ReadOnlySpan<int> offsets)
    {
        var flat = MemoryMarshal.Cast<Vector512Lane, double>(values);
        int origin = index * 8;
        return new(Vector512.Create(flat[origin + offsets[0]], flat[origin + offsets[1]], flat[origin + offsets[2]], flat[origin + offsets[3]], flat[origin + offsets[4]], flat[origin + offsets[5]], flat[origin + offsets[6]], flat[origin + offsets[7]]));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512Lane FromElements(ReadOnlySpan<double> values) => new(Vector512.Create(values[..8]));

    /// <summary>32 x 32 -> 64-bit products of the low halves of each 64-bit lane, whatever the high halves hold (vpmuludq where available).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<ulong> MultiplyLow32(Vector512<ulong> a, Vector512<ulong> b) =>
        Avx512F.IsSupported ? Avx512F.Multiply(a.AsUInt32(), b.AsUInt32()) : (a & Low32) * (b & Low32);

    /// <summary>a ^ b ^ c in one instruction where AVX-512 has it (vpternlogq): the JIT leaves two xors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<ulong> Xor3(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> c) =>
        Avx512F.IsSupported ? Avx512F.TernaryLogic(a, b, c, 0x96) : a ^ b ^ c;

    /// <summary>
    /// The 53-bit uniform (high 2^21 + low &gt;&gt; 11) 2^-53 of two Philox words, each in the low 32 bits of a
    /// lane (the high bits are ignored): both parts converted exactly by the 2^52 exponent trick, then
    /// joined by one fused multiply-add, which is exact because the sum has at most 53 significant bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> ToUniform(Vector512<ulong> high, Vector512<ulong> low)
    {
        var highPart = ((high & Low32) | ExponentBits).AsDouble() - TwoTo52;
        var lowPart = (Vector512.ShiftRightLogical(low & Low32, 11) | ExponentBits).AsDouble() - TwoTo52;
        return Vector512.FusedMultiplyAdd(highPart, Vector512.Create(1.0 / 4294967296.0), lowPart * Vector512.Create(1.0 / (1UL << 53)));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512Lane U0, Vector512Lane U1) Uniforms(in PhiloxKey key, uint counter0, uint counter1, uint counter2, uint counter3) =>
        Philox(in key, Word0(counter0), Vector512.Create((ulong)counter1), Vector512.Create((ulong)counter2), Vector512.Create((ulong)counter3));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512Lane U0, Vector512Lane U1) UniformsWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector512Lane counter2Low, uint counter3) =>
        Philox(in key, Word0(counter0), Vector512.Create((ulong)counter1),
            Word2(counter2High, counter2Low.Value), Vector512.Create((ulong)counter3));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512Lane U0, Vector512Lane U1) UniformsPerLane(in PhiloxKey key, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3) =>
        Philox(in key, Widen(counter0), Vector512.Create((ulong)counter1), Widen(counter2), Vector512.Create((ulong)counter3));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512Lane Z0, Vector512Lane Z1) Normals(in PhiloxKey key, uint counter0, uint counter1, uint counter2, uint counter3) =>
        NormalsOf(in key, Word0(counter0), Vector512.Create((ulong)counter1), Vector512.Create((ulong)counter2), Vector512.Create((ulong)counter3));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512Lane Z0, Vector512Lane Z1) NormalsWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector512Lane counter2Low, uint counter3) =>
        NormalsOf(in key, Word0(counter0), Vector512.Create((ulong)counter1),
            Word2(counter2High, counter2Low.Value), Vector512.Create((ulong)counter3));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512Lane Z0, Vector512Lane Z1) NormalsPerLane(in PhiloxKey key, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3) =>
        NormalsOf(in key, Widen(counter0), Vector512.Create((ulong)counter1), Widen(counter2), Vector512.Create((ulong)counter3));

    /// <summary>Philox4x32-10 on the lanes' counters (one 32-bit word in the low half of each 64-bit lane), then the ziggurat.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512Lane Z0, Vector512Lane Z1) NormalsOf(in PhiloxKey key, Vector512<ulong> c0, Vector512<ulong> c1, Vector512<ulong> c2, Vector512<ulong> c3)
    {
        Vector512<ulong> x0 = c0, x1 = c1, x2 = c2, x3 = c3;
        PhiloxRounds(in key, ref x0, ref x1, ref x2, ref x3);
        var z0 = ZigguratFast(ToUniform(x0, x1), x1, out var reject0);
        var z1 = ZigguratFast(ToUniform(x2, x3), x3, out var reject1);
        uint rejected0 = (uint)Vector512.ExtractMostSignificantBits(reject0), rejected1 = (uint)Vector512.ExtractMostSignificantBits(reject1);
        if ((rejected0 | rejected1) != 0)
        {
            // Each only where its own lanes were rejected: a call passes every counter through the stack.
            if (rejected0 != 0)
            {
                z0 = ZigguratFinish(z0, rejected0, in key, c0, c1, c2, c3, 0);
            }
            if (rejected1 != 0)
            {
                z1 = ZigguratFinish(z1, rejected1, in key, c0, c1, c2, c3, 1);
            }
        }
        return (new(z0), new(z1));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512Lane Z, Vector512Lane U) NormalAndUniformWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector512Lane counter2Low, uint counter3) =>
        NormalAndUniformOf(in key, Word0(counter0), Vector512.Create((ulong)counter1),
            Word2(counter2High, counter2Low.Value), Vector512.Create((ulong)counter3));

    /// <summary>As <see cref="NormalsOf"/>, the ziggurat on words 0 and 1 only, and the uniform of words 2 and 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512Lane Z, Vector512Lane U) NormalAndUniformOf(in PhiloxKey key, Vector512<ulong> c0, Vector512<ulong> c1, Vector512<ulong> c2, Vector512<ulong> c3)
    {
        Vector512<ulong> x0 = c0, x1 = c1, x2 = c2, x3 = c3;
        PhiloxRounds(in key, ref x0, ref x1, ref x2, ref x3);
        var z = ZigguratFast(ToUniform(x0, x1), x1, out var reject);
        uint rejected = (uint)Vector512.ExtractMostSignificantBits(reject);
        if (rejected != 0)
        {
            z = ZigguratFinish(z, rejected, in key, c0, c1, c2, c3, 0);
        }
        return (new(z), new(ToUniform(x2, x3)));
    }

    /// <summary>
    /// The ziggurat's fast path: u W[layer], its sign bit xored in from the word's sign bit; the
    /// lanes where u &gt;= R[layer] are marked in <paramref name="reject"/> (a wedge or the tail).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe Vector512<double> ZigguratFast(Vector512<double> u, Vector512<ulong> bits, out Vector512<double> reject)
    {
        var layer = (bits & Vector512.Create((ulong)Ziggurat.LayerMask)).AsInt64();
        Vector512<double> width, ratio;
        // One 16-byte load of (x[k], x[k + 1] / x[k]) per lane, then an unpack: measured faster than two gathers (bench/RESULTS.md).
        fixed (double* pairs = Ziggurat.WidthRatioPairs)
        {
            if (Avx512F.IsSupported)
            {
                var even = Vector512.Create(Vector256.Create(Vector128.Load(pairs + 2 * layer.GetElement(0)), Vector128.Load(pairs + 2 * layer.GetElement(2))), Vector256.Create(Vector128.Load(pairs + 2 * layer.GetElement(4)), Vector128.Load(pairs + 2 * layer.GetElement(6))));
                var odd = Vector512.Create(Vector256.Create(Vector128.Load(pairs + 2 * layer.GetElement(1)), Vector128.Load(pairs + 2 * layer.GetElement(3))), Vector256.Create(Vector128.Load(pairs + 2 * layer.GetElement(5)), Vector128.Load(pairs + 2 * layer.GetElement(7))));
                width = Avx512F.UnpackLow(even, odd);
                ratio = Avx512F.UnpackHigh(even, odd);
            }
            else
            {
                (width, ratio) = ZigguratPairsByElement(pairs, layer);
            }
        }
        reject = Vector512.GreaterThanOrEqual(u, ratio);
        var sign = Vector512.ShiftLeft(bits & Vector512.Create((ulong)Ziggurat.SignBit), 63 - 10);
        return ((u * width).AsUInt64() ^ sign).AsDouble();
    }

    /// <summary>
    /// The (width, ratio) pairs element by element, where the unpack instruction is missing; out of
    /// line, so that it does not count against the inlining budget of the fast path's callers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe (Vector512<double> Width, Vector512<double> Ratio) ZigguratPairsByElement(double* pairs, Vector512<long> layer)
    {
        var width = Vector512<double>.Zero;
        var ratio = Vector512<double>.Zero;
        for (int j = 0; j < 8; j++)
        {
            width = width.WithElement(j, pairs[2 * layer.GetElement(j)]);
            ratio = ratio.WithElement(j, pairs[2 * layer.GetElement(j) + 1]);
        }
        return (width, ratio);
    }

    /// <summary>
    /// The lanes in <paramref name="rejected"/> (bit j for lane j) finished one by one by the scalar
    /// <see cref="Ziggurat.NormalOfBlock"/> on their own counters. Rare, so out of line, and it takes
    /// only the counters: the fast path's values need not stay live across the branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static Vector512<double> ZigguratFinish(Vector512<double> z, uint rejected, in PhiloxKey key,
        Vector512<ulong> c0, Vector512<ulong> c1, Vector512<ulong> c2, Vector512<ulong> c3, int normal)
    {
        while (rejected != 0)
        {
            int j = System.Numerics.BitOperations.TrailingZeroCount(rejected);
            rejected &= rejected - 1;
            z = z.WithElement(j, Ziggurat.NormalOfBlock(key.Key0, key.Key1, (uint)c0.GetElement(j), (uint)c1.GetElement(j), (uint)c2.GetElement(j), (uint)c3.GetElement(j), normal));
        }
        return z;
    }

    /// <summary>8 32-bit counter words zero-extended into the 64-bit lanes (one vpmovzxdq where available).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<ulong> Widen(ReadOnlySpan<uint> values) => Vector512.WidenLower(Vector256.Create(values[..8]).ToVector512Unsafe());

    /// <summary>
    /// One Philox4x32 round on 64-bit lanes that each hold one 32-bit word in their low half. The high
    /// halves may hold garbage: the multiply reads only the low halves and <see cref="ToUniform"/>
    /// masks once at the end, so no round masks its products.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void PhiloxRound(ref Vector512<ulong> c0, ref Vector512<ulong> c1, ref Vector512<ulong> c2, ref Vector512<ulong> c3, in PhiloxKey key, int round)
    {
        var product0 = MultiplyLow32(Vector512.Create((ulong)Philox4x32.Multiplier0), c0);
        var product1 = MultiplyLow32(Vector512.Create((ulong)Philox4x32.Multiplier1), c2);
        c0 = Xor3(Vector512.ShiftRightLogical(product1, 32), c1, Vector512.Create(key.Word0(round)));
        c2 = Xor3(Vector512.ShiftRightLogical(product0, 32), c3, Vector512.Create(key.Word1(round)));
        c1 = product1;
        c3 = product0;
    }

    /// <summary>Philox4x32-10 on the lanes' counters, then the two 53-bit uniforms.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512Lane U0, Vector512Lane U1) Philox(in PhiloxKey key, Vector512<ulong> c0, Vector512<ulong> c1, Vector512<ulong> c2, Vector512<ulong> c3)
    {
        PhiloxRounds(in key, ref c0, ref c1, ref c2, ref c3);
        return (new(ToUniform(c0, c1)), new(ToUniform(c2, c3)));
    }

    /// <summary>The ten Philox4x32 rounds on the lanes' counters, in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PhiloxRounds(in PhiloxKey key, ref Vector512<ulong> c0, ref Vector512<ulong> c1, ref Vector512<ulong> c2, ref Vector512<ulong> c3)
    {
        for (int round = 0; round < Philox4x32.Rounds; round++)
        {
            PhiloxRound(ref c0, ref c1, ref c2, ref c3, in key, round);
        }
    }
}
