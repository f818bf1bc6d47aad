namespace Engine.Core.Statistics;

/// <summary>
/// Count, mean and sum of squared deviations, updated one value at a time (Welford) and merged
/// pairwise (Chan et al.). Both are stable where the naive sum of squares cancels. Merging in a
/// fixed order gives the same bits whatever the thread count.
/// </summary>
public struct Moments
{
    /// <summary>Values added.</summary>
    public double Count;
    /// <summary>Their mean.</summary>
    public double Mean;
    /// <summary>Their sum of squared deviations from the mean.</summary>
    public double SquaredDeviations;

    /// <summary>Adds one value (Welford's update).</summary>
    public void Add(double value)
    {
        Count += 1;
        double delta = value - Mean;
        Mean += delta / Count;
        SquaredDeviations += delta * (value - Mean);
    }

    /// <summary>Adds another set's moments (Chan's pairwise merge).</summary>
    public void Merge(in Moments other)
    {
        if (other.Count == 0)
        {
            return;
        }
        if (Count == 0)
        {
            this = other;
            return;
        }
        double total = Count + other.Count;
        double delta = other.Mean - Mean;
        Mean += delta * (other.Count / total);
        SquaredDeviations += other.SquaredDeviations + delta * delta * (Count * other.Count / total);
        Count = total;
    }

    /// <summary>The mean, or NaN when nothing was added (so no made-up zero reaches an output).</summary>
    public readonly double MeanOrNaN => Count > 0 ? Mean : double.NaN;

    /// <summary>Sample variance (n - 1 in the denominator).</summary>
    public readonly double Variance => Count > 1 ? SquaredDeviations / (Count - 1) : double.NaN;

    /// <summary>Standard error of the mean.</summary>
    public readonly double StandardError => Count > 1 ? Math.Sqrt(Variance / Count) : double.NaN;

    /// <summary>Mean, standard error and the Student-t 95% interval with n - 1 degrees of freedom.</summary>
    public readonly Estimate ToEstimate()
    {
        if (Count < 2)
        {
            return new Estimate(Count == 1 ? Mean : double.NaN, double.NaN, double.NaN, double.NaN, (long)Count);
        }
        double se = StandardError;
        double half = StudentT.Quantile(0.975, Count - 1) * se;
        return new Estimate(Mean, se, Mean - half, Mean + half, (long)Count);
    }
}

/// <summary>A mean over replicates with its standard error and 95% confidence interval.</summary>
public readonly record struct Estimate(double Mean, double StandardError, double Lower95, double Upper95, long Count)
{
    /// <summary>Whether the 95% interval contains the value.</summary>
    public bool Covers(double value) => Lower95 <= value && value <= Upper95;
}
