using System.Text.Json;
using Engine.Tests.Support;

namespace Engine.Tests.Cli;

/// <summary>--json and --quiet, for scripts and notebooks that call loopsim.</summary>
public class OutputFlagTests
{
    [Fact]
    public void RunJsonIsTheSummaryAndNothingElse()
    {
        string specPath = Loopsim.WriteSpec(SpecText.Pair, out string folder, "pair.toml");
        string output = Path.Combine(folder, "out");
        var outcome = Loopsim.Run("run", specPath, "--replicates", "64", "--json", "--out", output);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(output, "summary.json")).TrimEnd(), outcome.StandardOutput.TrimEnd());
        Assert.Equal(string.Empty, outcome.StandardError);
    }

    [Fact]
    public void QuietPrintsNothingAndStillWrites()
    {
        string specPath = Loopsim.WriteSpec(SpecText.Pair, out string folder, "pair.toml");
        string output = Path.Combine(folder, "out");
        var outcome = Loopsim.Run("run", specPath, "--replicates", "64", "--quiet", "--out", output);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(string.Empty, outcome.StandardOutput);
        Assert.True(File.Exists(Path.Combine(output, "summary.json")));
        Assert.True(File.Exists(Path.Combine(output, "trajectory.csv")));
        var theory = Loopsim.Run("theory", specPath, "--quiet", "--out", output);
        Assert.Equal(0, theory.ExitCode);
        Assert.Equal(string.Empty, theory.StandardOutput);
        Assert.True(File.Exists(Path.Combine(output, "theory.json")));
    }

    [Fact]
    public void TheoryJsonIsTheTheoryFile()
    {
        string specPath = Loopsim.WriteSpec(SpecText.Pair, out string folder, "pair.toml");
        string output = Path.Combine(folder, "out");
        var outcome = Loopsim.Run("theory", specPath, "--json", "--out", output);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(output, "theory.json")).TrimEnd(), outcome.StandardOutput.TrimEnd());
    }

    [Fact]
    public void ReproduceJsonHasEveryCell()
    {
        string output = Path.Combine(Loopsim.TemporaryFolder(), "fig3");
        var outcome = Loopsim.Run("reproduce", "fig3", "--quick", "--replicates", "8", "--json", "--out", output);
        Assert.Equal(0, outcome.ExitCode);
        using var document = JsonDocument.Parse(outcome.StandardOutput);
        var cells = document.RootElement.GetProperty("cells");
        Assert.Equal(45, cells.GetArrayLength());
        Assert.Equal(File.ReadAllLines(Path.Combine(output, "fig3.csv")).Length - 1, cells.GetArrayLength());
        Assert.True(document.RootElement.GetProperty("self_influence_sign_change").GetProperty("theory").GetDouble() is > 0.2 and < 0.22);
        Assert.Equal(0.05, cells[0].GetProperty("t").GetDouble());
        Assert.Equal(2, cells[0].GetProperty("self_influence").GetProperty("ci95").GetArrayLength());
    }

    [Fact]
    public void ErrorsUnderJsonStayOnStderr()
    {
        var outcome = Loopsim.Run("run", "/nonexistent/spec.toml", "--json");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal(string.Empty, outcome.StandardOutput);
        Assert.Contains("no such file", outcome.StandardError, StringComparison.Ordinal);
    }
}
