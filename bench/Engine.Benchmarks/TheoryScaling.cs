using System.Diagnostics;
using Engine.Core.Specs;
using Engine.Theory;

using Engine.Sweeps;

namespace Engine.Benchmarks;

/// <summary>
/// theory-scaling [M,M,...=2,4,8,16,32] [k=4]: the whole population theory (fixed point,
/// spectral radius, influence matrix with its isolated/total split) of the canonical spec and of
/// the all-to-all graph (AllToAll) per M, in milliseconds of compute after one warm-up
/// (best of three; at most one run where one takes over 20 s). Prints markdown for RESULTS.md.
/// </summary>
internal static class TheoryScaling
{
    public static void Run(string[] args)
    {
        var counts = args.Length > 1 ? args[1].Split(',').Select(int.Parse).ToArray() : [2, 4, 8, 16, 32];
        string k = args.Length > 2 ? args[2] : "4";
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine();
        Console.WriteLine("| spec | models | state size | milliseconds (best of 3) | converged | iterations |");
        Console.WriteLine("| --- | ---: | ---: | ---: | --- | ---: |");
        Measure("canonical (K = 4)", SpecLoader.LoadFile(Program.CanonicalSpecPath()));
        foreach (int m in counts)
        {
            Measure($"all-to-all (K = {k})", AllToAll.Spec(m, k));
        }
    }

    private static void Measure(string name, SimulationSpec spec)
    {
        var result = TheoryAnalysis.Run(spec);
        double best = double.PositiveInfinity;
        for (int run = 0; run < 3 && best < 20_000 || run == 0; run++)
        {
            var watch = Stopwatch.StartNew();
            result = TheoryAnalysis.Run(spec);
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }
        int state = spec.ModelCount * (spec.Dimension + spec.Dimension * (spec.Dimension + 1) / 2);
        Console.WriteLine($"| {name} | {spec.ModelCount} | {state} | {best:F1} | {result.Converged} | {result.FixedPoint.Iterations} |");
    }
}
