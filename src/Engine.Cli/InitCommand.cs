using System.CommandLine;
using Engine.Core.Specs;

namespace Engine.Cli;

/// <summary>loopsim init: writes an annotated example spec to start from.</summary>
internal static class InitCommand
{
    /// <summary>The examples, by name: the files of specs/ that ship inside the program.</summary>
    public static readonly string[] Examples = ["coupled-pair", "ring", "diverging", "fig3"];

    public static Command Create()
    {
        var example = new Option<string>("--example", "-e")
        {
            Description = "coupled-pair (two coupled models, the worked example at t = 0.6, with influence), ring (three models, each learning from the next; K = 4) diverging (a linear-reward loop whose variance runs away) or fig3 (the sweep of the worked example: loopsim sweep runs it).",
            DefaultValueFactory = _ => Examples[0],
        };
        var output = new Option<string?>("--out", "-o") { Description = "The file to write (default: NAME.toml in the current folder); an existing file is never overwritten." };
        var command = new Command("init", "Write an annotated example spec to start from.") { example, output };
        command.SetAction(parsed => CommandLine.Guard(() =>
        {
            string name = parsed.GetValue(example)!;
            if (Array.IndexOf(Examples, name) < 0)
            {
                string hint = Suggestions.Nearest(name, Examples) is { } meant ? $" (did you mean {meant}?)" : "";
                throw SpecException.Invalid("--example", name, "one of " + string.Join(", ", Examples) + hint);
            }
            string path = parsed.GetValue(output) ?? name + ".toml";
            if (File.Exists(path) || Directory.Exists(path))
            {
                throw SpecException.Invalid("--out", path, "a file that does not exist yet (init never overwrites)");
            }
            File.WriteAllText(path, Text(name));
            Console.WriteLine($"wrote {path}: loopsim validate {path} checks it, loopsim run {path} runs it, loopsim theory {path} gives its population theory");
            return CommandLine.Success;
        }));
        return command;
    }

    /// <summary>The text of an example, as shipped.</summary>
    public static string Text(string name)
    {
        using var stream = typeof(InitCommand).Assembly.GetManifestResourceStream($"examples/{name}.toml")
            ?? throw new InvalidOperationException($"the example {name} is not embedded in loopsim");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
