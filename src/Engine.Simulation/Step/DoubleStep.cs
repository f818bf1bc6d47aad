using System.Runtime.InteropServices;
using Engine.Simulation.Lanes;

namespace Engine.Simulation.Step;

/// <summary><see cref="ModelStep"/> on plain doubles, for callers outside the loop (set-up, tests): the same code, at the scalar lane.</summary>
public static class DoubleStep
{
    /// <summary>The lower Cholesky factor of a symmetric positive semi-definite d x d matrix (a zero pivot gives a zero column).</summary>
    public static double[] CholeskyLower(ReadOnlySpan<double> a, int d)
    {
        var lower = new double[d * d];
        ModelStep.CholeskySemiDefinite<ScalarLane, LaneSpan<ScalarLane>>(d, Lanes(a), MemoryMarshal.Cast<double, ScalarLane>(lower.AsSpan()));
        return lower;
    }

    /// <summary>offset + L z for a lower-triangular L: one multivariate normal draw.</summary>
    public static void AffineLower(ReadOnlySpan<double> offset, ReadOnlySpan<double> lower, ReadOnlySpan<double> z, Span<double> result, int d) =>
        ModelStep.AffineLower<ScalarLane, LaneSpan<ScalarLane>>(d, Lanes(offset), Lanes(lower), Lanes(z), MemoryMarshal.Cast<double, ScalarLane>(result));

    /// <summary>Read-only doubles as lanes: the step only reads through these views.</summary>
    private static Span<ScalarLane> Lanes(ReadOnlySpan<double> values) =>
        MemoryMarshal.Cast<double, ScalarLane>(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(values), values.Length));
}
