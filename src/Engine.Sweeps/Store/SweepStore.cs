using System.Globalization;
using DuckDB.NET.Data;
using Engine.Core.Specs;
using Engine.Core.Statistics;
using Engine.Sweeps.Running;

namespace Engine.Sweeps.Store;

/// <summary>What a store says of itself: the sweep that made it and the shard it holds.</summary>
public sealed record StoreInfo(string Identity, string Source, string SpecText, uint Seed, string EngineVersion, Shard Shard, int CellsTotal, int CellsInShard,
    IReadOnlyList<StoreAxis> Axes, double? TargetHalfWidth, string Precision);

/// <summary>One axis as the store records it.</summary>
public sealed record StoreAxis(int Index, string Path, AxisValueKind Kind, string? Absorb);

/// <summary>
/// The results of one sweep (or one shard of it) in one DuckDB file (schema in the README). Each
/// finished cell is one transaction: its row in cells, its axis values, its estimates and its
/// trajectory means commit together or not at all, so killing the process at any moment loses
/// at most the cells in flight. The file is created under a temporary name and renamed once its
/// schema and description are in, so a store on disk is always a whole one.
/// </summary>
public sealed class SweepStore : IDisposable
{
    /// <summary>The format this engine writes; a store of another format is refused.</summary>
    public const string Format = "loopsim-sweep-1";

    private readonly DuckDBConnection _connection;
    private readonly object _gate = new();

    private SweepStore(string path, DuckDBConnection connection, StoreInfo info)
    {
        Path = path;
        _connection = connection;
        Info = info;
    }

    /// <summary>The store's file.</summary>
    public string Path { get; }

    /// <summary>The sweep and shard the store holds.</summary>
    public StoreInfo Info { get; }

    /// <summary>The engine's version as stores record it.</summary>
    public static string EngineVersion =>
        typeof(SweepStore).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// The store for running <paramref name="shard"/> of the sweep: a new one, or with
    /// <paramref name="resume"/> the existing one, which must hold the same sweep, shard and
    /// precision (double and single give different numbers; one store holds one of them).
    /// </summary>
    public static SweepStore OpenForRun(string path, SweepSpec sweep, Shard shard, bool resume, string precision = "double")
    {
        if (File.Exists(path))
        {
            if (!resume)
            {
                throw SpecException.Invalid("--store", path, "exists already: pass --resume to finish its sweep, or name a new store");
            }
            var store = Open(path, readOnly: false);
            try
            {
                if (store.Info.Identity != sweep.Identity)
                {
                    throw SpecException.Invalid("--store", path, $"holds another sweep (made from {store.Info.Source}, digest {store.Info.Identity[..12]}; this one is {sweep.Identity[..12]}): --resume finishes only the sweep that made the store, so name a new store");
                }
                if (store.Info.Precision != precision)
                {
                    throw SpecException.Invalid("--precision", precision, $"the store {path} holds {store.Info.Precision}-precision results; resume it with --precision {store.Info.Precision}");
                }
                if (store.Info.Shard != shard)
                {
                    throw SpecException.Invalid("--shard", shard.ToString(), $"the store {path} holds shard {store.Info.Shard} of its sweep; resume it with --shard {store.Info.Shard}");
                }
                return store;
            }
            catch
            {
                store.Dispose();
                throw;
            }
        }
        CreateWhole(path, connection =>
        {
            var info = new Dictionary<string, string>
            {
                ["format"] = Format,
                ["identity"] = sweep.Identity,
                ["source"] = sweep.SourceName,
                ["spec_text"] = sweep.Text,
                ["seed"] = sweep.Seed.ToString(CultureInfo.InvariantCulture),
                ["engine_version"] = EngineVersion,
                ["shard_index"] = shard.Index.ToString(CultureInfo.InvariantCulture),
                ["shard_count"] = shard.Count.ToString(CultureInfo.InvariantCulture),
                ["cells_total"] = sweep.Cells.Count.ToString(CultureInfo.InvariantCulture),
                ["cells_in_shard"] = shard.CellsOf(sweep.Cells.Count).Count().ToString(CultureInfo.InvariantCulture),
                ["target_half_width"] = sweep.TargetHalfWidth?.ToString("R", CultureInfo.InvariantCulture) ?? "",
                ["max_replicates"] = sweep.MaxReplicates.ToString(CultureInfo.InvariantCulture),
                ["independent"] = sweep.Independent ? "true" : "false",
                ["precision"] = precision,
            };
            foreach (var (key, value) in info)
            {
                Execute(connection, "INSERT INTO sweep_info VALUES ($1, $2)", key, value);
            }
            for (int a = 0; a < sweep.Axes.Count; a++)
            {
                var axis = sweep.Axes[a];
                Execute(connection, "INSERT INTO axes VALUES ($1, $2, $3, $4)", a, axis.Path, axis.Kind.ToString().ToLowerInvariant(), axis.Absorb);
            }
        });
        return Open(path, readOnly: false);
    }

