namespace Engine.Cli;

/// <summary>
/// What a command prints, by --quiet and --json: tables and "wrote" lines (neither flag), the
/// machine-readable result on stdout and nothing else there (--json), no progress (--quiet, or
/// --json). Errors and warnings go to stderr whatever the flags; files are written either way.
/// </summary>
internal sealed class ConsoleOutput(bool quiet, bool json)
{
    public bool Json => json;

    /// <summary>Human-readable text on stdout: tables, summaries, where files went.</summary>
    public void Text(string text)
    {
        if (!quiet && !json)
        {
            Console.Write(text);
        }
    }

    public void Line(string text) => Text(text + Environment.NewLine);

    /// <summary>The result as JSON on stdout, under --json.</summary>
    public void Result(string jsonText)
    {
        if (json)
        {
            Console.Write(jsonText.EndsWith('\n') ? jsonText : jsonText + "\n");
        }
    }

    public ProgressLine Progress(string unit, long total) => new(unit, total, silent: quiet || json);

    /// <summary>Whether progress is off (--quiet or --json).</summary>
    public bool Silent => quiet || json;
}
