using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tomlyn.Model;

namespace Engine.Core.Specs;

/// <summary>
/// Parses a sweep spec (docs/spec.md, "Sweeps"): the spec's own keys, a [sweep] table and
/// [[sweep.axis]] tables. Every cell is built by setting its axis values in a copy of the TOML
/// document, in the axes' order, and is then validated by <see cref="SpecLoader.FromTable"/>, so a
/// cell is checked exactly like a spec, and an error names the cell and the key.
/// </summary>
public static class SweepLoader
{
    /// <summary>The built-in axis that scales every cross weight (real absorbs).</summary>
    public const string CouplingPath = "coupling";
    /// <summary>A sweep has at most this many cells.</summary>
    public const int MaxCells = 1_000_000;
    /// <summary>With a target and no max_replicates, a cell stops at this many times its replicates.</summary>
    public const int DefaultMaxBatches = 64;

    /// <summary>Loads a sweep spec file; a plain spec is a sweep of one cell.</summary>
    public static SweepSpec LoadFile(string path, IReadOnlyDictionary<string, object>? overrides = null) =>
        Parse(SpecLoader.ReadFile(path), path, overrides);

    /// <summary>
    /// Parses and validates a sweep spec. <paramref name="overrides"/> set top-level keys of the
    /// base spec before the axes are applied (a preset's rounds, a --replicates flag); they are
    /// part of every cell and so of the sweep's identity.
    /// </summary>
    public static SweepSpec Parse(string text, string sourceName, IReadOnlyDictionary<string, object>? overrides = null)
    {
        var root = SpecLoader.ParseDocument(text, sourceName);
        var baseTable = Clone(root);
        baseTable.Remove("sweep");
        foreach (var (key, value) in overrides ?? new Dictionary<string, object>())
        {
            baseTable[key] = value;
        }
        var names = ModelNames(baseTable);

        bool independent = false;
        double? target = null;
        long? maxReplicates = null;
        var axes = new List<SweepAxis>();
        if (root.TryGetValue("sweep", out var sweepValue))
        {
            if (sweepValue is not TomlTable sweep)
            {
                throw SpecException.Invalid("sweep", sweepValue, "a table [sweep] (with [[sweep.axis]] tables)");
            }
            var reader = new TomlTableReader(sweep, "sweep", [.. SpecLoader.SweepKeys]);
            reader.RejectUnknownKeys();
            if (reader.Has("independent"))
            {
                independent = sweep["independent"] is bool flag ? flag : throw SpecException.Invalid("sweep.independent", sweep["independent"], "true or false");
            }
            if (reader.Has("target_half_width"))
            {
                target = reader.Number("target_half_width", double.Epsilon, double.MaxValue, "a finite number > 0 (the 95% half-width every reported estimate of a cell must reach)");
            }
            if (reader.Has("max_replicates"))
            {
                if (target is null)
                {
                    throw new SpecException("sweep.max_replicates: only with sweep.target_half_width (without a target every cell runs the spec's replicates)");
                }
                maxReplicates = reader.Integer("max_replicates", 2, Engine.Core.Random.ReplicateStream.MaxReplicates, Engine.Core.Random.ReplicateStream.ReplicatesAllowed);
            }
            if (reader.Has("axis"))
            {
                if (sweep["axis"] is not TomlTableArray axisTables)
                {
                    throw SpecException.Invalid("sweep.axis", sweep["axis"], "[[sweep.axis]] tables, each with a path and values");
                }
                for (int a = 0; a < axisTables.Count; a++)
                {
                    axes.Add(ReadAxis(axisTables[a], a, names, axes));
                }
            }
        }

        long count = 1;
        foreach (var axis in axes)
        {
            count *= axis.Values.Count;
            if (count > MaxCells)
            {
                throw SpecException.Invalid("sweep.axis", $"{string.Join(" x ", axes.Select(x => x.Values.Count))} cells", $"at most {MaxCells:N0} cells in one sweep: split it into several sweep specs");
            }
        }

        SimulationSpec Build(IReadOnlyList<object> values, string label)
        {
            var table = Clone(baseTable);
            for (int a = 0; a < axes.Count; a++)
            {
                Apply(table, axes[a], values[a], names);
            }
            try
            {
                return SpecLoader.FromTable(table);
            }
            catch (SpecException e)
            {
                throw new SpecException($"{label}: {e.Message}");
            }
        }

        var cells = new SweepCell[count];
        uint? baseSeed = null;
        var position = new int[axes.Count];
        for (int c = 0; c < count; c++)
        {
            var values = new object[axes.Count];
            for (int a = 0; a < axes.Count; a++)
            {
                values[a] = axes[a].Values[position[a]];
            }
            var spec = Build(values, axes.Count == 0 ? "the spec" : SweepCell.LabelOf(c, axes, values));
            baseSeed ??= spec.Seed;
            cells[c] = new SweepCell(c, values, independent ? spec with { Seed = CellSeed(spec.Seed, c) } : spec);
            // The last axis moves fastest.
            for (int a = axes.Count - 1; a >= 0; a--)
            {
                if (++position[a] < axes[a].Values.Count)
                {
                    break;
                }
                position[a] = 0;
            }
        }

        long replicates = cells[0].Spec.Replicates;
        long maximum = target is null ? 0 : maxReplicates ?? replicates * DefaultMaxBatches;
        if (target is not null && cells.Any(cell => maximum < cell.Spec.Replicates))
        {
            throw SpecException.Invalid("sweep.max_replicates", maximum, $"at least replicates ({cells.Max(cell => cell.Spec.Replicates)}): a cell runs its replicates in batches of that many");
        }
        return new SweepSpec
        {
            SourceName = sourceName,
            Text = text,
            Axes = axes,
            Cells = cells,
            Independent = independent,
            TargetHalfWidth = target,
            MaxReplicates = maximum,
            Seed = baseSeed!.Value,
            Identity = Digest(axes, cells, independent, target, maximum),
            Build = values => Build(values, "the curve"),
        };
    }

