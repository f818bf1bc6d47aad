using System.Runtime.CompilerServices;

namespace Engine.Core.Random;

/// <summary>
/// A Philox4x32-10 key with its ten round keys computed once, each 32-bit word stored
/// zero-extended to 64 bits. Vector code broadcasts a round key straight from memory into its
/// xor instead of adding the Weyl constants and broadcasting on every call (measured in
/// bench/RESULTS.md).
/// </summary>
public readonly struct PhiloxKey
{
    private readonly RoundKeys _keys;

    /// <summary>The key (key0, key1) with its round keys.</summary>
    public PhiloxKey(uint key0, uint key1)
    {
        Key0 = key0;
        Key1 = key1;
        uint k0 = key0, k1 = key1;
        for (int round = 0; round < Philox4x32.Rounds; round++)
        {
            _keys[2 * round] = k0;
            _keys[2 * round + 1] = k1;
            k0 += Philox4x32.Weyl0;
            k1 += Philox4x32.Weyl1;
        }
    }

    /// <summary>Key word 0 (the seed).</summary>
    public uint Key0 { get; }
    /// <summary>Key word 1 (replicate &gt;&gt; 32).</summary>
    public uint Key1 { get; }

    /// <summary>Word 0 of the key used in round <paramref name="round"/> (0-based).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Word0(int round) => _keys[2 * round];

    /// <summary>Word 1 of the key used in round <paramref name="round"/> (0-based).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Word1(int round) => _keys[2 * round + 1];

    [InlineArray(2 * Philox4x32.Rounds)]
    private struct RoundKeys
    {
        private ulong _element;
    }
}
