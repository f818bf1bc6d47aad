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
}
