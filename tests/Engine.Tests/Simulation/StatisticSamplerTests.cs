using Engine.Core.Random;
using Engine.Core.Statistics;
using Engine.Core.Specs;
using Engine.Simulation.Lanes;
using Engine.Simulation.Step;
using Engine.Tests.Support;

namespace Engine.Tests.Simulation;

/// <summary>
/// The moments sampler's building blocks against their laws, at fixed seeds: the gamma (moments
/// and the Kolmogorov-Smirnov distance to its CDF), the order-statistic counts (binomial moments,
/// the joint law of two boundaries, the exact pmf), the Bartlett-Wishart scatter and its source
/// mean, and the same drawn sample by sample for small counts (means and variances of every entry), and the Box-Muller normals (moments and the tail
/// frequencies beyond 3 and 5 sigma). Tolerances are 5 standard errors of each estimator; the KS
/// bound is the 1% critical value 1.63 / sqrt(N).
/// </summary>
public class StatisticSamplerTests
{
    private const int Draws = 20_000;

    [Theory]
    [InlineData(0.3)]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(10.0)]
    [InlineData(300.0)]
    public void GammaHasItsMomentsAndCdf(double shape)
    {
        var key = new PhiloxKey(21, 0);
        var x = new double[Draws];
        for (int r = 0; r < Draws; r++)
        {
            var stream = new LaneUniformStream<ScalarLane>(in key, (uint)r);
            x[r] = StatisticStep.Gamma<ScalarLane, LaneUniformStream<ScalarLane>>(stream, 1, 0, ScalarLane.Broadcast(3), WeightIndex.Real,
                StatisticDraw.ChiSquareAttempts, StatisticDraw.ChiSquareBoost, ScalarLane.Broadcast(shape), ScalarLane.AllTrue).Value;
        }
        // Gamma(a): mean a, variance a, central fourth moment 3a^2 + 6a.
        AssertMoments(x, shape, shape, 3 * shape * shape + 6 * shape, $"Gamma({shape})");
        Array.Sort(x);
        double distance = 0;
        for (int k = 0; k < Draws; k++)
        {
            double cdf = RegularizedGammaP(shape, x[k]);
            distance = Math.Max(distance, Math.Max(Math.Abs(cdf - (k + 1.0) / Draws), Math.Abs(cdf - (double)k / Draws)));
        }
        Assert.True(distance < 1.63 / Math.Sqrt(Draws), $"KS distance {distance} of Gamma({shape}) above {1.63 / Math.Sqrt(Draws)}");
    }

    /// <summary>
    /// A finite-K curated source's statistics (the scalar reference's lockstep draws) are the mean and
    /// the scatter of its chosen candidates drawn one by one from the same counters, and the scatter
    /// is exactly symmetric (only its lower triangle is summed, then mirrored).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(25)]
    public void CuratedStatisticsAreThoseOfTheChosenDraws(int count)
    {
        const int d = 2, k = 4;
        var (model, constants) = ModelTable.Of(new ModelSpec
        {
            Name = "theta", N = 64, Covariance = CovarianceStructure.Full, RealMean = [0, 0], RealCov = [1, 0, 0, 1], InitMean = [0, 0], InitCov = [1, 0, 0, 1],
            Reward = RewardKind.Quadratic, RewardVector = [0.5, -1], Beta = 0.8, K = k, Ridge = 0, Weights = [0.3, 0.4, 0, 0.3],
        }, d);
        ScalarLane[] mean = [new(0.3), new(-0.2)], factor = [new(1.1), new(0), new(0.4), new(0.8)];
        var layout = new StatisticLayout(d, k, model.Sources);
        var key = new PhiloxKey(23, 0);
        for (int replicate = 0; replicate < 50; replicate++)
        {
            var stream = new LaneUniformStream<ScalarLane>(in key, (uint)replicate);
            var scratch = new ScalarLane[layout.Size];
            var sourceMean = new ScalarLane[d];
            var sourceScatter = new ScalarLane[d * d];
            StatisticStep.CuratedStatistics<ScalarLane, LaneSpan<ScalarLane>, ConstantSpan, LaneUniformStream<ScalarLane>, LockstepToTheEnd<ScalarLane, LaneSpan<ScalarLane>, ConstantSpan>>(
                in model, new ConstantSpan(constants), d, 0, 1, stream, default, true, new ScalarLane(count), mean, factor, layout, scratch, sourceMean, sourceScatter);

            var draws = new double[count, d];
            for (int j = 0; j < count; j++)
            {
                var (_, uChoice) = LaneUniformStream<ScalarLane>.Uniforms(stream, 1, (uint)j, 0);
                var normals = new ScalarLane[k * d];
                StatisticStep.Normals<ScalarLane, LaneSpan<ScalarLane>, LaneUniformStream<ScalarLane>>(stream, 1, (uint)j, 1, k * d, normals);
                var x = new ScalarLane[d];
                ModelStep.AffineLower<ScalarLane, LaneSpan<ScalarLane>>(d, mean, factor, normals, x);
                ModelStep.ChooseCandidate<ScalarLane, LaneSpan<ScalarLane>, ConstantSpan>(in model, new ConstantSpan(constants), d, mean, factor, normals, uChoice, ScalarLane.AllTrue, x,
                    new ScalarLane[d], new ScalarLane[k]);
                for (int r = 0; r < d; r++)
                {
                    draws[j, r] = x[r].Value;
                }
            }
            for (int r = 0; r < d; r++)
            {
                double expectedMean = Enumerable.Range(0, count).Average(j => draws[j, r]);
                Assert.True(Math.Abs(sourceMean[r].Value - expectedMean) < 1e-12, $"replicate {replicate}: mean {r} {sourceMean[r].Value} against {expectedMean}");
                for (int c = 0; c < d; c++)
                {
                    double expected = Enumerable.Range(0, count).Sum(j => (draws[j, r] - expectedMean) * (draws[j, c] - Enumerable.Range(0, count).Average(i => draws[i, c])));
                    Assert.True(Math.Abs(sourceScatter[r * d + c].Value - expected) < 1e-10 * (1 + Math.Abs(expected)), $"replicate {replicate}: scatter ({r}, {c}) {sourceScatter[r * d + c].Value} against {expected}");
                    Assert.Equal(sourceScatter[c * d + r].Value, sourceScatter[r * d + c].Value);
                }
            }
        }
    }

    /// <summary>
    /// The gamma's tighter squeeze accepts only what Marsaglia and Tsang's full test accepts, on a grid
    /// of shapes, normals and uniforms that is dense where the two boundaries meet (z and 1 - u near 0,
    /// t near 0); and it decides most of the attempts that the full test accepts.
    /// </summary>
    [Theory]
    [InlineData(2.0 / 3.0)]
    [InlineData(1.0)]
    [InlineData(4.5)]
    [InlineData(30.0)]
    [InlineData(5000.0)]
    public void TightGammaSqueezeOnlyAcceptsWhatTheFullTestAccepts(double shifted)
    {
        double spread = 1.0 / 3.0 / Math.Sqrt(shifted);
        int accepted = 0, squeezed = 0;
        for (int i = -400; i <= 400; i++)
        {
            // z from -6 to 6, denser near 0, and up to the lowest z with t > 0.
            double z = Math.Max(6.0 * Math.Sign(i) * Math.Pow(Math.Abs(i) / 400.0, 2), -0.999999 / spread);
            double t = 1 + spread * z;
            double v = t * t * t;
            double z4 = z * z * z * z;
            for (int j = 0; j <= 400; j++)
            {
                double y = j == 0 ? 0 : Math.Pow(10, -12 + 12.0 * j / 400) * (1 - 1e-12); // 1 - u in [0, 1)
                bool full = Math.Log(1 - y) < 0.5 * z * z + shifted * (1 - v + Math.Log(v));
                bool tight = ScalarLane.Any(StatisticStep.TightSqueeze(new ScalarLane(y), new ScalarLane(t), new ScalarLane(z4), ScalarLane.Broadcast(108 * shifted)));
                Assert.False(tight && !full, $"shape {shifted + 1.0 / 3}: the squeeze accepts z = {z}, 1 - u = {y}, which the full test rejects");
                accepted += full ? 1 : 0;
                squeezed += tight ? 1 : 0;
            }
        }
        Assert.True(squeezed > 0.7 * accepted, $"the squeeze decides {squeezed} of {accepted} accepted grid points");
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(16, 0.3)]
    [InlineData(17, 0.3)]
    [InlineData(64, 0.575)]
    [InlineData(1000, 0.05)]
    [InlineData(16384, 0.93)]
    public void CountBelowIsBinomial(int n, double boundary)
    {
        var key = new PhiloxKey(22, 0);
        var x = new double[Draws];
        for (int r = 0; r < Draws; r++)
        {
            x[r] = CountBelow(key, r, n, boundary);
            Assert.True(x[r] >= 0 && x[r] <= n && x[r] == Math.Floor(x[r]), $"count {x[r]} of {n}");
        }
        double p = boundary, q = 1 - p, variance = n * p * q;
        // Binomial: central fourth moment n p q (1 + 3 (n - 2) p q).
        AssertMoments(x, n * p, variance, variance * (1 + 3 * (n - 2) * p * q), $"Binomial({n}, {p})");
    }

    [Fact]
    public void CountBelowHasTheBinomialPmf()
    {
        const int n = 100; // above StatisticStep.SmallTrials: three levels of splits, then leaves
        const double p = 0.37;
        var key = new PhiloxKey(23, 0);
        var frequency = new int[n + 1];
        for (int r = 0; r < Draws; r++)
        {
            frequency[(int)CountBelow(key, r, n, p)]++;
        }
        BinomialFrequencies.AssertBinomial(frequency, n, p, "N(C) by the tree");
    }

    [Fact]
    public void TwoBoundariesReadOneSetOfUniforms()
    {
        // N(C1) and N(C2) count the same n uniforms: N(C1) <= N(C2), N(C2) - N(C1) ~ Binomial(n, C2 - C1)
        // and Cov(N(C1), N(C2)) = n C1 (1 - C2).
        const int n = 200;
        const double c1 = 0.3, c2 = 0.45;
        var key = new PhiloxKey(24, 0);
        var gap = new double[Draws];
        var product = new double[Draws];
        double sum1 = 0, sum2 = 0;
        for (int r = 0; r < Draws; r++)
        {
            double below1 = CountBelow(key, r, n, c1), below2 = CountBelow(key, r, n, c2);
            Assert.True(below1 <= below2, $"N({c1}) = {below1} above N({c2}) = {below2}");
            gap[r] = below2 - below1;
            product[r] = (below1 - n * c1) * (below2 - n * c2);
            sum1 += below1;
            sum2 += below2;
        }
        double p = c2 - c1, variance = n * p * (1 - p);
        AssertMoments(gap, n * p, variance, variance * (1 + 3 * (n - 2) * p * (1 - p)), "N(C2) - N(C1)");
        double covariance = product.Average(), expected = n * c1 * (1 - c2);
        double se = Math.Sqrt(product.Select(v => (v - covariance) * (v - covariance)).Sum() / (Draws - 1) / Draws);
        Assert.True(Math.Abs(covariance - expected) <= 5 * se, $"Cov(N(C1), N(C2)) = {covariance}, expected {expected} (se {se})");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(40)]
    public void ScatterIsWishartAndTheMeanNormal(int count)
    {
        const int d = 3;
        double[] factor = [1.0, 0, 0, 0.5, 1.2, 0, -0.3, 0.4, 0.7];
        double[] mean = [1.0, -2.0, 0.5];
        var s = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                for (int k = 0; k < d; k++)
                {
                    s[i * d + j] += factor[i * d + k] * factor[j * d + k];
                }
            }
        }
        var layout = new StatisticLayout(d, 1, WeightIndex.Count(1));
        var scratch = new ScalarLane[layout.Size];
        var meanLanes = mean.Select(ScalarLane.Broadcast).ToArray();
        var factorLanes = factor.Select(ScalarLane.Broadcast).ToArray();
        var sourceMean = new ScalarLane[d];
        var sourceScatter = new ScalarLane[d * d];
        var means = new double[d][];
        var scatters = new double[d * d][];
        for (int k = 0; k < d; k++)
        {
            means[k] = new double[Draws];
        }
        for (int k = 0; k < d * d; k++)
        {
            scatters[k] = new double[Draws];
        }
        var key = new PhiloxKey(25, 0);
        for (int r = 0; r < Draws; r++)
        {
            var stream = new LaneUniformStream<ScalarLane>(in key, (uint)r);
            StatisticStep.BartlettStatistics<ScalarLane, LaneSpan<ScalarLane>, LaneUniformStream<ScalarLane>>(d, 0, 1, WeightIndex.Real, stream, true,
                ScalarLane.Broadcast(count), meanLanes, factorLanes, layout, scratch, sourceMean, sourceScatter);
            for (int k = 0; k < d; k++)
            {
                means[k][r] = sourceMean[k].Value;
            }
            for (int k = 0; k < d * d; k++)
            {
                scatters[k][r] = sourceScatter[k].Value;
            }
        }
        for (int i = 0; i < d; i++)
        {
            double variance = s[i * d + i] / count;
            AssertMoments(means[i], mean[i], variance, 3 * variance * variance, $"mean[{i}] of {count} samples");
        }
        int dof = count - 1;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double expected = dof * s[i * d + j];
                double variance = dof * (s[i * d + j] * s[i * d + j] + s[i * d + i] * s[j * d + j]);
                if (dof == 0)
                {
                    Assert.All(scatters[i * d + j], value => Assert.Equal(0.0, value));
                    continue;
                }
                AssertMean(scatters[i * d + j], expected, $"W[{i},{j}] of {count} samples");
                AssertVariance(scatters[i * d + j], variance, $"W[{i},{j}] of {count} samples");
            }
        }
    }

    private static double CountBelow(in PhiloxKey key, int replicate, int n, double boundary) =>
        StatisticStep.CountBelow<ScalarLane, LaneUniformStream<ScalarLane>>(new LaneUniformStream<ScalarLane>(in key, (uint)replicate), 1, 0, n, boundary).Value;

    /// <summary>Sample mean and variance within 5 SE of their values (the variance's SE from the central fourth moment).</summary>
    private static void AssertMoments(double[] x, double mean, double variance, double fourth, string what)
    {
        double average = x.Average();
        double se = Math.Sqrt(variance / x.Length);
        Assert.True(Math.Abs(average - mean) <= 5 * se, $"{what}: mean {average}, expected {mean} (se {se})");
        double sampleVariance = x.Select(v => (v - average) * (v - average)).Sum() / (x.Length - 1);
        double varianceSe = Math.Sqrt(Math.Max(fourth - variance * variance, 0) / x.Length);
        // The unbiased estimator's own spread vanishes for a fair coin; allow its O(variance / N) rounding of the mean.
        Assert.True(Math.Abs(sampleVariance - variance) <= 5 * varianceSe + variance / x.Length, $"{what}: variance {sampleVariance}, expected {variance} (se {varianceSe})");
    }

    private static void AssertMean(double[] x, double mean, string what)
    {
        var (average, _, se, _) = SampleSummary.Of(x);
        Assert.True(Math.Abs(average - mean) <= 5 * se, $"{what}: mean {average}, expected {mean} (se {se})");
    }

    /// <summary>The sample variance against its value, its SE estimated from the sample's fourth central moment.</summary>
    private static void AssertVariance(double[] x, double variance, string what)
    {
        var (_, sampleVariance, _, se) = SampleSummary.Of(x);
        Assert.True(Math.Abs(sampleVariance - variance) <= 5 * se, $"{what}: variance {sampleVariance}, expected {variance} (se {se})");
    }


    /// <summary>P(a, x), the regularized lower incomplete gamma: the series below a + 1, Lentz's continued fraction above.</summary>
    private static double RegularizedGammaP(double a, double x)
    {
        if (x <= 0)
        {
            return 0;
        }
        double logPrefix = a * Math.Log(x) - x - SpecialFunctions.LogGamma(a);
        if (x < a + 1)
        {
            double term = 1 / a, total = term;
            for (int n = 1; n < 100_000 && Math.Abs(term) > Math.Abs(total) * 1e-16; n++)
            {
                term *= x / (a + n);
                total += term;
            }
            return total * Math.Exp(logPrefix);
        }
        double b = x + 1 - a, cc = 1 / 1e-300, dd = 1 / b, h = dd;
        for (int i = 1; i < 100_000; i++)
        {
            double an = -i * (i - a);
            b += 2;
            dd = an * dd + b;
            dd = Math.Abs(dd) < 1e-300 ? 1e-300 : dd;
            cc = b + an / cc;
            cc = Math.Abs(cc) < 1e-300 ? 1e-300 : cc;
            dd = 1 / dd;
            double delta = dd * cc;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }
        return 1 - Math.Exp(logPrefix) * h;
    }
}
