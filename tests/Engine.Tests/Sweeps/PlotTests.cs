using System.Buffers.Binary;
using System.Globalization;
using System.Xml.Linq;
using Engine.Core.Specs;
using Engine.Core.Statistics;
using Engine.Simulation;
using Engine.Sweeps;
using Engine.Sweeps.Plots;
using Engine.Sweeps.Running;
using Engine.Sweeps.Store;
using Engine.Tests.Support;

namespace Engine.Tests.Sweeps;

/// <summary>loopsim plot: the data behind the figure against the store, and the files it draws.</summary>
public class PlotTests
{
    [Fact]
    public void TheSeriesAreTheStoresEstimatesWithTheir95PercentBandsAndTheTheory()
    {
        var (sweep, storePath) = SmallStore();
        using var store = SweepStore.Open(storePath);
        var data = SweepFigure.Data(store);
        Assert.Equal("coupling", data.XLabel);
        Assert.Equal("influence", data.Quantity);
        // One panel per value of the other axis (theta's curation weight), two series (theta, phi) each.
        Assert.Equal(["model.theta.weights.curated = 0.2", "model.theta.weights.curated = 0.3", "model.theta.weights.curated = 0.4"], data.Panels.Select(panel => panel.Title));
        var rows = ExportRows(store);
        foreach (var (panel, p) in data.Panels.Select((panel, p) => (panel, p)))
        {
            Assert.Equal(["dA_theta", "dA_phi"], panel.Series.Select(series => series.Name));
            foreach (var (series, model) in panel.Series.Select((series, model) => (series, model)))
            {
                Assert.Equal([0.5, 1.0], series.X);
                for (int k = 0; k < series.X.Length; k++)
                {
                    int cell = k * 3 + p;
                    var row = rows[(cell, series.Name[3..])];
                    Assert.Equal(row.Mean, series.Mean[k]);
                    Assert.Equal(row.Theory, series.Theory[k]);
                    // The band is the Student-t 95% interval of the reported standard error.
                    double half = StudentT.Quantile(0.975, row.Replicates - 1) * row.StandardError;
                    Assert.Equal(2 * half, series.Upper[k] - series.Lower[k], 1e-12);
                    Assert.Equal(row.Mean, (series.Upper[k] + series.Lower[k]) / 2, 1e-12);
                }
            }
        }
        Assert.Equal(6, sweep.Cells.Count);
    }

    [Fact]
    public void PlotWritesAPngAndAnSvgOfTheExpectedSize()
    {
        var (_, storePath) = SmallStore();
        string folder = Loopsim.TemporaryFolder();
        var outcome = Loopsim.Run("plot", storePath, "--out", folder, "--name", "figure");
        Assert.True(outcome.ExitCode == 0, outcome.StandardError);
        Assert.Contains("3 panels", outcome.StandardOutput, StringComparison.Ordinal);
        var png = File.ReadAllBytes(Path.Combine(folder, "figure.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(3 * 420, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(380, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        var svg = XDocument.Load(Path.Combine(folder, "figure.svg")).Root!;
        Assert.Equal("svg", svg.Name.LocalName);
        Assert.Equal(3 * 420, double.Parse(svg.Attribute("width")!.Value, CultureInfo.InvariantCulture));
        Assert.Equal(380, double.Parse(svg.Attribute("height")!.Value, CultureInfo.InvariantCulture));
        // Lines and text were drawn, not an empty canvas.
        Assert.True(svg.Descendants().Count(element => element.Name.LocalName == "path") > 20);

        var alignment = Loopsim.Run("plot", storePath, "--out", folder, "--y", "alignment", "--x", "model.theta.weights.curated");
        Assert.Equal(0, alignment.ExitCode);
        Assert.Contains("alignment against model.theta.weights.curated, 2 panels", alignment.StandardOutput, StringComparison.Ordinal);
        var bad = Loopsim.Run("plot", storePath, "--x", "model.*.n");
        Loopsim.AssertUserError(bad, "--x = \"model.*.n\": an axis of the sweep: coupling, model.theta.weights.curated");
    }

    private static (SweepSpec Sweep, string Store) SmallStore()
    {
        var sweep = SweepLoader.Parse(SweepText.Small(replicates: 128, rounds: 10), "small.toml");
        string path = Path.Combine(Loopsim.TemporaryFolder(), "small.duckdb");
        using (var store = SweepStore.OpenForRun(path, sweep, Shard.Whole, resume: false))
        {
            SweepRunner.Run(sweep, store, Shard.Whole, new RunOptions { Threads = 2 });
        }
        return (sweep, path);
    }

    private static Dictionary<(int Cell, string Model), (double Mean, double StandardError, double Theory, long Replicates)> ExportRows(SweepStore store)
    {
        var lines = SweepExport.Csv(store).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        return lines.Skip(1).Select(line => line.Split(',')).ToDictionary(
            fields => (int.Parse(fields[0], CultureInfo.InvariantCulture), fields[Column("model")]),
            fields => (double.Parse(fields[Column("influence_mean")], CultureInfo.InvariantCulture), double.Parse(fields[Column("influence_se")], CultureInfo.InvariantCulture),
                double.Parse(fields[Column("theory_influence")], CultureInfo.InvariantCulture), long.Parse(fields[Column("replicates")], CultureInfo.InvariantCulture)));
    }
}
