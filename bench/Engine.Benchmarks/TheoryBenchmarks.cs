using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Engine.Core.Specs;
using Engine.Theory;

namespace Engine.Benchmarks;

/// <summary>
/// The whole population theory of the canonical spec (two models, K = 4, quadratic rewards):
/// fixed point, spectral radius, influence matrix with its isolated/total split. One run per
/// invocation (the theory caches nothing across runs).
/// </summary>
[SimpleJob(RunStrategy.Monitoring, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class TheoryBenchmarks
{
    private SimulationSpec _canonical = null!;

    [GlobalSetup]
    public void Setup() => _canonical = SpecLoader.LoadFile(Program.CanonicalSpecPath());

    [Benchmark]
    public double CanonicalTheory() => TheoryAnalysis.Run(_canonical).SpectralRadius;
}
