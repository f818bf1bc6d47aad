using Engine.Core.Random;
using Engine.Simulation.Lanes;

namespace Engine.Tests.Simulation;

/// <summary>
/// Every lane draws the reference stream's uniforms bit for bit (the vector Philox keeps garbage in
/// the high halves of its 64-bit lanes and masks once at the end; the round keys come from
/// <see cref="PhiloxKey"/>), and gathers lanes from the offsets it is given.
/// </summary>
public class LaneRandomTests
{
    [Fact]
    public void Vector128UniformsAreTheReferenceBits() => CheckUniforms<Vector128Lane>();

    [Fact]
    public void Vector256UniformsAreTheReferenceBits() => CheckUniforms<Vector256Lane>();

    [Fact]
    public void Vector256x2UniformsAreTheReferenceBits() => CheckUniforms<Vector256x2Lane>();

    [Fact]
    public void Vector512UniformsAreTheReferenceBits() => CheckUniforms<Vector512Lane>();

    [Fact]
    public void Vector512x2UniformsAreTheReferenceBits() => CheckUniforms<Vector512x2Lane>();

    [Fact]
    public void ScalarUniformsAreTheReferenceBits() => CheckUniforms<ScalarLane>();

    [Fact]
    public void SingleUniformsAreTheTop24BitsOfTheReferenceWords() => CheckSingleUniforms<Vector256SingleLane>();

    [Fact]
    public void SingleX2UniformsAreTheTop24BitsOfTheReferenceWords() => CheckSingleUniforms<Vector256Singlex2Lane>();

    private static void CheckSingleUniforms<T>() where T : struct, ILane<T> =>
        CheckUniforms<T>(block => ((block.X0 >> 8) / (double)(1 << 24), (block.X2 >> 8) / (double)(1 << 24)));

    [Fact]
    public void Vector128NormalsAreTheReferenceNormals() => CheckNormals<Vector128Lane>(DoubleNormals, DoubleUniform);

    [Fact]
    public void Vector256NormalsAreTheReferenceNormals() => CheckNormals<Vector256Lane>(DoubleNormals, DoubleUniform);

    [Fact]
    public void Vector256x2NormalsAreTheReferenceNormals() => CheckNormals<Vector256x2Lane>(DoubleNormals, DoubleUniform);

    [Fact]
    public void Vector512NormalsAreTheReferenceNormals() => CheckNormals<Vector512Lane>(DoubleNormals, DoubleUniform);

    [Fact]
    public void Vector512x2NormalsAreTheReferenceNormals() => CheckNormals<Vector512x2Lane>(DoubleNormals, DoubleUniform);

    [Fact]
    public void ScalarNormalsAreTheReferenceNormals() => CheckNormals<ScalarLane>(DoubleNormals, DoubleUniform);

    [Fact]
    public void SingleNormalsAreTheReferenceFloatNormals() => CheckNormals<Vector256SingleLane>(SingleNormals, SingleUniform);

    [Fact]
    public void SingleX2NormalsAreTheReferenceFloatNormals() => CheckNormals<Vector256Singlex2Lane>(SingleNormals, SingleUniform);

    private static (double Z0, double Z1) DoubleNormals(uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3) =>
        Ziggurat.NormalPair(key0, key1, counter0, counter1, counter2, counter3);

    private static double DoubleUniform(uint high, uint low) => ReplicateStream.UniformFromBits(high, low);

    private static double SingleUniform(uint high, uint low) => Ziggurat.UniformSingle(high);

    private static (double Z0, double Z1) SingleNormals(uint key0, uint key1, uint counter0, uint counter1, uint counter2, uint counter3)
    {
        var (z0, z1) = Ziggurat.NormalPairSingle(new Ziggurat.HostTable(), key0, key1, counter0, counter1, counter2, counter3);
        return (z0, z1);
    }

