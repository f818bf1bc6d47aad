using System.Globalization;
using Engine.Core.Specs;
using Engine.Sweeps.Store;
using ScottPlot;
using SkiaSharp;

namespace Engine.Sweeps.Plots;

/// <summary>One curve of a panel: estimates with their 95% band, and the theory at the same x (NaN where it does not apply).</summary>
public sealed record FigureSeries(string Name, double[] X, double[] Mean, double[] Lower, double[] Upper, double[] Theory);

/// <summary>One panel: the cells sharing the values of every axis but x.</summary>
public sealed record FigurePanel(string Title, IReadOnlyList<FigureSeries> Series);

/// <summary>What a figure shows, read from a store; <see cref="SweepFigure.Draw"/> draws exactly this.</summary>
public sealed record FigureData(string XLabel, string YLabel, string Quantity, IReadOnlyList<FigurePanel> Panels);

/// <summary>
/// loopsim plot: what the paper's Figure 3 shows, from a store. The influence of curating the
/// [influence] model (or, without one, the alignment) of every model against the x axis, with its
/// 95% confidence band, the theory as a dashed line, one panel per value of the other axes.
/// </summary>
public static class SweepFigure
{
    /// <summary>The quantities a figure can show.</summary>
    public static readonly string[] Quantities = ["auto", "influence", "alignment"];

    /// <summary>
    /// The figure's data. <paramref name="x"/> is an axis path (default: coupling if the sweep
    /// has it, else its first numeric axis); <paramref name="quantity"/> auto shows influence
    /// where the store has it, else alignment.
    /// </summary>
    public static FigureData Data(SweepStore store, string? x = null, string quantity = "auto")
    {
        var info = store.Info;
        if (Array.IndexOf(Quantities, quantity) < 0)
        {
            throw SpecException.Invalid("--y", quantity, "auto, influence or alignment");
        }
        var numeric = info.Axes.Where(axis => axis.Kind != AxisValueKind.Text).ToArray();
        StoreAxis xAxis;
        if (x is not null)
        {
            xAxis = info.Axes.FirstOrDefault(axis => axis.Path == x)
                ?? throw SpecException.Invalid("--x", x, "an axis of the sweep: " + (info.Axes.Count == 0 ? "(it has none)" : string.Join(", ", info.Axes.Select(axis => axis.Path))));
            if (xAxis.Kind == AxisValueKind.Text)
            {
                throw SpecException.Invalid("--x", x, "a numeric axis (its values are not numbers)");
            }
        }
        else
        {
            xAxis = numeric.FirstOrDefault(axis => axis.Path == SweepLoader.CouplingPath) ?? numeric.FirstOrDefault()
                ?? throw SpecException.Invalid("STORE", store.Path, "has no numeric axis to plot against");
        }

        var rows = ReadRows(store, xAxis.Index);
        if (rows.Count == 0)
        {
            throw SpecException.Invalid("STORE", store.Path, "has no finished cells to plot");
        }
        bool hasInfluence = rows.Any(row => row.InfluenceMean is not null);
        if (quantity == "influence" && !hasInfluence)
        {
            throw SpecException.Invalid("--y", quantity, "needs a sweep whose spec asks for [influence]; this one has alignment only");
        }
        bool influence = quantity == "influence" || (quantity == "auto" && hasInfluence);
        var facets = info.Axes.Where(axis => axis.Index != xAxis.Index).ToArray();
        var panels = new List<FigurePanel>();
        foreach (var panel in rows.GroupBy(row => row.Facet).OrderBy(group => group.Min(row => row.Cell)))
        {
            var series = new List<FigureSeries>();
            foreach (var model in panel.GroupBy(row => (row.Model, row.ModelName)).OrderBy(group => group.Key.Model))
            {
                var points = model.OrderBy(row => row.X).ToArray();
                double Value(double? v) => v ?? double.NaN;
                series.Add(new FigureSeries(
                    influence ? $"dA_{model.Key.ModelName}" : $"A_{model.Key.ModelName}",
                    points.Select(p => p.X).ToArray(),
                    points.Select(p => Value(influence ? p.InfluenceMean : p.AlignmentMean)).ToArray(),
                    points.Select(p => Value(influence ? p.InfluenceLow : p.AlignmentLow)).ToArray(),
                    points.Select(p => Value(influence ? p.InfluenceHigh : p.AlignmentHigh)).ToArray(),
                    points.Select(p => Value(influence ? p.TheoryInfluence : p.TheoryAlignment)).ToArray()));
            }
            string title = facets.Length == 0 ? "" : string.Join(", ", facets.Select((axis, f) => $"{axis.Path} = {panel.Key.Split('\u001f')[f]}"));
            panels.Add(new FigurePanel(title, series));
        }
        string yLabel = influence ? "influence dA / dw_cur (95% CI)" : "stationary alignment A (95% CI)";
        return new FigureData(xAxis.Path, yLabel, influence ? "influence" : "alignment", panels);
    }

