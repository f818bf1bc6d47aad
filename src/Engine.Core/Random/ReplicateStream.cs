using System.Runtime.CompilerServices;

namespace Engine.Core.Random;

/// <summary>
/// The random stream layout of the engine. Every draw is addressed by
/// (seed, replicate, round, model, sample slot, draw block) and nothing else, so results do not
/// depend on thread count, SIMD width, shard layout, backend or the order in which work runs,
/// and the two arms of an influence estimate share every random number (common random numbers).
/// <code>
/// Philox4x32-10 key     = (seed, replicate >> 32)
/// Philox4x32-10 counter = (replicate &amp; 0xFFFFFFFF, round, model &lt;&lt; 24 | slot, block)
///
/// slot  = index of the training sample (0 .. n-1) that model `model` draws in round `round`
///         (round 1 is the first refit; round 0 is the initial model and draws nothing)
/// block 0         : (u_source, u_choice) - two 53-bit uniforms in [0, 1):
///                   u_source picks the mixture component (multinomial mixture),
///                   u_choice picks the curated candidate (finite K)
/// block 1 + b     : the normals z[2b], z[2b+1] by the ziggurat (<see cref="Ziggurat"/>)
/// candidate k of a curated draw uses z[k*d .. k*d+d-1]; every other draw (real, self, cross,
/// K = 1, K = inf) uses z[0 .. d-1], so a slot's first normals are shared by all sources.
/// </code>
/// Limits implied by the layout: seed &lt; 2^32, model index &lt; 256, n &lt; 2^24, rounds &lt; 2^32,
/// replicates &lt; 2^48 (the ziggurat's retry blocks use the top bits of key word 1).
/// <para>
/// The sufficient-statistic sampler (<c>sampler = "moments"</c>) draws a source's count, mean and
/// scatter from blocks whose word 3 has its top bit set (<see cref="StatisticBlock"/>), so they
/// never meet a per-sample block; its layout is in docs/random-streams.md, the one place it is written.
/// </para>
/// </summary>
public readonly struct ReplicateStream
{
    /// <summary>Models the counter layout can address (model &lt;&lt; 24 in one word).</summary>
    public const int MaxModels = 256;
    /// <summary>Slots per model and round the counter layout can address.</summary>
    public const int MaxSamplesPerRound = (1 << 24) - 1;

    /// <summary>Replicates the layout can address: the ziggurat's retry blocks take the top 16 bits of key word 1 (replicate &gt;&gt; 32).</summary>
    public const long MaxReplicates = 1L << 48;
    /// <summary>What a replicate count may be, for error messages.</summary>
    public const string ReplicatesAllowed = "an integer from 2 to 2^48 = 281474976710656";

    /// <summary>The top bit of counter word 3: set on every block of the sufficient-statistic sampler.</summary>
    public const uint StatisticFlag = 1u << 31;
    /// <summary>The largest index (pair or attempt) of a sufficient-statistic block; attempts wrap past it.</summary>
    public const int MaxStatisticIndex = 0xFFFF;

    /// <summary>Counter word 3 of a sufficient-statistic block (layout above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint StatisticBlock(int source, StatisticDraw kind, int index) =>
        StatisticFlag | ((uint)source << 20) | ((uint)kind << 16) | (uint)index;

    private readonly uint _key0;
    private readonly uint _key1;
    private readonly uint _replicateLow;

    /// <summary>The stream of one replicate under a seed.</summary>
    public ReplicateStream(uint seed, long replicate)
    {
        _key0 = seed;
        _key1 = (uint)((ulong)replicate >> 32);
        _replicateLow = (uint)replicate;
    }

    /// <summary>Block 0 of a slot: the source and choice uniforms.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (double Source, double Choice) SlotUniforms(int round, int model, int slot)
    {
        var block = Philox4x32.Generate(_key0, _key1, _replicateLow, (uint)round, ((uint)model << 24) | (uint)slot, 0);
        return (UniformFromBits(block.X0, block.X1), UniformFromBits(block.X2, block.X3));
    }

    /// <summary>Fills <paramref name="normals"/> with the slot's standard normals z[0..].</summary>
    public void SlotNormals(int round, int model, int slot, Span<double> normals)
    {
        uint modelSlot = ((uint)model << 24) | (uint)slot;
        int pairs = (normals.Length + 1) / 2;
        for (int b = 0; b < pairs; b++)
        {
            var (z0, z1) = Ziggurat.NormalPair(_key0, _key1, _replicateLow, (uint)round, modelSlot, (uint)(b + 1));
            normals[2 * b] = z0;
            if (2 * b + 1 < normals.Length)
            {
                normals[2 * b + 1] = z1;
            }
        }
    }

    /// <summary>53 random bits as a double in [0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double UniformFromBits(uint high, uint low)
    {
        ulong bits = ((ulong)high << 21) ^ (low >> 11);
        return bits * (1.0 / (1UL << 53));
    }
}

/// <summary>What a sufficient-statistic block is drawn for (docs/random-streams.md, kinds 0-8).</summary>
public enum StatisticDraw
{
    /// <summary>The normals of a source's sample mean.</summary>
    MeanNormals = 0,
    /// <summary>The below-diagonal normals of a source's Bartlett factor.</summary>
    BartlettNormals = 1,
    /// <summary>A Bartlett chi-square's attempts: each block's normal 0 and the uniform of its words 2 and 3.</summary>
    ChiSquareAttempts = 2,
    /// <summary>Its boost uniform (shape below 1).</summary>
    ChiSquareBoost = 3,
    /// <summary>A count tree node's lower gamma: its attempts.</summary>
    SplitLowerAttempts = 4,
    /// <summary>Its boost uniform (never used: a tree node's shapes are at least 1).</summary>
    SplitLowerBoost = 5,
    /// <summary>The node's upper gamma: its attempts.</summary>
    SplitUpperAttempts = 6,
    /// <summary>Its boost uniform (never used).</summary>
    SplitUpperBoost = 7,
    /// <summary>A leaf node's uniforms, placed one by one.</summary>
    LeafUniforms = 8,
    /// <summary>The uniforms of the counts drawn by inversion (n at most 1000, 120 in single precision): boundary s reads uniform s % 2 of block s / 2.</summary>
    CountUniforms = 9,
}
