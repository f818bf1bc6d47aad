using System.Globalization;
using Engine.Core.Specs;
using Engine.Core.Statistics;
using Engine.Simulation;
using Engine.Tests.Support;

namespace Engine.Tests.Simulation;

/// <summary>The whole loop against answers derived independently (see <see cref="ExactOracles"/>).</summary>
public class ExactLoopTests
{
    private static string MeanOnlyPair(string k, string schedule, string mixture, long replicates = 2048, int rounds = 40, int burnIn = 10) => $$"""
        dimension = 2
        rounds = {{rounds}}
        burn_in = {{burnIn}}
        replicates = {{replicates}}
        seed = 17
        schedule = "{{schedule}}"
        mixture = "{{mixture}}"

        [[model]]
        name = "theta"
        n = 10
        covariance = "fixed"
        real_mean = [1.0, 0.0]
        real_cov = [[1.0, 0.3], [0.3, 2.0]]
        init_mean = [3.0, -1.0]
        reward = "linear"
        reward_direction = [1.0, 0.0]
        beta = 1.0
        k = {{k}}
        weights = { real = 0.3, curated = 0.3, self = 0.1, cross = { phi = 0.3 } }

        [[model]]
        name = "phi"
        n = 7
        covariance = "fixed"
        real_mean = [-2.0, 1.0]
        real_cov = [[0.5, 0.0], [0.0, 0.5]]
        reward = "linear"
        reward_direction = [0.6, 0.8]
        beta = 0.5
        k = {{k}}
        weights = { real = 0.5, curated = 0.2, cross = { theta = 0.3 } }

        [influence]
        model = "theta"
        absorb = "real"
        step = 0.05
        """;

    // m_K(s) check values of docs/model.md section 5, to 7 digits (an error of 5e-8 is far below 5 SE here).
    private static double SelectionMean(int k, double s) => (k, s) switch
    {
        (4, 1.0) => 0.6080286,
        _ => throw new ArgumentException($"no check value for m_{k}({s})"),
    };

    [Theory]
    [InlineData("1", "simultaneous", "multinomial")]
    [InlineData("1", "sequential", "fixed")]
    [InlineData("\"inf\"", "simultaneous", "multinomial")]
    [InlineData("\"inf\"", "sequential", "multinomial")]
    [InlineData("\"inf\"", "simultaneous", "fixed")]
    public void MeanOnlyLinearLoopMatchesItsLinearSystem(string k, string schedule, string mixture)
    {
        // Burn-in 0 over a few rounds: the transient from init_mean is where the schedules differ
        // (both converge to the same fixed point).
        var spec = SpecText.Load(MeanOnlyPair(k, schedule, mixture, rounds: 6, burnIn: 0)) with { Influence = null };
        var result = SimulationRunner.Run(spec, new RunOptions());
        var exact = ExactOracles.LinearMeanOnly(spec);
        for (int i = 0; i < spec.ModelCount; i++)
        {
            AssertWithin5Se(result.Alignment[i], exact[i], spec.Models[i].Name);
        }
    }

    [Fact]
    public void FiniteKCurationShiftsTheMeanBySelectionMoment()
    {
        // theta: Sigma = I, a = (1, 0), beta = 1, so s = 1 and the curated mean moves by m_4(1) along a.
        var text = MeanOnlyPair("4", "simultaneous", "multinomial")
            .Replace("real_cov = [[1.0, 0.3], [0.3, 2.0]]", "real_cov = [[1.0, 0.0], [0.0, 1.0]]");
        var spec = SpecText.Load(text) with { Influence = null };
        spec = spec with { Models = [spec.Models[0], spec.Models[1] with { K = 1 }] };
        var result = SimulationRunner.Run(spec, new RunOptions());
        var exact = ExactOracles.LinearMeanOnly(spec, SelectionMean);
        AssertWithin5Se(result.Alignment[0], exact[0], "theta");
        AssertWithin5Se(result.Alignment[1], exact[1], "phi");
    }

