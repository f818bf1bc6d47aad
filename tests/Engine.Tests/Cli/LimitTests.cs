using System.Text;
using Engine.Tests.Support;

namespace Engine.Tests.Cli;

/// <summary>Limits that bound memory are checked before large allocations, or before the file is parsed: one line, exit 2, nothing written.</summary>
public class LimitTests
{
    private static string Identity(int d) => "[" + string.Join(", ", Enumerable.Range(0, d).Select(r => "[" + string.Join(", ", Enumerable.Range(0, d).Select(c => r == c ? "1.0" : "0.0")) + "]")) + "]";

    private static string Vector(int d) => "[" + string.Join(", ", Enumerable.Repeat("0.0", d)) + "]";

    private static string Solo(int d, string k, int rounds = 4) => $"""
        dimension = {d}
        rounds = {rounds}
        burn_in = 1
        replicates = 16
        seed = 1

        [[model]]
        name = "solo"
        n = 8
        covariance = "full"
        real_mean = {Vector(d)}
        real_cov = {Identity(d)}
        reward = "quadratic"
        reward_center = {Vector(d)}
        beta = 0.5
        k = {k}
        weights = {"{"} real = 0.5, curated = 0.5 {"}"}
        """;

    private static void AssertRefused(string text, string expected)
    {
        string specPath = Loopsim.WriteSpec(text, out string folder, "limit.toml");
        string output = Path.Combine(folder, "out");
        var outcome = Loopsim.Run("run", specPath, "--out", output);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Single(outcome.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, outcome.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>k = 1,000,000 in dimension 16 used to abort with "Out of memory." (signal 6): curation buffers grew with k x d unchecked.</summary>
    [Fact]
    public void CandidatesBeyondTheBoundAreRefusedByName() =>
        AssertRefused(Solo(16, "1000000"), "model.solo.k = 1000000: at most 16384 in dimension 16");

    [Fact]
    public void LargeKWithinTheBoundRuns()
    {
        string specPath = Loopsim.WriteSpec(Solo(16, "16384", rounds: 2), out string folder, "large-k.toml");
        var outcome = Loopsim.Run("run", specPath, "--replicates", "2", "--out", Path.Combine(folder, "out"));
        Assert.Equal(0, outcome.ExitCode);
    }

    /// <summary>dimension = 3000 is named before its 45 MB of matrices are parsed (40 s and 5.9 GB before).</summary>
    [Fact]
    public void OversizedDimensionIsNamedBeforeParsing() =>
        AssertRefused(Solo(2, "4").Replace("dimension = 2", "dimension = 3000", StringComparison.Ordinal) + "\n# " + new string('x', 1 << 20) + "\n", "dimension = 3000: an integer from 1 to 64");

    [Fact]
    public void OversizedFileIsRefusedUnread()
    {
        var text = new StringBuilder(Solo(2, "4"));
        string padding = "# " + new string('x', 1000) + "\n";
        while (text.Length <= (17 << 20))
        {
            text.Append(padding);
        }
        AssertRefused(text.ToString(), "MB; a spec is at most 16 MB");
    }

    [Fact]
    public void TrajectoryBeyondTheBoundIsRefusedByName() =>
        AssertRefused(Solo(2, "4", rounds: 1_000_000_000), "rounds = 1000000000: at most 262143 with 1 models in dimension 2");
}
