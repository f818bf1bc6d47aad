namespace Engine.Core.Numerics;

/// <summary>
/// Checks and summaries of the spec's d x d matrices, stored row-major in spans. The model's own
/// arithmetic (its Cholesky factor among it) is ModelStep's, in Engine.Simulation; the check here
/// asks only whether a matrix given in a spec is positive definite (no tolerance).
/// </summary>
public static class SmallMatrix
{
    /// <summary>True when the symmetric matrix is positive definite: every pivot of its Cholesky factorisation is positive.</summary>
    public static bool IsPositiveDefinite(ReadOnlySpan<double> a, int d)
    {
        Span<double> lower = d <= 16 ? stackalloc double[d * d] : new double[d * d];
        return Factor(a, lower, d, 0) == 0 && double.IsFinite(lower[d * d - 1]);
    }

    /// <summary>Cholesky with pivots at or below <paramref name="tolerance"/> (or NaN) set to a zero column; returns their count.</summary>
    private static int Factor(ReadOnlySpan<double> a, Span<double> lower, int d, double tolerance)
    {
        int zeroPivots = 0;
        lower[..(d * d)].Clear();
        for (int j = 0; j < d; j++)
        {
            double diagonal = a[j * d + j];
            for (int k = 0; k < j; k++)
            {
                diagonal -= lower[j * d + k] * lower[j * d + k];
            }
            if (!(diagonal > tolerance))
            {
                zeroPivots++;
                continue;
            }
            double pivot = Math.Sqrt(diagonal);
            lower[j * d + j] = pivot;
            for (int i = j + 1; i < d; i++)
            {
                double sum = a[i * d + j];
                for (int k = 0; k < j; k++)
                {
                    sum -= lower[i * d + k] * lower[j * d + k];
                }
                lower[i * d + j] = sum / pivot;
            }
        }
        return zeroPivots;
    }

    /// <summary>The trace of a d x d matrix.</summary>
    public static double Trace(ReadOnlySpan<double> a, int d)
    {
        double sum = 0;
        for (int i = 0; i < d; i++)
        {
            sum += a[i * d + i];
        }
        return sum;
    }

    /// <summary>Whether a d x d matrix is symmetric to 1e-12 relative.</summary>
    public static bool IsSymmetric(ReadOnlySpan<double> a, int d)
    {
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double x = a[i * d + j], y = a[j * d + i];
                if (Math.Abs(x - y) > 1e-12 * Math.Max(1.0, Math.Max(Math.Abs(x), Math.Abs(y))))
                {
                    return false;
                }
            }
        }
        return true;
    }
}
