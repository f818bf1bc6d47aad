namespace Engine.Core.Statistics;

/// <summary>Student-t distribution: CDF through the regularized incomplete beta, quantile by bisection.</summary>
public static class StudentT
{
    /// <summary>P(T &lt;= t) with <paramref name="degrees"/> degrees of freedom.</summary>
    public static double Cdf(double t, double degrees)
    {
        double x = degrees / (degrees + t * t);
        double tail = 0.5 * SpecialFunctions.RegularizedIncompleteBeta(0.5 * degrees, 0.5, x);
        return t >= 0 ? 1 - tail : tail;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double, double), double> Quantiles = new();

    /// <summary>
    /// The p-quantile, accurate to about 1e-12 relative (bisection on the CDF, which is monotone).
    /// Cached: a run asks for the same one (its replicate count) for every estimate it reports.
    /// </summary>
    public static double Quantile(double p, double degrees) => Quantiles.GetOrAdd((p, degrees), key => Compute(key.Item1, key.Item2));

    private static double Compute(double p, double degrees)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(degrees, 0);
        if (p == 0.5)
        {
            return 0;
        }
        if (p < 0.5)
        {
            return -Compute(1 - p, degrees);
        }
        double low = 0, high = 1;
        while (Cdf(high, degrees) < p)
        {
            high *= 2;
        }
        for (int i = 0; i < 200 && high - low > 1e-14 * high; i++)
        {
            double middle = 0.5 * (low + high);
            if (Cdf(middle, degrees) < p)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
        return 0.5 * (low + high);
    }
}

/// <summary>Log-gamma and the regularized incomplete beta function (Lentz continued fraction).</summary>
public static class SpecialFunctions
{
    private static readonly double[] LanczosCoefficients =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ];

    /// <summary>ln Gamma(x) for x &gt; 0 (Lanczos).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }
        x -= 1;
        double sum = LanczosCoefficients[0];
        double t = x + 7.5;
        for (int i = 1; i < LanczosCoefficients.Length; i++)
        {
            sum += LanczosCoefficients[i] / (x + i);
        }
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>I_x(a, b) (continued fraction).</summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
        {
            return 0;
        }
        if (x >= 1)
        {
            return 1;
        }
        double logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        if (x < (a + 1) / (a + b + 2))
        {
            return Math.Exp(logFront) * ContinuedFraction(a, b, x) / a;
        }
        return 1 - Math.Exp(logFront) * ContinuedFraction(b, a, 1 - x) / b;
    }

    private static double ContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = Math.Abs(d) < tiny ? tiny : d;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10000; m++)
        {
            int m2 = 2 * m;
            double numerator = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + numerator * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1 + numerator / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            h *= d * c;
            numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + numerator * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1 + numerator / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double step = d * c;
            h *= step;
            if (Math.Abs(step - 1) < 1e-16)
            {
                break;
            }
        }
        return h;
    }
}