    /// <summary>Draws the figure as PNG and SVG (panels side by side); returns both paths.</summary>
    public static (string Png, string Svg) Draw(FigureData data, string folder, string name, int panelWidth = 420, int height = 380)
    {
        Directory.CreateDirectory(folder);
        var multiplot = new Multiplot();
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var palette = new ScottPlot.Palettes.Category10();
        for (int p = 0; p < data.Panels.Count; p++)
        {
            var panel = data.Panels[p];
            // A new multiplot holds one empty plot: the first panel takes it.
            var plot = p == 0 ? multiplot.GetPlot(0) : multiplot.AddPlot();
            for (int s = 0; s < panel.Series.Count; s++)
            {
                var series = panel.Series[s];
                var color = palette.GetColor(s);
                var band = plot.Add.FillY(series.X, series.Lower, series.Upper);
                band.FillColor = color.WithAlpha(0.25);
                band.LineWidth = 0;
                var estimate = plot.Add.Scatter(series.X, series.Mean, color);
                estimate.LegendText = series.Name;
                estimate.MarkerSize = 4;
                if (series.Theory.Any(double.IsFinite))
                {
                    var theory = plot.Add.ScatterLine(series.X, series.Theory, color);
                    theory.LinePattern = LinePattern.Dashed;
                    theory.LegendText = series.Name + " theory";
                }
            }
            plot.Add.HorizontalLine(0, 1, Colors.Gray, LinePattern.Dotted);
            plot.Title(panel.Title.Length == 0 ? data.Quantity : panel.Title, 12);
            plot.XLabel(data.XLabel, 13);
            plot.YLabel(p == 0 ? data.YLabel : "", 13);
            plot.ShowLegend(Alignment.UpperLeft);
        }
        int width = panelWidth * Math.Max(1, data.Panels.Count);
        string png = Path.Combine(folder, name + ".png");
        string svg = Path.Combine(folder, name + ".svg");
        multiplot.SavePng(png, width, height);
        using (var stream = File.Create(svg))
        {
            using var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream);
            multiplot.Render(canvas, new PixelRect(0, width, height, 0));
        }
        return (png, svg);
    }

    private sealed record Row(int Cell, string Facet, double X, int Model, string ModelName, double? AlignmentMean, double? AlignmentLow, double? AlignmentHigh,
        double? InfluenceMean, double? InfluenceLow, double? InfluenceHigh, double? TheoryAlignment, double? TheoryInfluence);

    private static List<Row> ReadRows(SweepStore store, int xAxis)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
            SELECT e.cell,
                   (SELECT string_agg(v.value, chr(31) ORDER BY v.axis) FROM cell_values v WHERE v.cell = e.cell AND v.axis <> {xAxis}) AS facet,
                   (SELECT v.number FROM cell_values v WHERE v.cell = e.cell AND v.axis = {xAxis}) AS x,
                   e.model, e.model_name, e.alignment_mean, e.alignment_low, e.alignment_high,
                   e.influence_mean, e.influence_low, e.influence_high, e.theory_alignment, e.theory_influence
            FROM estimates e ORDER BY e.cell, e.model
            """);
        using var reader = command.ExecuteReader();
        var rows = new List<Row>();
        double? Number(int column) => reader.IsDBNull(column) ? null : reader.GetDouble(column);
        while (reader.Read())
        {
            rows.Add(new Row(reader.GetInt32(0), reader.IsDBNull(1) ? "" : reader.GetString(1), reader.GetDouble(2), reader.GetInt32(3), reader.GetString(4),
                Number(5), Number(6), Number(7), Number(8), Number(9), Number(10), Number(11), Number(12)));
        }
        return rows;
    }
}