    /// <summary>
    /// Makes a store file whole or not at all: the schema and what <paramref name="fill"/> writes go
    /// into a temporary file, which is renamed to <paramref name="path"/> once checkpointed.
    /// </summary>
    internal static void CreateWhole(string path, Action<DuckDBConnection> fill)
    {
        string? folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        string temporary = $"{path}.creating-{Environment.ProcessId}";
        File.Delete(temporary);
        try
        {
            using (var connection = Connect(temporary, readOnly: false))
            {
                Execute(connection, Schema);
                fill(connection);
                Execute(connection, "CHECKPOINT");
            }
            File.Move(temporary, path);
        }
        finally
        {
            File.Delete(temporary);
            File.Delete(temporary + ".wal");
        }
    }

    /// <summary>An existing store; a missing file, a file that is not a sweep store, or one in use by another process is one clear line.</summary>
    public static SweepStore Open(string path, bool readOnly = true)
    {
        if (!File.Exists(path))
        {
            throw SpecException.Invalid("STORE", path, "no such file");
        }
        var connection = Connect(path, readOnly);
        try
        {
            return new SweepStore(path, connection, ReadInfo(connection, path));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The cells whose results are committed.</summary>
    public HashSet<int> FinishedCells()
    {
        lock (_gate)
        {
            var cells = new HashSet<int>();
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT cell FROM cells";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cells.Add(reader.GetInt32(0));
            }
            return cells;
        }
    }

    /// <summary>Commits a finished cell: everything it reports, in one transaction.</summary>
    public void Commit(SweepSpec sweep, CellResult cell) => Commit(sweep, [cell]);

    /// <summary>
    /// Commits finished cells in one transaction: each cell's row, axis values, estimates and
    /// trajectory means, all or nothing. A transaction costs a few milliseconds whatever it holds
    /// (most of it the write-ahead log's flush), so cells that finish while one commits go into the next.
    /// </summary>
    public void Commit(SweepSpec sweep, IReadOnlyList<CellResult> cells)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            using (var rows = _connection.CreateAppender("cells"))
            {
                foreach (var cell in cells)
                {
                    rows.CreateRow().AppendValue(cell.Cell.Index).AppendValue(cell.Cell.Label(sweep.Axes)).AppendValue(cell.Replicates).AppendValue(cell.Result.Diverged)
                        .AppendValue(cell.Batches).AppendValue(cell.Result.Backend).AppendValue(cell.Elapsed.TotalSeconds).EndRow();
                }
            }
            using (var values = _connection.CreateAppender("cell_values"))
            {
                foreach (var cell in cells)
                {
                    for (int a = 0; a < sweep.Axes.Count; a++)
                    {
                        var value = cell.Cell.Values[a];
                        var row = values.CreateRow().AppendValue(cell.Cell.Index).AppendValue(a).AppendValue(SweepAxis.Format(value));
                        Numbers(row, [SweepAxis.Number(value)]).EndRow();
                    }
                }
            }
            using (var estimates = _connection.CreateAppender("estimates"))
            {
                foreach (var cell in cells)
                {
                    foreach (var model in cell.Models)
                    {
                        var row = estimates.CreateRow().AppendValue(cell.Cell.Index).AppendValue(model.Model).AppendValue(model.Name);
                        var alignment = model.Alignment;
                        // No influence asked: NaN, stored as null.
                        var influence = model.Influence ?? new Estimate(double.NaN, double.NaN, double.NaN, double.NaN, 0);
                        Numbers(row, [alignment.Mean, alignment.StandardError, alignment.Lower95, alignment.Upper95,
                            influence.Mean, influence.StandardError, influence.Lower95, influence.Upper95, model.TheoryAlignment, model.TheoryInfluence]).EndRow();
                    }
                }
            }
            using (var trajectories = _connection.CreateAppender("trajectories"))
            {
                foreach (var cell in cells)
                {
                    foreach (var point in cell.Result.Trajectory)
                    {
                        var row = trajectories.CreateRow().AppendValue(cell.Cell.Index).AppendValue(point.Round).AppendValue(point.Model);
                        row = Numbers(row, [point.Alignment.Mean, point.Alignment.StandardError, point.TraceCovMean]);
                        row.AppendValue((IEnumerable<double?>)point.Mean.Select(v => double.IsFinite(v) ? v : (double?)null).ToArray()).EndRow();
                    }
                }
            }
            foreach (var cell in cells)
            {
                HoldForTests(cell.Cell.Index);
            }
            transaction.Commit();
        }
    }

    /// <summary>Runs a query on the store's connection (export, merge, plots).</summary>
    internal DuckDBConnection Connection => _connection;

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    /// <summary>
    /// A test seam for "killed mid-write": with LOOPSIM_TEST_HOLD_COMMIT = N the process stops
    /// inside the transaction that holds cell N (its rows written, not committed) and says so on
    /// stderr, so a test can kill it there. Unset in every real run.
    /// </summary>
    private static void HoldForTests(int cell)
    {
        if (Environment.GetEnvironmentVariable("LOOPSIM_TEST_HOLD_COMMIT") is { } held && held == cell.ToString(CultureInfo.InvariantCulture))
        {
            Console.Error.WriteLine($"loopsim: holding the commit of cell {cell}");
            Thread.Sleep(Timeout.Infinite);
        }
    }

    /// <summary>Appends the numbers in order, an undefined one (NaN, infinite) as null.</summary>
    private static IDuckDBAppenderRow Numbers(IDuckDBAppenderRow row, ReadOnlySpan<double> values)
    {
        foreach (double value in values)
        {
            row = double.IsFinite(value) ? row.AppendValue(value) : row.AppendNullValue();
        }
        return row;
    }

    private const string Schema = """
        CREATE TABLE sweep_info (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
        CREATE TABLE axes (axis INTEGER PRIMARY KEY, path VARCHAR NOT NULL, kind VARCHAR NOT NULL, absorb VARCHAR);
        CREATE TABLE cells (cell INTEGER PRIMARY KEY, label VARCHAR NOT NULL, replicates BIGINT NOT NULL, diverged BIGINT NOT NULL,
            batches INTEGER NOT NULL, backend VARCHAR NOT NULL, seconds DOUBLE NOT NULL);
        CREATE TABLE cell_values (cell INTEGER NOT NULL, axis INTEGER NOT NULL, value VARCHAR NOT NULL, number DOUBLE, PRIMARY KEY (cell, axis));
        CREATE TABLE estimates (cell INTEGER NOT NULL, model INTEGER NOT NULL, model_name VARCHAR NOT NULL,
            alignment_mean DOUBLE, alignment_se DOUBLE, alignment_low DOUBLE, alignment_high DOUBLE,
            influence_mean DOUBLE, influence_se DOUBLE, influence_low DOUBLE, influence_high DOUBLE,
            theory_alignment DOUBLE, theory_influence DOUBLE, PRIMARY KEY (cell, model));
        CREATE TABLE trajectories (cell INTEGER NOT NULL, round INTEGER NOT NULL, model INTEGER NOT NULL,
            alignment_mean DOUBLE, alignment_se DOUBLE, trace_cov_mean DOUBLE, mean DOUBLE[]);
        """;

    internal static DuckDBConnection Connect(string path, bool readOnly)
    {
        var connection = new DuckDBConnection($"Data Source={path}{(readOnly ? ";ACCESS_MODE=READ_ONLY" : "")}");
        try
        {
            connection.Open();
            return connection;
        }
        catch (DuckDBException e)
        {
            connection.Dispose();
            string reason = e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase)
                ? "is in use by another process (a sweep still running on it?)"
                : "is not a loopsim sweep store (DuckDB: " + e.Message.Split('\n')[0] + ")";
            throw SpecException.Invalid("STORE", path, reason);
        }
    }

    internal static void Execute(DuckDBConnection connection, string sql, params object?[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(parameter ?? DBNull.Value));
        }
        command.ExecuteNonQuery();
    }

    private static StoreInfo ReadInfo(DuckDBConnection connection, string path)
    {
        var values = new Dictionary<string, string>();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT key, value FROM sweep_info";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                values[reader.GetString(0)] = reader.GetString(1);
            }
        }
        catch (DuckDBException)
        {
            throw SpecException.Invalid("STORE", path, "is a DuckDB file but not a loopsim sweep store (no sweep_info table)");
        }
        if (!values.TryGetValue("format", out var format) || format != Format)
        {
            throw SpecException.Invalid("STORE", path, $"has format {(format is null ? "(none)" : format)}; this loopsim reads {Format}");
        }
        var axes = new List<StoreAxis>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT axis, path, kind, absorb FROM axes ORDER BY axis";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                axes.Add(new StoreAxis(reader.GetInt32(0), reader.GetString(1), Enum.Parse<AxisValueKind>(reader.GetString(2), ignoreCase: true), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }
        int Integer(string key) => int.Parse(values[key], CultureInfo.InvariantCulture);
        return new StoreInfo(values["identity"], values["source"], values["spec_text"], uint.Parse(values["seed"], CultureInfo.InvariantCulture), values["engine_version"],
            new Shard(Integer("shard_index"), Integer("shard_count")), Integer("cells_total"), Integer("cells_in_shard"), axes,
            values["target_half_width"].Length == 0 ? null : double.Parse(values["target_half_width"], CultureInfo.InvariantCulture), values["precision"]);
    }
}
