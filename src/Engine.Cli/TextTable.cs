using System.Globalization;
using System.Text;
using Engine.Core.Statistics;

namespace Engine.Cli;

/// <summary>A plain, aligned text table for stdout (copy-pasteable, no colour codes).</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public override string ToString()
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (int c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }
        var text = new StringBuilder();
        AppendRow(text, headers, widths);
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in _rows)
        {
            AppendRow(text, row, widths);
        }
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (int c = 0; c < cells.Length; c++)
        {
            text.Append(c == 0 ? cells[c].PadRight(widths[c]) : "  " + cells[c].PadLeft(widths[c]));
        }
        text.AppendLine();
    }

    public static string Number(double value, int decimals = 4) =>
        double.IsFinite(value) ? value.ToString("F" + decimals, CultureInfo.InvariantCulture) : "n/a";

    public static string Interval(Estimate estimate, int decimals = 4) =>
        double.IsFinite(estimate.Lower95) ? $"[{Number(estimate.Lower95, decimals)}, {Number(estimate.Upper95, decimals)}]" : "n/a";
}
