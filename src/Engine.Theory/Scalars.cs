using System.Runtime.CompilerServices;
using Engine.Simulation.Lanes;
using Engine.Simulation.Step;

namespace Engine.Theory;

/// <summary>
/// The arithmetic the population theory is written against, once: <see cref="Real"/> evaluates
/// the map, <see cref="Dual"/> evaluates it together with its exact directional derivative
/// (forward-mode automatic differentiation), which gives Jacobians and influences without
/// finite differences. It extends the lanes' arithmetic (<see cref="ILaneArithmetic{T}"/>), so
/// the theory computes the model's tilt, projection, rewards and Cholesky factors with the very
/// code the simulation runs (<see cref="ModelStep"/>).
/// </summary>
public interface IScalar<T> : ILaneArithmetic<T> where T : struct, IScalar<T>
{
    /// <summary>A constant.</summary>
    static abstract T From(double value);
    /// <summary>Negation.</summary>
    static abstract T operator -(T a);
    /// <summary>The standard normal CDF.</summary>
    static abstract T NormalCdf(T a);
    /// <summary>Whether the type carries a derivative (<see cref="Dual"/>) or only values (<see cref="Real"/>).</summary>
    static abstract bool CarriesDerivative { get; }
    /// <summary>A number with this value and derivative (a <see cref="Real"/> keeps the value only).</summary>
    static abstract T Make(double value, double derivative);
    /// <summary>The value.</summary>
    double Value { get; }
    /// <summary>The derivative along the direction (0 for <see cref="Real"/>).</summary>
    double Derivative { get; }
}

/// <summary>
/// A value. It is also a lane of the model's arithmetic (<see cref="ILaneArithmetic{T}"/>), so the
/// theory evaluates <see cref="ModelStep"/>, the code the simulation runs: masks are 1 and 0.
/// </summary>
public readonly record struct Real(double Value) : IScalar<Real>
{
    /// <inheritdoc />
    public static Real Broadcast(double value) => new(value);
    /// <inheritdoc />
    public static (Real Sin, Real Cos) SinCosTwoPi(Real u) => (new(Math.Sin(Lane.TwoPi * u.Value)), new(Math.Cos(Lane.TwoPi * u.Value)));
    /// <inheritdoc />
    public static Real Max(Real a, Real b) => new(Math.Max(a.Value, b.Value));
    /// <inheritdoc />
    public static Real Abs(Real a) => new(Math.Abs(a.Value));
    /// <inheritdoc />
    public static Real Floor(Real a) => new(Math.Floor(a.Value));
    /// <inheritdoc />
    public static Real LessThan(Real a, Real b) => new(a.Value < b.Value ? 1 : 0);
    /// <inheritdoc />
    public static Real GreaterThan(Real a, Real b) => new(a.Value > b.Value ? 1 : 0);
    /// <inheritdoc />
    public static Real IsFinite(Real a) => new(double.IsFinite(a.Value) ? 1 : 0);
    /// <inheritdoc />
    public static Real And(Real a, Real b) => new(a.Value != 0 && b.Value != 0 ? 1 : 0);
    /// <inheritdoc />
    public static Real AndNot(Real a, Real notB) => new(a.Value != 0 && notB.Value == 0 ? 1 : 0);
    /// <inheritdoc />
    public static Real Select(Real mask, Real whenTrue, Real whenFalse) => mask.Value != 0 ? whenTrue : whenFalse;
    /// <inheritdoc />
    public static bool Any(Real mask) => mask.Value != 0;
    /// <inheritdoc />
    public static int MinNormalExponent => -1022;
    /// <inheritdoc />
    public static Real AllTrue => new(1);

    /// <inheritdoc />
    public static Real From(double value) => new(value);
    /// <inheritdoc />
    public static Real operator +(Real a, Real b) => new(a.Value + b.Value);
    /// <inheritdoc />
    public static Real operator -(Real a, Real b) => new(a.Value - b.Value);
    /// <inheritdoc />
    public static Real operator *(Real a, Real b) => new(a.Value * b.Value);
    /// <inheritdoc />
    public static Real operator /(Real a, Real b) => new(a.Value / b.Value);
    /// <inheritdoc />
    public static Real operator -(Real a) => new(-a.Value);
    /// <inheritdoc />
    public static Real Sqrt(Real a) => new(Math.Sqrt(a.Value));
    /// <inheritdoc />
    public static Real Exp(Real a) => new(Math.Exp(a.Value));
    /// <inheritdoc />
    public static Real Log(Real a) => new(Math.Log(a.Value));
    /// <inheritdoc />
    public static Real NormalCdf(Real a) => new(Normal.Cdf(a.Value));
    /// <inheritdoc />
    public static bool CarriesDerivative => false;
    /// <inheritdoc />
    public static Real Make(double value, double derivative) => new(value);
    /// <summary>0: a real number carries no derivative.</summary>
    public double Derivative => 0;
}

