using System.Globalization;
using Tomlyn.Model;

namespace Engine.Core.Specs;

/// <summary>How an axis's values are typed in the store and in exports.</summary>
public enum AxisValueKind
{
    /// <summary>Every value is a TOML integer.</summary>
    Integer,
    /// <summary>Every value is a number (some not integers).</summary>
    Number,
    /// <summary>Anything else (strings such as "inf", booleans, arrays): kept as text.</summary>
    Text,
}

/// <summary>One [[sweep.axis]]: a path into the spec and the values it takes.</summary>
public sealed record SweepAxis
{
    /// <summary>"coupling", "model.NAME.KEY", "model.*.KEY" or a top-level key (docs/spec.md, "Sweeps").</summary>
    public required string Path { get; init; }
    /// <summary>The values, as TOML parsed them (long, double, string, bool, array).</summary>
    public required IReadOnlyList<object> Values { get; init; }
    /// <summary>For a weight's path: the weight that keeps the sum at 1 ("real", "curated", "self" or "cross.NAME").</summary>
    public string? Absorb { get; init; }
    /// <summary>How the values are typed.</summary>
    public required AxisValueKind Kind { get; init; }

    /// <summary>A value as the store, the exports and the messages write it: integers plainly, other numbers round-trip, strings bare.</summary>
    public static string Format(object value) => value switch
    {
        long integer => integer.ToString(CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        string text => text,
        bool flag => flag ? "true" : "false",
        TomlArray array => "[" + string.Join(", ", array.Select(item => Format(item ?? ""))) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>The value as a number (for numeric axes), else NaN.</summary>
    public static double Number(object value) => value switch
    {
        long integer => integer,
        double number => number,
        _ => double.NaN,
    };
}

/// <summary>One cell of a sweep: its position, its axis values and the full, validated spec it runs.</summary>
public sealed record SweepCell(int Index, IReadOnlyList<object> Values, SimulationSpec Spec)
{
    /// <summary>"cell 3 (coupling = 0.1, model.*.n = 4)" for messages.</summary>
    public string Label(IReadOnlyList<SweepAxis> axes) => LabelOf(Index, axes, Values);

    /// <summary>"coupling = 0.1, model.*.n = 4": the cell's axis values.</summary>
    public string ValuesText(IReadOnlyList<SweepAxis> axes) => ValuesTextOf(axes, Values);

    /// <summary>The label of cell <paramref name="index"/> with these axis values.</summary>
    public static string LabelOf(int index, IReadOnlyList<SweepAxis> axes, IReadOnlyList<object> values) =>
        $"cell {index} ({ValuesTextOf(axes, values)})";

    private static string ValuesTextOf(IReadOnlyList<SweepAxis> axes, IReadOnlyList<object> values) =>
        string.Join(", ", axes.Select((axis, a) => $"{axis.Path} = {SweepAxis.Format(values[a])}"));
}

/// <summary>
/// A validated sweep spec (docs/spec.md, "Sweeps"): a base spec, its axes, and every cell of
/// their Cartesian product, first axis slowest, each a full spec validated like one.
/// </summary>
public sealed record SweepSpec
{
    /// <summary>The file (or name) the sweep came from.</summary>
    public required string SourceName { get; init; }
    /// <summary>The spec's text, as given (the store keeps it).</summary>
    public required string Text { get; init; }
    /// <summary>The axes, in the spec's order.</summary>
    public required IReadOnlyList<SweepAxis> Axes { get; init; }
    /// <summary>Every cell, in index order.</summary>
    public required IReadOnlyList<SweepCell> Cells { get; init; }
    /// <summary>Whether each cell gets its own seed (else all share the spec's: common random numbers).</summary>
    public required bool Independent { get; init; }
    /// <summary>The 95% half-width every reported estimate of a cell must reach, or null for fixed replicates.</summary>
    public double? TargetHalfWidth { get; init; }
    /// <summary>With a target: the most replicates a cell may run.</summary>
    public long MaxReplicates { get; init; }
    /// <summary>The spec's seed (before any axis or independence).</summary>
    public required uint Seed { get; init; }
    /// <summary>A digest of everything the results depend on: equal digests mean the same cells, specs and targets.</summary>
    public required string Identity { get; init; }

    /// <summary>The cell specs for axis values that need not be on the grid (a theory curve between grid points).</summary>
    public required Func<IReadOnlyList<object>, SimulationSpec> Build { get; init; }

    /// <summary>The index of the axis with this path, or -1.</summary>
    public int AxisIndex(string path)
    {
        for (int a = 0; a < Axes.Count; a++)
        {
            if (Axes[a].Path == path)
            {
                return a;
            }
        }
        return -1;
    }
}
