using System.CommandLine;
using System.Globalization;
using System.Text;
using Engine.Core.Results;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Sweeps;
using Engine.Theory;

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
        var quiet = CommandLine.QuietOption();
        var json = CommandLine.JsonOption();
        var output = new Option<string>("--out", "-o") { Description = "Folder for fig3.csv and the spec used.", DefaultValueFactory = _ => "loopsim-out/fig3" };
        var fig3 = new Command("fig3", "The coupling sweep of docs/model.md section 6: self- and cross-influence of curating theta, for n = 4, 12, 64.")
        {
            quick, replicates, threads, backend, device, simd, precision, output, quiet, json,
        };
        fig3.SetAction(parsed => CommandLine.Guard(() => RunFig3(
            parsed.GetValue(quick) ? Fig3.Quick : Fig3.Full,
            parsed.GetValue(replicates),
            CommandLine.Options(parsed.GetValue(threads), parsed.GetValue(backend)!, parsed.GetValue(simd)!, parsed.GetValue(precision)!, parsed.GetValue(device)!),
            new OutputFolder(parsed.GetValue(output)!),
            new ConsoleOutput(parsed.GetValue(quiet), parsed.GetValue(json)))));
        return new Command("reproduce", "Reproduce a worked example.") { fig3 };
    }

    private static int RunFig3(Fig3.Preset preset, long? replicatesOverride, RunOptions options, OutputFolder folder, ConsoleOutput console)
    {
        string specText = Fig3.SpecText(preset.Rounds, preset.BurnIn, preset.Replicates);
        var baseSpec = CommandLine.ApplyOverrides(SpecLoader.Parse(specText, "fig3.toml"), replicatesOverride, null);
        var cells = new List<(int N, double T, SimulationSpec Spec)>();
        foreach (int n in Fig3.SampleSizes)
        {
            foreach (double t in Fig3.CouplingScales)
            {
                cells.Add((n, t, Fig3.Cell(baseSpec, t, n)));
            }
        }
        console.Line($"fig3 ({preset.Name}): {cells.Count} cells, {baseSpec.Replicates} replicates x {baseSpec.Rounds} rounds each (burn-in {baseSpec.BurnIn}), seed {baseSpec.Seed}, backend {options.BackendLabel}");
        console.Line("influence of curating theta (dA/dw_theta^cur, real absorbs), mean over replicates with 95% CI");
        var theory = Fig3.CouplingScales.ToDictionary(t => t, t => TheoryCommand.Analyse(Fig3.Cell(baseSpec, t, Fig3.SampleSizes[0])));
        var table = new TextTable("t", "n", "self dA_theta", "95% CI", "theory", "cross dA_phi", "95% CI", "theory");
        var csv = new StringBuilder("t,n,self_influence,self_se,self_ci_low,self_ci_high,cross_influence,cross_se,cross_ci_low,cross_ci_high,diverged,theory_self_influence,theory_cross_influence\n");
        var selfMeans = new Dictionary<int, List<(double T, double Self)>>();
        long totalWork = cells.Sum(cell => cell.Spec.Replicates * cell.Spec.N());
        long doneBefore = 0;
        var rows = new List<(double T, int N, SimulationResult Result, double TheorySelf, double TheoryCross)>();
        using (var progress = console.Progress("replicates x n", totalWork))
        {
            for (int c = 0; c < cells.Count; c++)
            {
                var (n, t, spec) = cells[c];
                progress.Label = $"cell {c + 1}/{cells.Count} (n={n}, t={t}): ";
                long weight = spec.N();
                var result = Engine.Gpu.AnyBackend.Run(spec, options, new Progress(done => progress.Report(doneBefore + done * weight)));
                doneBefore += spec.Replicates * weight;
                RunCommand.WarnIfDiverged(result);
                var self = result.Influence![0];
                var cross = result.Influence[1];
                var (theorySelf, theoryCross) = TheoryInfluence(theory[t]);
                table.Add(t.ToString(CultureInfo.InvariantCulture), n.ToString(CultureInfo.InvariantCulture),
                    TextTable.Number(self.Mean), TextTable.Interval(self), TextTable.Number(theorySelf),
                    TextTable.Number(cross.Mean), TextTable.Interval(cross), TextTable.Number(theoryCross));
                csv.Append(CultureInfo.InvariantCulture, $"{t},{n},{Csv.Number(self.Mean)},{Csv.Number(self.StandardError)},{Csv.Number(self.Lower95)},{Csv.Number(self.Upper95)},");
                csv.Append(CultureInfo.InvariantCulture, $"{Csv.Number(cross.Mean)},{Csv.Number(cross.StandardError)},{Csv.Number(cross.Lower95)},{Csv.Number(cross.Upper95)},{result.Diverged},");
                csv.Append(CultureInfo.InvariantCulture, $"{Csv.Number(theorySelf)},{Csv.Number(theoryCross)}\n");
                (selfMeans.TryGetValue(n, out var list) ? list : selfMeans[n] = []).Add((t, self.Mean));
                rows.Add((t, n, result, theorySelf, theoryCross));
            }
        }
        console.Text(table.ToString());
        console.Line("");
        double? theoryCrossing = TheorySignChange(baseSpec);
        console.Line($"the self-influence dJ_theta/dw_theta^cur changes sign at coupling t = {FormatCrossing(theoryCrossing)} (population theory)");
        var crossings = selfMeans.ToDictionary(entry => entry.Key, entry => Fig3Crossings.Interpolated(entry.Value));
        foreach (var (n, crossing) in crossings)
        {
            console.Line($"  and at t = {FormatCrossing(crossing)} in the n = {n} estimates (linear interpolation between grid points)");
        }
        folder.Write("fig3-spec.toml", specText);
        string path = folder.Write("fig3.csv", csv.ToString());
        console.Line($"wrote {path}");
        if (console.Json)
        {
            console.Result(Json(preset, baseSpec, options, rows, theoryCrossing, crossings));
        }
        return CommandLine.Success;
    }

    /// <summary>The sweep as JSON (--json): every cell with its estimates and theory, and the sign changes; undefined numbers are null.</summary>
    private static string Json(Fig3.Preset preset, SimulationSpec baseSpec, RunOptions options, List<(double T, int N, SimulationResult Result, double TheorySelf, double TheoryCross)> rows,
        double? theoryCrossing, Dictionary<int, double?> crossings)
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

    private static long N(this SimulationSpec spec) => spec.Models[0].N;

    private static (double Self, double Cross) TheoryInfluence(TheoryResult theory) =>
        theory.Converged ? (theory.InfluenceOf(0, 0), theory.InfluenceOf(0, 1)) : (double.NaN, double.NaN);

    /// <summary>The coupling where the theory's self-influence crosses zero, by bisection between the grid points that bracket it.</summary>
    private static double? TheorySignChange(SimulationSpec baseSpec)
    {
        double Self(double t) => TheoryInfluence(TheoryCommand.Analyse(Fig3.Cell(baseSpec, t, Fig3.SampleSizes[0]))).Self;
        var grid = Fig3.CouplingScales;
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

    /// <summary>Forwards progress synchronously (System.Progress would post to the thread pool).</summary>
    private sealed class Progress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
