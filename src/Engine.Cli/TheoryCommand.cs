using System.CommandLine;
using Engine.Core.Specs;
using Engine.Theory;

namespace Engine.Cli;

/// <summary>loopsim theory SPEC: the population fixed point, its stability and the influence matrix.</summary>
internal static class TheoryCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("SPEC") { Description = "The spec file (TOML; every key in docs/spec.md)." };
        var output = new Option<string>("--out", "-o") { Description = "Folder for theory.json.", DefaultValueFactory = _ => "loopsim-out" };
        var quiet = CommandLine.QuietOption();
        var json = CommandLine.JsonOption();
        var command = new Command("theory", "Population theory (n -> inf): fixed point, spectral radius, and the self/cross influence of curation.")
        {
            spec, output, quiet, json,
        };
        command.SetAction(parsed => CommandLine.Guard(() =>
        {
            var loaded = SpecLoader.LoadFile(parsed.GetValue(spec)!);
            var folder = new OutputFolder(parsed.GetValue(output)!);
            var console = new ConsoleOutput(parsed.GetValue(quiet), parsed.GetValue(json));
            var result = Analyse(loaded);
            console.Text(Describe(result));
            string text = TheoryWriter.ToJson(result);
            string path = folder.Write("theory.json", text);
            console.Line($"wrote {path}");
            console.Result(text);
            return CommandLine.Success;
        }));
        return command;
    }

    /// <summary>The theory of a spec, with an unsupported case reported as a user-facing error.</summary>
    public static TheoryResult Analyse(SimulationSpec spec)
    {
        try
        {
            return TheoryAnalysis.Run(spec);
        }
        catch (TheoryUnsupportedException e)
        {
            throw new SpecException(e.Message);
        }
    }

    public static string Describe(TheoryResult result)
    {
        var spec = result.Spec;
        var text = new System.Text.StringBuilder();
        if (!result.Converged)
        {
            text.AppendLine(result.FixedPoint.Message);
            return text.ToString();
        }
        text.AppendLine($"fixed point after {result.FixedPoint.Iterations} iterations (residual {result.FixedPoint.Residual:G2}); " +
            $"spectral radius of the Jacobian {result.SpectralRadius:F4}: {(result.Stable ? "locally stable" : "UNSTABLE")}");
        var models = new TextTable("model", "alignment J*", "tr Sigma*", "mean*");
        foreach (var model in result.Models)
        {
            models.Add(model.Name, TextTable.Number(model.Alignment, 6), TextTable.Number(Engine.Core.Numerics.SmallMatrix.Trace(model.Cov, spec.Dimension), 6),
                "(" + string.Join(", ", model.Mean.Select(v => TextTable.Number(v, 4))) + ")");
        }
        text.Append(models);
        text.AppendLine();
        text.AppendLine("influence dJ_on/dw_curated^cur (real absorbs, unless [influence] names another weight):");
        var influence = new TextTable("curated", "on", "kind", "total", "isolated (others frozen)");
        foreach (var entry in result.Influence)
        {
            influence.Add(spec.Models[entry.Curated].Name, spec.Models[entry.On].Name, entry.Curated == entry.On ? "self" : "cross",
                TextTable.Number(entry.Total, 6), entry.Isolated is { } isolated ? TextTable.Number(isolated, 6) : "");
        }
        text.Append(influence);
        return text.ToString();
    }
}
