using System.Globalization;
using System.Text;

namespace Engine.Core.Results;

/// <summary>trajectory.csv: round,model,alignment_mean,alignment_se,trace_cov_mean,mean_0..mean_{d-1}.</summary>
public static class TrajectoryWriter
{
    /// <summary>trajectory.csv of a result (docs/outputs.md).</summary>
    public static string ToCsv(SimulationResult result)
    {
        var spec = result.Spec;
        var text = new StringBuilder();
        text.Append("round,model,alignment_mean,alignment_se,trace_cov_mean");
        for (int c = 0; c < spec.Dimension; c++)
        {
            text.Append(CultureInfo.InvariantCulture, $",mean_{c}");
        }
        text.Append('\n');
        foreach (var point in result.Trajectory)
        {
            text.Append(CultureInfo.InvariantCulture, $"{point.Round},{spec.Models[point.Model].Name},");
            text.Append(Csv.Number(point.Alignment.Mean)).Append(',');
            text.Append(Csv.Number(point.Alignment.StandardError)).Append(',');
            text.Append(Csv.Number(point.TraceCovMean));
            foreach (double m in point.Mean)
            {
                text.Append(',').Append(Csv.Number(m));
            }
            text.Append('\n');
        }
        return text.ToString();
    }
}

/// <summary>Numbers as CSV fields.</summary>
public static class Csv
{
    /// <summary>Round-trip format; an undefined number is an empty field, never NaN.</summary>
    public static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";
}
