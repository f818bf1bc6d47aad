using System.Runtime.InteropServices;
using Engine.Core.Specs;
using Engine.Simulation.Lanes;

namespace Engine.Simulation;

/// <summary>Maximum-likelihood refit of a Gaussian (MODEL.md section 3).</summary>
public static class Refit
{
    /// <summary>
    /// Welford's update of the running mean and co-moment matrix with sample number
    /// <paramref name="count"/> (1-based): stable for any n. <paramref name="scratch"/> holds d values.
    /// </summary>
    public static void Accumulate<T>(ReadOnlySpan<T> x, T count, Span<T> mean, Span<T> comoment, Span<T> scratch) where T : struct, ILane<T>
    {
        int d = x.Length;
        for (int c = 0; c < d; c++)
        {
            scratch[c] = x[c] - mean[c];
            mean[c] += scratch[c] / count;
        }
        for (int r = 0; r < d; r++)
        {
            var after = x[r] - mean[r];
            for (int c = 0; c < d; c++)
            {
                comoment[r * d + c] += after * scratch[c];
            }
        }
    }

    /// <summary>
    /// Sigma = co-moment / n (the 1/n of maximum likelihood: the shrinkage is the model collapse),
    /// projected onto the structure (diag: the diagonal; iso: tr/d I; fixed: the initial Sigma),
    /// then ridge * I added (not to fixed).
    /// </summary>
    public static void Finish<T>(ModelSpec spec, ReadOnlySpan<T> comoment, Span<T> newCov) where T : struct, ILane<T>
    {
        int d = spec.InitMean.Length;
        if (spec.Covariance == CovarianceStructure.Fixed)
        {
            for (int k = 0; k < d * d; k++)
            {
                newCov[k] = T.Broadcast(spec.InitCov[k]);
            }
            return;
        }
        var inverseN = T.Broadcast(1.0 / spec.N);
        var half = T.Broadcast(0.5);
        for (int r = 0; r < d; r++)
        {
            for (int c = 0; c < d; c++)
            {
                // The co-moment is symmetric up to rounding; averaging makes it exactly so for the factorisation.
                newCov[r * d + c] = half * (comoment[r * d + c] + comoment[c * d + r]) * inverseN;
            }
        }
        var zero = T.Broadcast(0);
        if (spec.Covariance == CovarianceStructure.Diag)
        {
            for (int r = 0; r < d; r++)
            {
                for (int c = 0; c < d; c++)
                {
                    if (r != c)
                    {
                        newCov[r * d + c] = zero;
                    }
                }
            }
        }
        else if (spec.Covariance == CovarianceStructure.Iso)
        {
            var trace = zero;
            for (int c = 0; c < d; c++)
            {
                trace += newCov[c * d + c];
            }
            var level = trace / T.Broadcast(d);
            for (int r = 0; r < d; r++)
            {
                for (int c = 0; c < d; c++)
                {
                    newCov[r * d + c] = r == c ? level : zero;
                }
            }
        }
        var ridge = T.Broadcast(spec.Ridge);
        for (int c = 0; c < d; c++)
        {
            newCov[c * d + c] += ridge;
        }
    }

    public static void Accumulate(ReadOnlySpan<double> x, int count, Span<double> mean, Span<double> comoment)
    {
        Span<ScalarLane> scratch = stackalloc ScalarLane[x.Length];
        Accumulate(MemoryMarshal.Cast<double, ScalarLane>(x), new ScalarLane(count), MemoryMarshal.Cast<double, ScalarLane>(mean),
            MemoryMarshal.Cast<double, ScalarLane>(comoment), scratch);
    }

    public static void Finish(ModelSpec spec, ReadOnlySpan<double> comoment, Span<double> newCov) =>
        Finish(spec, MemoryMarshal.Cast<double, ScalarLane>(comoment), MemoryMarshal.Cast<double, ScalarLane>(newCov));
}
