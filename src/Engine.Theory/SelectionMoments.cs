namespace Engine.Theory;

/// <summary>
/// m_K(s) = E[z_sel] and q_K(s) = E[z_sel^2] for the softmax(s z) choice among K i.i.d. N(0, 1)
/// (docs/model.md section 5).
/// <para>
/// Method: the softmax choice is the argmax of s z_k + g_k with g_k i.i.d. standard Gumbel
/// (the Gumbel-max identity). With Y = s z + G, F its CDF and
/// H_f(y) = E[f(z) p_G(y - s z)], E[f(z_sel)] = K int F(y)^(K-1) H_f(y) dy. Every inner integral is
/// written in the variable in which its integrand varies on unit scale (z when s &lt;= 1, the Gumbel
/// variable x = y - s z when s &gt; 1), so all integrands are analytic in a strip of half-width
/// about pi/2 and the trapezoid rule converges geometrically, with error near e^(-pi^2/step):
/// 1e-17 at step 1/4; the truncation of the ranges costs below 1e-17 too. Below s = 1e-5 the
/// quadrature would lose relative accuracy to cancellation (m_K is O(s) from O(1) terms), so
/// the series m_K = s (1 - 1/K) + O(s^3), q_K = 1 + O(s^2) is used there. Differentiable in s
/// through <c>T</c>.
/// </para>
/// </summary>
public static class SelectionMoments
{
    private const double Step = 0.25;
    private const double SeriesBelow = 1e-5;
    private const double NormalHalfRange = 9.5;   // phi(9.5) ~ 1e-20
    private const double GumbelLow = -4.5;        // p_G(-4.5) ~ 1e-37
    private const double GumbelHigh = 44.0;       // p_G(44) ~ 1e-19

    /// <summary>(m_K(s), q_K(s)) of the softmax(s z) choice among K standard normals.</summary>
    public static (T Mean, T Square) Compute<T>(int k, T s) where T : struct, IScalar<T>
    {
        if (k == 1)
        {
            // One candidate: the choice is independent of z.
            return (T.From(0), T.From(1));
        }
        if (s.Value < SeriesBelow)
        {
            return (s * T.From(1 - 1.0 / k), T.From(1));
        }
        double scale = Math.Max(1.0, s.Value);
        double low = -NormalHalfRange * scale + GumbelLow;
        double high = NormalHalfRange * scale + GumbelHigh;
        double yStep = Step * scale;
        T mean = T.From(0), square = T.From(0);
        for (double y = low; y <= high; y += yStep)
        {
            var (cdf, h1, h2) = Inner(T.From(y), s);
            var power = Power(cdf, k - 1);
            mean += power * h1;
            square += power * h2;
        }
        var factor = T.From(k * yStep);
        return (mean * factor, square * factor);
    }

    /// <summary>F(y), H_z(y) and H_{z^2}(y) by the trapezoid rule in the variable suited to s.</summary>
    private static (T Cdf, T H1, T H2) Inner<T>(T y, T s) where T : struct, IScalar<T>
    {
        T cdf = T.From(0), h1 = T.From(0), h2 = T.From(0);
        if (s.Value <= 1)
        {
            // z-form: F = E_z[G(y - s z)], H_f = E_z[f(z) p_G(y - s z)], G(x) = exp(-e^-x), p_G = e^-x G(x).
            for (double zv = -NormalHalfRange; zv <= NormalHalfRange; zv += Step)
            {
                var z = T.From(zv);
                var weight = T.From(Normal.Density(zv) * Step);
                var x = y - s * z;
                var tail = T.Exp(-x);
                var gumbelCdf = T.Exp(-tail);
                var density = weight * tail * gumbelCdf;
                cdf += weight * gumbelCdf;
                h1 += density * z;
                h2 += density * z * z;
            }
            return (cdf, h1, h2);
        }
        // x-form: F = E_x[Phi((y - x)/s)], H_f = E_x[f(z) phi(z)] / s with z = (y - x)/s, x ~ Gumbel.
        for (double xv = GumbelLow; xv <= GumbelHigh; xv += Step)
        {
            double gumbelDensity = Math.Exp(-xv - Math.Exp(-xv)) * Step;
            var z = (y - T.From(xv)) / s;
            var weight = T.From(gumbelDensity);
            cdf += weight * T.NormalCdf(z);
            var density = weight * T.Exp(T.From(-0.5) * z * z) * T.From(0.39894228040143267794) / s;
            h1 += density * z;
            h2 += density * z * z;
        }
        return (cdf, h1, h2);
    }

    private static T Power<T>(T x, int exponent) where T : struct, IScalar<T>
    {
        var result = T.From(1);
        var b = x;
        for (int e = exponent; e > 0; e >>= 1)
        {
            if ((e & 1) == 1)
            {
                result *= b;
            }
            b *= b;
        }
        return result;
    }
}
