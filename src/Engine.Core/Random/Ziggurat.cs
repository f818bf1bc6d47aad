using System.Runtime.CompilerServices;

namespace Engine.Core.Random;

/// <summary>Where the ziggurat reads its layers: the host's table, or a copy in device memory (the GPU kernels).</summary>
public interface IZigguratTable<TSelf> where TSelf : IZigguratTable<TSelf>
{
    /// <summary>Entry <paramref name="index"/> of the table laid out as <see cref="Ziggurat.Table"/>.</summary>
    static abstract double Read(TSelf table, int index);
}

/// <summary>
/// Exact standard normals by Marsaglia and Tsang's ziggurat (J. Stat. Softw. 5(8), 2000), with
/// <see cref="Layers"/> layers of equal area under exp(-x^2 / 2), on counter-based uniforms.
/// <para>
/// A Philox block (four 32-bit words) gives two normals. Normal 0 takes its position from the
/// 53-bit uniform of words (0, 1) and its layer and sign from the low 11 bits of word 1, which
/// the uniform does not use (<see cref="ReplicateStream.UniformFromBits"/> drops them); normal 1
/// does the same with words (2, 3). In single precision the position is the top 24 bits of word 0
/// (word 2) and the layer and sign are still the low 11 bits of word 1 (word 3). The fast path,
/// taken by <see cref="FastFraction"/> of the draws, is x = u W[layer] when u &lt; R[layer]: one
/// multiply, one compare and two table reads, which SIMD lanes do with gathers.
/// </para>
/// <para>
/// The rest (a wedge or the tail) finishes the same draw exactly on further uniforms, one Philox
/// block per attempt, keyed by the block's own counter under key word 1 xor
/// <see cref="RetryKey"/>(normal, attempt): so a lane that leaves the fast path reads only its own
/// replicate's numbers, and SIMD lanes, scalar code and GPU threads finish it identically. The
/// tail is Marsaglia's: x = -ln(1 - v) / r, y = -ln(1 - w), accepted when 2 y &gt; x^2, giving r + x.
/// A wedge compares f(x[layer]) + w (f(x[layer + 1]) - f(x[layer])) with exp(-x^2 / 2); on rejection
/// the block's uniform v (with the layer and sign bits of its word 1) is the next trial.
/// </para>
/// </summary>
public static partial class Ziggurat
{
    /// <summary>N, the layers: 10 bits of layer index and one sign bit, the 11 bits the 53-bit uniform leaves free.</summary>
    public const int Layers = 1024;
    /// <summary>The layer bits of a draw's word.</summary>
    public const uint LayerMask = Layers - 1;
    /// <summary>The sign bit of a draw's word.</summary>
    public const uint SignBit = Layers;
    /// <summary>Where the widths x[k] begin in <see cref="Table"/>.</summary>
    public const int WidthOffset = 0;
    /// <summary>Where the ratios x[k + 1] / x[k] begin.</summary>
    public const int RatioOffset = Layers;
    /// <summary>Where the heights f(x[k]) begin (N + 1 of them).</summary>
    public const int HeightOffset = 2 * Layers;
    /// <summary>Entries of <see cref="Table"/>.</summary>
    public const int TableLength = 3 * Layers + 1;

    /// <summary>The layers: N widths, N ratios, N + 1 heights (ZigguratTables.cs, written by ziggurat.py).</summary>
    public static ReadOnlySpan<double> Table => s_table;

    /// <summary>((float)x[k], (float)(x[k + 1] / x[k])) side by side for every layer, for the single-precision lanes' fast path.</summary>
    public static float[] WidthRatioPairsSingle => Narrowed.PairsSingle;

    /// <summary>(x[k], x[k + 1] / x[k]) side by side for every layer: one 16-byte load per lane gives both (the 512-bit lanes, which have no gather).</summary>
    public static double[] WidthRatioPairs => Narrowed.Pairs;

    // A class of its own: the table's initialiser is in the other part of this partial class, whose order against this one is not defined.
    private static class Narrowed
    {
        internal static readonly double[] Pairs = Interleave();
        internal static readonly float[] PairsSingle = Narrow(Pairs);

        private static double[] Interleave()
        {
            var pairs = new double[2 * Layers];
            for (int k = 0; k < Layers; k++)
            {
                pairs[2 * k] = s_table[WidthOffset + k];
                pairs[2 * k + 1] = s_table[RatioOffset + k];
            }
            return pairs;
        }

        private static float[] Narrow(double[] values)
        {
            var narrow = new float[values.Length];
            for (int k = 0; k < values.Length; k++)
            {
                narrow[k] = (float)values[k];
            }
            return narrow;
        }
    }