    /// <summary>
    /// Normals, per-lane normals and word-2 normals of every lane against the scalar reference, bit
    /// for bit, over enough blocks that lanes leave the fast path (wedges and the tail, finished
    /// lane by lane) at every position in the register; the count of those is checked too. The
    /// gamma's one block per attempt (a normal and a uniform) is normal 0 of the word-2 block and the
    /// uniform of its words 2 and 3 (<paramref name="uniform"/> of them at the lane's resolution).
    /// </summary>
    private static void CheckNormals<T>(Func<uint, uint, uint, uint, uint, uint, (double Z0, double Z1)> reference, Func<uint, uint, double> uniform) where T : struct, ILane<T>
    {
        var key = new PhiloxKey(0xFFFF_FFF0, 0x0000_8001);
        var slowLanes = new int[T.Width];
        var perLane0 = new uint[T.Width];
        var perLane2 = new uint[T.Width];
        var lowWord2 = new double[T.Width];
        for (uint block = 0; block < 4096; block++)
        {
            uint counter0 = 0xFFFF_FFF8 - block * 977, round = 3 + block, slot = (7u << 24) | (block * 12_345), draw = block % 5;
            var (z0, z1) = T.Normals(in key, counter0, round, slot, draw);
            for (int lane = 0; lane < T.Width; lane++)
            {
                perLane0[lane] = counter0 + (uint)(31 * lane);
                perLane2[lane] = slot ^ (uint)lane;
                lowWord2[lane] = (block * 40_503 + (uint)lane * 257) & 0xFF_FFFF;
            }
            var (v0, v1) = T.NormalsPerLane(in key, perLane0, round, perLane2, draw);
            var (w0, w1) = T.NormalsWithWord2(in key, counter0, round, 7u << 24, T.FromElements(lowWord2), draw);
            var (attemptNormal, attemptUniform) = T.NormalAndUniformWithWord2(in key, counter0, round, 7u << 24, T.FromElements(lowWord2), draw);
            for (int lane = 0; lane < T.Width; lane++)
            {
                var (expected0, expected1) = reference(key.Key0, key.Key1, counter0 + (uint)lane, round, slot, draw);
                Assert.Equal(expected0, T.Element(z0, lane));
                Assert.Equal(expected1, T.Element(z1, lane));
                var (perLaneExpected0, perLaneExpected1) = reference(key.Key0, key.Key1, perLane0[lane], round, perLane2[lane], draw);
                Assert.Equal(perLaneExpected0, T.Element(v0, lane));
                Assert.Equal(perLaneExpected1, T.Element(v1, lane));
                var (word2Expected0, word2Expected1) = reference(key.Key0, key.Key1, counter0 + (uint)lane, round, (7u << 24) | (uint)lowWord2[lane], draw);
                Assert.Equal(word2Expected0, T.Element(w0, lane));
                Assert.Equal(word2Expected1, T.Element(w1, lane));
                Assert.Equal(word2Expected0, T.Element(attemptNormal, lane));
                var word2Words = Philox4x32.Generate(key.Key0, key.Key1, counter0 + (uint)lane, round, (7u << 24) | (uint)lowWord2[lane], draw);
                Assert.Equal(uniform(word2Words.X2, word2Words.X3), T.Element(attemptUniform, lane));
                var words = Philox4x32.Generate(key.Key0, key.Key1, counter0 + (uint)lane, round, slot, draw);
                slowLanes[lane] += LeavesFastPath(words.X0, words.X1) + LeavesFastPath(words.X2, words.X3);
            }
        }
        // 8,192 draws per lane position, 0.43% of them off the fast path: about 35 each.
        Assert.All(slowLanes, count => Assert.True(count >= 10, $"only {count} draws of a lane position left the fast path"));
    }

    private static int LeavesFastPath(uint high, uint low) =>
        ReplicateStream.UniformFromBits(high, low) >= Ziggurat.Table[Ziggurat.RatioOffset + (int)(low & Ziggurat.LayerMask)] ? 1 : 0;

    [Fact]
    public void Vector128GathersByOffset() => CheckGather<Vector128Lane>();

    [Fact]
    public void Vector256GathersByOffset() => CheckGather<Vector256Lane>();

    [Fact]
    public void Vector256x2GathersByOffset() => CheckGather<Vector256x2Lane>();

    [Fact]
    public void Vector512GathersByOffset() => CheckGather<Vector512Lane>();

    [Fact]
    public void Vector512x2GathersByOffset() => CheckGather<Vector512x2Lane>();