    /// <summary>
    /// The seed of cell <paramref name="cell"/> under independent = true: SplitMix64's finalizer of
    /// (seed, cell), low 32 bits (docs/random-streams.md), so each cell has its own Philox key.
    /// </summary>
    public static uint CellSeed(uint seed, int cell)
    {
        ulong z = ((ulong)seed << 32 | (uint)cell) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (uint)(z ^ (z >> 31));
    }

    private static SweepAxis ReadAxis(TomlTable table, int index, string[] names, List<SweepAxis> earlier)
    {
        string where = $"sweep.axis[{index}]";
        var reader = new TomlTableReader(table, where, [.. SpecLoader.SweepAxisKeys]);
        reader.RejectUnknownKeys();
        string path = reader.Text("path", "\"coupling\", \"model.NAME.KEY\", \"model.*.KEY\" or a top-level key such as \"rounds\"");
        if (earlier.Any(axis => axis.Path == path))
        {
            throw SpecException.Invalid($"{where}.path", path, "each path on one axis only");
        }
        CheckPath(path, $"{where}.path", names);
        if (reader.Required("values", "a non-empty array") is not TomlArray array || array.Count == 0)
        {
            throw SpecException.Invalid($"{where}.values", table["values"], "a non-empty array of the values the path takes");
        }
        var values = array.Select(value => value ?? "").ToArray();
        var kind = values.All(value => value is long) ? AxisValueKind.Integer
            : values.All(value => value is long or double) ? AxisValueKind.Number : AxisValueKind.Text;
        if (path == CouplingPath && kind == AxisValueKind.Text)
        {
            throw SpecException.Invalid($"{where}.values", values, "numbers >= 0: the coupling scales every cross weight");
        }
        string? absorb = null;
        if (reader.Has("absorb"))
        {
            var parts = path.Split('.');
            if (parts.Length < 4 || parts[0] != "model" || parts[2] != "weights")
            {
                throw new SpecException($"{where}.absorb: only for a weight's path (model.NAME.weights.KEY); {path} is not one");
            }
            string weight = string.Join('.', parts[3..]);
            var choices = new List<string> { "real", "curated", "self" };
            // A model's own outputs are weights.self, never a cross weight.
            choices.AddRange(names.Where(name => name != parts[1]).Select(name => "cross." + name));
            absorb = reader.Choice("absorb", [.. choices.Where(choice => choice != weight)]);
            if (kind == AxisValueKind.Text)
            {
                throw SpecException.Invalid($"{where}.values", values, "numbers: an absorbed weight moves by the value's change");
            }
        }
        return new SweepAxis { Path = path, Values = values, Absorb = absorb, Kind = kind };
    }

    private static void CheckPath(string path, string key, string[] names)
    {
        if (path == CouplingPath)
        {
            return;
        }
        var parts = path.Split('.');
        if (parts.Any(part => part.Length == 0))
        {
            throw SpecException.Invalid(key, path, "a dotted path such as \"model.*.n\"");
        }
        if (parts[0] == "sweep")
        {
            throw SpecException.Invalid(key, path, "a key of the spec, not of [sweep]");
        }
        if (parts[0] == "model")
        {
            if (parts.Length < 3)
            {
                throw SpecException.Invalid(key, path, "model.NAME.KEY or model.*.KEY (a key of each [[model]] table)");
            }
            if (parts[1] != "*" && Array.IndexOf(names, parts[1]) < 0)
            {
                string hint = Suggestions.Nearest(parts[1], names) is { } meant ? $"did you mean {meant}? " : "";
                throw SpecException.Invalid(key, path, $"no model is named {parts[1]}; {hint}the models: {string.Join(", ", names)}, or * for all");
            }
        }
    }

