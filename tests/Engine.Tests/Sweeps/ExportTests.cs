using System.Globalization;
using DuckDB.NET.Data;
using Engine.Tests.Support;

namespace Engine.Tests.Sweeps;

/// <summary>loopsim export: the columns of docs/outputs.md, typed by the axes in Parquet, empty where undefined.</summary>
public class ExportTests
{
    /// <summary>
    /// No [influence], an integer axis and a text axis (k = 4 and "inf"): CSV has empty influence
    /// fields and the values as the spec writes them; Parquet, read back, has BIGINT, VARCHAR and
    /// DOUBLE columns, nulls where CSV is empty, and the same numbers bit for bit.
    /// </summary>
    [Fact]
    public void CsvAndParquetHoldTheSameRowsWithTypedAxesAndEmptyFields()
    {
        string text = string.Join("\n", SpecText.Header, SpecText.Theta, SpecText.Phi).Replace("replicates = 512", "replicates = 64", StringComparison.Ordinal) + """

            [[sweep.axis]]
            path = "model.*.n"
            values = [4, 8]

            [[sweep.axis]]
            path = "model.theta.k"
            values = [4, "inf"]
            """;
        string spec = Loopsim.WriteSpec(text, out string folder);
        string store = Path.Combine(folder, "s.duckdb");
        Assert.Equal(0, Loopsim.Run("sweep", spec, "--store", store, "--quiet").ExitCode);
        string csv = Path.Combine(folder, "s.csv"), parquet = Path.Combine(folder, "s.parquet");
        Assert.Equal(0, Loopsim.Run("export", store, "--out", csv, "--quiet").ExitCode);
        Assert.Equal(0, Loopsim.Run("export", store, "--format", "parquet", "--out", parquet, "--quiet").ExitCode);

        var lines = File.ReadAllLines(csv);
        Assert.Equal("cell,model.*.n,model.theta.k,model,alignment_mean,alignment_se,influence_mean,influence_se,theory_alignment,theory_influence,replicates,diverged", lines[0]);
        Assert.Equal(1 + 4 * 2, lines.Length);
        var first = lines[1].Split(',');
        Assert.Equal(["0", "4", "4", "theta"], first[..4]);
        Assert.Equal("", first[6]);
        Assert.Equal("", first[7]);
        Assert.Equal("", first[9]);
        Assert.Equal("inf", lines[3].Split(',')[2]);

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet('{parquet}')";
        using var reader = command.ExecuteReader();
        Assert.Equal(typeof(long), reader.GetFieldType(1));
        Assert.Equal(typeof(string), reader.GetFieldType(2));
        Assert.Equal(typeof(double), reader.GetFieldType(4));
        int row = 1;
        while (reader.Read())
        {
            var fields = lines[row++].Split(',');
            Assert.Equal(fields[0], reader.GetInt32(0).ToString(CultureInfo.InvariantCulture));
            Assert.Equal(fields[1], reader.GetInt64(1).ToString(CultureInfo.InvariantCulture));
            Assert.Equal(fields[2], reader.GetString(2));
            Assert.Equal(fields[3], reader.GetString(3));
            Assert.Equal(fields[4], reader.GetDouble(4).ToString("R", CultureInfo.InvariantCulture));
            Assert.True(reader.IsDBNull(6));
            Assert.Equal(fields[10], reader.GetInt64(10).ToString(CultureInfo.InvariantCulture));
        }
        Assert.Equal(lines.Length, row);
    }

    [Fact]
    public void ExportFlagsAndStoresAreCheckedBeforeAnythingIsWritten()
    {
        string folder = Loopsim.TemporaryFolder();
        string output = Path.Combine(folder, "out.csv");
        var missing = Loopsim.Run("export", Path.Combine(folder, "none.duckdb"), "--out", output);
        Loopsim.AssertUserError(missing, "no such file");
        string notAStore = Path.Combine(folder, "text.duckdb");
        File.WriteAllText(notAStore, "hello");
        var bad = Loopsim.Run("export", notAStore, "--out", output);
        Loopsim.AssertUserError(bad, "is not a loopsim sweep store");
        var format = Loopsim.Run("export", notAStore, "--format", "xlsx", "--out", output);
        Loopsim.AssertUserError(format, "--format = \"xlsx\": csv or parquet");
        Assert.False(File.Exists(output));
    }
}
