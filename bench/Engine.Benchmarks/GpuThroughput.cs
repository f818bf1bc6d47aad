using System.Diagnostics;
using System.Globalization;
using Engine.Core.Specs;
using Engine.Gpu;
using Engine.Simulation;

namespace Engine.Benchmarks;

/// <summary>
/// gpu-throughput SPEC PRECISION SAMPLER REPLICATES[,REPLICATES...] [budget=60] [device=auto]: the gpu backend's
/// steady rate, inside one process: the device is opened and the kernels compiled by a first run of
/// 256 replicates (timed apart), then each count runs once, timed from the call to the summary on
/// the host (launches, reductions and the copy back included; process start and compilation not).
/// A later count whose time, predicted from the last rate, exceeds the budget in seconds is skipped.
/// Used by bench/gpu/check.sh beside the wall-clock runs of loopsim itself.
/// </summary>
internal static class GpuThroughput
{
    public static void Run(string[] args)
    {
        if (args.Length < 5)
        {
            throw new ArgumentException("usage: gpu-throughput SPEC double|single moments|samples REPLICATES[,REPLICATES...] [budget-seconds] [device]");
        }
        var sampler = SpecLoader.SamplerNamed(args[3]) ?? throw new ArgumentException($"sampler: {args[3]} (moments or samples)");
        var spec = SpecLoader.LoadFile(args[1]) with { Sampler = sampler };
        var options = new RunOptions { Backend = Backends.Gpu, Precision = args[2], Device = args.Length > 6 ? args[6] : GpuDevices.Auto };
        double budget = args.Length > 5 ? double.Parse(args[5], CultureInfo.InvariantCulture) : 60;
        var clock = Stopwatch.StartNew();
        var first = GpuRunner.Run(spec with { Replicates = SimulationRunner.BlockSize }, options);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gpu-throughput {Path.GetFileName(args[1])} {args[2]} {args[3]} on {first.Device}: open and compile with a first run of {SimulationRunner.BlockSize} replicates {clock.Elapsed.TotalSeconds:F2} s"));
        double rate = double.PositiveInfinity; // the first count always runs: the compiling run's rate says nothing
        foreach (string count in args[4].Split(','))
        {
            long replicates = long.Parse(count, CultureInfo.InvariantCulture);
            double predicted = replicates * spec.Rounds / rate;
            if (predicted > budget)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {replicates} replicates: skipped (about {predicted:F0} s at the last rate; budget {budget:F0} s)"));
                continue;
            }
            clock.Restart();
            var result = GpuRunner.Run(spec with { Replicates = replicates }, options);
            double seconds = clock.Elapsed.TotalSeconds;
            rate = replicates * spec.Rounds / seconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {replicates} replicates x {spec.Rounds} rounds: {seconds:F3} s, {rate:E3} replicate-rounds/s (steady), diverged {result.Diverged}, " +
                $"alignment {string.Join(", ", result.Alignment.Select((a, i) => $"{spec.Models[i].Name} {a.Mean:F5} +- {a.StandardError:F5}"))}"));
        }
    }
}