    /// <summary>Sets one axis value in the document, as docs/spec.md describes for each kind of path.</summary>
    private static void Apply(TomlTable root, SweepAxis axis, object value, string[] names)
    {
        if (axis.Path == CouplingPath)
        {
            ApplyCoupling(root, AsNumber(value), names);
            return;
        }
        var parts = axis.Path.Split('.');
        if (parts[0] != "model")
        {
            Set(root, parts, value, null);
            return;
        }
        if (root.TryGetValue("model", out var models) && models is TomlTableArray tables)
        {
            foreach (var model in tables)
            {
                if (parts[1] == "*" || (model.TryGetValue("name", out var name) && name as string == parts[1]))
                {
                    Set(model, parts[2..], value, axis.Absorb);
                }
            }
        }
    }

    private static void Set(TomlTable table, string[] keys, object value, string? absorb)
    {
        var parent = table;
        for (int k = 0; k + 1 < keys.Length; k++)
        {
            if (!parent.TryGetValue(keys[k], out var child) || child is not TomlTable childTable)
            {
                childTable = new TomlTable();
                parent[keys[k]] = childTable;
            }
            parent = childTable;
        }
        if (absorb is not null)
        {
            // parent is the weights table (keys = weights.X or weights.cross.NAME).
            var weights = (TomlTable)table["weights"];
            double change = AsNumber(value) - (parent.TryGetValue(keys[^1], out var old) ? AsNumber(old) : 0);
            var absorbKeys = absorb.Split('.');
            var absorbParent = weights;
            if (absorbKeys.Length == 2)
            {
                if (!weights.TryGetValue("cross", out var cross) || cross is not TomlTable crossTable)
                {
                    crossTable = new TomlTable();
                    weights["cross"] = crossTable;
                }
                absorbParent = crossTable;
            }
            double absorbed = absorbParent.TryGetValue(absorbKeys[^1], out var held) ? AsNumber(held) : 0;
            absorbParent[absorbKeys[^1]] = absorbed - change;
        }
        parent[keys[^1]] = value is TomlArray array ? Clone(array) : value;
    }

    /// <summary>
    /// Every cross weight times <paramref name="scale"/>, and real = 1 - curated - self - the cross
    /// weights summed in model order (a sum at -1e-9..0 is 0: rounding, not a mistake).
    /// </summary>
    private static void ApplyCoupling(TomlTable root, double scale, string[] names)
    {
        if (!root.TryGetValue("model", out var models) || models is not TomlTableArray tables)
        {
            return;
        }
        foreach (var model in tables)
        {
            if (!model.TryGetValue("weights", out var w) || w is not TomlTable weights)
            {
                continue;
            }
            double cross = 0;
            if (weights.TryGetValue("cross", out var c) && c is TomlTable crossTable)
            {
                foreach (string name in names)
                {
                    if (crossTable.TryGetValue(name, out var weight) && weight is long or double)
                    {
                        double scaled = AsNumber(weight) * scale;
                        crossTable[name] = scaled;
                        cross += scaled;
                    }
                }
            }
            double real = 1 - Weight(weights, "curated") - Weight(weights, "self") - cross;
            weights["real"] = real < 0 && real >= -SpecLoader.WeightSumTolerance ? 0.0 : real;
        }
    }

    private static double Weight(TomlTable weights, string key) =>
        weights.TryGetValue(key, out var value) && value is long or double ? AsNumber(value) : 0;

    private static double AsNumber(object value) => value switch
    {
        long integer => integer,
        double number => number,
        _ => throw new SpecException($"sweep: {SpecException.Format(value)} is not a number"),
    };

    private static string[] ModelNames(TomlTable root) =>
        root.TryGetValue("model", out var models) && models is TomlTableArray tables
            ? tables.Select(table => table.TryGetValue("name", out var name) ? name as string ?? "" : "").ToArray()
            : [];

    private static string Digest(IReadOnlyList<SweepAxis> axes, SweepCell[] cells, bool independent, double? target, long maxReplicates)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        foreach (var axis in axes)
        {
            Add($"axis {axis.Path} absorb {axis.Absorb} values {string.Join(" ", axis.Values.Select(SweepAxis.Format))}");
        }
        Add($"independent {independent} target {target?.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} max {maxReplicates}");
        foreach (var cell in cells)
        {
            Add(JsonSerializer.Serialize(cell.Spec));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static TomlTable Clone(TomlTable table)
    {
        var copy = new TomlTable();
        foreach (var (key, value) in table)
        {
            copy[key] = CloneValue(value);
        }
        return copy;
    }

    private static TomlArray Clone(TomlArray array)
    {
        var copy = new TomlArray();
        foreach (var value in array)
        {
            copy.Add(CloneValue(value));
        }
        return copy;
    }

    private static object CloneValue(object? value) => value switch
    {
        TomlTable table => Clone(table),
        TomlTableArray tables => CloneTables(tables),
        TomlArray array => Clone(array),
        _ => value!,
    };

    private static TomlTableArray CloneTables(TomlTableArray tables)
    {
        var copy = new TomlTableArray();
        foreach (var table in tables)
        {
            copy.Add(Clone(table));
        }
        return copy;
    }
}
