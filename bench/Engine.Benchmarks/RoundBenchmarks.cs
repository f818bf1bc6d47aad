using BenchmarkDotNet.Attributes;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Simulation.Lanes;

namespace Engine.Benchmarks;

/// <summary>
/// One full round of the canonical spec (both models refit on 64 samples, K = 4) per lane width,
/// on one thread: 64 replicates per invocation, each run for 1 round, so the time is per
/// replicate-round (the initial state is set up and the round recorded as the loop does).
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class RoundBenchmarks
{
    private const int Replicates = 64;
    private SimulationSpec _spec = null!;

    [ParamsSource(nameof(WidthNames))]
    public string Width { get; set; } = "256";

    public static IEnumerable<string> WidthNames => Widths.Double;

    [GlobalSetup]
    public void Setup() => _spec = SpecLoader.LoadFile(Program.CanonicalSpecPath()) with { Rounds = 1, BurnIn = 0 };

    [Benchmark(OperationsPerInvoke = Replicates)]
    public double FullRound() => Widths.Run(Width, new RoundBody(_spec));

    private readonly struct RoundBody(SimulationSpec spec) : ILaneAction<double>
    {
        public double Run<T>() where T : struct, ILane<T>
        {
            var loop = new LaneLoop<T>(spec);
            var stationary = new T[spec.ModelCount * spec.ModelCount];
            var sum = T.Broadcast(0);
            for (int group = 0; group < Replicates; group += T.Width)
            {
                loop.Run(group, Span<T>.Empty, stationary);
                sum += stationary[0];
            }
            return T.Element(sum, 0);
        }
    }
}
