using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Tests.Support;

namespace Engine.Tests.Simulation;

/// <summary>
/// The moments sampler against the literal per-sample simulation it replaces, on every option of
/// the model: the law of the refitted parameters after one round (the mean and variance over
/// replicates of every mean and covariance entry) and the estimates after many rounds, each within
/// 5 combined standard errors. Models have n = 40 (at least StatisticsFromN, so their refits draw
/// statistics) unless a case says otherwise. The two samplers run with different seeds, so their numbers are
/// independent and the standard errors add.
/// </summary>
public class SamplerAgreementTests
{
    private const int Replicates = 8192;

    private static string Pair(string k = "4", string extraTop = "", string dimension = "2") => $$"""
        dimension = {{dimension}}
        rounds = 1
        burn_in = 0
        replicates = 2
        seed = 1
        {{extraTop}}

        """ + (SpecText.Theta + "\n" + SpecText.Phi).Replace("k = \"inf\"", $"k = {k}").Replace("n = 16", "n = 40");

    public static TheoryData<string, string> Options => new()
    {
        { "K = 1", Pair("1") },
        { "K = 2", Pair("2") },
        { "K = 4", Pair("4") },
        { "K = inf", Pair("\"inf\"") },
        { "linear, K = 4", Pair("4").Replace("reward = \"quadratic\"\nreward_center = [0.0, 0.0]", "reward = \"linear\"\nreward_direction = [1.0, -0.5]") },
        { "linear, K = inf", Pair("\"inf\"").Replace("reward = \"quadratic\"\nreward_center = [0.0, 0.0]", "reward = \"linear\"\nreward_direction = [1.0, -0.5]") },
        { "diag, K = 3", Pair("3").Replace("covariance = \"full\"", "covariance = \"diag\"") },
        { "iso, K = inf", Pair("\"inf\"").Replace("covariance = \"full\"", "covariance = \"iso\"") },
        { "fixed covariance, K = 4", Pair("4").Replace("covariance = \"full\"", "covariance = \"fixed\"") },
        { "fixed mixture, K = 4", Pair("4", "mixture = \"fixed\"") },
        { "fixed mixture, K = inf", Pair("\"inf\"", "mixture = \"fixed\"") },
        { "sequential, K = 2", Pair("2", "schedule = \"sequential\"") },
        { "two sources (one boundary), K = inf", Pair("\"inf\"")
            .Replace("weights = { real = 0.4, curated = 0.3, cross = { phi = 0.3 } }", "weights = { real = 0.6, curated = 0.4 }")
            .Replace("weights = { real = 0.4, curated = 0.3, cross = { theta = 0.3 } }", "weights = { real = 0.55, curated = 0.45 }") },
        { "ridge, self data, K = 3", Pair("3").Replace("covariance = \"full\"", "covariance = \"full\"\nridge = 0.05")
            .Replace("weights = { real = 0.4, curated = 0.3, cross = { phi = 0.3 } }", "weights = { real = 0.3, curated = 0.3, self = 0.1, cross = { phi = 0.3 } }") },
        { "a source expecting 2 samples, K = 3", Pair("3")
            .Replace("weights = { real = 0.4, curated = 0.3, cross = { phi = 0.3 } }", "weights = { real = 0.35, curated = 0.3, self = 0.05, cross = { phi = 0.3 } }") },
        { "d = 3, n = 32, a source expecting 8 samples (c <= d happens)", Pair("\"inf\"", dimension: "3").Replace("n = 40", "n = 32")
            .Replace("[0.0, 0.0]", "[0.0, 0.0, 0.0]").Replace("[-3.0, 0.0]", "[-3.0, 0.0, 0.0]")
            .Replace("[[1.0, 0.0], [0.0, 1.0]]", "[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]")
            .Replace("weights = { real = 0.4, curated = 0.3, cross = { phi = 0.3 } }", "weights = { real = 0.45, curated = 0.3, self = 0.25 }")
            .Replace("weights = { real = 0.4, curated = 0.3, cross = { theta = 0.3 } }", "weights = { real = 0.45, curated = 0.3, self = 0.25 }") },
        { "n = 1 (below StatisticsFromN: per sample)", Pair("4").Replace("n = 40", "n = 1") },
        { "n = 2 <= d = 3, K = 1 (per sample)", """
            dimension = 3
            rounds = 1
            burn_in = 0
            replicates = 2
            seed = 1

            """ + SpecText.SingularSolo },
        { "n = 3 = d, K = inf (per sample)", Pair("\"inf\"", dimension: "3").Replace("n = 40", "n = 3")
            .Replace("[0.0, 0.0]", "[0.0, 0.0, 0.0]").Replace("[-3.0, 0.0]", "[-3.0, 0.0, 0.0]")
            .Replace("[[1.0, 0.0], [0.0, 1.0]]", "[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]") },
        { "n = 600 (counts by inversion), K = 4", Pair("4").Replace("n = 40", "n = 600") },
        { "n = 3000, K = inf", Pair("\"inf\"").Replace("n = 40", "n = 3000") },
        { "n = 1500, K = 2", Pair("2").Replace("n = 40", "n = 1500") },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void RefittedParametersHaveTheLawOfTheSampleRefit(string name, string text)
    {
        var spec = SpecText.Load(text);
        string width = SimdWidths.Resolve(SimdWidths.Auto);
        var (samplesMeans, samplesCovs) = SimulationRunner.ParametersPerReplicate(spec with { Sampler = Sampler.Samples, Seed = 11 }, width, Replicates);
        var (momentsMeans, momentsCovs) = SimulationRunner.ParametersPerReplicate(spec with { Sampler = Sampler.Moments, Seed = 12 }, width, Replicates);
        int m = spec.ModelCount, d = spec.Dimension;
        for (int k = 0; k < m * d; k++)
        {
            CompareLaws(Column(samplesMeans, k, m * d), Column(momentsMeans, k, m * d), $"{name}: mean entry {k}");
        }
        for (int k = 0; k < m * d * d; k++)
        {
            CompareLaws(Column(samplesCovs, k, m * d * d), Column(momentsCovs, k, m * d * d), $"{name}: covariance entry {k}");
        }
    }

    public static TheoryData<string, string> LongRuns => new()
    {
        { "K = 4", Pair("4") },
        { "K = inf", Pair("\"inf\"") },
        { "K = 1, fixed mixture", Pair("1", "mixture = \"fixed\"") },
        { "K = 2, sequential, diag", Pair("2", "schedule = \"sequential\"").Replace("covariance = \"full\"", "covariance = \"diag\"") },
    };

    [Theory]
    [MemberData(nameof(LongRuns))]
    public void EstimatesAfterManyRoundsAgree(string name, string text)
    {
        var spec = SpecText.Load(text) with { Rounds = 25, BurnIn = 5, Replicates = 4096 };
        var options = new RunOptions { Backend = Backends.Cpu };
        var samples = SimulationRunner.Run(spec with { Sampler = Sampler.Samples, Seed = 11 }, options);
        var moments = SimulationRunner.Run(spec with { Sampler = Sampler.Moments, Seed = 12 }, options);
        Assert.Equal(0, samples.Diverged + moments.Diverged);
        for (int i = 0; i < spec.ModelCount; i++)
        {
            for (int j = 0; j < spec.ModelCount; j++)
            {
                var a = samples.CrossReward[i, j];
                var b = moments.CrossReward[i, j];
                double se = Math.Sqrt(a.StandardError * a.StandardError + b.StandardError * b.StandardError);
                Assert.True(Math.Abs(a.Mean - b.Mean) <= 5 * se, $"{name}: J_{i}(p_{j}) {a.Mean} (samples) against {b.Mean} (moments), se {se}");
            }
        }
    }

    private static double[] Column(double[] rows, int column, int width)
    {
        var values = new double[rows.Length / width];
        for (int r = 0; r < values.Length; r++)
        {
            values[r] = rows[r * width + column];
        }
        return values;
    }

    /// <summary>Means and variances of two independent samples within 5 combined SE (a variance's SE from the fourth central moment).</summary>
    private static void CompareLaws(double[] a, double[] b, string what)
    {
        var (meanA, varA, seMeanA, seVarA) = SampleSummary.Of(a);
        var (meanB, varB, seMeanB, seVarB) = SampleSummary.Of(b);
        double seMean = Math.Sqrt(seMeanA * seMeanA + seMeanB * seMeanB);
        double seVar = Math.Sqrt(seVarA * seVarA + seVarB * seVarB);
        // Entries fixed by the spec (a fixed covariance) agree exactly.
        Assert.True(Math.Abs(meanA - meanB) <= 5 * seMean + 1e-12 * Math.Abs(meanA), $"{what}: mean {meanA} (samples) against {meanB} (moments), se {seMean}");
        Assert.True(Math.Abs(varA - varB) <= 5 * seVar + 1e-12 * varA, $"{what}: variance {varA} (samples) against {varB} (moments), se {seVar}");
    }
}
