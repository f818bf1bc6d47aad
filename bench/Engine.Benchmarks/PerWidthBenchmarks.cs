using BenchmarkDotNet.Attributes;
using Engine.Core.Random;

namespace Engine.Benchmarks;

/// <summary>
/// What the per-width suites share: every double-precision lane width as a parameter, one job
/// shape, and 4,096 replicate-operations per invocation (OperationsPerInvoke) so that the
/// reported time is per replicate.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public abstract class PerWidthBenchmarks
{
    /// <summary>Replicate-operations per invocation.</summary>
    protected const int Operations = 4096;
    /// <summary>The key every suite draws under.</summary>
    protected static readonly PhiloxKey Key = new(1, 0);

    [ParamsSource(nameof(WidthNames))]
    public string Width { get; set; } = "256";

    public static IEnumerable<string> WidthNames => Widths.Double;
}
