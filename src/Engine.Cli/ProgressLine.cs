using System.Diagnostics;

namespace Engine.Cli;

/// <summary>
/// Progress on stderr for work that takes more than a second: one rewritten line on a terminal,
/// a line per tenth when stderr is a file or pipe. Quick work prints nothing.
/// </summary>
internal sealed class ProgressLine(string unit, long total, bool silent = false) : IProgress<long>, IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private TimeSpan _lastPrint = TimeSpan.Zero;
    private long _lastTenth = -1;
    private bool _printed;

    public string Label { get; set; } = "";

    public void Report(long done)
    {
        var elapsed = _clock.Elapsed;
        if (silent || elapsed < Quiet || total <= 0)
        {
            return;
        }
        double fraction = Math.Min(1.0, (double)done / total);
        string eta = done > 0 ? $", {FormatSpan(TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction) / fraction))} left" : "";
        string line = $"{Label}{fraction * 100,5:F1}% of {total:N0} {unit} ({FormatSpan(elapsed)} elapsed{eta})";
        if (_interactive)
        {
            if (elapsed - _lastPrint < TimeSpan.FromMilliseconds(200) && done < total)
            {
                return;
            }
            Console.Error.Write("\r" + line.PadRight(Console.BufferWidth > 0 ? Math.Min(Console.BufferWidth - 1, 100) : 100));
        }
        else
        {
            long tenth = (long)(fraction * 10);
            if (tenth == _lastTenth)
            {
                return;
            }
            _lastTenth = tenth;
            Console.Error.WriteLine(line);
        }
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

    /// <summary>A duration as progress lines print it: 1h05m, 3m07s or 4.2s.</summary>
    public static string FormatSpan(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:D2}m" : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:D2}s" : $"{span.TotalSeconds:F1}s";
}
