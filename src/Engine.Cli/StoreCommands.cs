using System.CommandLine;
using Engine.Core.Specs;
using Engine.Sweeps;
using Engine.Sweeps.Plots;
using Engine.Sweeps.Store;

namespace Engine.Cli;

/// <summary>loopsim merge, export and plot: what is done with a sweep's store.</summary>
internal static class StoreCommands
{
    public static Command Merge()
    {
        var store = new Argument<string>("STORE") { Description = "The merged store to write (a new file)." };
        var shards = new Argument<string[]>("SHARD_STORE") { Description = "The store of every shard of the sweep, each once.", Arity = ArgumentArity.OneOrMore };
        var quiet = CommandLine.QuietOption();
        var command = new Command("merge", "Combine the stores of a sweep's shards into one store; refuses a missing, duplicated, unfinished or foreign shard, writing nothing.") { store, shards, quiet };
        command.SetAction(parsed => CommandLine.Guard(() =>
        {
            string target = parsed.GetValue(store)!;
            var sources = parsed.GetValue(shards)!;
            int cells = SweepMerge.Merge(target, sources);
            new ConsoleOutput(parsed.GetValue(quiet), false).Line($"wrote {target}: {SweepCommand.Cells(cells)} from {sources.Length} shard{(sources.Length == 1 ? "" : "s")}");
            return CommandLine.Success;
        }));
        return command;
    }

    public static Command Export()
    {
        var store = new Argument<string>("STORE") { Description = "A sweep's store." };
        var format = new Option<string>("--format", "-f") { Description = "csv or parquet.", DefaultValueFactory = _ => "csv" };
        var output = new Option<string>("--out", "-o") { Description = "The file to write.", Required = true };
        var quiet = CommandLine.QuietOption();
        var command = new Command("export", "Write a store's estimates as CSV or Parquet: one row per (cell, model), ordered by cell then model (docs/outputs.md).") { store, format, output, quiet };
        command.SetAction(parsed => CommandLine.Guard(() =>
        {
            string path = parsed.GetValue(output)!;
            string chosen = parsed.GetValue(format)!;
            SweepExport.CheckFormat(chosen);
            using var opened = SweepStore.Open(parsed.GetValue(store)!);
            int finished = opened.FinishedCells().Count;
            if (finished < opened.Info.CellsInShard)
            {
                Console.Error.WriteLine($"loopsim: warning: {opened.Path} has {finished} of its {opened.Info.CellsInShard} cells finished; the export holds those");
            }
            SweepExport.Write(opened, chosen, path);
            new ConsoleOutput(parsed.GetValue(quiet), false).Line($"wrote {path}: {SweepCommand.Cells(finished)}");
            return CommandLine.Success;
        }));
        return command;
    }

