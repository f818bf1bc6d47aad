using System.CommandLine;
using System.Globalization;
using System.Text;
using Engine.Core.Random;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Sweeps;
using Engine.Sweeps.Running;
using Engine.Sweeps.Store;

namespace Engine.Cli;

/// <summary>loopsim sweep SPEC: every cell of a sweep spec, each committed to the store as soon as it is done.</summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("SPEC") { Description = "The sweep spec (a spec with [sweep] and [[sweep.axis]] tables; docs/spec.md, \"Sweeps\"). A plain spec is a sweep of one cell." };
        var store = new Option<string?>("--store") { Description = "The results store (a DuckDB file). Default: loopsim-out/<spec name>/sweep.duckdb, or shard-I-of-N.duckdb there for a shard." };
        var resume = new Option<bool>("--resume") { Description = "Finish the sweep in an existing store: its finished cells are skipped. The store must hold the same sweep (spec, seed, replicates) and shard." };
        var shard = new Option<string?>("--shard") { Description = "Run shard I/N (0 <= I < N): the cells c with c mod N = I. Unset, a Slurm array task runs shard SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, anything else the whole sweep." };
        var replicates = CommandLine.ReplicatesOption();
        var threads = CommandLine.ThreadsOption();
        var backend = CommandLine.BackendOption();
        var device = CommandLine.DeviceOption();
        var simd = CommandLine.SimdOption();
        var precision = CommandLine.PrecisionOption();
        var sampler = CommandLine.SamplerOption();
        var quiet = CommandLine.QuietOption();
        var json = CommandLine.JsonOption();
        var command = new Command("sweep", "Run every cell of a sweep spec (the Cartesian product of its axes), committing each finished cell to a crash-safe store; kill it at any time and finish with --resume.")
        {
            spec, store, resume, shard, replicates, sampler, threads, backend, device, simd, precision, quiet, json,
        };
        command.SetAction(parsed => CommandLine.Guard(() =>
        {
            string specPath = parsed.GetValue(spec)!;
            var sweep = SweepLoader.LoadFile(specPath, Overrides(parsed.GetValue(replicates), parsed.GetValue(sampler)));
            var options = CommandLine.Options(parsed.GetValue(threads), parsed.GetValue(backend)!, parsed.GetValue(simd)!, parsed.GetValue(precision)!, parsed.GetValue(device)!);
            var selected = Shard.Resolve(parsed.GetValue(shard), Environment.GetEnvironmentVariable);
            string storePath = parsed.GetValue(store) ?? DefaultStore(specPath, selected);
            var console = new ConsoleOutput(parsed.GetValue(quiet), parsed.GetValue(json));
            var summary = Run(sweep, storePath, selected, parsed.GetValue(resume), options, console, _ => { });
            console.Line($"wrote {storePath}: {Cells(summary.Ran)} run, {summary.AlreadyFinished} already there, {summary.InShard} in {(selected == Shard.Whole ? "the sweep" : $"shard {selected}")}");
            console.Line($"  export it with: loopsim export {storePath} --format csv --out {Path.ChangeExtension(storePath, ".csv")}");
            console.Result(Json(storePath, sweep, selected, summary));
            return CommandLine.Success;
        }));
        return command;
    }

    /// <summary>The spec keys the --replicates and --sampler flags set (checked here, so the error names the flag).</summary>
    public static IReadOnlyDictionary<string, object>? Overrides(long? replicates, string? sampler = null)
    {
        var overrides = new Dictionary<string, object>();
        if (replicates is { } r)
        {
            overrides["replicates"] = r is >= 2 and <= ReplicateStream.MaxReplicates ? r : throw SpecException.Invalid("--replicates", r, ReplicateStream.ReplicatesAllowed);
        }
        if (CommandLine.SamplerOverride(sampler) is { } chosen)
        {
            overrides["sampler"] = SpecLoader.NameOf(chosen);
        }
        return overrides.Count > 0 ? overrides : null;
    }

    /// <summary>"1 cell", "6 cells".</summary>
    public static string Cells(int count) => count == 1 ? "1 cell" : $"{count} cells";

    public static string DefaultStore(string specPath, Shard shard)
    {
        string folder = Path.Combine("loopsim-out", Path.GetFileNameWithoutExtension(specPath));
        return Path.Combine(folder, shard == Shard.Whole ? "sweep.duckdb" : $"shard-{shard.Index}-of-{shard.Count}.duckdb");
    }

    /// <summary>Runs the shard's unfinished cells into the store, with progress; <paramref name="finished"/> sees each cell as it commits.</summary>
    public static SweepRunSummary Run(SweepSpec sweep, string storePath, Shard shard, bool resume, RunOptions options, ConsoleOutput console, Action<CellResult> finished, bool describe = true)
    {
        Engine.Gpu.GpuRunner.EnsureDevice(options);
        using var store = SweepStore.OpenForRun(storePath, sweep, shard, resume, options.Precision);
        if (store.Info.EngineVersion != SweepStore.EngineVersion)
        {
            Console.Error.WriteLine($"loopsim: warning: {storePath} was started by loopsim {store.Info.EngineVersion}; this is {SweepStore.EngineVersion}");
        }
        int inShard = shard.CellsOf(sweep.Cells.Count).Count();
        var done = store.FinishedCells();
        long toRun = shard.CellsOf(sweep.Cells.Count).Where(cell => !done.Contains(cell)).Sum(cell => sweep.Cells[cell].Spec.Replicates);
        var first = sweep.Cells[0].Spec;
        string target = sweep.TargetHalfWidth is { } h
            ? string.Create(CultureInfo.InvariantCulture, $", until every 95% half-width is at most {h} (batches of {first.Replicates}, at most {sweep.MaxReplicates})")
            : "";
        string part = shard == Shard.Whole ? "" : $", shard {shard}: {inShard} cells";
        if (describe)
        {
            console.Line($"sweep {sweep.SourceName}: {sweep.Cells.Count} cells{part} ({done.Count} finished already), {first.Replicates} replicates x {first.Rounds} rounds each{target}, seed {sweep.Seed}{(sweep.Independent ? " (independent per cell)" : "")}, backend {options.BackendLabel}");
        }
        using var progress = new SweepProgress(sweep, inShard, done.Count, toRun, console.Silent);
        return SweepRunner.Run(sweep, store, shard, options, result =>
        {
            progress.CellFinished(result);
            RunCommand.WarnIfDiverged(result.Result);
            finished(result);
        }, progress);
    }

    private static string Json(string storePath, SweepSpec sweep, Shard shard, SweepRunSummary summary)
    {
        using var stream = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("store", storePath);
            json.WriteString("identity", sweep.Identity);
            json.WriteNumber("cells_total", sweep.Cells.Count);
            json.WriteString("shard", shard.ToString());
            json.WriteNumber("cells_in_shard", summary.InShard);
            json.WriteNumber("cells_run", summary.Ran);
            json.WriteNumber("cells_already_finished", summary.AlreadyFinished);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
