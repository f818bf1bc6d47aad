namespace Engine.Theory;

/// <summary>Dense linear algebra over any <see cref="IScalar{T}"/>, so derivatives flow through solves.</summary>
internal static class GenericLinearAlgebra
{
    /// <summary>Solves A X = B (A n x n, B n x columns, both row-major) by Gaussian elimination with partial pivoting; B becomes X.</summary>
    public static void Solve<T>(T[] a, T[] b, int n, int columns) where T : struct, IScalar<T>
    {
        var m = (T[])a.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
            {
                if (Math.Abs(m[r * n + col].Value) > Math.Abs(m[pivot * n + col].Value))
                {
                    pivot = r;
                }
            }
            if (m[pivot * n + col].Value == 0)
            {
                throw new InvalidOperationException("singular matrix in the population theory");
            }
            if (pivot != col)
            {
                for (int c = 0; c < n; c++)
                {
                    (m[col * n + c], m[pivot * n + c]) = (m[pivot * n + c], m[col * n + c]);
                }
                for (int c = 0; c < columns; c++)
                {
                    (b[col * columns + c], b[pivot * columns + c]) = (b[pivot * columns + c], b[col * columns + c]);
                }
            }
            for (int r = col + 1; r < n; r++)
            {
                var factor = m[r * n + col] / m[col * n + col];
                for (int c = col; c < n; c++)
                {
                    m[r * n + c] -= factor * m[col * n + c];
                }
                for (int c = 0; c < columns; c++)
                {
                    b[r * columns + c] -= factor * b[col * columns + c];
                }
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            for (int c = 0; c < columns; c++)
            {
                var sum = b[r * columns + c];
                for (int k = r + 1; k < n; k++)
                {
                    sum -= m[r * n + k] * b[k * columns + c];
                }
                b[r * columns + c] = sum / m[r * n + r];
            }
        }
    }

    /// <summary>Lower Cholesky factor of a symmetric positive semi-definite matrix; a zero pivot gives a zero column.</summary>
    public static T[] CholeskySemiDefinite<T>(T[] a, int d) where T : struct, IScalar<T>
    {
        var lower = new T[d * d];
        double scale = 0;
        for (int i = 0; i < d; i++)
        {
            scale = Math.Max(scale, Math.Abs(a[i * d + i].Value));
        }
        for (int j = 0; j < d; j++)
        {
            var diagonal = a[j * d + j];
            for (int k = 0; k < j; k++)
            {
                diagonal -= lower[j * d + k] * lower[j * d + k];
            }
            if (!(diagonal.Value > 1e-13 * scale))
            {
                continue;
            }
            var pivot = T.Sqrt(diagonal);
            lower[j * d + j] = pivot;
            for (int i = j + 1; i < d; i++)
            {
                var sum = a[i * d + j];
                for (int k = 0; k < j; k++)
                {
                    sum -= lower[i * d + k] * lower[j * d + k];
                }
                lower[i * d + j] = sum / pivot;
            }
        }
        return lower;
    }
}
