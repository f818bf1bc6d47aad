using System.CommandLine;
using System.Globalization;
using System.Text;
using Engine.Core.Results;
using Engine.Core.Random;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Sweeps;
using Engine.Sweeps.Plots;
using Engine.Sweeps.Running;
using Engine.Sweeps.Store;

namespace Engine.Cli;

/// <summary>loopsim reproduce fig3: the coupling sweep of docs/model.md section 6.</summary>
internal static class ReproduceCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = $"A smaller run ({Fig3.Quick.Replicates} replicates x {Fig3.Quick.Rounds} rounds per cell) that finishes in under a minute on 2 cores." };
        var replicates = CommandLine.ReplicatesOption();
        var threads = CommandLine.ThreadsOption();
        var backend = CommandLine.BackendOption();
        var simd = CommandLine.SimdOption();
        var precision = CommandLine.PrecisionOption();
        var device = CommandLine.DeviceOption();
        var sampler = CommandLine.SamplerOption();
        var quiet = CommandLine.QuietOption();
        var json = CommandLine.JsonOption();
        var output = new Option<string>("--out", "-o") { Description = "Folder for fig3.csv, the figure fig3.png and fig3.svg, the store fig3.duckdb and the spec used (each replaced by a new run).", DefaultValueFactory = _ => "loopsim-out/fig3" };
        var fig3 = new Command("fig3", "The coupling sweep of docs/model.md section 6: self- and cross-influence of curating theta, for n = 4, 12, 64.")
        {
            quick, replicates, sampler, threads, backend, device, simd, precision, output, quiet, json,
        };
        fig3.SetAction(parsed => CommandLine.Guard(() => RunFig3(
            parsed.GetValue(quick) ? Fig3.Quick : Fig3.Full,
            parsed.GetValue(replicates),
            CommandLine.SamplerOverride(parsed.GetValue(sampler)) is { } chosen ? SpecLoader.NameOf(chosen) : null,
            CommandLine.Options(parsed.GetValue(threads), parsed.GetValue(backend)!, parsed.GetValue(simd)!, parsed.GetValue(precision)!, parsed.GetValue(device)!),
            new OutputFolder(parsed.GetValue(output)!),
            new ConsoleOutput(parsed.GetValue(quiet), parsed.GetValue(json)))));
        return new Command("reproduce", "Reproduce a worked example.") { fig3 };
    }

    private static int RunFig3(Fig3.Preset preset, long? replicatesOverride, string? sampler, RunOptions options, OutputFolder folder, ConsoleOutput console)
    {
        if (replicatesOverride is < 2 or > ReplicateStream.MaxReplicates)
        {
            throw SpecException.Invalid("--replicates", replicatesOverride, ReplicateStream.ReplicatesAllowed);
        }
        var sweep = Fig3.Load(preset, replicatesOverride, sampler);
        var baseSpec = sweep.Cells[0].Spec;
        int nAxis = sweep.AxisIndex(Fig3.SampleSizeAxis), tAxis = sweep.AxisIndex(SweepLoader.CouplingPath);
        console.Line($"fig3 ({preset.Name}): {sweep.Cells.Count} cells, {baseSpec.Replicates} replicates x {baseSpec.Rounds} rounds each (burn-in {baseSpec.BurnIn}), seed {baseSpec.Seed}, backend {options.BackendLabel}");
        console.Line("influence of curating theta (dA/dw_theta^cur, real absorbs), mean over replicates with 95% CI");

        // The store of this run: replaced, as fig3.csv is, by every run into the folder.
        string storePath = folder.PathOf("fig3.duckdb");
        if (File.Exists(storePath))
        {
            File.Delete(storePath);
        }
        var results = new CellResult[sweep.Cells.Count];
        SweepCommand.Run(sweep, storePath, Shard.Whole, resume: false, options, console, result => results[result.Cell.Index] = result, describe: false);

        var table = new TextTable("t", "n", "self dA_theta", "95% CI", "theory", "cross dA_phi", "95% CI", "theory");
        var csv = new StringBuilder("t,n,self_influence,self_se,self_ci_low,self_ci_high,cross_influence,cross_se,cross_ci_low,cross_ci_high,diverged,theory_self_influence,theory_cross_influence\n");
        var selfMeans = new Dictionary<long, List<(double T, double Self)>>();
        var rows = new List<(double T, long N, SimulationResult Result, double TheorySelf, double TheoryCross)>();
        foreach (var cell in results)
        {
            double t = SweepAxis.Number(cell.Cell.Values[tAxis]);
            long n = (long)cell.Cell.Values[nAxis];
            var result = cell.Result;
            var self = result.Influence![0];
            var cross = result.Influence[1];
            double theorySelf = cell.Models[0].TheoryInfluence, theoryCross = cell.Models[1].TheoryInfluence;
            table.Add(t.ToString(CultureInfo.InvariantCulture), n.ToString(CultureInfo.InvariantCulture),
                TextTable.Number(self.Mean), TextTable.Interval(self), TextTable.Number(theorySelf),
                TextTable.Number(cross.Mean), TextTable.Interval(cross), TextTable.Number(theoryCross));
            csv.Append(CultureInfo.InvariantCulture, $"{t},{n},{Csv.Number(self.Mean)},{Csv.Number(self.StandardError)},{Csv.Number(self.Lower95)},{Csv.Number(self.Upper95)},");
            csv.Append(CultureInfo.InvariantCulture, $"{Csv.Number(cross.Mean)},{Csv.Number(cross.StandardError)},{Csv.Number(cross.Lower95)},{Csv.Number(cross.Upper95)},{result.Diverged},");
            csv.Append(CultureInfo.InvariantCulture, $"{Csv.Number(theorySelf)},{Csv.Number(theoryCross)}\n");
            (selfMeans.TryGetValue(n, out var list) ? list : selfMeans[n] = []).Add((t, self.Mean));
            rows.Add((t, n, result, theorySelf, theoryCross));
        }
        console.Text(table.ToString());
        console.Line("");
        var grid = sweep.Axes[tAxis].Values.Select(SweepAxis.Number).ToArray();
        double? theoryCrossing = TheorySignChange(t => sweep.Build(nAxis < tAxis ? [sweep.Axes[nAxis].Values[0], t] : [t, sweep.Axes[nAxis].Values[0]]), grid);
        console.Line($"the self-influence dJ_theta/dw_theta^cur changes sign at coupling t = {FormatCrossing(theoryCrossing)} (population theory)");
        var crossings = selfMeans.ToDictionary(entry => entry.Key, entry => Fig3Crossings.Interpolated(entry.Value));
        foreach (var (n, crossing) in crossings)
        {
            console.Line($"  and at t = {FormatCrossing(crossing)} in the n = {n} estimates (linear interpolation between grid points)");
        }
        folder.Write("fig3-spec.toml", Fig3.PresetText(preset, replicatesOverride, sampler));
        string path = folder.Write("fig3.csv", csv.ToString());
        using (var store = SweepStore.Open(storePath))
        {
            var (png, _) = SweepFigure.Draw(SweepFigure.Data(store), Path.GetDirectoryName(path)!, "fig3");
            console.Line($"wrote {path}, {png} (and .svg) and the store {storePath}");
        }
        if (console.Json)
        {
            console.Result(Json(preset, baseSpec, options, rows, theoryCrossing, crossings));
        }
        return CommandLine.Success;
    }

    /// <summary>The sweep as JSON (--json): every cell with its estimates and theory, and the sign changes; undefined numbers are null.</summary>
    private static string Json(Fig3.Preset preset, SimulationSpec baseSpec, RunOptions options, List<(double T, long N, SimulationResult Result, double TheorySelf, double TheoryCross)> rows,
        double? theoryCrossing, Dictionary<long, double?> crossings)
    {
        using var stream = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Indented = true }))
        {
            void Number(string name, double? value) => JsonNumbers.Write(json, name, value ?? double.NaN);
            void Estimate(string name, Engine.Core.Statistics.Estimate estimate)
            {
                json.WriteStartObject(name);
                SummaryWriter.WriteEstimate(json, "estimate", estimate);
                json.WriteEndObject();
            }
            json.WriteStartObject();
            json.WriteString("preset", preset.Name);
            json.WriteNumber("replicates", baseSpec.Replicates);
            json.WriteNumber("rounds", baseSpec.Rounds);
            json.WriteNumber("burn_in", baseSpec.BurnIn);
            json.WriteNumber("seed", baseSpec.Seed);
            json.WriteString("backend", options.BackendLabel);
            json.WriteStartArray("cells");
            foreach (var (t, n, result, theorySelf, theoryCross) in rows)
            {
                json.WriteStartObject();
                json.WriteNumber("t", t);
                json.WriteNumber("n", n);
                Estimate("self_influence", result.Influence![0]);
                Estimate("cross_influence", result.Influence[1]);
                json.WriteNumber("diverged", result.Diverged);
                Number("theory_self_influence", theorySelf);
                Number("theory_cross_influence", theoryCross);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("self_influence_sign_change");
            Number("theory", theoryCrossing);
            foreach (var (n, crossing) in crossings)
            {
                Number($"n{n}", crossing);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double TheorySelf(SimulationSpec spec)
    {
        var theory = TheoryCommand.Analyse(spec);
        return theory.Converged ? theory.InfluenceOf(0, 0) : double.NaN;
    }

    /// <summary>The coupling where the theory's self-influence crosses zero, by bisection between the grid points that bracket it.</summary>
    private static double? TheorySignChange(Func<object, SimulationSpec> cellAt, double[] grid)
    {
        double Self(double t) => TheorySelf(cellAt(t));
        for (int g = 0; g + 1 < grid.Length; g++)
        {
            double low = grid[g], high = grid[g + 1];
            double fLow = Self(low), fHigh = Self(high);
            if (!(fLow * fHigh <= 0))
            {
                continue;
            }
            for (int step = 0; step < 50 && high - low > 1e-9; step++)
            {
                double middle = 0.5 * (low + high);
                double fMiddle = Self(middle);
                if (fLow * fMiddle <= 0)
                {
                    high = middle;
                }
                else
                {
                    (low, fLow) = (middle, fMiddle);
                }
            }
            return 0.5 * (low + high);
        }
        return null;
    }

    private static string FormatCrossing(double? t) => t is { } value ? value.ToString("F4", CultureInfo.InvariantCulture) : "(no sign change on the grid)";
}