/// <summary>
/// A value and its derivative along one direction; a lane of <see cref="ModelStep"/> too, whose
/// comparisons and selections act on the values (a selected number keeps its derivative).
/// </summary>
public readonly record struct Dual(double Value, double Derivative) : IScalar<Dual>
{
    /// <inheritdoc />
    public static Dual Broadcast(double value) => new(value, 0);
    /// <inheritdoc />
    public static (Dual Sin, Dual Cos) SinCosTwoPi(Dual u)
    {
        var (sin, cos) = Math.SinCos(Lane.TwoPi * u.Value);
        return (new(sin, Lane.TwoPi * cos * u.Derivative), new(cos, -Lane.TwoPi * sin * u.Derivative));
    }
    /// <inheritdoc />
    public static Dual Max(Dual a, Dual b) => a.Value >= b.Value ? a : b;
    /// <inheritdoc />
    public static Dual Abs(Dual a) => a.Value < 0 ? new(-a.Value, -a.Derivative) : a;
    /// <inheritdoc />
    public static Dual Floor(Dual a) => new(Math.Floor(a.Value), 0);
    /// <inheritdoc />
    public static Dual LessThan(Dual a, Dual b) => new(a.Value < b.Value ? 1 : 0, 0);
    /// <inheritdoc />
    public static Dual GreaterThan(Dual a, Dual b) => new(a.Value > b.Value ? 1 : 0, 0);
    /// <inheritdoc />
    public static Dual IsFinite(Dual a) => new(double.IsFinite(a.Value) && double.IsFinite(a.Derivative) ? 1 : 0, 0);
    /// <inheritdoc />
    public static Dual And(Dual a, Dual b) => new(a.Value != 0 && b.Value != 0 ? 1 : 0, 0);
    /// <inheritdoc />
    public static Dual AndNot(Dual a, Dual notB) => new(a.Value != 0 && notB.Value == 0 ? 1 : 0, 0);
    /// <inheritdoc />
    public static Dual Select(Dual mask, Dual whenTrue, Dual whenFalse) => mask.Value != 0 ? whenTrue : whenFalse;
    /// <inheritdoc />
    public static bool Any(Dual mask) => mask.Value != 0;
    /// <inheritdoc />
    public static int MinNormalExponent => -1022;
    /// <inheritdoc />
    public static Dual AllTrue => new(1, 0);

    /// <inheritdoc />
    public static Dual From(double value) => new(value, 0);
    /// <inheritdoc />
    public static Dual operator +(Dual a, Dual b) => new(a.Value + b.Value, a.Derivative + b.Derivative);
    /// <inheritdoc />
    public static Dual operator -(Dual a, Dual b) => new(a.Value - b.Value, a.Derivative - b.Derivative);
    /// <inheritdoc />
    public static Dual operator *(Dual a, Dual b) => new(a.Value * b.Value, a.Derivative * b.Value + a.Value * b.Derivative);
    /// <inheritdoc />
    public static Dual operator /(Dual a, Dual b) => new(a.Value / b.Value, (a.Derivative * b.Value - a.Value * b.Derivative) / (b.Value * b.Value));
    /// <inheritdoc />
    public static Dual operator -(Dual a) => new(-a.Value, -a.Derivative);

    /// <inheritdoc />
    public static Dual Sqrt(Dual a)
    {
        double root = Math.Sqrt(a.Value);
        return new(root, root > 0 ? a.Derivative / (2 * root) : 0);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Dual Exp(Dual a)
    {
        double e = Math.Exp(a.Value);
        return new(e, e * a.Derivative);
    }

    /// <inheritdoc />
    public static Dual Log(Dual a) => new(Math.Log(a.Value), a.Derivative / a.Value);
    /// <inheritdoc />
    public static Dual NormalCdf(Dual a) => new(Normal.Cdf(a.Value), Normal.Density(a.Value) * a.Derivative);
    /// <inheritdoc />
    public static bool CarriesDerivative => true;
    /// <inheritdoc />
    public static Dual Make(double value, double derivative) => new(value, derivative);
}

/// <summary>The standard normal distribution, accurate to double precision in both tails.</summary>
public static class Normal
{
    private const double InverseSqrt2Pi = 0.39894228040143267794;

    /// <inheritdoc />
    public static double Density(double x) => InverseSqrt2Pi * Math.Exp(-0.5 * x * x);

    /// <inheritdoc />
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
