using Engine.Core.Random;
using Engine.Simulation.Lanes;
using Engine.Theory;

namespace Engine.Tests.Core;

/// <summary>
/// The ziggurat behind every normal: its tables are Marsaglia and Tsang's construction, and the
/// normals it draws (through the fast path, the wedges and the tail) have the standard normal law.
/// Lane-by-lane agreement with the scalar reference is in Simulation/LaneRandomTests.
/// </summary>
public class ZigguratTests
{
    private static readonly int N = Ziggurat.Layers;

    private static double Width(int k) => Ziggurat.Table[Ziggurat.WidthOffset + k];
    private static double Ratio(int k) => Ziggurat.Table[Ziggurat.RatioOffset + k];
    private static double Height(int k) => Ziggurat.Table[Ziggurat.HeightOffset + k];
    private static double Density(double x) => Math.Exp(-0.5 * x * x);

    [Fact]
    public void TablesAreLayersOfEqualAreaUnderTheDensity()
    {
        double r = Ziggurat.TailStart, area = Ziggurat.LayerArea;
        Assert.Equal(Ziggurat.TableLength, Ziggurat.Table.Length);
        double tail = Math.Sqrt(Math.PI / 2) * Normal.Erfc(r / Math.Sqrt(2));
        Assert.Equal(r * Density(r) + tail, area, 1e-15);
        Assert.Equal(r, Width(1));
        // The base layer: its rectangle up to f(r), of width V / f(r), stands for the tail beyond r.
        Assert.Equal(area, Width(0) * Density(r), 1e-15);
        double fast = 0;
        for (int k = 0; k < N; k++)
        {
            double next = k + 1 < N ? Width(k + 1) : 0;
            Assert.True(k == 0 || next < Width(k), $"width {k} does not decrease");
            Assert.Equal(next / Width(k), Ratio(k));
            fast += Ratio(k);
            if (k >= 1)
            {
                Assert.Equal(Density(Width(k)), Height(k), 1e-15);
                double layer = Width(k) * (Height(k + 1) - Height(k));
                Assert.True(Math.Abs(layer - area) <= 1e-10 * area, $"layer {k} has area {layer}, not {area}");
            }
        }
        Assert.Equal(1.0, Height(N));
        Assert.Equal(Ziggurat.FastFraction, fast / N, 1e-15);
    }

    [Fact]
    public void DoubleNormalsHaveTheNormalLaw()
    {
        // 2^25 normals from 256x2 lanes (bit for bit the scalar reference's, LaneRandomTests):
        // the moments, the frequencies beyond 3 and 5 sigma and beyond r (the tail, 1,800 expected),
        // within 5 SE, and the Kolmogorov-Smirnov distance of 2^22 of them below its 1e-4 quantile.
        var draws = Draw<Vector256x2Lane>(1 << 25, 26);
        CheckLaw(draws, 1 << 22);
    }

    [Fact]
    public void SingleNormalsHaveTheNormalLaw()
    {
        var draws = Draw<Vector256Singlex2Lane>(1 << 23, 27);
        CheckLaw(draws, 1 << 21);
    }

    [Fact]
    public void EveryPartOfTheZigguratIsExercisedAndGivesTheDensityThere()
    {
        // The draws that leave the fast path (4.3%: wedges and the tail) against the normal's mass
        // there: a histogram of |z| over 40 bins of [0, 4.5] and the tail, each within 5 SE.
        var key = new PhiloxKey(28, 0);
        const int blocks = 1 << 22;
        var bins = new long[41];
        long slow = 0, total = 0;
        for (uint b = 0; b < blocks; b++)
        {
            var block = Philox4x32.Generate(key.Key0, key.Key1, b, 5, 9, 1);
            var (z0, z1) = Ziggurat.NormalPair(key.Key0, key.Key1, b, 5, 9, 1);
            foreach (var (z, u, bits) in new[] { (z0, ReplicateStream.UniformFromBits(block.X0, block.X1), block.X1), (z1, ReplicateStream.UniformFromBits(block.X2, block.X3), block.X3) })
            {
                total++;
                double x = Math.Abs(z);
                bins[x >= 4.5 ? 40 : (int)(x / 4.5 * 40)]++;
                slow += u >= Ratio((int)(bits & Ziggurat.LayerMask)) ? 1 : 0;
            }
        }
        double slowShare = 1 - Ziggurat.FastFraction;
        Assert.True(Math.Abs(slow - total * slowShare) <= 5 * Math.Sqrt(total * slowShare), $"{slow} of {total} draws left the fast path, expected {total * slowShare:F0}");
        for (int bin = 0; bin <= 40; bin++)
        {
            double low = bin * 4.5 / 40, high = bin == 40 ? double.PositiveInfinity : (bin + 1) * 4.5 / 40;
            double p = Normal.Erfc(low / Math.Sqrt(2)) - (double.IsInfinity(high) ? 0 : Normal.Erfc(high / Math.Sqrt(2)));
            double expected = total * p;
            Assert.True(Math.Abs(bins[bin] - expected) <= 5 * Math.Sqrt(expected * (1 - p)), $"|z| in [{low}, {high}): {bins[bin]}, expected {expected:F0}");
        }
    }

