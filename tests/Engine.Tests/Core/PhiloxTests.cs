using Engine.Core.Random;
using Engine.Core.Statistics;

namespace Engine.Tests.Core;

public class PhiloxTests
{
    // Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors).
    [Theory]
    [InlineData(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void MatchesKnownAnswerVectors(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint x0, uint x1, uint x2, uint x3)
    {
        var block = Philox4x32.Generate(k0, k1, c0, c1, c2, c3);
        Assert.Equal(new Philox4x32.Block(x0, x1, x2, x3), block);
    }

    [Fact]
    public void UniformsHaveTheMomentsOfUniform01()
    {
        var stream = new ReplicateStream(7, 3);
        Moments first = default, second = default;
        const int count = 200_000;
        for (int slot = 0; slot < count; slot++)
        {
            var (u, v) = stream.SlotUniforms(1, 0, slot);
            Assert.InRange(u, 0.0, 1.0 - 1e-17);
            first.Add(u);
            first.Add(v);
            second.Add(u * u);
            second.Add(v * v);
        }
        // Means 1/2 and 1/3 within 5 standard errors.
        Assert.InRange(first.Mean, 0.5 - 5 * first.StandardError, 0.5 + 5 * first.StandardError);
        Assert.InRange(second.Mean, 1.0 / 3 - 5 * second.StandardError, 1.0 / 3 + 5 * second.StandardError);
    }

    [Fact]
    public void NormalsHaveStandardMoments()
    {
        var stream = new ReplicateStream(11, 0);
        Moments m1 = default, m2 = default, m3 = default, m4 = default;
        var z = new double[8];
        for (int slot = 0; slot < 50_000; slot++)
        {
            stream.SlotNormals(2, 1, slot, z);
            foreach (double x in z)
            {
                m1.Add(x);
                m2.Add(x * x);
                m3.Add(x * x * x);
                m4.Add(x * x * x * x);
            }
        }
        AssertWithin5Se(m1, 0);
        AssertWithin5Se(m2, 1);
        AssertWithin5Se(m3, 0);
        AssertWithin5Se(m4, 3);
    }

    [Fact]
    public void NeighbouringStreamsAreUncorrelated()
    {
        // Streams that differ in one coordinate of the key or counter must not move together.
        const int count = 100_000;
        Moments replicates = default, rounds = default, models = default, slots = default, seeds = default;
        for (int i = 0; i < count; i++)
        {
            double a = Centered(new ReplicateStream(5, i).SlotUniforms(3, 0, 17).Source);
            replicates.Add(a * Centered(new ReplicateStream(5, i + 1).SlotUniforms(3, 0, 17).Source));
            rounds.Add(a * Centered(new ReplicateStream(5, i).SlotUniforms(4, 0, 17).Source));
            models.Add(a * Centered(new ReplicateStream(5, i).SlotUniforms(3, 1, 17).Source));
            slots.Add(a * Centered(new ReplicateStream(5, i).SlotUniforms(3, 0, 18).Source));
            seeds.Add(a * Centered(new ReplicateStream(6, i).SlotUniforms(3, 0, 17).Source));
        }
        foreach (var product in new[] { replicates, rounds, models, slots, seeds })
        {
            AssertWithin5Se(product, 0);
        }
    }

    [Fact]
    public void StreamsOfReplicatesBeyond32BitsAreDistinct()
    {
        var low = new ReplicateStream(1, 5).SlotUniforms(1, 0, 0);
        var high = new ReplicateStream(1, 5 + (1L << 32)).SlotUniforms(1, 0, 0);
        Assert.NotEqual(low, high);
    }

    private static double Centered(double u) => u - 0.5;

    internal static void AssertWithin5Se(Moments moments, double expected)
    {
        double tolerance = 5 * moments.StandardError;
        Assert.True(Math.Abs(moments.Mean - expected) <= tolerance,
            $"mean {moments.Mean} differs from {expected} by more than 5 SE = {tolerance}");
    }
}
