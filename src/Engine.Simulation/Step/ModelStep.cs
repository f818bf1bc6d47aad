using System.Runtime.CompilerServices;
using Engine.Simulation.Lanes;

namespace Engine.Simulation.Step;

/// <summary>
/// The model's arithmetic per replicate, written once: the refit (chunked mean and co-moment,
/// structure projection, ridge), the Cholesky factor, the affine map of a sample, the reward and
/// its expectation, the Plackett-Luce choice and the K = inf tilt. The CPU loop
/// (<see cref="LaneLoop{TLane}"/>, every SIMD width and the scalar reference) and the GPU
/// kernels call these same methods with their own lane type <c>T</c> and memory
/// view; they differ only in how lanes and memory are laid out, so they cannot drift apart.
/// Matrices are row-major d x d.
/// </summary>
public static class ModelStep
{
    /// <summary>
    /// Samples accumulated together by <see cref="AccumulateChunk"/>: the chunking sets how the refit
    /// rounds, so every backend's loop uses this one value.
    /// </summary>
    public const int RefitChunk = 64;

    /// <summary>Row i of offset + L z for a lower-triangular L: the one place the affine map's operations are written, so every way of drawing a sample rounds alike.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AffineRow<T, TV>(int d, TV offset, TV lower, TV z, int i)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct
    {
        var sum = TV.Load(offset, i);
        for (int k = 0; k <= i; k++)
        {
            sum += TV.Load(lower, i * d + k) * TV.Load(z, k);
        }
        return sum;
    }

    /// <summary>offset + L z into <paramref name="result"/>, row by row (<see cref="AffineRow"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AffineLower<T, TV>(int d, TV offset, TV lower, TV z, TV result)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct
    {
        for (int i = 0; i < d; i++)
        {
            TV.Store(result, i, AffineRow<T, TV>(d, offset, lower, z, i));
        }
    }

    /// <summary>
    /// Lower Cholesky factor of a symmetric positive semi-definite matrix per lane; a pivot that is
    /// zero up to rounding (relative to the largest diagonal entry) gives a zero column, so the
    /// singular covariance of a refit on n &lt;= d samples still yields L L^T = A.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CholeskySemiDefinite<T, TV>(int d, TV a, TV lower)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct
    {
        var scale = T.Broadcast(0);
        for (int i = 0; i < d; i++)
        {
            scale = T.Max(scale, T.Abs(TV.Load(a, i * d + i)));
        }
        var tolerance = T.Broadcast(1e-13) * scale;
        var zero = T.Broadcast(0);
        for (int k = 0; k < d * d; k++)
        {
            TV.Store(lower, k, zero);
        }
        for (int j = 0; j < d; j++)
        {
            var diagonal = TV.Load(a, j * d + j);
            for (int k = 0; k < j; k++)
            {
                diagonal -= TV.Load(lower, j * d + k) * TV.Load(lower, j * d + k);
            }
            var positive = T.GreaterThan(diagonal, tolerance);
            var pivot = T.Sqrt(T.Select(positive, diagonal, T.Broadcast(1)));
            TV.Store(lower, j * d + j, T.Select(positive, pivot, zero));
            for (int i = j + 1; i < d; i++)
            {
                var sum = TV.Load(a, i * d + j);
                for (int k = 0; k < j; k++)
                {
                    sum -= TV.Load(lower, i * d + k) * TV.Load(lower, j * d + k);
                }
                TV.Store(lower, i * d + j, T.Select(positive, sum / pivot, zero));
            }
        }
    }

