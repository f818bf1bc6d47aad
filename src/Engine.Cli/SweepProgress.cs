using System.Diagnostics;
using System.Globalization;
using Engine.Core.Specs;
using Engine.Sweeps.Running;

namespace Engine.Cli;

/// <summary>
/// A sweep's progress on stderr: on a terminal one rewritten line (cells done of the total,
/// replicates per second, time left); otherwise one line per finished cell, for logs and Slurm.
/// Silent under --quiet and --json.
/// </summary>
internal sealed class SweepProgress(SweepSpec sweep, int cellsInShard, int finishedBefore, long replicatesToRun, bool silent) : IProgress<long>, IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly object _gate = new();
    private TimeSpan _lastPrint = TimeSpan.Zero;
    private long _replicates;
    private int _done = finishedBefore;
    private bool _printed;

    /// <summary>Replicates done so far in this run (all cells in flight included).</summary>
    public void Report(long value)
    {
        lock (_gate)
        {
            _replicates = value;
            if (_interactive)
            {
                PrintLine(force: false);
            }
        }
    }

    public void CellFinished(CellResult result)
    {
        lock (_gate)
        {
            _done++;
            if (silent)
            {
                return;
            }
            if (_interactive)
            {
                PrintLine(force: true);
                return;
            }
            string batches = result.Batches > 1 ? string.Create(CultureInfo.InvariantCulture, $" in {result.Batches} batches") : "";
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cell {_done}/{cellsInShard} done: {Values(result)}{result.Replicates:N0} replicates{batches} in {result.Elapsed.TotalSeconds:F2} s{Diverged(result)}"));
        }
    }

    private string Values(CellResult result) =>
        sweep.Axes.Count == 0 ? "" : result.Cell.ValuesText(sweep.Axes) + ": ";

    private static string Diverged(CellResult result) =>
        result.Result.Diverged > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({result.Result.Diverged:N0} diverged)") : "";

    private void PrintLine(bool force)
    {
        var elapsed = _clock.Elapsed;
        if (silent || (!force && elapsed - _lastPrint < TimeSpan.FromMilliseconds(250)) || elapsed < TimeSpan.FromSeconds(0.5))
        {
            return;
        }
        double rate = _replicates / Math.Max(elapsed.TotalSeconds, 1e-9);
        string left = rate > 0 && replicatesToRun > 0 ? $", about {Span(TimeSpan.FromSeconds(Math.Max(0, replicatesToRun - _replicates) / rate))} left" : "";
        string line = string.Create(CultureInfo.InvariantCulture, $"cells {_done}/{cellsInShard} done, {rate:N0} replicates/s{left} ({Span(elapsed)} elapsed)");
        int width = Console.BufferWidth > 0 ? Math.Min(Console.BufferWidth - 1, 100) : 100;
        Console.Error.Write("\r" + line.PadRight(width));
        _lastPrint = elapsed;
        _printed = true;
    }

    public void Dispose()
    {
        if (_interactive && _printed)
        {
            Console.Error.WriteLine();
        }
    }

    private static string Span(TimeSpan span) => ProgressLine.FormatSpan(span);
}
