using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Engine.Core.Results;
using Engine.Core.Specs;
using Engine.Core.Statistics;
using Engine.Gpu;
using Engine.Simulation;
using Engine.Theory;

namespace Engine.Sweeps.Running;

/// <summary>What a sweep reports of one model in one cell: the estimates and the theory beside them (NaN where it does not apply).</summary>
public sealed record ModelEstimate(int Model, string Name, Estimate Alignment, Estimate? Influence, double TheoryAlignment, double TheoryInfluence);

/// <summary>A finished cell: the run (all its batches merged), the rows it reports, and how long it took.</summary>
public sealed record CellResult(SweepCell Cell, SimulationResult Result, IReadOnlyList<ModelEstimate> Models, int Batches, TimeSpan Elapsed)
{
    /// <summary>Replicates run, diverged ones included.</summary>
    public long Replicates => Result.Spec.Replicates;
}

/// <summary>
/// Runs one cell: its replicates, or with a precision target batches of them (replicates
/// 0..R-1, R..2R-1, ...) until every reported 95% half-width is at most the target or the cell
/// reaches max_replicates. The stopping rule reads only the merged results in batch order, so a
/// cell stops at the same batch in every process, shard and resume.
/// </summary>
public static class CellRunner
{
    /// <summary>Runs the cell on the backend the options name; progress reports replicates done in the cell.</summary>
    public static CellResult Run(SweepSpec sweep, SweepCell cell, RunOptions options, TheoryCache theory, IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var spec = cell.Spec;
        long batch = spec.Replicates;
        var result = AnyBackend.Run(spec, options, progress, cancel);
        int batches = 1;
        if (sweep.TargetHalfWidth is { } target)
        {
            while (!Reached(result, target) && result.Spec.Replicates < sweep.MaxReplicates)
            {
                long done = result.Spec.Replicates;
                var next = spec with { FirstReplicate = done, Replicates = Math.Min(batch, sweep.MaxReplicates - done) };
                var offset = progress is null ? null : new OffsetProgress(progress, done);
                result = SimulationRunner.Combine(result, AnyBackend.Run(next, options, offset, cancel));
                batches++;
            }
        }
        return new CellResult(cell, result, Rows(result, theory.Of(spec)), batches, clock.Elapsed);
    }

    /// <summary>Whether every reported 95% half-width (each model's alignment, and its influence when asked) is at most the target.</summary>
    public static bool Reached(SimulationResult result, double target)
    {
        foreach (var estimate in result.Alignment)
        {
            if (!(HalfWidth(estimate) <= target))
            {
                return false;
            }
        }
        foreach (var estimate in result.Influence ?? [])
        {
            if (!(HalfWidth(estimate) <= target))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Half the width of the estimate's 95% interval (NaN when undefined).</summary>
    public static double HalfWidth(Estimate estimate) => (estimate.Upper95 - estimate.Lower95) / 2;

    private static ModelEstimate[] Rows(SimulationResult result, TheoryResult? theory)
    {
        var spec = result.Spec;
        bool converged = theory is { Converged: true };
        var rows = new ModelEstimate[spec.ModelCount];
        for (int j = 0; j < rows.Length; j++)
        {
            double theoryInfluence = converged && spec.Influence is { } request ? theory!.InfluenceOf(request.Model, j) : double.NaN;
            rows[j] = new ModelEstimate(j, spec.Models[j].Name, result.Alignment[j], result.Influence?[j],
                converged ? theory!.Models[j].Alignment : double.NaN, theoryInfluence);
        }
        return rows;
    }

    private sealed class OffsetProgress(IProgress<long> inner, long offset) : IProgress<long>
    {
        public void Report(long value) => inner.Report(offset + value);
    }
}

/// <summary>
/// The population theory of a sweep's cells, once per distinct model arithmetic: the theory does
/// not read n, rounds, replicates or the seed, so cells that differ only there share it.
/// </summary>
public sealed class TheoryCache
{
    private readonly ConcurrentDictionary<string, Lazy<TheoryResult?>> _results = new();

    /// <summary>The theory of the spec, or null where it does not apply (a case the theory does not cover).</summary>
    public TheoryResult? Of(SimulationSpec spec)
    {
        var key = spec with { Models = spec.Models.Select(model => model with { N = 1 }).ToArray(), Replicates = 2, FirstReplicate = 0, Rounds = 1, BurnIn = 0, Seed = 0 };
        return _results.GetOrAdd(JsonSerializer.Serialize(key), _ => new Lazy<TheoryResult?>(() => Analyse(spec))).Value;
    }

    private static TheoryResult? Analyse(SimulationSpec spec)
    {
        try
        {
            return TheoryAnalysis.Run(spec);
        }
        catch (TheoryUnsupportedException)
        {
            return null;
        }
    }
}