    [Fact]
    public void InfluenceMatchesTheExactCentralDifference()
    {
        var spec = SpecText.Load(MeanOnlyPair("\"inf\"", "simultaneous", "multinomial"));
        var result = SimulationRunner.Run(spec, new RunOptions());
        var plus = ExactOracles.LinearMeanOnly(spec.InfluenceArm(+1));
        var minus = ExactOracles.LinearMeanOnly(spec.InfluenceArm(-1));
        for (int j = 0; j < spec.ModelCount; j++)
        {
            double exact = (plus[j] - minus[j]) / (2 * spec.Influence!.Step);
            AssertWithin5Se(result.Influence![j], exact, $"influence on {spec.Models[j].Name}");
        }
    }

    private static string RealAndSelf(string covariance, int n, double ridge, string mixture, string curated) => $$"""
        dimension = 2
        rounds = 25
        burn_in = 5
        replicates = 4096
        seed = 5
        mixture = "{{mixture}}"

        [[model]]
        name = "solo"
        n = {{n}}
        covariance = "{{covariance}}"
        real_mean = [1.0, -1.0]
        real_cov = [[2.0, 0.6], [0.6, 1.0]]
        init_mean = [0.0, 0.5]
        init_cov = [[1.0, -0.2], [-0.2, 0.7]]
        reward = "quadratic"
        reward_center = [0.5, 0.0]
        beta = 0.8
        k = 1
        ridge = {{ridge.ToString(CultureInfo.InvariantCulture)}}
        weights = { real = 0.35, {{curated}} }
        """;

    [Theory]
    [InlineData("full", 2, 0.0, "multinomial", "self = 0.65")]       // n = d: every refit is singular
    [InlineData("full", 5, 0.0, "fixed", "curated = 0.25, self = 0.4")]
    [InlineData("diag", 3, 0.1, "multinomial", "curated = 0.65")]     // K = 1 curation is plain self-consumption
    [InlineData("iso", 4, 0.0, "fixed", "self = 0.65")]
    public void SelfConsumingCollapseMatchesItsMomentRecurrence(string covariance, int n, double ridge, string mixture, string curated)
    {
        var text = RealAndSelf(covariance, n, ridge, mixture, curated);
        if (!curated.Contains("curated", StringComparison.Ordinal))
        {
            text = text.Replace("weights = { real = 0.35, ", "weights = { real = 0.35, curated = 0.0, ");
        }
        var spec = SpecText.Load(text);
        var result = SimulationRunner.Run(spec, new RunOptions());
        AssertWithin5Se(result.Alignment[0], ExactOracles.RealAndSelfQuadratic(spec), covariance);
    }

    [Fact]
    public void ConfidenceIntervalsCoverTheTruthAtTheirLevel()
    {
        // 200 independent seeds of a small case with an exact answer; 95% intervals from 16 replicates each.
        var template = SpecText.Load(MeanOnlyPair("1", "simultaneous", "multinomial", replicates: 16, rounds: 12, burnIn: 4)) with { Influence = null };
        double exact = ExactOracles.LinearMeanOnly(template)[0];
        int covered = 0;
        const int seeds = 200;
        for (uint seed = 1; seed <= seeds; seed++)
        {
            var result = SimulationRunner.Run(template with { Seed = seed }, new RunOptions());
            covered += result.Alignment[0].Covers(exact) ? 1 : 0;
        }
        double coverage = (double)covered / seeds;
        Assert.InRange(coverage, 0.90, 0.99);
    }

    private static void AssertWithin5Se(Estimate estimate, double exact, string what)
    {
        double tolerance = 5 * estimate.StandardError;
        Assert.True(Math.Abs(estimate.Mean - exact) <= tolerance,
            $"{what}: simulated {estimate.Mean} (se {estimate.StandardError}) differs from exact {exact} by more than 5 SE");
    }
}
