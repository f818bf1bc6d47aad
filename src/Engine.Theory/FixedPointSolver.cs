using System.Numerics;

namespace Engine.Theory;

/// <summary>The outcome of the search for Theta* = F(Theta*).</summary>
public sealed record FixedPoint(bool Converged, int Iterations, double Residual, double[] State, string? Message);

/// <summary>
/// Finds the fixed point of the population map: plain iteration (the loop itself, which is
/// what a stable system does) until the residual is small or progress stalls, then Newton's
/// method on G(Theta) = F(Theta) - Theta with the exact Jacobian, with backtracking. Runaway
/// iterates (the variance growing without bound, as linear rewards with K = inf can do) are
/// detected and reported, never returned as numbers.
/// </summary>
public static class FixedPointSolver
{
    /// <summary>The residual at which Newton's method stops.</summary>
    public const double Tolerance = 1e-12;
    private const int PlainIterations = 400;
    private const int NewtonIterations = 60;
    private const double Runaway = 1e10;
    private const double NewtonFrom = 1e-3;

    /// <summary>The fixed point, from the initial models.</summary>
    public static FixedPoint Solve(PopulationMap map) => Solve(map, map.InitialState());

    /// <summary>The fixed point, from a given state.</summary>
    public static FixedPoint Solve(PopulationMap map, double[] start)
    {
        var state = (double[])start.Clone();
        var next = new double[state.Length];
        double scale = 1 + MaxAbs(start);
        int iterations = 0;
        double residual = double.PositiveInfinity;
        string? runaway = null;
        for (; iterations < PlainIterations; iterations++)
        {
            Apply(map, state, next);
            residual = Residual(state, next);
            if (!AllFinite(next) || MaxAbs(next) > Runaway * scale)
            {
                runaway = Describe(map, next, iterations + 1);
                break;
            }
            (state, next) = (next, state);
            // Newton's method takes over from here (it converges quadratically, and each of its steps costs about two map evaluations).
            if (residual < NewtonFrom)
            {
                break;
            }
        }
        if (runaway is not null)
        {
            // The loop runs away from the initial models; a fixed point may still exist (unstable,
            // or stable elsewhere): let Newton look for one from the start.
            state = (double[])start.Clone();
        }
        var newton = Newton(map, state, ref iterations);
        if (newton.Converged)
        {
            return newton with { Iterations = iterations };
        }
        string message = runaway is not null
            ? $"no fixed point: iterating the population map from the initial models {runaway}, and Newton's method found no fixed point either"
            : $"no fixed point found: the residual stalled at {newton.Residual:G3} after {iterations} iterations";
        return new FixedPoint(false, iterations, newton.Residual, newton.State, message);
    }

    private static FixedPoint Newton(PopulationMap map, double[] state, ref int iterations)
    {
        int n = state.Length;
        var value = new double[n];
        Apply(map, state, value);
        double residual = Residual(state, value);
        for (int step = 0; step < NewtonIterations && residual > Tolerance; step++, iterations++)
        {
            if (!AllFinite(value))
            {
                break;
            }
            var jacobian = Jacobian(map, state);
            // (I - J) delta = F(Theta) - Theta.
            var system = new Real[n * n];
            var rhs = new Real[n];
            for (int r = 0; r < n; r++)
            {
                for (int c = 0; c < n; c++)
                {
                    system[r * n + c] = new Real((r == c ? 1 : 0) - jacobian[r * n + c]);
                }
                rhs[r] = new Real(value[r] - state[r]);
            }
            try
            {
                GenericLinearAlgebra.Solve(system, rhs, n, 1);
            }
            catch (InvalidOperationException)
            {
                break;
            }
            double length = 1;
            bool improved = false;
            for (int halving = 0; halving < 30; halving++, length *= 0.5)
            {
                var trial = new double[n];
                for (int k = 0; k < n; k++)
                {
                    trial[k] = state[k] + length * rhs[k].Value;
                }
                var trialValue = new double[n];
                Apply(map, trial, trialValue);
                double trialResidual = Residual(trial, trialValue);
                if (AllFinite(trialValue) && trialResidual < residual)
                {
                    state = trial;
                    value = trialValue;
                    residual = trialResidual;
                    improved = true;
                    break;
                }
            }
            if (!improved)
            {
                break;
            }
        }
        bool converged = residual <= Tolerance && HasValidCovariances(map, state);
        return new FixedPoint(converged, iterations, residual, state, null);
    }

