namespace Engine.Benchmarks;

public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "throughput")
        {
            Throughput.Run(args);
            return;
        }
        if (args.Length > 0 && args[0] == "quadrature-convergence")
        {
            QuadratureConvergence.Run(args);
            return;
        }
        if (args.Length > 0 && args[0] == "simulation-scaling")
        {
            SimulationScaling.Run(args);
            return;
        }
        if (args.Length > 0 && args[0] == "theory-scaling")
        {
            TheoryScaling.Run(args);
            return;
        }
        if (args.Length > 0 && args[0] == "gpu-agreement")
        {
            GpuAgreement.Run(args);
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
