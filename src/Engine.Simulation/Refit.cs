using Engine.Core.Numerics;
using Engine.Core.Specs;

namespace Engine.Simulation;

/// <summary>Maximum-likelihood refit of a Gaussian (MODEL.md section 3).</summary>
public static class Refit
{
    /// <summary>Welford's update of the running mean and co-moment matrix with sample number <paramref name="count"/> (1-based).</summary>
    public static void Accumulate(ReadOnlySpan<double> x, int count, Span<double> mean, Span<double> comoment)
    {
        int d = x.Length;
        Span<double> before = stackalloc double[d];
        for (int c = 0; c < d; c++)
        {
            before[c] = x[c] - mean[c];
            mean[c] += before[c] / count;
        }
        for (int r = 0; r < d; r++)
        {
            double after = x[r] - mean[r];
            for (int c = 0; c < d; c++)
            {
                comoment[r * d + c] += after * before[c];
            }
        }
    }

    /// <summary>
    /// Sigma = co-moment / n (the 1/n of maximum likelihood: the shrinkage is the model collapse),
    /// projected onto the structure (diag: the diagonal; iso: tr/d I; fixed: the initial Sigma),
    /// then ridge * I added (not to fixed).
    /// </summary>
    public static void Finish(ModelSpec spec, ReadOnlySpan<double> comoment, Span<double> newCov)
    {
        int d = spec.InitMean.Length;
        if (spec.Covariance == CovarianceStructure.Fixed)
        {
            spec.InitCov.CopyTo(newCov);
            return;
        }
        double inverseN = 1.0 / spec.N;
        for (int r = 0; r < d; r++)
        {
            for (int c = 0; c < d; c++)
            {
                // The co-moment is symmetric up to rounding; averaging makes it exactly so for the factorisation.
                newCov[r * d + c] = 0.5 * (comoment[r * d + c] + comoment[c * d + r]) * inverseN;
            }
        }
        if (spec.Covariance == CovarianceStructure.Diag)
        {
            for (int r = 0; r < d; r++)
            {
                for (int c = 0; c < d; c++)
                {
                    if (r != c)
                    {
                        newCov[r * d + c] = 0;
                    }
                }
            }
        }
        else if (spec.Covariance == CovarianceStructure.Iso)
        {
            double level = SmallMatrix.Trace(newCov, d) / d;
            newCov.Clear();
            for (int c = 0; c < d; c++)
            {
                newCov[c * d + c] = level;
            }
        }
        for (int c = 0; c < d; c++)
        {
            newCov[c * d + c] += spec.Ridge;
        }
    }
}