    /// <summary>dF/dTheta at <paramref name="state"/>, column by column with dual numbers (exact, not finite differences).</summary>
    public static double[] Jacobian(PopulationMap map, double[] state, bool othersFrozen = false)
    {
        int n = state.Length;
        var jacobian = new double[n * n];
        var input = new Dual[n];
        var output = new Dual[n];
        for (int c = 0; c < n; c++)
        {
            for (int k = 0; k < n; k++)
            {
                input[k] = new Dual(state[k], k == c ? 1 : 0);
            }
            map.Apply<Dual>(input, output, othersFrozen: othersFrozen);
            for (int r = 0; r < n; r++)
            {
                jacobian[r * n + c] = output[r].Derivative;
            }
        }
        return jacobian;
    }

    /// <summary>The spectral radius and eigenvalues of the Jacobian at a state.</summary>
    public static (double Radius, Complex[] Values) Stability(PopulationMap map, double[] state)
    {
        var values = Eigenvalues.Of(Jacobian(map, state), state.Length);
        return (Eigenvalues.SpectralRadius(values), values);
    }

    /// <summary>next = F(state) in doubles (NaN where the map is undefined).</summary>
    public static void Apply(PopulationMap map, double[] state, double[] next)
    {
        var input = new Real[state.Length];
        var output = new Real[state.Length];
        for (int k = 0; k < state.Length; k++)
        {
            input[k] = new Real(state[k]);
        }
        try
        {
            map.Apply<Real>(input, output);
        }
        catch (InvalidOperationException)
        {
            Array.Fill(next, double.NaN);
            return;
        }
        for (int k = 0; k < state.Length; k++)
        {
            next[k] = output[k].Value;
        }
    }

    private static double Residual(double[] state, double[] next)
    {
        double worst = 0;
        for (int k = 0; k < state.Length; k++)
        {
            worst = Math.Max(worst, Math.Abs(next[k] - state[k]) / (1 + Math.Abs(state[k])));
        }
        return double.IsNaN(worst) ? double.PositiveInfinity : worst;
    }

    private static double MaxAbs(double[] values)
    {
        double max = 0;
        foreach (double v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }
        return max;
    }

    private static bool AllFinite(double[] values)
    {
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }
        return true;
    }

    private static bool HasValidCovariances(PopulationMap map, double[] state)
    {
        int d = map.D;
        var mean = new double[d];
        var cov = new double[d * d];
        for (int i = 0; i < map.Spec.ModelCount; i++)
        {
            map.Unpack<double>(state.AsSpan(i * map.Stride, map.Stride), mean, cov);
            for (int c = 0; c < d; c++)
            {
                if (cov[c * d + c] < -1e-12)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static string Describe(PopulationMap map, double[] runaway, int iteration)
    {
        int d = map.D;
        var mean = new double[d];
        var cov = new double[d * d];
        for (int i = 0; i < map.Spec.ModelCount; i++)
        {
            map.Unpack<double>(runaway.AsSpan(i * map.Stride, map.Stride), mean, cov);
            double trace = Engine.Core.Numerics.SmallMatrix.Trace(cov, d);
            if (!double.IsFinite(trace) || Math.Abs(trace) > Runaway)
            {
                return $"grows without bound (the covariance trace of model {map.Spec.Models[i].Name} passed {Runaway:G0} at iteration {iteration})";
            }
        }
        return $"grows without bound (a mean passed {Runaway:G0} at iteration {iteration})";
    }
}
