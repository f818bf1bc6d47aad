using System.Text.Json;
using Engine.Gpu;
using Engine.Tests.Support;

namespace Engine.Tests.Cli;

/// <summary>--backend gpu|auto and --device through the real program, as a user runs them (CI has no GPU).</summary>
public class GpuFlagTests
{
    private static readonly bool HasCuda = GpuDevices.CudaDeviceCount() > 0;

    [Theory]
    [InlineData("run")]
    [InlineData("reproduce")]
    public void GpuBackendWithoutACudaDeviceIsOneLineAndExitTwo(string command)
    {
        string specPath = Loopsim.WriteSpec(SpecText.Pair, out string folder, "pair.toml");
        string output = Path.Combine(folder, "out");
        string[] arguments = command == "run"
            ? ["run", specPath, "--backend", "gpu", "--replicates", "64", "--out", output]
            : ["reproduce", "fig3", "--quick", "--backend", "gpu", "--replicates", "64", "--out", output];
        var outcome = Loopsim.Run(arguments);
        if (HasCuda)
        {
            // On a machine with a GPU the same command runs there.
            Assert.Equal(0, outcome.ExitCode);
            return;
        }
        Assert.Equal(2, outcome.ExitCode);
        var lines = outcome.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("--backend = \"gpu\": a machine with a CUDA device", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void AutoTakesTheCpuWithoutACudaDevice()
    {
        string specPath = Loopsim.WriteSpec(SpecText.Pair, out string folder, "pair.toml");
        var outcome = Loopsim.Run("run", specPath, "--replicates", "64", "--out", Path.Combine(folder, "out"));
        Assert.Equal(0, outcome.ExitCode);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "out", "summary.json")));
        Assert.Equal(HasCuda ? "gpu" : "cpu", summary.RootElement.GetProperty("backend").GetString());
    }

    [Theory]
    [InlineData("--device", "tpu", "--device = \"tpu\"")]
    [InlineData("--backend", "warp", "--backend = \"warp\"")]
    public void BadGpuFlagIsOneLineAndExitTwo(string flag, string value, string expected) =>
        AssertUserError(expected, flag, value);

    [Fact]
    public void DeviceWithTheCpuBackendIsAUserError() =>
        AssertUserError("--device = \"0\"", "--backend", "cpu", "--device", "0");

    /// <summary>The kernels on ILGPU's CPU accelerator through the program: the reference's summary, with the backend and device named.</summary>
    [Fact]
    public void CpuAcceleratorRunsTheKernelsAndNamesTheDevice()
    {
        string specPath = Loopsim.WriteSpec(SpecText.Pair.Replace("k = \"inf\"", "k = 2"), out string folder, "pair.toml");
        var gpu = Loopsim.Run("run", specPath, "--replicates", "300", "--device", "cpu-accelerator", "--out", Path.Combine(folder, "gpu"));
        var reference = Loopsim.Run("run", specPath, "--replicates", "300", "--backend", "reference", "--out", Path.Combine(folder, "reference"));
        Assert.Equal(0, gpu.ExitCode);
        Assert.Equal(0, reference.ExitCode);
        Assert.Contains("backend gpu on ilgpu-cpu-accelerator", gpu.StandardOutput, StringComparison.Ordinal);
        string gpuSummary = File.ReadAllText(Path.Combine(folder, "gpu", "summary.json"));
        Assert.Contains("\"device\": \"ilgpu-cpu-accelerator\"", gpuSummary, StringComparison.Ordinal);
        string referenceSummary = File.ReadAllText(Path.Combine(folder, "reference", "summary.json"));
        Assert.Equal(referenceSummary.Replace("\"backend\": \"reference\",", "\"backend\": \"gpu\",\n  \"device\": \"ilgpu-cpu-accelerator\","), gpuSummary);
        Assert.Equal(File.ReadAllText(Path.Combine(folder, "reference", "trajectory.csv")), File.ReadAllText(Path.Combine(folder, "gpu", "trajectory.csv")));
    }

    private static void AssertUserError(string expected, params string[] flags) =>
        Loopsim.AssertFlagError(new Dictionary<string, string>(), expected, flags);
}
