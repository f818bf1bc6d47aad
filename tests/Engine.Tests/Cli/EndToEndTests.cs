using System.Text.Json;
using Engine.Tests.Support;

namespace Engine.Tests.Cli;

public class EndToEndTests
{
    [Fact]
    public void RunWritesSummaryAndTrajectoryAsSpecified()
    {
        string specPath = Loopsim.WriteSpec(SpecText.Pair, out string folder, "pair.toml");
        var outcome = Loopsim.Run("run", specPath, "--replicates", "64", "--seed", "9", "--out", Path.Combine(folder, "out"));
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("stationary alignment", outcome.StandardOutput, StringComparison.Ordinal);

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "out", "summary.json")));
        var root = summary.RootElement;
        Assert.Equal(64, root.GetProperty("replicates").GetInt64());
        Assert.Equal(30, root.GetProperty("rounds").GetInt32());
        Assert.Equal(10, root.GetProperty("burn_in").GetInt32());
        Assert.Equal(9, root.GetProperty("seed").GetInt64());
        Assert.Equal("cpu", root.GetProperty("backend").GetString());
        Assert.Equal(0, root.GetProperty("diverged").GetInt64());
        var alignment = root.GetProperty("alignment");
        Assert.Equal(2, alignment.GetArrayLength());
        Assert.Equal("theta", alignment[0].GetProperty("model").GetString());
        var ci = alignment[0].GetProperty("ci95");
        Assert.True(ci[0].GetDouble() < alignment[0].GetProperty("mean").GetDouble());
        var influence = root.GetProperty("influence");
        Assert.Equal("theta", influence.GetProperty("model").GetString());
        Assert.Equal("real", influence.GetProperty("absorb").GetString());
        Assert.Equal(0.02, influence.GetProperty("step").GetDouble());
        Assert.Equal(new[] { "theta", "phi" }, influence.GetProperty("effects").EnumerateArray().Select(e => e.GetProperty("on").GetString()));
        Assert.True(influence.GetProperty("effects")[0].GetProperty("se").GetDouble() > 0);

        var lines = File.ReadAllLines(Path.Combine(folder, "out", "trajectory.csv"));
        Assert.Equal("round,model,alignment_mean,alignment_se,trace_cov_mean,mean_0,mean_1", lines[0]);
        Assert.Equal(1 + 31 * 2, lines.Length);
        Assert.StartsWith("0,theta,-0.25,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("30,phi,", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", string.Join('\n', lines), StringComparison.Ordinal);
    }

    [Fact]
    public void DivergingReplicatesAreCountedNotPrintedAsNaN()
    {
        // A linear reward with K = inf, no real data and a huge beta: the tilt moves the mean to
        // 1e300 in one round, and the alignment beta a.mu overflows.
        string text = """
            dimension = 1
            rounds = 400
            burn_in = 1
            replicates = 16
            seed = 1

            [[model]]
            name = "runaway"
            n = 50
            covariance = "full"
            real_mean = [0.0]
            real_cov = [[1.0]]
            reward = "linear"
            reward_direction = [1.0]
            beta = 1e300
            k = "inf"
            weights = { real = 0.0, curated = 1.0 }
            """;
        string specPath = Loopsim.WriteSpec(text, out string folder, "runaway.toml");
        var outcome = Loopsim.Run("run", specPath, "--out", Path.Combine(folder, "out"));
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("16 of 16 replicates diverged", outcome.StandardError, StringComparison.Ordinal);
        string summary = File.ReadAllText(Path.Combine(folder, "out", "summary.json"));
        Assert.Contains("\"diverged\": 16", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", File.ReadAllText(Path.Combine(folder, "out", "trajectory.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public void ReproduceFig3WritesItsTable()
    {
        string folder = Loopsim.TemporaryFolder();
        var outcome = Loopsim.Run("reproduce", "fig3", "--quick", "--replicates", "8", "--out", folder);
        Assert.Equal(0, outcome.ExitCode);
        var lines = File.ReadAllLines(Path.Combine(folder, "fig3.csv"));
        Assert.Equal("t,n,self_influence,self_se,self_ci_low,self_ci_high,cross_influence,cross_se,cross_ci_low,cross_ci_high,diverged,theory_self_influence,theory_cross_influence", lines[0]);
        Assert.Equal(1 + 15 * 3, lines.Length);
        Assert.Contains("self dA_theta", outcome.StandardOutput, StringComparison.Ordinal);
        // docs/model.md section 6: the theory's self-influence turns negative near t = 0.2.
        Assert.Matches(@"changes sign at coupling t = 0\.2\d+ \(population theory\)", outcome.StandardOutput);
    }

    [Fact]
    public void HelpListsTheCommands()
    {
        var outcome = Loopsim.Run("--help");
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("run", outcome.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("reproduce", outcome.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>LOOPSIM_SIMD picks the simulation's lanes; the theory neither reads it nor fails on a bad one.</summary>
    [Fact]
    public void TheoryIgnoresTheSimulationsWidthVariable()
    {
        string specPath = Loopsim.WriteSpec(SpecText.Pair.Replace("k = \"inf\"", "k = 4", StringComparison.Ordinal), out string folder, "pair.toml");
        var outcome = Loopsim.RunWith(new Dictionary<string, string> { ["LOOPSIM_SIMD"] = "1024" }, "theory", specPath, "--out", Path.Combine(folder, "out"));
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("locally stable", outcome.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void TheoryWritesTheoryJson()
    {
        string specPath = Loopsim.WriteSpec(SpecText.Pair, out string folder, "pair.toml");
        var outcome = Loopsim.Run("theory", specPath, "--out", Path.Combine(folder, "out"));
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("locally stable", outcome.StandardOutput, StringComparison.Ordinal);
        using var theory = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "out", "theory.json")));
        var root = theory.RootElement;
        Assert.True(root.GetProperty("converged").GetBoolean());
        Assert.True(root.GetProperty("iterations").GetInt32() > 0);
        Assert.InRange(root.GetProperty("spectral_radius").GetDouble(), 0, 1);
        Assert.True(root.GetProperty("stable").GetBoolean());
        var models = root.GetProperty("models");
        Assert.Equal("theta", models[0].GetProperty("name").GetString());
        Assert.Equal(2, models[0].GetProperty("mean").GetArrayLength());
        Assert.Equal(2, models[0].GetProperty("cov")[1].GetArrayLength());
        Assert.True(models[0].GetProperty("alignment").GetDouble() < 0);
        var influence = root.GetProperty("influence").EnumerateArray().ToArray();
        Assert.Equal(4, influence.Length);
        Assert.True(influence[0].TryGetProperty("isolated", out _));
        Assert.Equal("phi", influence[1].GetProperty("on").GetString());
        Assert.False(influence[1].TryGetProperty("isolated", out _));
    }

    [Fact]
    public void TheoryOfARunawayLoopSaysSoWithExitZero()
    {
        string text = SpecText.Pair.Replace("reward = \"quadratic\"\nreward_center = [0.0, 0.0]\nbeta = 0.25", "reward = \"linear\"\nreward_direction = [1.0, 0.0]\nbeta = 3.0", StringComparison.Ordinal);
        string specPath = Loopsim.WriteSpec(text, out string folder, "runaway.toml");
        var outcome = Loopsim.Run("theory", specPath, "--out", Path.Combine(folder, "out"));
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("no fixed point", outcome.StandardOutput, StringComparison.Ordinal);
        string json = File.ReadAllText(Path.Combine(folder, "out", "theory.json"));
        Assert.Contains("\"converged\": false", json, StringComparison.Ordinal);
        Assert.Contains("\"message\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
    }

    [Fact]
    public void TheoryOfFiniteKQuadraticCurationConverges()
    {
        string text = SpecText.Pair.Replace("k = \"inf\"", "k = 4", StringComparison.Ordinal);
        string specPath = Loopsim.WriteSpec(text, out string folder, "finite.toml");
        var outcome = Loopsim.Run("theory", specPath, "--out", Path.Combine(folder, "out"));
        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("locally stable", outcome.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void TheoryOfAnUnsupportedCaseIsAClearError()
    {
        // A quadratic reward much sharper than the model's spread, with finite k: beyond the validated quadrature.
        string text = SpecText.Pair.Replace("k = \"inf\"", "k = 4", StringComparison.Ordinal)
            .Replace("beta = 0.25", "beta = 5.0", StringComparison.Ordinal);
        string specPath = Loopsim.WriteSpec(text, out string folder, "finite.toml");
        var outcome = Loopsim.Run("theory", specPath, "--out", Path.Combine(folder, "out"));
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("model.theta.beta = 5", outcome.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, "out")));
    }
}
