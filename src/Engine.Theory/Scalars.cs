using System.Runtime.CompilerServices;

namespace Engine.Theory;

/// <summary>
/// The arithmetic the population theory is written against, once: <see cref="Real"/> evaluates
/// the map, <see cref="Dual"/> evaluates it together with its exact directional derivative
/// (forward-mode automatic differentiation), which gives Jacobians and influences without
/// finite differences.
/// </summary>
public interface IScalar<T> where T : struct, IScalar<T>
{
    static abstract T From(double value);
    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    static abstract T operator *(T a, T b);
    static abstract T operator /(T a, T b);
    static abstract T operator -(T a);
    static abstract T Sqrt(T a);
    static abstract T Exp(T a);
    static abstract T Log(T a);
    /// <summary>The standard normal CDF.</summary>
    static abstract T NormalCdf(T a);
    /// <summary>Whether the type carries a derivative (<see cref="Dual"/>) or only values (<see cref="Real"/>).</summary>
    static abstract bool CarriesDerivative { get; }
    /// <summary>A number with this value and derivative (a <see cref="Real"/> keeps the value only).</summary>
    static abstract T Make(double value, double derivative);
    double Value { get; }
    /// <summary>The derivative along the direction (0 for <see cref="Real"/>).</summary>
    double Derivative { get; }
}

public readonly record struct Real(double Value) : IScalar<Real>
{
    public static Real From(double value) => new(value);
    public static Real operator +(Real a, Real b) => new(a.Value + b.Value);
    public static Real operator -(Real a, Real b) => new(a.Value - b.Value);
    public static Real operator *(Real a, Real b) => new(a.Value * b.Value);
    public static Real operator /(Real a, Real b) => new(a.Value / b.Value);
    public static Real operator -(Real a) => new(-a.Value);
    public static Real Sqrt(Real a) => new(Math.Sqrt(a.Value));
    public static Real Exp(Real a) => new(Math.Exp(a.Value));
    public static Real Log(Real a) => new(Math.Log(a.Value));
    public static Real NormalCdf(Real a) => new(Normal.Cdf(a.Value));
    public static bool CarriesDerivative => false;
    public static Real Make(double value, double derivative) => new(value);
    public double Derivative => 0;
}

/// <summary>A value and its derivative along one direction.</summary>
public readonly record struct Dual(double Value, double Derivative) : IScalar<Dual>
{
    public static Dual From(double value) => new(value, 0);
    public static Dual operator +(Dual a, Dual b) => new(a.Value + b.Value, a.Derivative + b.Derivative);
    public static Dual operator -(Dual a, Dual b) => new(a.Value - b.Value, a.Derivative - b.Derivative);
    public static Dual operator *(Dual a, Dual b) => new(a.Value * b.Value, a.Derivative * b.Value + a.Value * b.Derivative);
    public static Dual operator /(Dual a, Dual b) => new(a.Value / b.Value, (a.Derivative * b.Value - a.Value * b.Derivative) / (b.Value * b.Value));
    public static Dual operator -(Dual a) => new(-a.Value, -a.Derivative);

    public static Dual Sqrt(Dual a)
    {
        double root = Math.Sqrt(a.Value);
        return new(root, root > 0 ? a.Derivative / (2 * root) : 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual Exp(Dual a)
    {
        double e = Math.Exp(a.Value);
        return new(e, e * a.Derivative);
    }

    public static Dual Log(Dual a) => new(Math.Log(a.Value), a.Derivative / a.Value);
    public static Dual NormalCdf(Dual a) => new(Normal.Cdf(a.Value), Normal.Density(a.Value) * a.Derivative);
    public static bool CarriesDerivative => true;
    public static Dual Make(double value, double derivative) => new(value, derivative);
}

/// <summary>The standard normal distribution, accurate to double precision in both tails.</summary>
public static class Normal
{
    private const double InverseSqrt2Pi = 0.39894228040143267794;

    public static double Density(double x) => InverseSqrt2Pi * Math.Exp(-0.5 * x * x);

    public static double Cdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    /// <summary>Complementary error function: Taylor series of erf near 0, Lentz continued fraction in the tails.</summary>
    public static double Erfc(double x)
    {
        if (x < 0)
        {
            return 2 - Erfc(-x);
        }
        if (x < 2)
        {
            // erf(x) = 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1)); terms fall fast for x < 2.
            double term = x, sum = x, x2 = x * x;
            for (int n = 1; n < 100; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * sum;
        }
        if (x > 27)
        {
            return 0;
        }
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))).
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 500; n++)
        {
            double a = n * 0.5;
            d = x + a * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }
}