    /// <summary>The reward r(x) (docs/model.md section 1): linear beta a.x; quadratic -beta/2 |x - c|^2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Reward<T, TV, TC>(in ModelParameters reward, TC constants, int d, TV x)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TC : IConstantView<TC>, allows ref struct
    {
        var sum = T.Broadcast(0);
        if (reward.LinearReward != 0)
        {
            for (int c = 0; c < d; c++)
            {
                sum += T.Broadcast(TC.Read(constants, reward.RewardVector + c)) * TV.Load(x, c);
            }
            return T.Broadcast(reward.Beta) * sum;
        }
        for (int c = 0; c < d; c++)
        {
            var delta = TV.Load(x, c) - T.Broadcast(TC.Read(constants, reward.RewardVector + c));
            sum += delta * delta;
        }
        return T.Broadcast(-0.5 * reward.Beta) * sum;
    }

    /// <summary>J(p) = E_{x ~ N(mean, cov)} r(x): linear beta a.mu; quadratic -beta/2 (|mu - c|^2 + tr cov).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T ExpectedReward<T, TV, TC>(in ModelParameters reward, TC constants, int d, TV mean, TV cov)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TC : IConstantView<TC>, allows ref struct
    {
        var sum = T.Broadcast(0);
        if (reward.LinearReward != 0)
        {
            for (int c = 0; c < d; c++)
            {
                sum += T.Broadcast(TC.Read(constants, reward.RewardVector + c)) * TV.Load(mean, c);
            }
            return T.Broadcast(reward.Beta) * sum;
        }
        for (int c = 0; c < d; c++)
        {
            var delta = TV.Load(mean, c) - T.Broadcast(TC.Read(constants, reward.RewardVector + c));
            sum += delta * delta + TV.Load(cov, c * d + c);
        }
        return T.Broadcast(-0.5 * reward.Beta) * sum;
    }

    /// <summary>
    /// Per lane, keeps candidate k of <paramref name="k"/> with probability exp(r_k) / sum_j exp(r_j)
    /// using one uniform in [0, 1): the first k whose cumulative weight exceeds u x total (the last
    /// one if rounding leaves none). The largest reward is subtracted first, so no exponential
    /// overflows. Overwrites <paramref name="rewards"/> with the unnormalised weights and writes to
    /// <paramref name="picks"/> the mask of the lanes that keep each candidate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ChoiceMasks<T, TV>(int k, TV rewards, T uniform, TV picks)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct
    {
        var target = uniform * SoftmaxWeights<T, TV>(k, rewards);
        var cumulative = T.Broadcast(0);
        var undecided = T.AllTrue;
        for (int c = 0; c < k; c++)
        {
            (var take, cumulative, undecided) = Pick(c == k - 1, TV.Load(rewards, c), target, cumulative, undecided);
            TV.Store(picks, c, take);
        }
    }

    /// <summary>
    /// The rewards of <see cref="ChoiceMasks"/> turned into weights exp(r_k - max r) in place; returns
    /// their total. Not marked for inlining: the K inlined exponentials would use up the inlining
    /// budget of the per-sample loop's callers (measured: their lane operators became calls, 1.8x
    /// slower). Not NoInlining either: ILGPU then emits a PTX function that the driver refused to
    /// compile on the H200 ("a PTX JIT compilation failed", bench/RESULTS.md).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T SoftmaxWeights<T, TV>(int k, TV rewards) where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct
    {
        var best = T.Broadcast(double.NegativeInfinity);
        for (int c = 0; c < k; c++)
        {
            best = T.Max(best, TV.Load(rewards, c));
        }
        var total = T.Broadcast(0);
        for (int c = 0; c < k; c++)
        {
            var weight = T.Exp(TV.Load(rewards, c) - best);
            TV.Store(rewards, c, weight);
            total += weight;
        }
        return total;
    }

    /// <summary>One step of <see cref="ChoiceMasks"/>' walk: the lanes that keep this candidate (all still undecided ones for the last).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (T Take, T Cumulative, T Undecided) Pick<T>(bool last, T weight, T target, T cumulative, T undecided) where T : struct, ILaneArithmetic<T>
    {
        cumulative += weight;
        var take = last ? undecided : T.And(undecided, T.LessThan(target, cumulative));
        return (take, cumulative, T.AndNot(undecided, take));
    }

