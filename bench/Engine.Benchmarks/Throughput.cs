using System.Diagnostics;
using System.Runtime.Intrinsics;
using Engine.Core.Random;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Simulation.Lanes;

namespace Engine.Benchmarks;

/// <summary>
/// The canonical run (bench/canonical.toml) end to end on all cores, per SIMD width, against the
/// physical limit: the fastest rate at which this machine generates the standard normals the
/// loop draws (Philox + the ziggurat, all cores, written to nowhere). Prints markdown for RESULTS.md.
/// </summary>
internal static class Throughput
{
    public static void Run(string[] args)
    {
        long replicates = args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 8192;
        // An optional comma-separated list of widths measures only those and skips the agreement check (for quick A/B runs).
        var widths = args.Length > 2 ? args[2].Split(',') : Widths.All;
        // The per-sample loop (sampler = "samples"): the one whose every normal is counted, so its fraction of the generator's rate means what it says.
        var spec = SpecLoader.LoadFile(Program.CanonicalSpecPath()) with { Replicates = replicates, Sampler = Sampler.Samples };
        int threads = Environment.ProcessorCount;
        Console.WriteLine($"machine: {CpuName()}, {threads} logical cores, .NET {Environment.Version}, " +
            $"Vector512 {(Vector512.IsHardwareAccelerated ? "accelerated" : "not accelerated")}, Vector256 {(Vector256.IsHardwareAccelerated ? "accelerated" : "not accelerated")}");
        double needed = 0;
        foreach (var model in spec.Models)
        {
            int extra = model.IsInfiniteK || model.K <= 1 ? 0 : model.K - 1;
            needed += model.N * spec.Dimension * (1 + model.Weights[WeightIndex.Curated] * extra);
        }
        Console.WriteLine($"canonical run, --sampler samples: {replicates} replicates x {spec.Rounds} rounds, 2 models, n = 64, K = 4; the model consumes {needed:F1} normals per replicate-round on average");
        Console.WriteLine();
        Console.WriteLine("| width | raw normals/s (all cores) | loop replicate-rounds/s | normals generated per replicate-round | loop normals/s | loop / raw |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        // The limit for each precision is its own fastest raw generator.
        double bestRaw = 0, bestRawSingle = 0;
        var rows = new List<(string Width, double Raw, double Rate, double PerRound)>();
        foreach (var width in widths)
        {
            if (!Widths.IsAccelerated(width))
            {
                continue;
            }
            // Best of three for the generator and of two for the loop: the machines here are noisy
            // (+-15% between runs), and the best run is the closest to what the hardware does.
            double raw = BestOf(3, () => Widths.Run(width, new RawNormals(threads)));
            bool single = Widths.IsSingle(width);
            if (single)
            {
                bestRawSingle = Math.Max(bestRawSingle, raw);
            }
            else
            {
                bestRaw = Math.Max(bestRaw, raw);
            }
            double perRound = Widths.Run(width, new CountNormals(spec));
            var options = new RunOptions
            {
                Threads = threads,
                Backend = width == "scalar" ? Backends.Reference : Backends.Cpu,
                Simd = width == LaneDispatch.Single256 ? "256" : width is "scalar" || single ? SimdWidths.Auto : width,
                Precision = single ? "single" : "double",
            };
            SimulationRunner.Run(spec with { Replicates = 512 }, options); // warm-up: JIT tiers
            double rate = BestOf(2, () =>
            {
                var clock = Stopwatch.StartNew();
                SimulationRunner.Run(spec, options);
                return replicates * (double)spec.Rounds / clock.Elapsed.TotalSeconds;
            });
            rows.Add((width, raw, rate, perRound));
        }
        foreach (var (width, raw, rate, perRound) in rows)
        {
            double limit = Widths.IsSingle(width) ? bestRawSingle : bestRaw;
            Console.WriteLine($"| {width} | {raw:G4} | {rate:G4} | {perRound:F1} | {rate * perRound:G4} | {rate * perRound / limit:P0} |");
        }
        Console.WriteLine();
        Console.WriteLine($"physical limit (fastest raw generator): {bestRaw:G4} double normals/s, {bestRawSingle:G4} single normals/s");
        Console.WriteLine();
        if (args.Length <= 2)
        {
            Agreement(spec);
        }
    }

    private static double BestOf(int attempts, Func<double> measure)
    {
        double best = 0;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            best = Math.Max(best, measure());
        }
        return best;
    }

    /// <summary>Every accelerated width against the scalar reference, replicate by replicate (the tests do this where they run; this checks hardware the CI lacks).</summary>
    private static void Agreement(SimulationSpec spec)
    {
        const long count = 200;
        var check = spec with { Rounds = 60, BurnIn = 20 };
        var (reference, _) = SimulationRunner.PerReplicate(check, "scalar", count);
        foreach (var width in Widths.Double.Skip(1))
        {
            var (values, _) = SimulationRunner.PerReplicate(check, width, count);
            double worst = 0;
            int beyond = 0;
            for (int k = 0; k < values.Length; k++)
            {
                double difference = Math.Abs(values[k] - reference[k]) / Math.Max(1, Math.Abs(reference[k]));
                worst = Math.Max(worst, difference);
                beyond += difference > 1e-9 ? 1 : 0;
            }
            Console.WriteLine($"agreement {width,-6} vs scalar over {count} replicates: largest relative difference {worst:E2}, {beyond} values beyond 1e-9");
        }
    }

