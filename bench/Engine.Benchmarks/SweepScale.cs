using System.Diagnostics;
using System.Globalization;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Sweeps;
using Engine.Sweeps.Running;
using Engine.Sweeps.Store;

namespace Engine.Benchmarks;

/// <summary>
/// sweep-scale [cells-per-axis=10] [replicates=64] [rounds=20]: a sweep of cells-per-axis^3 small
/// cells (the fig3 model: coupling x n x theta's curation weight) through the whole sweep engine
/// (validation, theory, store commits, two cells side by side on 2 cores), against the same cells'
/// simulations alone in the same layout and the sweep's distinct theories alone. Per-cell
/// overhead = (sweep - simulations - theories) / cells. Best of two runs after a warm-up.
/// </summary>
internal static class SweepScale
{
    public static void Run(string[] args)
    {
        int perAxis = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        int replicates = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64;
        int rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20;
        string text = Fig3.BaseText.Replace("rounds = 200", $"rounds = {rounds}", StringComparison.Ordinal).Replace("burn_in = 100", "burn_in = 5", StringComparison.Ordinal)
            .Replace("replicates = 4096", $"replicates = {replicates}", StringComparison.Ordinal) + string.Create(CultureInfo.InvariantCulture, $"""

            [[sweep.axis]]
            path = "coupling"
            values = [{string.Join(", ", Enumerable.Range(0, perAxis).Select(i => (0.05 + 0.9 * i / perAxis).ToString("R", CultureInfo.InvariantCulture)))}]

            [[sweep.axis]]
            path = "model.*.n"
            values = [{string.Join(", ", Enumerable.Range(0, perAxis).Select(i => 4 + 6 * i))}]

            [[sweep.axis]]
            path = "model.theta.weights.curated"
            values = [{string.Join(", ", Enumerable.Range(0, perAxis).Select(i => (0.3 + 0.1 * i / perAxis).ToString("R", CultureInfo.InvariantCulture)))}]
            absorb = "real"
            """);
        var clock = Stopwatch.StartNew();
        var sweep = SweepLoader.Parse(text, "sweep-scale.toml");
        double parse = clock.Elapsed.TotalSeconds;
        int cells = sweep.Cells.Count;
        var options = new RunOptions { Backend = Backends.Cpu };
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, width {SimdWidths.Resolve(SimdWidths.Auto)}; {cells} cells of {replicates} replicates x {rounds} rounds (fig3 model, K = inf, with influence: 3 arms)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"parse and validate every cell: {parse:F2} s ({parse * 1e3 / cells:F2} ms per cell)"));

        double bestSweep = double.PositiveInfinity, bestSimulation = double.PositiveInfinity, bestTheory = double.PositiveInfinity;
        for (int run = 0; run < 3; run++)
        {
            string path = Path.Combine(Path.GetTempPath(), $"sweep-scale-{Environment.ProcessId}-{run}.duckdb");
            File.Delete(path);
            clock.Restart();
            using (var store = SweepStore.OpenForRun(path, sweep, Shard.Whole, resume: false))
            {
                SweepRunner.Run(sweep, store, Shard.Whole, options);
            }
            double sweepSeconds = clock.Elapsed.TotalSeconds;
            File.Delete(path);

            clock.Restart();
            int next = -1;
            var workers = Enumerable.Range(0, options.Threads).Select(_ => new Thread(() =>
            {
                int cell;
                while ((cell = Interlocked.Increment(ref next)) < cells)
                {
                    SimulationRunner.Run(sweep.Cells[cell].Spec, options with { Threads = 1 });
                }
            })).ToArray();
            foreach (var worker in workers)
            {
                worker.Start();
            }
            foreach (var worker in workers)
            {
                worker.Join();
            }
            double simulationSeconds = clock.Elapsed.TotalSeconds;

            clock.Restart();
            var theory = new TheoryCache();
            Parallel.For(0, cells, new ParallelOptions { MaxDegreeOfParallelism = options.Threads }, cell => theory.Of(sweep.Cells[cell].Spec));
            double theorySeconds = clock.Elapsed.TotalSeconds;
            if (run > 0)
            {
                bestSweep = Math.Min(bestSweep, sweepSeconds);
                bestSimulation = Math.Min(bestSimulation, simulationSeconds);
                bestTheory = Math.Min(bestTheory, theorySeconds);
            }
        }
        Console.WriteLine();
        Console.WriteLine("| | seconds | cells/s | ms per cell |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        void Row(string name, double seconds) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {seconds:F2} | {cells / seconds:F0} | {seconds * 1e3 / cells:F2} |"));
        Row("whole sweep (loopsim sweep's code, store included)", bestSweep);
        Row("the cells' simulations alone, same layout", bestSimulation);
        Row("the sweep's distinct theories alone", bestTheory);
        Row("per-cell overhead: sweep - simulations - theories", bestSweep - bestSimulation - bestTheory);
    }
}