    [Fact]
    public void ARejectedWedgeStartsAFreshNormal()
    {
        // The top layer's far corner (u near 1, so x near x[N - 1] where the density is lowest in that
        // layer) is rejected by its wedge test almost surely: what the slow path returns from there
        // is the next trials' normal, which must have the whole normal law, tail included.
        var draws = new double[1 << 21];
        for (int i = 0; i < draws.Length; i++)
        {
            draws[i] = Ziggurat.Slow(new Ziggurat.HostTable(), false, 1 - 1e-9, Ziggurat.LayerMask, 29, 0, (uint)i, 7, 11, 13, i & 1);
        }
        CheckLaw(draws, 1 << 20);
    }

    [Fact]
    public void TheTailIsTheNormalBeyondR()
    {
        // A draw past r in the base layer goes to the tail: |z| > r with the normal's conditional law there.
        double r = Ziggurat.TailStart;
        var draws = new double[1 << 20];
        for (int i = 0; i < draws.Length; i++)
        {
            draws[i] = Ziggurat.Slow(new Ziggurat.HostTable(), false, 0.99, (uint)(i & 1) * Ziggurat.SignBit, 30, 0, (uint)i, 7, 11, 13, 0);
        }
        Assert.All(draws, z => Assert.True(Math.Abs(z) > r));
        double n = draws.Length;
        long negative = draws.Count(z => z < 0);
        Assert.True(Math.Abs(negative - n / 2) <= 5 * Math.Sqrt(n / 4), $"{negative} negative of {n}");
        foreach (double beyond in new[] { r + 0.1, r + 0.3, r + 1 })
        {
            double p = Normal.Erfc(beyond / Math.Sqrt(2)) / Normal.Erfc(r / Math.Sqrt(2));
            long observed = draws.Count(z => Math.Abs(z) > beyond);
            Assert.True(Math.Abs(observed - n * p) <= 5 * Math.Sqrt(n * p * (1 - p)), $"{observed} beyond {beyond}, expected {n * p:F0}");
        }
    }

    private static double[] Draw<T>(int count, uint seed) where T : struct, ILane<T>
    {
        var key = new PhiloxKey(seed, 0);
        var draws = new double[count];
        int k = 0;
        for (int block = 0; k < count; block += T.Width)
        {
            var (z0, z1) = T.Normals(in key, (uint)block, 1, 0, ReplicateStream.StatisticBlock(0, StatisticDraw.MeanNormals, 0));
            for (int lane = 0; lane < T.Width && k < count; lane++)
            {
                draws[k++] = T.Element(z0, lane);
                draws[k++] = T.Element(z1, lane);
            }
        }
        return draws;
    }

    private static void CheckLaw(double[] draws, int ksCount)
    {
        double n = draws.Length;
        double sum = 0, sumSquares = 0, sumFourth = 0;
        long beyond3 = 0, beyond5 = 0, beyondTail = 0;
        foreach (double z in draws)
        {
            double square = z * z;
            sum += z;
            sumSquares += square;
            sumFourth += square * square;
            beyond3 += Math.Abs(z) > 3 ? 1 : 0;
            beyond5 += Math.Abs(z) > 5 ? 1 : 0;
            beyondTail += Math.Abs(z) > Ziggurat.TailStart ? 1 : 0;
        }
        Assert.True(Math.Abs(sum / n) <= 5 / Math.Sqrt(n), $"normal mean {sum / n}");
        Assert.True(Math.Abs(sumSquares / n - 1) <= 5 * Math.Sqrt(2 / n), $"normal variance {sumSquares / n}");
        Assert.True(Math.Abs(sumFourth / n - 3) <= 5 * Math.Sqrt(96 / n), $"normal fourth moment {sumFourth / n}");
        foreach (var (observed, sigma) in new[] { (beyond3, 3.0), (beyond5, 5.0), (beyondTail, Ziggurat.TailStart) })
        {
            double expected = n * Normal.Erfc(sigma / Math.Sqrt(2));
            Assert.True(Math.Abs(observed - expected) <= 5 * Math.Sqrt(expected), $"{observed} normals beyond {sigma} sigma, expected {expected:F1}");
        }
        var sorted = draws.AsSpan(0, ksCount).ToArray();
        Array.Sort(sorted);
        double distance = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            double cdf = Normal.Cdf(sorted[i]);
            distance = Math.Max(distance, Math.Max((i + 1.0) / sorted.Length - cdf, cdf - (double)i / sorted.Length));
        }
        // sqrt(-ln(1e-4 / 2) / 2) = 2.08: the KS distance exceeds 2.08 / sqrt(N) with probability 1e-4.
        Assert.True(distance <= 2.08 / Math.Sqrt(sorted.Length), $"Kolmogorov-Smirnov distance {distance} over {sorted.Length} normals");
    }
}
