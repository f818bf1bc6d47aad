using System.Globalization;
using System.Text;
using Engine.Core.Results;
using Engine.Core.Specs;

namespace Engine.Sweeps.Store;

/// <summary>
/// loopsim export: one row per (cell, model), rows ordered by cell then model, with the columns
/// cell, one per axis path, model, alignment_mean, alignment_se, influence_mean, influence_se,
/// theory_alignment, theory_influence, replicates, diverged (docs/outputs.md). Empty fields
/// (CSV) or nulls (Parquet) where a number is undefined, the spec asks for no influence, or the
/// theory does not apply. The file is written under a temporary name and renamed, so a failed
/// export leaves nothing behind.
/// </summary>
public static class SweepExport
{
    /// <summary>The export formats.</summary>
    public static readonly string[] Formats = ["csv", "parquet"];

    /// <summary>Writes the store's rows to <paramref name="path"/> in the format named.</summary>
    public static void Write(SweepStore store, string format, string path)
    {
        CheckFormat(format);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        string temporary = $"{path}.writing-{Environment.ProcessId}";
        try
        {
            if (format == "csv")
            {
                File.WriteAllText(temporary, Csv(store));
            }
            else
            {
                SweepStore.Execute(store.Connection, $"COPY ({Query(store.Info)}) TO '{temporary.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT PARQUET)");
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Refuses, as a --format error, a format that is not csv or parquet.</summary>
    public static void CheckFormat(string format)
    {
        if (Array.IndexOf(Formats, format) < 0)
        {
            throw SpecException.Invalid("--format", format, "csv or parquet");
        }
    }

    /// <summary>The export as CSV text.</summary>
    public static string Csv(SweepStore store)
    {
        var info = store.Info;
        var text = new StringBuilder("cell");
        foreach (var axis in info.Axes)
        {
            text.Append(',').Append(Field(axis.Path));
        }
        text.Append(",model,alignment_mean,alignment_se,influence_mean,influence_se,theory_alignment,theory_influence,replicates,diverged\n");
        using var command = store.Connection.CreateCommand();
        command.CommandText = Query(info, numericAxesAsText: true);
        using var reader = command.ExecuteReader();
        int columns = reader.FieldCount;
        while (reader.Read())
        {
            for (int c = 0; c < columns; c++)
            {
                if (c > 0)
                {
                    text.Append(',');
                }
                if (reader.IsDBNull(c))
                {
                    continue;
                }
                text.Append(reader.GetValue(c) switch
                {
                    double number => Engine.Core.Results.Csv.Number(number),
                    string value => Field(value),
                    var other => Convert.ToString(other, CultureInfo.InvariantCulture),
                });
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// The export's query. Axis columns are typed by their values (BIGINT, DOUBLE or VARCHAR);
    /// for CSV they are the text the store keeps, which is how the spec's values are written.
    /// </summary>
    public static string Query(StoreInfo info, bool numericAxesAsText = false)
    {
        var select = new StringBuilder("SELECT e.cell");
        foreach (var axis in info.Axes)
        {
            string value = $"(SELECT {{0}} FROM cell_values v WHERE v.cell = e.cell AND v.axis = {axis.Index})";
            string column = numericAxesAsText ? "v.value" : axis.Kind switch
            {
                AxisValueKind.Integer => "CAST(v.number AS BIGINT)",
                AxisValueKind.Number => "v.number",
                _ => "v.value",
            };
            select.Append(CultureInfo.InvariantCulture, $", {string.Format(CultureInfo.InvariantCulture, value, column)} AS {Identifier(axis.Path)}");
        }
        select.Append(", e.model_name AS model, e.alignment_mean, e.alignment_se, e.influence_mean, e.influence_se, e.theory_alignment, e.theory_influence, c.replicates, c.diverged");
        select.Append(" FROM estimates e JOIN cells c ON c.cell = e.cell ORDER BY e.cell, e.model");
        return select.ToString();
    }

    private static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A CSV field, quoted where it holds a comma, a quote or a line break.</summary>
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