    /// <summary>Key word 1 is xored with this on attempt <paramref name="attempt"/> (1, 2, ...) of normal <paramref name="normal"/> (0 or 1) of a block; it keeps replicate &gt;&gt; 32 below 2^16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint RetryKey(int normal, uint attempt) => 0x8000_0000u | ((uint)normal << 30) | ((attempt & 0x3FFF) << 16);

    /// <summary>The two normals of the block (key, counter) at double resolution.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Z0, double Z1) NormalPair(uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3) =>
        NormalPair(new HostTable(), key0, key1, counter0, counter1, counter2, counter3);

    /// <summary>The two normals of the block at double resolution, the layers read from <paramref name="table"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Z0, double Z1) NormalPair<TTable>(TTable table, uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3)
        where TTable : IZigguratTable<TTable>
    {
        var block = Philox4x32.Generate(key0, key1, counter0, counter1, counter2, counter3);
        double u0 = ReplicateStream.UniformFromBits(block.X0, block.X1), u1 = ReplicateStream.UniformFromBits(block.X2, block.X3);
        double z0 = Normal(table, u0, block.X1, key0, key1, counter0, counter1, counter2, counter3, 0);
        double z1 = Normal(table, u1, block.X3, key0, key1, counter0, counter1, counter2, counter3, 1);
        return (z0, z1);
    }

    /// <summary>The two normals of the block at float resolution (the single-precision lanes' stream), the layers read from <paramref name="table"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Z0, float Z1) NormalPairSingle<TTable>(TTable table, uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3)
        where TTable : IZigguratTable<TTable>
    {
        var block = Philox4x32.Generate(key0, key1, counter0, counter1, counter2, counter3);
        float u0 = UniformSingle(block.X0), u1 = UniformSingle(block.X2);
        float z0 = NormalSingle(table, u0, block.X1, key0, key1, counter0, counter1, counter2, counter3, 0);
        float z1 = NormalSingle(table, u1, block.X3, key0, key1, counter0, counter1, counter2, counter3, 1);
        return (z0, z1);
    }

    /// <summary>
    /// The block's normal 0 (words 0 and 1, as <see cref="NormalPair{TTable}"/> draws it) and the
    /// uniform of words 2 and 3 at double resolution: one block for a rejection sampler's attempt
    /// that needs a normal and a uniform (the gamma sampler).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Z, double U) NormalAndUniform<TTable>(TTable table, uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3)
        where TTable : IZigguratTable<TTable>
    {
        var block = Philox4x32.Generate(key0, key1, counter0, counter1, counter2, counter3);
        double u0 = ReplicateStream.UniformFromBits(block.X0, block.X1);
        double z = Normal(table, u0, block.X1, key0, key1, counter0, counter1, counter2, counter3, 0);
        return (z, ReplicateStream.UniformFromBits(block.X2, block.X3));
    }

    /// <summary>As <see cref="NormalAndUniform{TTable}"/> at float resolution (the single-precision lanes' stream).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (float Z, float U) NormalAndUniformSingle<TTable>(TTable table, uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3)
        where TTable : IZigguratTable<TTable>
    {
        var block = Philox4x32.Generate(key0, key1, counter0, counter1, counter2, counter3);
        float u0 = UniformSingle(block.X0);
        float z = NormalSingle(table, u0, block.X1, key0, key1, counter0, counter1, counter2, counter3, 0);
        return (z, UniformSingle(block.X2));
    }

    /// <summary>
    /// Normal <paramref name="normal"/> (0 or 1) of the block at double resolution, as
    /// <see cref="NormalPair(uint, uint, uint, uint, uint, uint)"/> draws it: the SIMD lanes finish their
    /// rejected lanes with it (recomputing the block is cheaper than keeping it live in registers).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double NormalOfBlock(uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3, int normal)
    {
        var (z0, z1) = NormalPair(key0, key1, counter0, counter1, counter2, counter3);
        return normal == 0 ? z0 : z1;
    }

    /// <summary>Normal <paramref name="normal"/> of the block at float resolution, as <see cref="NormalPairSingle"/> draws it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float NormalOfBlockSingle(uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3, int normal)
    {
        var (z0, z1) = NormalPairSingle(new HostTable(), key0, key1, counter0, counter1, counter2, counter3);
        return normal == 0 ? z0 : z1;
    }

    /// <summary>A uniform in [0, 1) from the top 24 bits of a Philox word (the single-precision stream).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float UniformSingle(uint word) => (int)(word >> 8) * (1f / (1 << 24));

