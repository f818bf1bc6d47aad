using System.Diagnostics;
using System.Globalization;
using Engine.Simulation;

using Engine.Sweeps;

namespace Engine.Benchmarks;

/// <summary>
/// simulation-scaling [M,M,...=2,4,8,16,32,64] [k=4] [replicates=1024]: the cpu backend on the
/// all-to-all graph (AllToAll) per M, all cores, 20 rounds: model-rounds per second (a
/// model-round is one model's refit on its n = 64 samples) and the time per model-round, which
/// stays flat when the cost grows only with the number of models (each sample has one source,
/// whatever the number of cross sources). Best of two runs after a warm-up.
/// </summary>
internal static class SimulationScaling
{
    public static void Run(string[] args)
    {
        var counts = args.Length > 1 ? args[1].Split(',').Select(int.Parse).ToArray() : [2, 4, 8, 16, 32, 64];
        string k = args.Length > 2 ? args[2] : "4";
        int replicates = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1024;
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, width {SimdWidths.Resolve(SimdWidths.Auto)}; all-to-all, K = {k}, n = 64, d = 2, {replicates} replicates x 20 rounds");
        Console.WriteLine();
        Console.WriteLine("| models | model-rounds/s | microseconds per model-round (all cores) |");
        Console.WriteLine("| ---: | ---: | ---: |");
        foreach (int m in counts)
        {
            var spec = AllToAll.Spec(m, k, replicates, 20, 10);
            var options = new RunOptions { Backend = Backends.Cpu };
            SimulationRunner.Run(spec with { Replicates = 64 }, options);
            double best = double.PositiveInfinity;
            for (int run = 0; run < 2; run++)
            {
                var watch = Stopwatch.StartNew();
                SimulationRunner.Run(spec, options);
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
            }
            double modelRounds = (double)replicates * spec.Rounds * m;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {m} | {modelRounds / best:F0} | {best * 1e6 / modelRounds:F2} |"));
        }
    }
}
