using Engine.Core.Random;
using Engine.Core.Specs;
using Engine.Simulation.Lanes;
using Engine.Simulation.Step;
using Engine.Tests.Support;

namespace Engine.Tests.Simulation;

/// <summary>
/// The moments sampler's counts where n is at most <see cref="StatisticStep.InversionTrials"/>:
/// sequential binomials, each by inversion of one uniform. The binomial's pmf, the joint law of a
/// model's source counts (multinomial means, variances and covariances), and the coupling that an
/// influence step from real to curated data relies on: the other sources' counts do not move.
/// Tolerances are 5 standard errors at fixed seeds.
/// </summary>
public class CountInversionTests
{
    private const int Draws = 20_000;

    [Theory]
    [InlineData(64, 0.3)]
    [InlineData(45, 0.8)]
    [InlineData(7, 0.5)]
    [InlineData(64, 0.02)]
    [InlineData(1, 0.9)]
    [InlineData(1000, 0.37)]
    [InlineData(StatisticStep.InversionTrials, 0.5)]
    public void BinomialByInversionHasTheBinomialPmf(int n, double p)
    {
        var key = new PhiloxKey(31, 0);
        var frequency = new int[n + 1];
        for (int r = 0; r < Draws; r++)
        {
            var (u, _) = ScalarLane.Uniforms(in key, (uint)r, 1, 0, 0);
            double count = StatisticStep.BinomialByInversion(ScalarLane.Broadcast(n), p, u).Value;
            Assert.True(count >= 0 && count <= n && count == Math.Floor(count), $"count {count} of {n}");
            frequency[(int)count]++;
        }
        BinomialFrequencies.AssertBinomial(frequency, n, p, $"Binomial({n}, {p}) by inversion");
    }

