using System.CommandLine;
using Engine.Core.Specs;

namespace Engine.Cli;

/// <summary>loopsim validate SPEC: every check of run, without running.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("SPEC") { Description = "The spec file (TOML)." };
        var command = new Command("validate", "Check a spec without running it: the same errors as run, exit code 2 on the first.") { spec };
        command.SetAction(parsed => CommandLine.Guard(() =>
        {
            string path = parsed.GetValue(spec)!;
            var loaded = SpecLoader.LoadFile(path);
            var influence = loaded.Influence is { } request ? $"; influence of curating {loaded.Models[request.Model].Name} ({request.AbsorbName} absorbs, step {request.Step})" : "";
            Console.WriteLine($"{path}: valid: {loaded.ModelCount} model{(loaded.ModelCount == 1 ? "" : "s")} ({string.Join(", ", loaded.Models.Select(m => m.Name))}) in dimension {loaded.Dimension}, " +
                $"{loaded.Replicates} replicates x {loaded.Rounds} rounds{influence}");
            return CommandLine.Success;
        }));
        return command;
    }
}
