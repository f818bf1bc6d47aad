namespace Engine.Benchmarks;

public static class Program
{
    /// <summary>The modes beside BenchmarkDotNet's suites, by their first argument.</summary>
    private static readonly Dictionary<string, Action<string[]>> Modes = new()
    {
        ["throughput"] = Throughput.Run,
        ["generator"] = Throughput.Generators,
        ["quadrature-convergence"] = QuadratureConvergence.Run,
        ["theory-scaling"] = TheoryScaling.Run,
        ["simulation-scaling"] = SimulationScaling.Run,
        ["gpu-agreement"] = GpuAgreement.Run,
        ["gpu-throughput"] = GpuThroughput.Run,
        ["sweep-scale"] = SweepScale.Run,
    };

    public static void Main(string[] args)
    {
        if (args.Length > 0 && Modes.TryGetValue(args[0], out var mode))
        {
            mode(args);
            return;
        }
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    /// <summary>bench/canonical.toml, found from the working directory or the binary's location.</summary>
    public static string CanonicalSpecPath()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                string candidate = Path.Combine(folder.FullName, "bench", "canonical.toml");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new FileNotFoundException("bench/canonical.toml (run from the repository)");
    }
}