    /// <summary>Normal <paramref name="normal"/> of a block from its position uniform and the word holding its layer and sign, at double resolution.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Normal<TTable>(TTable table, double u, uint bits, uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3, int normal)
        where TTable : IZigguratTable<TTable> =>
        Accepted(table, u, bits) ? Fast(table, u, bits) : Slow(table, false, u, bits, key0, key1, counter0, counter1, counter2, counter3, normal);

    /// <summary>As <see cref="Normal{TTable}"/> at float resolution, decided in float arithmetic as the float lanes decide it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float NormalSingle<TTable>(TTable table, float u, uint bits, uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3, int normal)
        where TTable : IZigguratTable<TTable> =>
        AcceptedSingle(table, u, bits) ? FastSingle(table, u, bits) : (float)Slow(table, true, u, bits, key0, key1, counter0, counter1, counter2, counter3, normal);

    /// <summary>Whether the fast path takes the draw at double resolution: u &lt; R[layer].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Accepted<TTable>(TTable table, double u, uint bits) where TTable : IZigguratTable<TTable> =>
        u < TTable.Read(table, RatioOffset + (int)(bits & LayerMask));

    /// <summary>The fast path at double resolution: u W[layer], signed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Fast<TTable>(TTable table, double u, uint bits) where TTable : IZigguratTable<TTable>
    {
        double x = u * TTable.Read(table, WidthOffset + (int)(bits & LayerMask));
        return (bits & SignBit) != 0 ? -x : x;
    }

    /// <summary>Whether the fast path takes the draw in float arithmetic, as the float lanes decide it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AcceptedSingle<TTable>(TTable table, float u, uint bits) where TTable : IZigguratTable<TTable> =>
        u < (float)TTable.Read(table, RatioOffset + (int)(bits & LayerMask));

    /// <summary>The fast path in float arithmetic, as the float lanes compute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float FastSingle<TTable>(TTable table, float u, uint bits) where TTable : IZigguratTable<TTable>
    {
        float x = u * (float)TTable.Read(table, WidthOffset + (int)(bits & LayerMask));
        return (bits & SignBit) != 0 ? -x : x;
    }

    /// <summary>
    /// Finishes a draw that left the fast path (a wedge or the tail), on the retry blocks of its own
    /// counter, in double arithmetic at either resolution. SIMD lanes call it lane by lane.
    /// </summary>
    /// <param name="table">The layers.</param>
    /// <param name="single">Whether the retry uniforms are at float resolution (the single-precision stream).</param>
    /// <param name="u">The draw's position uniform.</param>
    /// <param name="bits">The word holding its layer and sign.</param>
    /// <param name="key0">Key word 0 of the draw's block.</param>
    /// <param name="key1">Key word 1 of the draw's block.</param>
    /// <param name="counter0">Counter word 0 of the draw's block.</param>
    /// <param name="counter1">Counter word 1.</param>
    /// <param name="counter2">Counter word 2.</param>
    /// <param name="counter3">Counter word 3.</param>
    /// <param name="normal">Which normal of the block (0 or 1).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Slow<TTable>(TTable table, bool single, double u, uint bits, uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3, int normal)
        where TTable : IZigguratTable<TTable>
    {
        int layer = (int)(bits & LayerMask);
        bool negative = (bits & SignBit) != 0;
        double x = 0;
        for (uint attempt = 1; ; attempt++)
        {
            var block = Philox4x32.Generate(key0, key1 ^ RetryKey(normal, attempt), counter0, counter1, counter2, counter3);
            double v = single ? UniformSingle(block.X0) : ReplicateStream.UniformFromBits(block.X0, block.X1);
            double w = single ? UniformSingle(block.X2) : ReplicateStream.UniformFromBits(block.X2, block.X3);
            if (layer == 0)
            {
                x = -Math.Log(1.0 - v) / TailStart;
                double y = -Math.Log(1.0 - w);
                if (y + y > x * x)
                {
                    x += TailStart;
                    break;
                }
                continue;
            }
            x = u * TTable.Read(table, WidthOffset + layer);
            double below = TTable.Read(table, HeightOffset + layer), above = TTable.Read(table, HeightOffset + layer + 1);
            if (below + w * (above - below) < Math.Exp(-0.5 * x * x))
            {
                break;
            }
            u = v;
            layer = (int)(block.X1 & LayerMask);
            negative = (block.X1 & SignBit) != 0;
            if (u < TTable.Read(table, RatioOffset + layer))
            {
                x = u * TTable.Read(table, WidthOffset + layer);
                break;
            }
        }
        return negative ? -x : x;
    }

    /// <summary>The host's table.</summary>
    public readonly struct HostTable : IZigguratTable<HostTable>
    {
        /// <inheritdoc />
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Read(HostTable table, int index) => s_table[index];
    }
}