    [Fact]
    public void SingleGathersByOffset() => CheckGather<Vector256SingleLane>();

    [Fact]
    public void SingleX2GathersByOffset() => CheckGather<Vector256Singlex2Lane>();

    private static void CheckUniforms<T>() where T : struct, ILane<T> =>
        CheckUniforms<T>(block => (ReplicateStream.UniformFromBits(block.X0, block.X1), ReplicateStream.UniformFromBits(block.X2, block.X3)));

    /// <summary>
    /// Uniforms and per-lane uniforms of every lane against <paramref name="expected"/> applied to the
    /// reference block: double lanes take 53 bits of two words, float lanes the top 24 bits of one.
    /// </summary>
    private static void CheckUniforms<T>(Func<Philox4x32.Block, (double U0, double U1)> expected) where T : struct, ILane<T>
    {
        // Keys and counters with high bits set, so a missing mask or a wrong carry shows.
        foreach (var (seed, keyHigh) in new (uint, uint)[] { (1, 0), (0xFFFF_FFF0, 0x8000_0001) })
        {
            var key = new PhiloxKey(seed, keyHigh);
            for (uint block = 0; block < 64; block++)
            {
                uint counter0 = 0xFFFF_FFF8 - block * 977, round = 3 + block, slot = (7u << 24) | (block * 12_345), draw = block % 5;
                var (u0, u1) = T.Uniforms(in key, counter0, round, slot, draw);
                var perLane0 = new uint[T.Width];
                var perLane2 = new uint[T.Width];
                for (int lane = 0; lane < T.Width; lane++)
                {
                    perLane0[lane] = counter0 + (uint)(31 * lane);
                    perLane2[lane] = slot ^ (uint)lane;
                }
                var (v0, v1) = T.UniformsPerLane(in key, perLane0, round, perLane2, draw);
                // Word 2 as the moments sampler's tree nodes give it: a high part and each lane's own low 24 bits.
                var lowWord2 = new double[T.Width];
                for (int lane = 0; lane < T.Width; lane++)
                {
                    lowWord2[lane] = (block * 40_503 + (uint)lane * 257) & 0xFF_FFFF;
                }
                var (w0, w1) = T.UniformsWithWord2(in key, counter0, round, 7u << 24, T.FromElements(lowWord2), draw);
                for (int lane = 0; lane < T.Width; lane++)
                {
                    var (expected0, expected1) = expected(Philox4x32.Generate(seed, keyHigh, counter0 + (uint)lane, round, slot, draw));
                    Assert.Equal(expected0, T.Element(u0, lane));
                    Assert.Equal(expected1, T.Element(u1, lane));
                    var (perLaneExpected0, perLaneExpected1) = expected(Philox4x32.Generate(seed, keyHigh, perLane0[lane], round, perLane2[lane], draw));
                    Assert.Equal(perLaneExpected0, T.Element(v0, lane));
                    Assert.Equal(perLaneExpected1, T.Element(v1, lane));
                    var (word2Expected0, word2Expected1) = expected(Philox4x32.Generate(seed, keyHigh, counter0 + (uint)lane, round, (7u << 24) | (uint)lowWord2[lane], draw));
                    Assert.Equal(word2Expected0, T.Element(w0, lane));
                    Assert.Equal(word2Expected1, T.Element(w1, lane));
                }
            }
        }
    }

    private static void CheckGather<T>() where T : struct, ILane<T>
    {
        int width = T.Width;
        var values = new T[6];
        for (int index = 0; index < values.Length; index++)
        {
            for (int lane = 0; lane < width; lane++)
            {
                // Small integers: exact in float lanes too.
                T.Write(values, index, lane, 100 * index + lane);
            }
        }
        // Lane j reads element index x width + offsets[j] of the flat array: across lanes and values.
        var offsets = new int[width];
        for (int j = 0; j < width; j++)
        {
            offsets[j] = (width - 1 - j) + width * (j % 3);
        }
        var gathered = T.Gather(values, 2, offsets);
        for (int j = 0; j < width; j++)
        {
            int flat = 2 * width + offsets[j];
            Assert.Equal(100 * (flat / width) + flat % width, T.Element(gathered, j));
        }
    }
}
