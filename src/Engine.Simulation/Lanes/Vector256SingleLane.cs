using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Core.Random;

namespace Engine.Simulation.Lanes;

/// <summary>
/// Single precision (--precision single): 8 replicates in a Vector256&lt;float&gt;, all arithmetic in
/// float. The random stream is the double one at float resolution: each uniform is the top 24
/// bits of the same Philox word (so it equals the double uniform rounded down to a multiple of
/// 2^-24), and each normal is the ziggurat's (<see cref="Ziggurat"/>) at that resolution.
/// Accuracy is stated in bench/RESULTS.md and checked in the tests.
/// </summary>
public readonly struct Vector256SingleLane(Vector256<float> value) : ILane<Vector256SingleLane>
{
    /// <summary>The lanes' numbers.</summary>
    public readonly Vector256<float> Value = value;

    internal static readonly Vector256<uint> LaneIndex = Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);

    /// <summary>Counter word 0 of the lanes: <paramref name="counter0"/> + the lane's index (its replicate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<uint> Word0(uint counter0) => Vector256.Create(counter0) + LaneIndex;

    /// <summary>Counter word 2 of the lanes: the shared high bits and each lane's own low bits (an integer below 2^24, held as a number).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<uint> Word2(uint counter2High, Vector256<float> counter2Low) => Vector256.Create(counter2High) | Vector256.ConvertToUInt32(counter2Low);

    /// <inheritdoc />
    public static int Width => 8;
    /// <inheritdoc />
    public static string Name => "single256";
    /// <inheritdoc />
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;
    /// <inheritdoc />
    public static int MinNormalExponent => -126;
    /// <inheritdoc />
    public static Vector256SingleLane AllTrue => new(Vector256<float>.AllBitsSet);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane Broadcast(double value) => new(Vector256.Create((float)value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane operator +(Vector256SingleLane a, Vector256SingleLane b) => new(a.Value + b.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane operator -(Vector256SingleLane a, Vector256SingleLane b) => new(a.Value - b.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane operator *(Vector256SingleLane a, Vector256SingleLane b) => new(a.Value * b.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane operator /(Vector256SingleLane a, Vector256SingleLane b) => new(a.Value / b.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane Sqrt(Vector256SingleLane a) => new(Vector256.Sqrt(a.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane Exp(Vector256SingleLane a) => new(Vector256.Exp(a.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane Log(Vector256SingleLane a) => new(Vector256.Log(a.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static (Vector256SingleLane Sin, Vector256SingleLane Cos) SinCosTwoPi(Vector256SingleLane u) => LaneMath.SinCosTwoPi(u);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane Max(Vector256SingleLane a, Vector256SingleLane b) => new(Vector256.Max(a.Value, b.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane Abs(Vector256SingleLane a) => new(Vector256.Abs(a.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane Floor(Vector256SingleLane a) => new(Vector256.Floor(a.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane Round(Vector256SingleLane a) => new(Vector256.Round(a.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane MultiplyAdd(Vector256SingleLane a, Vector256SingleLane b, Vector256SingleLane c) => new(Vector256.FusedMultiplyAdd(a.Value, b.Value, c.Value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256SingleLane Mantissa, Vector256SingleLane Exponent) SplitExponent(Vector256SingleLane x)
    {
        var bits = x.Value.AsUInt32();
        var mantissa = ((bits & Vector256.Create(0x007F_FFFFu)) | Vector256.Create(0x3F80_0000u)).AsSingle();
        var exponent = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(bits, 23).AsInt32()) - Vector256.Create(127f);
        return (new(mantissa), new(exponent));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256SingleLane ScaleByPowerOfTwo(Vector256SingleLane x, Vector256SingleLane k)
    {
        // Float exponents reach only 2^-126: clamp so the power of two stays normal (the result is then about 0).
        var biased = Vector256.ConvertToInt32(Vector256.Max(k.Value, Vector256.Create(-126f)) + Vector256.Create(127f));
        return new(x.Value * Vector256.ShiftLeft(biased, 23).AsSingle());
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane LessThan(Vector256SingleLane a, Vector256SingleLane b) => new(Vector256.LessThan(a.Value, b.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane GreaterThan(Vector256SingleLane a, Vector256SingleLane b) => new(Vector256.GreaterThan(a.Value, b.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane Equal(Vector256SingleLane a, Vector256SingleLane b) => new(Vector256.Equals(a.Value, b.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane IsFinite(Vector256SingleLane a) => new(Vector256.Equals(a.Value - a.Value, Vector256<float>.Zero));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane And(Vector256SingleLane a, Vector256SingleLane b) => new(a.Value & b.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane Or(Vector256SingleLane a, Vector256SingleLane b) => new(a.Value | b.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane AndNot(Vector256SingleLane a, Vector256SingleLane notB) => new(Vector256.AndNot(a.Value, notB.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256SingleLane Select(Vector256SingleLane mask, Vector256SingleLane whenTrue, Vector256SingleLane whenFalse) =>
        new(Avx.IsSupported ? Avx.BlendVariable(whenFalse.Value, whenTrue.Value, mask.Value) : Vector256.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector256SingleLane mask) => Vector256.ExtractMostSignificantBits(mask.Value) != 0;

    /// <summary>Element of a lane; masks (all bits set) come back as a double with bits set too.</summary>
    public static double Element(Vector256SingleLane value, int lane)
    {
        float element = value.Value.GetElement(lane);
        return BitConverter.SingleToInt32Bits(element) == -1 ? BitConverter.Int64BitsToDouble(-1) : element;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static int MaskBits(Vector256SingleLane mask) => (int)Vector256.ExtractMostSignificantBits(mask.Value);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Read(ReadOnlySpan<Vector256SingleLane> values, int index, int lane) => MemoryMarshal.Cast<Vector256SingleLane, float>(values)[index * 8 + lane];
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Write(Span<Vector256SingleLane> values, int index, int lane, double value) => MemoryMarshal.Cast<Vector256SingleLane, float>(values)[index * 8 + lane] = (float)value;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256SingleLane Gather(ReadOnlySpan<Vector256SingleLane> values, int index, ReadOnlySpan<int> offsets)
    {
        var flat = MemoryMarshal.Cast<Vector256SingleLane, float>(values);
        int origin = index * 8;
        return new(Vector256.Create(flat[origin + offsets[0]], flat[origin + offsets[1]], flat[origin + offsets[2]], flat[origin + offsets[3]],
                                    flat[origin + offsets[4]], flat[origin + offsets[5]], flat[origin + offsets[6]], flat[origin + offsets[7]]));
    }

    /// <inheritdoc />
    public static Vector256SingleLane FromElements(ReadOnlySpan<double> values)
    {
        Span<float> narrow = stackalloc float[8];
        for (int lane = 0; lane < 8; lane++)
        {
            narrow[lane] = (float)values[lane];
        }
        return new(Vector256.Create<float>(narrow));
    }

    /// <inheritdoc />
    public static (Vector256SingleLane U0, Vector256SingleLane U1) UniformsWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector256SingleLane counter2Low, uint counter3) =>
        Philox(in key, Word0(counter0), counter1, Word2(counter2High, counter2Low.Value), counter3);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256SingleLane U0, Vector256SingleLane U1) UniformsPerLane(in PhiloxKey key, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3) =>
        Philox(in key, Vector256.Create<uint>(counter0[..8]), counter1, Vector256.Create<uint>(counter2[..8]), counter3);

    /// <summary>High 32 bits of the 32 x 32 products of eight lanes: even lanes and odd lanes by vpmuludq, then blended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<uint> MultiplyHigh(Vector256<uint> a, uint b)
    {
        var multiplier = Vector256.Create(b);
        Vector256<ulong> even, odd;
        if (Avx2.IsSupported)
        {
            even = Avx2.Multiply(a, multiplier);
            odd = Avx2.Multiply(Vector256.ShiftRightLogical(a.AsUInt64(), 32).AsUInt32(), multiplier);
        }
        else
        {
            even = (a.AsUInt64() & Vector256.Create(0xFFFF_FFFFUL)) * Vector256.Create((ulong)b);
            odd = Vector256.ShiftRightLogical(a.AsUInt64(), 32) * Vector256.Create((ulong)b);
        }
        var evenHigh = Vector256.ShiftRightLogical(even, 32).AsUInt32();
        var oddHigh = (odd & Vector256.Create(0xFFFF_FFFF_0000_0000UL)).AsUInt32();
        return evenHigh | oddHigh;
    }

    /// <summary>Philox4x32-10 with eight counters in the 32-bit lanes of one register; uniforms from the top 24 bits of words 0 and 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256SingleLane U0, Vector256SingleLane U1) Uniforms(in PhiloxKey key, uint counter0, uint counter1, uint counter2, uint counter3) =>
        Philox(in key, Word0(counter0), counter1, Vector256.Create(counter2), counter3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256SingleLane U0, Vector256SingleLane U1) Philox(in PhiloxKey key, Vector256<uint> c0, uint counter1, Vector256<uint> c2, uint counter3)
    {
        PhiloxBlock(in key, c0, counter1, c2, counter3, out var x0, out _, out var x2, out _);
        return (new(ToUniform(x0)), new(ToUniform(x2)));
    }

    /// <summary>Philox4x32-10 on the lanes' counters (words 1 and 3 shared).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PhiloxBlock(in PhiloxKey key, Vector256<uint> c0, uint counter1, Vector256<uint> c2, uint counter3, out Vector256<uint> x0, out Vector256<uint> x1, out Vector256<uint> x2, out Vector256<uint> x3)
    {
        x0 = c0;
        x1 = Vector256.Create(counter1);
        x2 = c2;
        x3 = Vector256.Create(counter3);
        for (int round = 0; round < Philox4x32.Rounds; round++)
        {
            PhiloxRound(ref x0, ref x1, ref x2, ref x3, in key, round);
        }
    }

    /// <summary>One Philox4x32 round on eight counters held in the 32-bit lanes of four registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void PhiloxRound(ref Vector256<uint> c0, ref Vector256<uint> c1, ref Vector256<uint> c2, ref Vector256<uint> c3, in PhiloxKey key, int round)
    {
        var high0 = MultiplyHigh(c0, Philox4x32.Multiplier0);
        var high1 = MultiplyHigh(c2, Philox4x32.Multiplier1);
        var low0 = c0 * Vector256.Create(Philox4x32.Multiplier0);
        var low1 = c2 * Vector256.Create(Philox4x32.Multiplier1);
        c0 = Xor3(high1, c1, Vector256.Create((uint)key.Word0(round)));
        c2 = Xor3(high0, c3, Vector256.Create((uint)key.Word1(round)));
        c1 = low1;
        c3 = low0;
    }

    /// <summary>a ^ b ^ c in one vpternlogd where AVX-512 has it: the JIT leaves two xors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Xor3(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(a, b, c, 0x96) : a ^ b ^ c;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256SingleLane Z0, Vector256SingleLane Z1) Normals(in PhiloxKey key, uint counter0, uint counter1, uint counter2, uint counter3) =>
        NormalsOf(in key, Word0(counter0), counter1, Vector256.Create(counter2), counter3);

    /// <inheritdoc />
    public static (Vector256SingleLane Z0, Vector256SingleLane Z1) NormalsWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector256SingleLane counter2Low, uint counter3) =>
        NormalsOf(in key, Word0(counter0), counter1, Word2(counter2High, counter2Low.Value), counter3);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256SingleLane Z0, Vector256SingleLane Z1) NormalsPerLane(in PhiloxKey key, ReadOnlySpan<uint> counter0, uint counter1, ReadOnlySpan<uint> counter2, uint counter3) =>
        NormalsOf(in key, Vector256.Create<uint>(counter0[..8]), counter1, Vector256.Create<uint>(counter2[..8]), counter3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256SingleLane Z0, Vector256SingleLane Z1) NormalsOf(in PhiloxKey key, Vector256<uint> c0, uint counter1, Vector256<uint> c2, uint counter3)
    {
        PhiloxBlock(in key, c0, counter1, c2, counter3, out var x0, out var x1, out var x2, out var x3);
        var z0 = ZigguratFast(ToUniform(x0), x1, out var reject0);
        var z1 = ZigguratFast(ToUniform(x2), x3, out var reject1);
        uint rejected0 = Vector256.ExtractMostSignificantBits(reject0), rejected1 = Vector256.ExtractMostSignificantBits(reject1);
        if ((rejected0 | rejected1) != 0)
        {
            // Each only where its own lanes were rejected: a call passes every counter through the stack.
            if (rejected0 != 0)
            {
                z0 = ZigguratFinish(z0, rejected0, in key, c0, counter1, c2, counter3, 0);
            }
            if (rejected1 != 0)
            {
                z1 = ZigguratFinish(z1, rejected1, in key, c0, counter1, c2, counter3, 1);
            }
        }
        return (new(z0), new(z1));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256SingleLane Z, Vector256SingleLane U) NormalAndUniformWithWord2(in PhiloxKey key, uint counter0, uint counter1, uint counter2High, Vector256SingleLane counter2Low, uint counter3) =>
        NormalAndUniformOf(in key, Word0(counter0), counter1, Word2(counter2High, counter2Low.Value), counter3);

    /// <summary>As <see cref="NormalsOf"/>, the ziggurat on words 0 and 1 only, and the uniform of word 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256SingleLane Z, Vector256SingleLane U) NormalAndUniformOf(in PhiloxKey key, Vector256<uint> c0, uint counter1, Vector256<uint> c2, uint counter3)
    {
        PhiloxBlock(in key, c0, counter1, c2, counter3, out var x0, out var x1, out var x2, out _);
        var z = ZigguratFast(ToUniform(x0), x1, out var reject);
        uint rejected = Vector256.ExtractMostSignificantBits(reject);
        if (rejected != 0)
        {
            z = ZigguratFinish(z, rejected, in key, c0, counter1, c2, counter3, 0);
        }
        return (new(z), new(ToUniform(x2)));
    }

    /// <summary>The ziggurat's fast path in float (<see cref="Ziggurat"/>): u W[layer] signed, the lanes with u &gt;= R[layer] marked in <paramref name="reject"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe Vector256<float> ZigguratFast(Vector256<float> u, Vector256<uint> bits, out Vector256<float> reject)
    {
        var layer = (bits & Vector256.Create(Ziggurat.LayerMask)).AsInt32();
        Vector256<float> width, ratio;
        // (width, ratio) float pairs read as one 64-bit element per lane: two 4-element gathers and two
        // shuffles instead of two 8-element gathers (measured faster, bench/RESULTS.md).
        fixed (float* pairs = Ziggurat.WidthRatioPairsSingle)
        {
            if (Avx2.IsSupported)
            {
                var low = Avx2.GatherVector256((double*)pairs, layer.GetLower(), 8).AsSingle();
                var high = Avx2.GatherVector256((double*)pairs, layer.GetUpper(), 8).AsSingle();
                // Per 128-bit half: (w0, w1, w4, w5 | w2, w3, w6, w7), then the 64-bit quarters put in order.
                width = Avx2.Permute4x64(Avx.Shuffle(low, high, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
                ratio = Avx2.Permute4x64(Avx.Shuffle(low, high, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();
            }
            else
            {
                (width, ratio) = ZigguratPairsByElement(pairs, layer);
            }
        }
        reject = Vector256.GreaterThanOrEqual(u, ratio);
        var sign = Vector256.ShiftLeft(bits & Vector256.Create(Ziggurat.SignBit), 31 - 10);
        return ((u * width).AsUInt32() ^ sign).AsSingle();
    }

    /// <summary>The (width, ratio) pairs element by element, without AVX2; out of line, off the fast path's inlining budget.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe (Vector256<float> Width, Vector256<float> Ratio) ZigguratPairsByElement(float* pairs, Vector256<int> layer)
    {
        var width = Vector256<float>.Zero;
        var ratio = Vector256<float>.Zero;
        for (int j = 0; j < 8; j++)
        {
            width = width.WithElement(j, pairs[2 * layer.GetElement(j)]);
            ratio = ratio.WithElement(j, pairs[2 * layer.GetElement(j) + 1]);
        }
        return (width, ratio);
    }

    /// <summary>The lanes in <paramref name="rejected"/> (bit j for lane j) finished one by one by <see cref="Ziggurat.NormalOfBlockSingle"/> on their own counters (rare: out of line).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static Vector256<float> ZigguratFinish(Vector256<float> z, uint rejected, in PhiloxKey key, Vector256<uint> c0, uint counter1, Vector256<uint> c2, uint counter3, int normal)
    {
        while (rejected != 0)
        {
            int j = System.Numerics.BitOperations.TrailingZeroCount(rejected);
            rejected &= rejected - 1;
            z = z.WithElement(j, Ziggurat.NormalOfBlockSingle(key.Key0, key.Key1, c0.GetElement(j), counter1, c2.GetElement(j), counter3, normal));
        }
        return z;
    }

    /// <summary>A uniform in [0, 1) from the top 24 bits of a Philox word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> ToUniform(Vector256<uint> word) =>
        Vector256.ConvertToSingle(Vector256.ShiftRightLogical(word, 8).AsInt32()) * Vector256.Create(1f / (1 << 24));
}