    /// <summary>
    /// The first count's table gives the inversion's count for the same uniform, on either side of
    /// p = 1/2 (the complement) and at the largest n; the rare uniform within rounding of a table
    /// entry may differ by one, which 20,000 draws are not expected to meet.
    /// </summary>
    [Theory]
    [InlineData(64, 0.3)]
    [InlineData(64, 0.7)]
    [InlineData(45, 0.5)]
    [InlineData(1, 0.9)]
    [InlineData(StatisticStep.InversionTrials, 0.37)]
    public void BinomialByTableCountsAsTheInversionDoes(int n, double p)
    {
        var key = new PhiloxKey(32, 0);
        var table = StatisticStep.InversionTable(n, p);
        Assert.Equal(p > 0.5 ? 1 : 0, table[0]);
        for (int r = 0; r < Draws; r++)
        {
            var (u, _) = ScalarLane.Uniforms(in key, (uint)r, 1, 0, 0);
            double byTable = StatisticStep.BinomialByTable(new ConstantSpan(table), 0, n, u).Value;
            double byInversion = StatisticStep.BinomialByInversion(ScalarLane.Broadcast(n), p, u).Value;
            Assert.True(byTable == byInversion, $"Binomial({n}, {p}) at u = {u.Value:R}: {byTable} from the table, {byInversion} by inversion");
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void BinomialByInversionAtZeroAndOneIsDeterministic(double p)
    {
        var trials = ScalarLane.Broadcast(17);
        Assert.Equal(17 * p, StatisticStep.BinomialByInversion(trials, p, ScalarLane.Broadcast(0.999)).Value);
        Assert.Equal(17 * p, StatisticStep.BinomialByInversion(trials, p, ScalarLane.Broadcast(0.0)).Value);
    }

    [Fact]
    public void SourceCountsAreMultinomial()
    {
        // theta's sources: real 0.3, curated 0.25, self 0.15, cross 0.3 (phi), n = 64.
        var counts = Counts(Spec(0.3, 0.25), Draws);
        double[] p = [0.3, 0.25, 0.15, 0, 0.3];
        const int n = 64;
        for (int s = 0; s < p.Length; s++)
        {
            var x = counts.Select(c => c[s]).ToArray();
            var (mean, variance, meanSe, varianceSe) = SampleSummary.Of(x);
            Assert.True(Math.Abs(mean - n * p[s]) <= 5 * meanSe + 1e-12, $"source {s}: mean count {mean}, expected {n * p[s]} (se {meanSe})");
            Assert.True(Math.Abs(variance - n * p[s] * (1 - p[s])) <= 5 * varianceSe + 1e-12, $"source {s}: variance {variance}, expected {n * p[s] * (1 - p[s])} (se {varianceSe})");
        }
        for (int a = 0; a < p.Length; a++)
        {
            for (int b = a + 1; b < p.Length; b++)
            {
                var product = counts.Select(c => (c[a] - n * p[a]) * (c[b] - n * p[b])).ToArray();
                var (covariance, _, se, _) = SampleSummary.Of(product);
                Assert.True(Math.Abs(covariance + n * p[a] * p[b]) <= 5 * se + 1e-12, $"Cov(c{a}, c{b}) = {covariance}, expected {-n * p[a] * p[b]} (se {se})");
            }
        }
        Assert.All(counts, c => Assert.Equal(n, c.Sum()));
    }

    /// <summary>
    /// The arms of an influence estimate with absorb = "real": w_cur +- h against w_real -+ h. At
    /// (0.27, 0.28) the real share of the first boundary's binomial, w_real / (w_real + w_cur), is
    /// 0.455 in one arm and 0.527 in the other: the step crosses 1/2, where the draw turns to the
    /// complement, which must read the same quantile.
    /// </summary>
    [Theory]
    [InlineData(0.3, 0.25)]
    [InlineData(0.27, 0.28)]
    public void AStepFromRealToCuratedMovesOnlyTheirCounts(double real, double curated)
    {
        const int replicates = 4000;
        var plus = Counts(Spec(real - 0.02, curated + 0.02), replicates);
        var minus = Counts(Spec(real + 0.02, curated - 0.02), replicates);
        int moved = 0;
        for (int r = 0; r < replicates; r++)
        {
            for (int s = 2; s < plus[r].Length; s++)
            {
                Assert.True(plus[r][s] == minus[r][s], $"replicate {r}: source {s} count {plus[r][s]} against {minus[r][s]}");
            }
            Assert.True(plus[r][1] >= minus[r][1], $"replicate {r}: the arm with more curated weight drew fewer curated samples");
            moved += plus[r][1] != minus[r][1] ? 1 : 0;
        }
        // The step moves some counts (about n 2h = 2.56 per replicate on average), so the check above has something to hold.
        Assert.True(moved > replicates / 2, $"only {moved} of {replicates} replicates moved a count");
    }

    /// <summary>The shared theta and phi at n = 64, theta with K = 4 and weights real, curated, self 0.15 and cross 0.3.</summary>
    private static SimulationSpec Spec(double real, double curated)
    {
        const string weights = "weights = { real = 0.4, curated = 0.3, cross = { phi = 0.3 } }";
        Assert.Contains(weights, SpecText.Theta, StringComparison.Ordinal);
        return SpecText.Load(SpecText.Header + "\n" + SpecText.Theta.Replace("n = 16", "n = 64").Replace("k = \"inf\"", "k = 4")
            .Replace(weights, $"weights = {{ real = {real:R}, curated = {curated:R}, self = 0.15, cross = {{ phi = 0.3 }} }}")
            + "\n" + SpecText.Phi.Replace("n = 16", "n = 64"));
    }

    /// <summary>Model 0's source counts in round 1 of replicates 0 .. replicates - 1 (the scalar reference).</summary>
    private static double[][] Counts(SimulationSpec spec, int replicates)
    {
        var table = new ModelTable(spec);
        var key = new PhiloxKey(spec.Seed, 0);
        var result = new double[replicates][];
        for (int r = 0; r < replicates; r++)
        {
            var counts = new ScalarLane[table.Models[0].Sources];
            StatisticStep.SourceCounts<ScalarLane, LaneSpan<ScalarLane>, ConstantSpan, LaneUniformStream<ScalarLane>>(in table.Models[0], new ConstantSpan(table.Constants), 0, 1,
                new LaneUniformStream<ScalarLane>(in key, (uint)r), counts);
            result[r] = counts.Select(c => c.Value).ToArray();
        }
        return result;
    }
}
