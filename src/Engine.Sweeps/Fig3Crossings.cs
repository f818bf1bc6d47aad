namespace Engine.Sweeps;

/// <summary>Where a sampled curve first changes sign.</summary>
public static class Fig3Crossings
{
    /// <summary>The first zero of the piecewise-linear curve through the points, or null if it keeps its sign.</summary>
    public static double? Interpolated(IReadOnlyList<(double T, double Value)> points)
    {
        for (int k = 0; k + 1 < points.Count; k++)
        {
            var (t0, v0) = points[k];
            var (t1, v1) = points[k + 1];
            if (v0 == 0)
            {
                return t0;
            }
            if (v0 * v1 < 0)
            {
                return t0 + (t1 - t0) * v0 / (v0 - v1);
            }
        }
        return null;
    }
}
