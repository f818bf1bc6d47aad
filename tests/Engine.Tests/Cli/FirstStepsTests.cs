using System.Text.Json;
using Engine.Tests.Support;

namespace Engine.Tests.Cli;

/// <summary>loopsim init and validate, as a new user meets them.</summary>
public class FirstStepsTests
{
    [Fact]
    public void TheFig3SweepExampleInitsValidatesSweepsAndExports()
    {
        string folder = Loopsim.TemporaryFolder();
        string path = Path.Combine(folder, "fig3.toml");
        Assert.Equal(0, Loopsim.Run("init", "--example", "fig3", "--out", path).ExitCode);
        var validate = Loopsim.Run("validate", path);
        Assert.Equal(0, validate.ExitCode);
        Assert.Contains("valid sweep: 45 cells (3 model.*.n x 15 coupling)", validate.StandardOutput, StringComparison.Ordinal);
        string store = Path.Combine(folder, "fig3.duckdb");
        var sweep = Loopsim.Run("sweep", path, "--replicates", "16", "--store", store);
        Assert.True(sweep.ExitCode == 0, sweep.StandardError);
        Assert.Contains("45 cells run", sweep.StandardOutput, StringComparison.Ordinal);
        // Not a terminal: one progress line per finished cell.
        Assert.Equal(45, sweep.StandardError.Split('\n').Count(line => line.StartsWith("cell ", StringComparison.Ordinal) && line.Contains(" done: model.*.n = ", StringComparison.Ordinal)));
        string csv = Path.Combine(folder, "fig3.csv");
        Assert.Equal(0, Loopsim.Run("export", store, "--out", csv).ExitCode);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("cell,model.*.n,coupling,model,alignment_mean,alignment_se,influence_mean,influence_se,theory_alignment,theory_influence,replicates,diverged", lines[0]);
        Assert.Equal(1 + 45 * 2, lines.Length);
        Assert.StartsWith("44,64,1.16,phi,", lines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("coupled-pair")]
    [InlineData("ring")]
    [InlineData("diverging")]
    public void EveryExampleInitsValidatesAndRuns(string example)
    {
        string folder = Loopsim.TemporaryFolder();
        string path = Path.Combine(folder, example + ".toml");
        var init = Loopsim.Run("init", "--example", example, "--out", path);
        Assert.Equal(0, init.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(ReadmeTests.RepositoryRoot(), "specs", example + ".toml")), File.ReadAllText(path));
        var validate = Loopsim.Run("validate", path);
        Assert.Equal(0, validate.ExitCode);
        Assert.Contains($"{path}: valid", validate.StandardOutput, StringComparison.Ordinal);
        var run = Loopsim.Run("run", path, "--replicates", "64", "--out", Path.Combine(folder, "out"));
        Assert.Equal(0, run.ExitCode);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "out", "summary.json")));
        long diverged = summary.RootElement.GetProperty("diverged").GetInt64();
        var theory = Loopsim.Run("theory", path, "--out", Path.Combine(folder, "theory"));
        Assert.Equal(0, theory.ExitCode);
        if (example == "diverging")
        {
            Assert.True(diverged > 0, "the diverging example should diverge");
            Assert.Contains("diverged", run.StandardError, StringComparison.Ordinal);
            Assert.Contains("grows without bound", theory.StandardOutput, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(0, diverged);
            Assert.Contains("locally stable", theory.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void InitNeverOverwritesAndNamesTheExampleMeant()
    {
        string folder = Loopsim.TemporaryFolder();
        string path = Path.Combine(folder, "mine.toml");
        File.WriteAllText(path, "# my own work");
        var again = Loopsim.Run("init", "--out", path);
        Assert.Equal(2, again.ExitCode);
        Assert.Equal("# my own work", File.ReadAllText(path));
        var unknown = Loopsim.Run("init", "--example", "rng", "--out", Path.Combine(folder, "x.toml"));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("(did you mean ring?)", unknown.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "x.toml")));
    }

    [Fact]
    public void ValidateGivesRunsErrors()
    {
        string specPath = Loopsim.WriteSpec(SpecText.Pair.Replace("beta = 0.25", "beta = -1", StringComparison.Ordinal), out string folder, "bad.toml");
        var validate = Loopsim.Run("validate", specPath);
        var run = Loopsim.Run("run", specPath, "--out", Path.Combine(folder, "out"));
        Assert.Equal(2, validate.ExitCode);
        Assert.Equal(run.StandardError, validate.StandardError);
        Assert.Single(validate.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