    /// <summary>
    /// Plackett-Luce choice among the model's K candidates in the lanes of <paramref name="curated"/>:
    /// candidate 0 is the model's own draw, already in <paramref name="x"/>; candidate c &gt;= 1 is
    /// mean + L z[c d .. c d + d - 1]. The kept candidate is written to <paramref name="x"/>. The
    /// candidates are not stored: each one's reward is summed row by row as <see cref="Reward"/> sums
    /// it, the walk of <see cref="ChoiceMasks"/> keeps the chosen normals, and the chosen candidate is
    /// mapped once, with the rows' operations of <see cref="AffineRow"/>, so x is bit for bit the
    /// candidate drawn. <paramref name="kept"/> holds d lanes (the kept normals), <paramref name="weights"/> K.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ChooseCandidate<T, TV, TC>(in ModelParameters model, TC constants, int d, TV mean, TV cholesky, TV normals, T uChoice, T curated, TV x,
        TV kept, TV weights)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TC : IConstantView<TC>, allows ref struct
    {
        int k = model.K;
        TV.Store(weights, 0, Reward<T, TV, TC>(in model, constants, d, x));
        for (int c = 1; c < k; c++)
        {
            TV.Store(weights, c, AffineReward<T, TV, TC>(in model, constants, d, mean, cholesky, TV.Slice(normals, c * d)));
        }
        var target = uChoice * SoftmaxWeights<T, TV>(k, weights);
        var cumulative = T.Broadcast(0);
        var undecided = T.AllTrue;
        (var first, cumulative, undecided) = Pick(k == 1, TV.Load(weights, 0), target, cumulative, undecided);
        for (int c = 1; c < k; c++)
        {
            (var take, cumulative, undecided) = Pick(c == k - 1, TV.Load(weights, c), target, cumulative, undecided);
            for (int r = 0; r < d; r++)
            {
                TV.Store(kept, r, c == 1 ? TV.Load(normals, c * d + r) : T.Select(take, TV.Load(normals, c * d + r), TV.Load(kept, r)));
            }
        }
        var replace = T.AndNot(curated, first);
        if (k > 1 && T.Any(replace))
        {
            for (int r = 0; r < d; r++)
            {
                TV.Store(x, r, T.Select(replace, AffineRow<T, TV>(d, mean, cholesky, kept, r), TV.Load(x, r)));
            }
        }
    }

    /// <summary>The reward of mean + L z, its rows computed as <see cref="AffineRow"/> computes them and summed as <see cref="Reward"/> sums them, without storing the point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T AffineReward<T, TV, TC>(in ModelParameters reward, TC constants, int d, TV mean, TV lower, TV z)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TC : IConstantView<TC>, allows ref struct
    {
        var sum = T.Broadcast(0);
        if (reward.LinearReward != 0)
        {
            for (int c = 0; c < d; c++)
            {
                sum += T.Broadcast(TC.Read(constants, reward.RewardVector + c)) * AffineRow<T, TV>(d, mean, lower, z, c);
            }
            return T.Broadcast(reward.Beta) * sum;
        }
        for (int c = 0; c < d; c++)
        {
            var delta = AffineRow<T, TV>(d, mean, lower, z, c) - T.Broadcast(TC.Read(constants, reward.RewardVector + c));
            sum += delta * delta;
        }
        return T.Broadcast(-0.5 * reward.Beta) * sum;
    }

    /// <summary>
    /// The K = inf curated law (docs/model.md section 2) as the simulation draws from it: its mean and
    /// the Cholesky factor of its covariance (<see cref="TiltedMoments"/>; for a linear reward the
    /// covariance is Sigma itself, whose factor is copied). Scratch as in TiltedMoments.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TiltedLaw<T, TV, TC>(in ModelParameters model, TC constants, int d, TV mean, TV cov, TV cholesky, TV tiltMean, TV tiltCholesky,
        TV matrixA, TV matrixB, TV scratchLower, TV scratchCov)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TC : IConstantView<TC>, allows ref struct
    {
        TiltedMoments<T, TV, TC>(in model, constants, d, mean, cov, tiltMean, scratchCov, matrixA, matrixB, scratchLower);
        if (model.LinearReward != 0)
        {
            for (int k = 0; k < d * d; k++)
            {
                TV.Store(tiltCholesky, k, TV.Load(cholesky, k));
            }
            return;
        }
        CholeskySemiDefinite<T, TV>(d, scratchCov, tiltCholesky);
    }

    /// <summary>
    /// The mean and covariance of the K = inf curated law (docs/model.md section 2), for the simulation
    /// and the population theory alike: linear N(mu + beta Sigma a, Sigma); quadratic
    /// N((I + beta Sigma)^-1 (mu + beta Sigma c), (I + beta Sigma)^-1 Sigma), solved by Cholesky
    /// against A = I + beta Sigma, so no inverse of Sigma is needed (it may be singular).
    /// Scratch: <paramref name="matrixA"/> and <paramref name="scratchLower"/> d x d, <paramref name="matrixB"/> d x (d + 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TiltedMoments<T, TV, TC>(in ModelParameters model, TC constants, int d, TV mean, TV cov, TV tiltMean, TV tiltCov,
        TV matrixA, TV matrixB, TV scratchLower)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TC : IConstantView<TC>, allows ref struct
    {
        var beta = T.Broadcast(model.Beta);
        int v = model.RewardVector;
        if (model.LinearReward != 0)
        {
            for (int r = 0; r < d; r++)
            {
                var shift = T.Broadcast(0);
                for (int c = 0; c < d; c++)
                {
                    shift += TV.Load(cov, r * d + c) * T.Broadcast(TC.Read(constants, v + c));
                }
                TV.Store(tiltMean, r, TV.Load(mean, r) + beta * shift);
            }
            for (int k = 0; k < d * d; k++)
            {
                TV.Store(tiltCov, k, TV.Load(cov, k));
            }
            return;
        }
        // B = [mu + beta Sigma c | Sigma], solved against A = I + beta Sigma by Cholesky.
        int columns = d + 1;
        for (int r = 0; r < d; r++)
        {
            var shift = T.Broadcast(0);
            for (int c = 0; c < d; c++)
            {
                var entry = TV.Load(cov, r * d + c);
                TV.Store(matrixA, r * d + c, T.Broadcast(r == c ? 1.0 : 0.0) + beta * entry);
                shift += entry * T.Broadcast(TC.Read(constants, v + c));
                TV.Store(matrixB, r * columns + 1 + c, entry);
            }
            TV.Store(matrixB, r * columns, TV.Load(mean, r) + beta * shift);
        }
        CholeskySemiDefinite<T, TV>(d, matrixA, scratchLower);
        var lower = scratchLower;
        for (int c = 0; c < columns; c++)
        {
            for (int i = 0; i < d; i++)
            {
                var sum = TV.Load(matrixB, i * columns + c);
                for (int k = 0; k < i; k++)
                {
                    sum -= TV.Load(lower, i * d + k) * TV.Load(matrixB, k * columns + c);
                }
                TV.Store(matrixB, i * columns + c, sum / TV.Load(lower, i * d + i));
            }
            for (int i = d - 1; i >= 0; i--)
            {
                var sum = TV.Load(matrixB, i * columns + c);
                for (int k = i + 1; k < d; k++)
                {
                    sum -= TV.Load(lower, k * d + i) * TV.Load(matrixB, k * columns + c);
                }
                TV.Store(matrixB, i * columns + c, sum / TV.Load(lower, i * d + i));
            }
        }
        var half = T.Broadcast(0.5);
        for (int r = 0; r < d; r++)
        {
            TV.Store(tiltMean, r, TV.Load(matrixB, r * columns));
            for (int c = 0; c < d; c++)
            {
                TV.Store(tiltCov, r * d + c, half * (TV.Load(matrixB, r * columns + 1 + c) + TV.Load(matrixB, c * columns + 1 + r)));
            }
        }
    }

    /// <summary>
    /// Adds a chunk of <paramref name="count"/> samples (count x d) to a running mean and co-moment
    /// of <paramref name="before"/> samples: the chunk's own mean and co-moment by two passes, then
    /// Chan's pairwise merge. Stable for any n, with no division per sample, and with memory
    /// bounded by the chunk. The co-moment must be zero before the first chunk;
    /// <paramref name="scratch"/> holds d values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateChunk<T, TV>(int d, TV samples, int count, int before, TV mean, TV comoment, TV scratch)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct
    {
        var chunkMean = scratch;
        for (int c = 0; c < d; c++)
        {
            TV.Store(chunkMean, c, T.Broadcast(0));
        }
        for (int k = 0; k < count; k++)
        {
            for (int c = 0; c < d; c++)
            {
                TV.Store(chunkMean, c, TV.Load(chunkMean, c) + TV.Load(samples, k * d + c));
            }
        }
        var inverseCount = T.Broadcast(1.0 / count);
        for (int c = 0; c < d; c++)
        {
            TV.Store(chunkMean, c, TV.Load(chunkMean, c) * inverseCount);
        }
        for (int k = 0; k < count; k++)
        {
            for (int r = 0; r < d; r++)
            {
                var deviation = TV.Load(samples, k * d + r) - TV.Load(chunkMean, r);
                for (int c = 0; c <= r; c++)
                {
                    TV.Store(comoment, r * d + c, TV.Load(comoment, r * d + c) + deviation * (TV.Load(samples, k * d + c) - TV.Load(chunkMean, c)));
                }
            }
        }
        if (before == 0)
        {
            for (int c = 0; c < d; c++)
            {
                TV.Store(mean, c, TV.Load(chunkMean, c));
            }
            MirrorLower<T, TV>(d, comoment);
            return;
        }
        double total = before + count;
        var share = T.Broadcast(count / total);
        var cross = T.Broadcast(before * (double)count / total);
        for (int r = 0; r < d; r++)
        {
            var deltaR = TV.Load(chunkMean, r) - TV.Load(mean, r);
            for (int c = 0; c <= r; c++)
            {
                TV.Store(comoment, r * d + c, TV.Load(comoment, r * d + c) + deltaR * (TV.Load(chunkMean, c) - TV.Load(mean, c)) * cross);
            }
        }
        for (int c = 0; c < d; c++)
        {
            TV.Store(mean, c, TV.Load(mean, c) + (TV.Load(chunkMean, c) - TV.Load(mean, c)) * share);
        }
        MirrorLower<T, TV>(d, comoment);
    }

    /// <summary>Copies the lower triangle onto the upper (the chunk sums only fill the lower one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MirrorLower<T, TV>(int d, TV matrix)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct
    {
        for (int r = 0; r < d; r++)
        {
            for (int c = r + 1; c < d; c++)
            {
                TV.Store(matrix, r * d + c, TV.Load(matrix, c * d + r));
            }
        }
    }

    /// <summary>
    /// Sigma = co-moment / n (the 1/n of maximum likelihood: the shrinkage is the model collapse),
    /// then <see cref="ProjectCovariance"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FinishRefit<T, TV, TC>(in ModelParameters model, TC constants, int d, TV comoment, TV newCov)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TC : IConstantView<TC>, allows ref struct
    {
        if (model.Covariance != (int)Core.Specs.CovarianceStructure.Fixed)
        {
            var inverseN = T.Broadcast(1.0 / model.N);
            var half = T.Broadcast(0.5);
            for (int r = 0; r < d; r++)
            {
                for (int c = 0; c < d; c++)
                {
                    // The co-moment is symmetric up to rounding; averaging makes it exactly so for the factorisation.
                    TV.Store(newCov, r * d + c, half * (TV.Load(comoment, r * d + c) + TV.Load(comoment, c * d + r)) * inverseN);
                }
            }
        }
        ProjectCovariance<T, TV, TC>(in model, constants, d, newCov);
    }

    /// <summary>
    /// A refitted covariance onto the model's structure (docs/model.md section 3), for the simulation
    /// and the population theory alike: diag keeps the diagonal, iso takes tr/d I, fixed the
    /// initial Sigma; then ridge * I is added (not to fixed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ProjectCovariance<T, TV, TC>(in ModelParameters model, TC constants, int d, TV cov)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TC : IConstantView<TC>, allows ref struct
    {
        if (model.Covariance == (int)Core.Specs.CovarianceStructure.Fixed)
        {
            for (int k = 0; k < d * d; k++)
            {
                TV.Store(cov, k, T.Broadcast(TC.Read(constants, model.InitCov + k)));
            }
            return;
        }
        var zero = T.Broadcast(0);
        if (model.Covariance == (int)Core.Specs.CovarianceStructure.Diag)
        {
            for (int r = 0; r < d; r++)
            {
                for (int c = 0; c < d; c++)
                {
                    if (r != c)
                    {
                        TV.Store(cov, r * d + c, zero);
                    }
                }
            }
        }
        else if (model.Covariance == (int)Core.Specs.CovarianceStructure.Iso)
        {
            var trace = zero;
            for (int c = 0; c < d; c++)
            {
                trace += TV.Load(cov, c * d + c);
            }
            var level = trace / T.Broadcast(d);
            for (int r = 0; r < d; r++)
            {
                for (int c = 0; c < d; c++)
                {
                    TV.Store(cov, r * d + c, r == c ? level : zero);
                }
            }
        }
        var ridge = T.Broadcast(model.Ridge);
        for (int c = 0; c < d; c++)
        {
            TV.Store(cov, c * d + c, TV.Load(cov, c * d + c) + ridge);
        }
    }

    /// <summary>
    /// The multinomial source of one replicate's slot: the first source with u &lt; its cumulative
    /// weight (never a zero-weight one, whose cumulative equals the one before), else the last
    /// positive one, by binary search on the cumulative weights. <paramref name="u"/> holds the
    /// replicate's uniform in every lane, so the comparisons round as the lane type does (float
    /// lanes compare in float, as their masks do).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int SourceOf<T, TC>(in ModelParameters model, TC constants, T u)
        where T : struct, ILaneArithmetic<T> where TC : IConstantView<TC>, allows ref struct
    {
        int low = 0, high = model.LastPositiveSource;
        if (!T.Any(T.LessThan(u, T.Broadcast(TC.Read(constants, model.Cumulative + high)))))
        {
            return high;
        }
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (T.Any(T.LessThan(u, T.Broadcast(TC.Read(constants, model.Cumulative + middle)))))
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }
        return low;
    }

    /// <summary>Curated lanes of a multinomial slot: cumulative[real] &lt;= u &lt; cumulative[curated] (as the last positive source, also a u that rounding leaves at or above the total, as the source choice does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T CuratedLanes<T, TC>(in ModelParameters model, TC constants, T uSource)
        where T : struct, ILaneArithmetic<T> where TC : IConstantView<TC>, allows ref struct
    {
        const int real = Core.Specs.WeightIndex.Real, curated = Core.Specs.WeightIndex.Curated;
        var below = model.LastPositiveSource == curated ? T.AllTrue : T.LessThan(uSource, T.Broadcast(TC.Read(constants, model.Cumulative + curated)));
        return T.AndNot(below, T.LessThan(uSource, T.Broadcast(TC.Read(constants, model.Cumulative + real))));
    }
}
