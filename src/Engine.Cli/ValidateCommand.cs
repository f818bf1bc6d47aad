using System.CommandLine;
using Engine.Core.Specs;

namespace Engine.Cli;

/// <summary>loopsim validate SPEC: every check of run (or, for a sweep spec, of sweep: every cell), without running.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("SPEC") { Description = "The spec file (TOML), or a sweep spec, whose every cell is checked." };
        var command = new Command("validate", "Check a spec, or every cell of a sweep spec, without running it: the same errors as run and sweep, exit code 2 on the first.") { spec };
        command.SetAction(parsed => CommandLine.Guard(() =>
        {
            string path = parsed.GetValue(spec)!;
            string text = SpecLoader.ReadFile(path);
            if (SpecLoader.ParseDocument(text, path).ContainsKey("sweep"))
            {
                var sweep = SweepLoader.Parse(text, path);
                var first = sweep.Cells[0].Spec;
                string target = sweep.TargetHalfWidth is { } h ? $"; each cell runs until every 95% half-width is at most {h} (at most {sweep.MaxReplicates} replicates)" : "";
                Console.WriteLine($"{path}: valid sweep: {sweep.Cells.Count} cells ({string.Join(" x ", sweep.Axes.Select(axis => $"{axis.Values.Count} {axis.Path}"))}), " +
                    $"{first.ModelCount} model{(first.ModelCount == 1 ? "" : "s")} in dimension {first.Dimension}, {first.Replicates} replicates x {first.Rounds} rounds per cell{target}");
                return CommandLine.Success;
            }
            var loaded = SpecLoader.Parse(text, path);
            var influence = loaded.Influence is { } request ? $"; influence of curating {loaded.Models[request.Model].Name} ({request.AbsorbName} absorbs, step {request.Step})" : "";
            Console.WriteLine($"{path}: valid: {loaded.ModelCount} model{(loaded.ModelCount == 1 ? "" : "s")} ({string.Join(", ", loaded.Models.Select(m => m.Name))}) in dimension {loaded.Dimension}, " +
                $"{loaded.Replicates} replicates x {loaded.Rounds} rounds{influence}");
            return CommandLine.Success;
        }));
        return command;
    }
}
