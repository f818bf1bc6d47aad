using System.Runtime.CompilerServices;

namespace Engine.Core.Random;

/// <summary>
/// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011):
/// a counter-based generator. The output is a pure function of (key, counter), so any draw
/// of any replicate can be recomputed alone, in any order, on any backend.
/// </summary>
public static class Philox4x32
{
    /// <summary>Rounds per block (Philox4x32-10).</summary>
    public const int Rounds = 10;
    /// <summary>The multiplier of counter word 0.</summary>
    public const uint Multiplier0 = 0xD2511F53;
    /// <summary>The multiplier of counter word 2.</summary>
    public const uint Multiplier1 = 0xCD9E8D57;
    /// <summary>The Weyl increment of key word 0 per round.</summary>
    public const uint Weyl0 = 0x9E3779B9;
    /// <summary>The Weyl increment of key word 1 per round.</summary>
    public const uint Weyl1 = 0xBB67AE85;

    /// <summary>Ten rounds of Philox on the 128-bit counter under the 64-bit key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Block Generate(uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        uint c0 = counter0, c1 = counter1, c2 = counter2, c3 = counter3;
        uint k0 = key0, k1 = key1;
        for (int round = 0; round < Rounds; round++)
        {
            ulong product0 = (ulong)Multiplier0 * c0;
            ulong product1 = (ulong)Multiplier1 * c2;
            uint hi0 = (uint)(product0 >> 32), lo0 = (uint)product0;
            uint hi1 = (uint)(product1 >> 32), lo1 = (uint)product1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += Weyl0;
            k1 += Weyl1;
        }
        return new Block(c0, c1, c2, c3);
    }

    /// <summary>The four 32-bit words of one Philox output.</summary>
    public readonly record struct Block(uint X0, uint X1, uint X2, uint X3);
}
