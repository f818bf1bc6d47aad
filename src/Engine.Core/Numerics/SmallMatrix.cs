namespace Engine.Core.Numerics;

/// <summary>
/// Dense d x d matrices stored row-major in spans. The dimension is small (a Gaussian's
/// covariance), so plain loops beat any library here and allocate nothing.
/// </summary>
public static class SmallMatrix
{
    /// <summary>
    /// Lower Cholesky factor of a symmetric positive semi-definite matrix. A pivot that is zero
    /// up to rounding (relative to the largest diagonal entry) gives a zero column, so the
    /// singular covariance of a refit on n &lt;= d samples still yields a factor with
    /// L L^T = A. Returns the number of such zero pivots.
    /// </summary>
    public static int CholeskySemiDefinite(ReadOnlySpan<double> a, Span<double> lower, int d)
    {
        double scale = 0;
        for (int i = 0; i < d; i++)
        {
            scale = Math.Max(scale, Math.Abs(a[i * d + i]));
        }
        return Factor(a, lower, d, 1e-13 * scale);
    }

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

    /// <summary>y = L z for a lower-triangular L, plus an offset: one multivariate normal draw.</summary>
    public static void AffineLower(ReadOnlySpan<double> offset, ReadOnlySpan<double> lower, ReadOnlySpan<double> z, Span<double> result, int d)
    {
        for (int i = 0; i < d; i++)
        {
            double sum = offset[i];
            for (int k = 0; k <= i; k++)
            {
                sum += lower[i * d + k] * z[k];
            }
            result[i] = sum;
        }
    }

    public static double Trace(ReadOnlySpan<double> a, int d)
    {
        double sum = 0;
        for (int i = 0; i < d; i++)
        {
            sum += a[i * d + i];
        }
        return sum;
    }

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
