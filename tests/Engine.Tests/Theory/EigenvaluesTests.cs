using System.Numerics;
using Engine.Theory;

namespace Engine.Tests.Theory;

public class EigenvaluesTests
{
    [Fact]
    public void CompanionMatrixGivesThePolynomialRoots()
    {
        // The companion matrix of the monic polynomial with these roots.
        Complex[] roots = [1, 2, -3, new(0, 2), new(0, -2), new(0.5, 0.25), new(0.5, -0.25)];
        int n = roots.Length;
        var coefficients = new Complex[n + 1];
        coefficients[0] = 1;
        foreach (var root in roots)
        {
            for (int k = n; k >= 1; k--)
            {
                coefficients[k] -= root * coefficients[k - 1];
            }
        }
        var companion = new double[n * n];
        for (int c = 0; c < n; c++)
        {
            companion[c] = -coefficients[c + 1].Real;
        }
        for (int r = 1; r < n; r++)
        {
            companion[r * n + r - 1] = 1;
        }
        var found = Eigenvalues.Of(companion, n).OrderBy(v => v.Real).ThenBy(v => v.Imaginary).ToArray();
        var expected = roots.OrderBy(v => v.Real).ThenBy(v => v.Imaginary).ToArray();
        for (int k = 0; k < n; k++)
        {
            Assert.True((found[k] - expected[k]).Magnitude < 1e-9, $"{found[k]} vs {expected[k]}");
        }
        Assert.Equal(3, Eigenvalues.SpectralRadius(found), 9);
    }

    [Fact]
    public void SimilarityTransformKeepsTheSpectrum()
    {
        // A = P diag(0.9, -0.5, 0.3, 0.1) P^-1 with a non-orthogonal P.
        double[] p = [1, 2, 0, 1, 0, 1, 3, 0, 2, 0, 1, 1, 1, 1, 0, 2];
        double[] diagonal = [0.9, -0.5, 0.3, 0.1];
        var pInverse = Invert(p, 4);
        var a = new double[16];
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                for (int k = 0; k < 4; k++)
                {
                    a[r * 4 + c] += p[r * 4 + k] * diagonal[k] * pInverse[k * 4 + c];
                }
            }
        }
        var found = Eigenvalues.Of(a, 4).Select(v => v.Real).Order().ToArray();
        Assert.Equal(diagonal.Order().ToArray(), found, new Simulation.ToleranceComparer(1e-10));
    }

    private static double[] Invert(double[] matrix, int n)
    {
        var a = matrix.Select(v => new Real(v)).ToArray();
        var b = new Real[n * n];
        for (int k = 0; k < n; k++)
        {
            b[k * n + k] = new Real(1);
        }
        GenericLinearAlgebra.Solve(a, b, n, n);
        return b.Select(v => v.Value).ToArray();
    }
}
