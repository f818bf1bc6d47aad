namespace Engine.Theory;

/// <summary>
/// Gauss-Hermite rules for the standard normal: E[f(z)] ~ sum w_k f(z_k), exact for polynomials
/// of degree 2n - 1. Nodes by Newton's method on the orthonormal Hermite recurrence
/// (Numerical Recipes' gauher), then rescaled from the weight e^{-x^2} to N(0, 1).
/// </summary>
public static class GaussHermite
{
    /// <summary>The n-point rule for the standard normal: nodes and weights.</summary>
    public static (double[] Nodes, double[] Weights) Rule(int n)
    {
        var x = new double[n];
        var w = new double[n];
        const double pim4 = 0.7511255444649425;
        double z = 0, pp = 0;
        int m = (n + 1) / 2;
        for (int i = 0; i < m; i++)
        {
            z = i switch
            {
                0 => Math.Sqrt(2 * n + 1) - 1.85575 * Math.Pow(2 * n + 1, -0.16667),
                1 => z - 1.14 * Math.Pow(n, 0.426) / z,
                2 => 1.86 * z - 0.86 * x[0],
                3 => 1.91 * z - 0.91 * x[1],
                _ => 2 * z - x[i - 2],
            };
            for (int iteration = 0; iteration < 100; iteration++)
            {
                double p1 = pim4, p2 = 0;
                for (int j = 1; j <= n; j++)
                {
                    double p3 = p2;
                    p2 = p1;
                    p1 = z * Math.Sqrt(2.0 / j) * p2 - Math.Sqrt((j - 1.0) / j) * p3;
                }
                pp = Math.Sqrt(2.0 * n) * p2;
                double previous = z;
                z = previous - p1 / pp;
                if (Math.Abs(z - previous) <= 1e-15 * Math.Max(1, Math.Abs(z)))
                {
                    break;
                }
            }
            x[i] = z;
            x[n - 1 - i] = -z;
            w[i] = 2 / (pp * pp);
            w[n - 1 - i] = w[i];
        }
        double sqrtPi = Math.Sqrt(Math.PI);
        return (x.Select(v => v * Math.Sqrt(2)).ToArray(), w.Select(v => v / sqrtPi).ToArray());
    }

    /// <summary>The tensor-product rule in <paramref name="dimension"/> dimensions: nodes row-major (count x dimension).</summary>
    public static (double[] Nodes, double[] Weights) Tensor(int perDimension, int dimension)
    {
        var (nodes, weights) = Rule(perDimension);
        int count = (int)Math.Pow(perDimension, dimension);
        var points = new double[count * dimension];
        var pointWeights = new double[count];
        for (int p = 0; p < count; p++)
        {
            double weight = 1;
            int rest = p;
            for (int c = 0; c < dimension; c++)
            {
                int k = rest % perDimension;
                rest /= perDimension;
                points[p * dimension + c] = nodes[k];
                weight *= weights[k];
            }
            pointWeights[p] = weight;
        }
        return (points, pointWeights);
    }
}