    public static Command Plot()
    {
        var store = new Argument<string>("STORE") { Description = "A sweep's store." };
        var x = new Option<string?>("--x") { Description = "The axis on the x axis (default: coupling, else the first numeric axis). Every other axis makes panels: one per combination of their values." };
        var y = new Option<string>("--y") { Description = "auto (influence when the spec asks for it, else alignment), influence or alignment.", DefaultValueFactory = _ => "auto" };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for NAME.png and NAME.svg (default: the store's folder)." };
        var name = new Option<string?>("--name") { Description = "The files' name (default: the store's name)." };
        var quiet = CommandLine.QuietOption();
        var command = new Command("plot", "Draw a sweep as PNG and SVG: estimates against an axis with 95% confidence bands, the population theory as dashed lines, one panel per value of the other axes.") { store, x, y, output, name, quiet };
        command.SetAction(parsed => CommandLine.Guard(() =>
        {
            string path = parsed.GetValue(store)!;
            using var opened = SweepStore.Open(path);
            var data = SweepFigure.Data(opened, parsed.GetValue(x), parsed.GetValue(y)!);
            string folder = parsed.GetValue(output) ?? Path.GetDirectoryName(Path.GetFullPath(path))!;
            var (png, svg) = SweepFigure.Draw(data, folder, parsed.GetValue(name) ?? Path.GetFileNameWithoutExtension(path));
            new ConsoleOutput(parsed.GetValue(quiet), false).Line($"wrote {png} and {svg}: {data.Quantity} against {data.XLabel}, {data.Panels.Count} panel{(data.Panels.Count == 1 ? "" : "s")}");
            return CommandLine.Success;
        }));
        return command;
    }

    public static Command Slurm()
    {
        var spec = new Argument<string>("SPEC") { Description = "The sweep spec." };
        var tasks = new Option<int>("--tasks", "-n") { Description = "Array tasks, one shard each.", Required = true };
        var cpus = new Option<int>("--cpus-per-task", "-c") { Description = "CPUs per task (its --threads).", DefaultValueFactory = _ => 1 };
        var gpus = new Option<int>("--gpus-per-task") { Description = "GPUs per task (0: none; with 1 or more, pass --backend gpu).", DefaultValueFactory = _ => 0 };
        var submit = new Option<bool>("--submit") { Description = "Submit the arrays and the merge job (sbatch); otherwise only write the scripts and submit.sh." };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for the scripts, shard stores, logs, the merged store sweep.duckdb and sweep.csv (default: loopsim-out/<spec name>/slurm). It must be on storage the nodes share." };
        var backend = CommandLine.BackendOption();
        var replicates = CommandLine.ReplicatesOption();
        var sampler = CommandLine.SamplerOption();
        var maxArray = new Option<int?>("--max-array-size") { Description = $"The most tasks per array (default: the cluster's MaxArraySize from scontrol, else {SlurmScripts.DefaultMaxArraySize}); more tasks split into several arrays." };
        var sbatch = new Option<string[]>("--sbatch") { Description = "An extra sbatch option for every job, e.g. --sbatch=--partition=gpu --sbatch=--time=02:00:00 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var loopsim = new Option<string?>("--loopsim") { Description = "The command that runs loopsim on the nodes (default: this program, by its absolute path)." };
        var quiet = CommandLine.QuietOption();
        var command = new Command("slurm", "Write (and with --submit, submit) a Slurm array that runs a sweep as shards, and a merge job that runs after every shard succeeded (afterok).")
        {
            spec, tasks, cpus, gpus, submit, output, backend, replicates, sampler, maxArray, sbatch, loopsim, quiet,
        };
        command.SetAction(parsed => CommandLine.Guard(() =>
        {
            string specPath = Path.GetFullPath(parsed.GetValue(spec)!);
            var sweep = SweepLoader.LoadFile(specPath, SweepCommand.Overrides(parsed.GetValue(replicates), parsed.GetValue(sampler)));
            string chosenBackend = parsed.GetValue(backend)!;
            Engine.Simulation.Backends.CheckName(chosenBackend);
            bool submitting = parsed.GetValue(submit);
            int maxArraySize = parsed.GetValue(maxArray) ?? (submitting ? SlurmScripts.ClusterMaxArraySize() : null) ?? SlurmScripts.DefaultMaxArraySize;
            var plan = SlurmScripts.Write(new SlurmRequest
            {
                SpecPath = specPath,
                Tasks = parsed.GetValue(tasks),
                CpusPerTask = parsed.GetValue(cpus),
                GpusPerTask = parsed.GetValue(gpus),
                Folder = parsed.GetValue(output) ?? Path.Combine("loopsim-out", Path.GetFileNameWithoutExtension(specPath), "slurm"),
                Loopsim = parsed.GetValue(loopsim) ?? ThisProgram(),
                Backend = chosenBackend,
                Replicates = parsed.GetValue(replicates),
                Sampler = parsed.GetValue(sampler),
                MaxArraySize = maxArraySize,
                SbatchOptions = parsed.GetValue(sbatch) ?? [],
            });
            var console = new ConsoleOutput(parsed.GetValue(quiet), false);
            console.Line($"{sweep.Cells.Count} cells in {parsed.GetValue(tasks)} shards: wrote {string.Join(", ", plan.ArrayScripts.Select(Path.GetFileName))}, merge.sbatch and submit.sh in {Path.GetDirectoryName(plan.MergeScript)}");
            if (submitting)
            {
                var ids = SlurmScripts.Submit(plan);
                console.Line($"submitted array job{(ids.Count > 2 ? "s" : "")} {string.Join(", ", ids.Take(ids.Count - 1))} and merge job {ids[^1]} (afterok); the merged store will be {plan.MergedStore}, its export {plan.MergedCsv}");
                Console.WriteLine(ids[^1]);
            }
            else
            {
                console.Line($"submit them with: bash {plan.SubmitScript}");
            }
            return CommandLine.Success;
        }));
        return command;
    }

    /// <summary>This program as a shell command: its apphost, or dotnet and its assembly.</summary>
    private static string ThisProgram()
    {
        string process = Environment.ProcessPath ?? "loopsim";
        string assembly = typeof(StoreCommands).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && assembly.Length > 0
            ? $"{SlurmScripts.Quote(process)} {SlurmScripts.Quote(assembly)}"
            : SlurmScripts.Quote(process);
    }
}
