using System.Runtime.InteropServices;
using Engine.Core.Specs;
using Engine.Simulation.Lanes;

namespace Engine.Simulation;

/// <summary>Maximum-likelihood refit of a Gaussian (MODEL.md section 3).</summary>
public static class Refit
{
    /// <summary>
    /// Adds a chunk of <paramref name="count"/> samples (row-major, count x d) to a running mean and
    /// co-moment of <paramref name="before"/> samples: the chunk's own mean and co-moment by two
    /// passes, then Chan's pairwise merge. Stable for any n, with no division per sample, and
    /// with memory bounded by the chunk. <paramref name="scratch"/> holds d values.
    /// </summary>
    public static void AccumulateChunk<T>(ReadOnlySpan<T> samples, int count, int before, Span<T> mean, Span<T> comoment, Span<T> scratch) where T : struct, ILane<T>
    {
        int d = mean.Length;
        var chunkMean = scratch[..d];
        chunkMean.Clear();
        for (int k = 0; k < count; k++)
        {
            for (int c = 0; c < d; c++)
            {
                chunkMean[c] += samples[k * d + c];
            }
        }
        var inverseCount = T.Broadcast(1.0 / count);
        for (int c = 0; c < d; c++)
        {
            chunkMean[c] *= inverseCount;
        }
        for (int k = 0; k < count; k++)
        {
            for (int r = 0; r < d; r++)
            {
                var deviation = samples[k * d + r] - chunkMean[r];
                for (int c = 0; c <= r; c++)
                {
                    comoment[r * d + c] += deviation * (samples[k * d + c] - chunkMean[c]);
                }
            }
        }
        if (before == 0)
        {
            chunkMean.CopyTo(mean);
            MirrorLower(comoment, d);
            return;
        }
        double total = before + count;
        var share = T.Broadcast(count / total);
        var cross = T.Broadcast(before * (double)count / total);
        for (int r = 0; r < d; r++)
        {
            var deltaR = chunkMean[r] - mean[r];
            for (int c = 0; c <= r; c++)
            {
                comoment[r * d + c] += deltaR * (chunkMean[c] - mean[c]) * cross;
            }
        }
        for (int c = 0; c < d; c++)
        {
            mean[c] += (chunkMean[c] - mean[c]) * share;
        }
        MirrorLower(comoment, d);
    }

    /// <summary>Copies the lower triangle onto the upper (the chunk sums only fill the lower one).</summary>
    private static void MirrorLower<T>(Span<T> matrix, int d)
    {
        for (int r = 0; r < d; r++)
        {
            for (int c = r + 1; c < d; c++)
            {
                matrix[r * d + c] = matrix[c * d + r];
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

    public static void AccumulateChunk(ReadOnlySpan<double> samples, int count, int before, Span<double> mean, Span<double> comoment)
    {
        Span<ScalarLane> scratch = stackalloc ScalarLane[mean.Length];
        AccumulateChunk(MemoryMarshal.Cast<double, ScalarLane>(samples), count, before, MemoryMarshal.Cast<double, ScalarLane>(mean),
            MemoryMarshal.Cast<double, ScalarLane>(comoment), scratch);
    }

    public static void Finish(ModelSpec spec, ReadOnlySpan<double> comoment, Span<double> newCov) =>
        Finish(spec, MemoryMarshal.Cast<double, ScalarLane>(comoment), MemoryMarshal.Cast<double, ScalarLane>(newCov));
}