    private static string CpuName()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    /// <summary>
    /// The raw generators side by side per width, on every core (<c>throughput generator [widths]</c>):
    /// Philox blocks alone (two uniforms each), the Box-Muller transform the engine used before, and
    /// the ziggurat it uses now, in normals (or uniforms) per second, best of five alternated runs.
    /// </summary>
    public static void Generators(string[] args)
    {
        var widths = args.Length > 1 ? args[1].Split(',') : Widths.All;
        int threads = Environment.ProcessorCount;
        Console.WriteLine($"machine: {CpuName()}, {threads} logical cores, .NET {Environment.Version}");
        Console.WriteLine();
        Console.WriteLine("| width | Philox uniforms/s | Box-Muller normals/s | ziggurat normals/s | ziggurat / Box-Muller |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var width in widths)
        {
            if (!Widths.IsAccelerated(width))
            {
                continue;
            }
            double uniforms = 0, boxMuller = 0, ziggurat = 0;
            for (int attempt = 0; attempt < 5; attempt++)
            {
                uniforms = Math.Max(uniforms, Widths.Run(width, new RawNormals(threads, RawKind.Uniforms)));
                boxMuller = Math.Max(boxMuller, Widths.Run(width, new RawNormals(threads, RawKind.BoxMuller)));
                ziggurat = Math.Max(ziggurat, Widths.Run(width, new RawNormals(threads, RawKind.Ziggurat)));
            }
            Console.WriteLine($"| {width} | {uniforms:G4} | {boxMuller:G4} | {ziggurat:G4} | {ziggurat / boxMuller:F2}x |");
        }
    }

    private enum RawKind
    {
        Uniforms,
        BoxMuller,
        Ziggurat,
    }

    /// <summary>Philox blocks turned into normal pairs (or left as uniforms) on every core for about a second, summed so nothing is optimised away.</summary>
    private readonly struct RawNormals(int threads, RawKind kind = RawKind.Ziggurat) : ILaneAction<double>
    {
        public double Run<T>() where T : struct, ILane<T>
        {
            const int chunk = 1 << 14, chunks = 256;
            // Warm-up: enough calls for tiered compilation to reach its optimised code, as the loop's methods do.
            for (int w = 0; w < 200; w++)
            {
                Generate<T>(kind, chunk, 0);
            }
            Thread.Sleep(200);
            var clock = Stopwatch.StartNew();
            var sums = new double[threads];
            var generator = kind;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                for (int c = 0; c < chunks; c++)
                {
                    sums[t] += Generate<T>(generator, chunk, (uint)(t * chunks + c));
                }
            });
            return 2.0 * chunk * chunks * threads / clock.Elapsed.TotalSeconds + 0 * sums.Sum();
        }

        private static double Generate<T>(RawKind kind, int pairs, uint stream) where T : struct, ILane<T>
        {
            var sum = T.Broadcast(0);
            var key = new PhiloxKey(stream, 0);
            switch (kind)
            {
                case RawKind.Uniforms:
                    for (int b = 0; b < pairs / T.Width; b++)
                    {
                        var (u0, u1) = T.Uniforms(in key, (uint)(b * T.Width), 1, 2, 3);
                        sum += u0 + u1;
                    }
                    break;
                case RawKind.BoxMuller:
                    for (int b = 0; b < pairs / T.Width; b++)
                    {
                        var (u0, u1) = T.Uniforms(in key, (uint)(b * T.Width), 1, 2, 3);
                        var (z0, z1) = Lane.BoxMuller(u0, u1);
                        sum += z0 + z1;
                    }
                    break;
                default:
                    for (int b = 0; b < pairs / T.Width; b++)
                    {
                        var (z0, z1) = T.Normals(in key, (uint)(b * T.Width), 1, 2, 3);
                        sum += z0 + z1;
                    }
                    break;
            }
            return T.Element(sum, 0);
        }
    }

    /// <summary>Normals the loop generates per replicate-round at this width (lanes in lockstep draw candidates for every lane).</summary>
    private readonly struct CountNormals(SimulationSpec spec) : ILaneAction<double>
    {
        public double Run<T>() where T : struct, ILane<T>
        {
            var sample = spec with { Rounds = 20, BurnIn = 0 };
            var loop = new LaneLoop<T>(sample);
            var stationary = new T[spec.ModelCount * spec.ModelCount];
            const int replicates = 256;
            for (int group = 0; group < replicates; group += T.Width)
            {
                loop.Run(group, Span<T>.Empty, stationary);
            }
            return loop.NormalsGenerated / (double)(replicates * sample.Rounds);
        }
    }
}
