using System.CommandLine;
using Engine.Core.Results;
using Engine.Core.Specs;
using Engine.Simulation;

namespace Engine.Cli;

/// <summary>loopsim run SPEC: replicates of one spec, its table, summary.json and trajectory.csv.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("SPEC") { Description = "The spec file (TOML; every key in docs/spec.md)." };
        var replicates = CommandLine.ReplicatesOption();
        var seed = CommandLine.SeedOption();
        var threads = CommandLine.ThreadsOption();
        var backend = CommandLine.BackendOption();
        var simd = CommandLine.SimdOption();
        var precision = CommandLine.PrecisionOption();
        var device = CommandLine.DeviceOption();
        var sampler = CommandLine.SamplerOption();
        var quiet = CommandLine.QuietOption();
        var json = CommandLine.JsonOption();
        var output = new Option<string>("--out", "-o") { Description = "Folder for summary.json and trajectory.csv.", DefaultValueFactory = _ => "loopsim-out" };
        var command = new Command("run", "Run the replicates of a spec; print the stationary alignment and influence with 95% intervals.")
        {
            spec, replicates, seed, sampler, threads, backend, device, simd, precision, output, quiet, json,
        };
        command.SetAction(parsed => CommandLine.Guard(() =>
        {
            var loaded = CommandLine.ApplyOverrides(SpecLoader.LoadFile(parsed.GetValue(spec)!), parsed.GetValue(replicates), parsed.GetValue(seed), parsed.GetValue(sampler));
            var folder = new OutputFolder(parsed.GetValue(output)!);
            var options = CommandLine.Options(parsed.GetValue(threads), parsed.GetValue(backend)!, parsed.GetValue(simd)!, parsed.GetValue(precision)!, parsed.GetValue(device)!);
            var console = new ConsoleOutput(parsed.GetValue(quiet), parsed.GetValue(json));
            SimulationResult result;
            using (var progress = console.Progress("replicates", loaded.Replicates))
            {
                result = Engine.Gpu.AnyBackend.Run(loaded, options, progress);
            }
            WarnIfDiverged(result);
            console.Text(Describe(result));
            string summary = SummaryWriter.ToJson(result);
            folder.Write("summary.json", summary);
            string trajectoryPath = folder.Write("trajectory.csv", TrajectoryWriter.ToCsv(result));
            console.Line($"wrote {Path.GetDirectoryName(trajectoryPath)}/summary.json and trajectory.csv");
            console.Result(summary);
            return CommandLine.Success;
        }));
        return command;
    }

    /// <summary>Diverged replicates, on stderr whatever the output flags.</summary>
    public static void WarnIfDiverged(SimulationResult result)
    {
        if (result.Diverged > 0)
        {
            Console.Error.WriteLine($"loopsim: warning: {result.Diverged} of {result.Spec.Replicates} replicates diverged (a parameter became non-finite); they are excluded from every estimate");
        }
    }

    public static string Describe(SimulationResult result)
    {
        var spec = result.Spec;
        var text = new System.Text.StringBuilder();
        text.AppendLine($"{spec.Replicates} replicates x {spec.Rounds} rounds (stationary average over rounds {spec.BurnIn + 1}..{spec.Rounds}), seed {spec.Seed}, backend {result.Backend}{(result.Device is { } device ? " on " + device : "")}");
        var alignment = new TextTable("model", "stationary alignment", "se", "95% CI");
        for (int i = 0; i < spec.ModelCount; i++)
        {
            var estimate = result.Alignment[i];
            alignment.Add(spec.Models[i].Name, TextTable.Number(estimate.Mean), TextTable.Number(estimate.StandardError, 5), TextTable.Interval(estimate));
        }
        text.Append(alignment);
        if (result.Influence is { } influence && spec.Influence is { } request)
        {
            text.AppendLine();
            text.AppendLine($"influence of curating {spec.Models[request.Model].Name} (dA/dw^cur, central differences +-{request.Step}, {request.AbsorbName} absorbs):");
            var table = new TextTable("on", "kind", "estimate", "se", "95% CI");
            for (int j = 0; j < spec.ModelCount; j++)
            {
                table.Add(spec.Models[j].Name, j == request.Model ? "self" : "cross", TextTable.Number(influence[j].Mean), TextTable.Number(influence[j].StandardError, 5), TextTable.Interval(influence[j]));
            }
            text.Append(table);
        }
        return text.ToString();
    }
}
