using Engine.Core.Specs;
using Engine.Simulation.Lanes;
using Engine.Simulation.Step;

namespace Engine.Theory;

/// <summary>A change of one model's weights: <c>Amount</c> moves from weight <c>From</c> to weight <c>To</c>.</summary>
public readonly record struct WeightShift<T>(int Model, int To, int From, T Amount) where T : struct, IScalar<T>;

/// <summary>
/// The population round (docs/model.md section 5, n -> inf): every model's (mu, Sigma) goes to the
/// moments of its training mixture Q_i, projected onto its structure, plus ridge. Written once
/// over <see cref="IScalar{T}"/> so the same code gives values and exact derivatives.
/// <para>
/// State layout: for each model, its mean (d) then the upper triangle of its covariance row by
/// row (d(d+1)/2), so that no direction of the state is a duplicate (which would add spurious
/// eigenvalues to the Jacobian). In the population limit the fixed and multinomial mixtures
/// coincide: both give source s the share w_s.
/// </para>
/// </summary>
public sealed class PopulationMap
{
    /// <summary>The map of a spec; unsupported cases throw <see cref="TheoryUnsupportedException"/>.</summary>
    public PopulationMap(SimulationSpec spec)
    {
        Spec = spec;
        D = spec.Dimension;
        Stride = D + D * (D + 1) / 2;
        _curated = new CuratedPoint?[spec.ModelCount];
        _table = new ModelTable(spec);
        foreach (var model in spec.Models)
        {
            if (model.Reward == RewardKind.Quadratic && !model.IsInfiniteK && model.K > 1 && D > QuadratureCuration.MaxDimension)
            {
                throw new TheoryUnsupportedException(
                    $"model.{model.Name}.k = {model.K}: the population theory of a quadratic reward with finite k supports dimension <= {QuadratureCuration.MaxDimension}, not {D}");
            }
        }
    }

    /// <summary>The spec.</summary>
    public SimulationSpec Spec { get; }
    /// <summary>d.</summary>
    public int D { get; }
    /// <summary>State entries per model.</summary>
    public int Stride { get; }
    /// <summary>State entries: M x Stride.</summary>
    public int StateSize => Stride * Spec.ModelCount;

    /// <summary>The initial models as a state.</summary>
    public double[] InitialState()
    {
        var state = new double[StateSize];
        for (int i = 0; i < Spec.ModelCount; i++)
        {
            Pack(Spec.Models[i].InitMean, Spec.Models[i].InitCov, state.AsSpan(i * Stride, Stride));
        }
        return state;
    }

    /// <summary>A model's (mean, cov) into its state block (mean, then the covariance's upper triangle).</summary>
    public void Pack<T>(ReadOnlySpan<T> mean, ReadOnlySpan<T> cov, Span<T> block)
    {
        int d = D, k = d;
        mean.CopyTo(block);
        for (int r = 0; r < d; r++)
        {
            for (int c = r; c < d; c++)
            {
                block[k++] = cov[r * d + c];
            }
        }
    }

    /// <summary>A state block back into (mean, full covariance).</summary>
    public void Unpack<T>(ReadOnlySpan<T> block, Span<T> mean, Span<T> cov)
    {
        int d = D, k = d;
        block[..d].CopyTo(mean);
        for (int r = 0; r < d; r++)
        {
            for (int c = r; c < d; c++)
            {
                cov[r * d + c] = block[k];
                cov[c * d + r] = block[k];
                k++;
            }
        }
    }

    /// <summary>
    /// next = F(state), with an optional weight shift (a dual amount gives dF/dw). With
    /// <paramref name="othersFrozen"/> set, every model sees the others exactly as given in
    /// <paramref name="state"/>, also under the sequential schedule: the single-model view of
    /// the isolated influence.
    /// </summary>
    public void Apply<T>(ReadOnlySpan<T> state, Span<T> next, WeightShift<T>? shift = null, bool othersFrozen = false) where T : struct, IScalar<T>
    {
        int d = D, m = Spec.ModelCount;
        var means = new T[m][];
        var covs = new T[m][];
        for (int j = 0; j < m; j++)
        {
            means[j] = new T[d];
            covs[j] = new T[d * d];
            Unpack(state.Slice(j * Stride, Stride), means[j], covs[j]);
        }
        PrepareCurated(means, covs);
        var newMean = new T[d];
        var newCov = new T[d * d];
        for (int i = 0; i < m; i++)
        {
            var model = Spec.Models[i];
            var weights = new T[model.Weights.Length];
            for (int s = 0; s < weights.Length; s++)
            {
                weights[s] = T.From(model.Weights[s]);
            }
            var active = model.Weights.Select(x => x > 0).ToArray();
            if (shift is { } w && w.Model == i)
            {
                weights[w.To] += w.Amount;
                weights[w.From] -= w.Amount;
                active[w.To] = active[w.From] = true;
            }
            // Under the sequential schedule models j < i have already been replaced by their refit.
            var (curatedMean, curatedCov) = Curated(i, means[i], covs[i]);
            var sourceMeans = new T[weights.Length][];
            var sourceCovs = new T[weights.Length][];
            sourceMeans[WeightIndex.Real] = model.RealMean.Select(T.From).ToArray();
            sourceCovs[WeightIndex.Real] = model.RealCov.Select(T.From).ToArray();
            sourceMeans[WeightIndex.Curated] = curatedMean;
            sourceCovs[WeightIndex.Curated] = curatedCov;
            sourceMeans[WeightIndex.Self] = means[i];
            sourceCovs[WeightIndex.Self] = covs[i];
            for (int j = 0; j < m; j++)
            {
                sourceMeans[WeightIndex.Cross(j)] = means[j];
                sourceCovs[WeightIndex.Cross(j)] = covs[j];
            }
            MixtureMoments(weights, active, sourceMeans, sourceCovs, newMean, newCov);
            Project(i, newCov);
            Pack<T>(newMean, newCov, next.Slice(i * Stride, Stride));
            if (Spec.Schedule == Schedule.Sequential && !othersFrozen)
            {
                means[i] = (T[])newMean.Clone();
                covs[i] = (T[])newCov.Clone();
            }
        }
    }

    /// <summary>
    /// The curated moments of model i, which depend on its own (mu, Sigma) alone. Where they take
    /// a quadrature (finite K, quadratic reward) they are kept per model for the last point
    /// asked: its values, and on the first dual evaluation there the partial derivatives along
    /// each entry of the model's own state block, from which the derivative along any direction
    /// follows by the chain rule. A Jacobian column, an influence forcing or a dual of the other
    /// models then costs no quadrature, and one model's block costs one per state entry instead
    /// of one per entry of the whole state.
    /// </summary>
    private (T[] Mean, T[] Cov) Curated<T>(int i, T[] mean, T[] cov) where T : struct, IScalar<T>
    {
        var model = Spec.Models[i];
        if (!NeedsQuadrature(model))
        {
            return CuratedMoments.Of(model, mean, cov);
        }
        var cached = Evaluated(i, mean.Select(v => v.Value).ToArray(), cov.Select(v => v.Value).ToArray(), T.CarriesDerivative);
        return cached.Evaluation.Along(mean.Select(v => v.Derivative).ToArray(), cov.Select(v => v.Derivative).ToArray(), T.Make);
    }

    private static bool NeedsQuadrature(ModelSpec model) => model.Reward == RewardKind.Quadratic && !model.IsInfiniteK && model.K > 1 && model.Beta != 0;

    /// <summary>Model i's quadrature at (mean, cov): the cached one where it is for this point (and has partials when asked), else evaluated and cached.</summary>
    private CuratedPoint Evaluated(int i, double[] mean, double[] cov, bool partials)
    {
        var point = new double[Stride];
        Pack<double>(mean, cov, point);
        var cached = _curated[i];
        if (cached is null || !cached.Point.AsSpan().SequenceEqual(point) || (partials && cached.Evaluation.PartialMean is null))
        {
            cached = new CuratedPoint(point, QuadratureCuration.Evaluate(Spec.Models[i], mean, cov, partials));
            _curated[i] = cached;
        }
        return cached;
    }

    /// <summary>
    /// Evaluates, on all cores, the quadratures of every model that Apply is about to need at
    /// this state: each depends on its own model's block alone, so they are independent, and the
    /// cache then serves Apply in model order. The results are the same on any number of cores.
    /// </summary>
    private void PrepareCurated<T>(T[][] means, T[][] covs) where T : struct, IScalar<T>
    {
        var needed = Enumerable.Range(0, Spec.ModelCount).Where(i => NeedsQuadrature(Spec.Models[i])).ToArray();
        if (needed.Length < 2)
        {
            return;
        }
        var failures = new Exception?[Spec.ModelCount];
        Parallel.ForEach(needed, i =>
        {
            try
            {
                Evaluated(i, means[i].Select(v => v.Value).ToArray(), covs[i].Select(v => v.Value).ToArray(), T.CarriesDerivative);
            }
            catch (Exception exception)
            {
                failures[i] = exception;
            }
        });
        // The first model's failure, as the models in order would have met it (an unsupported case is a user's error, not a crash).
        if (failures.FirstOrDefault(failure => failure is not null) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
    }

    private sealed record CuratedPoint(double[] Point, CuratedEvaluation Evaluation);

    private readonly CuratedPoint?[] _curated;
    /// <summary>The models flattened as the simulation's step reads them (rewards, structures, ridge).</summary>
    private readonly ModelTable _table;

    /// <summary>
    /// mu = sum w_s m_s; Sigma = sum w_s (C_s + (m_s - mu)(m_s - mu)^T), the stable form of the
    /// second moment. Inactive sources (weight 0, not shifted) are skipped, so an unused source
    /// that is far away or infinite cannot poison the sum with 0 * inf.
    /// </summary>
    private void MixtureMoments<T>(T[] weights, bool[] active, T[][] means, T[][] covs, T[] mean, T[] cov) where T : struct, IScalar<T>
    {
        int d = D;
        Array.Fill(mean, T.From(0));
        Array.Fill(cov, T.From(0));
        for (int s = 0; s < weights.Length; s++)
        {
            if (!active[s])
            {
                continue;
            }
            for (int c = 0; c < d; c++)
            {
                mean[c] += weights[s] * means[s][c];
            }
        }
        for (int s = 0; s < weights.Length; s++)
        {
            if (!active[s])
            {
                continue;
            }
            for (int r = 0; r < d; r++)
            {
                var dr = means[s][r] - mean[r];
                for (int c = 0; c < d; c++)
                {
                    cov[r * d + c] += weights[s] * (covs[s][r * d + c] + dr * (means[s][c] - mean[c]));
                }
            }
        }
    }

    /// <summary>Structure projection and ridge: the simulation's own (<see cref="ModelStep.ProjectCovariance"/>).</summary>
    private void Project<T>(int model, T[] cov) where T : struct, IScalar<T> =>
        ModelStep.ProjectCovariance<T, LaneSpan<T>, ConstantSpan>(in _table.Models[model], new ConstantSpan(_table.Constants), D, cov);

    /// <summary>J_i(p_j) in closed form (linear beta a.mu; quadratic -beta/2 (|mu - c|^2 + tr Sigma)): the simulation's own (<see cref="ModelStep.ExpectedReward"/>).</summary>
    public T Reward<T>(int rewardModel, ReadOnlySpan<T> state, int model) where T : struct, IScalar<T>
    {
        int d = D;
        var mean = new T[d];
        var cov = new T[d * d];
        Unpack(state.Slice(model * Stride, Stride), mean, cov);
        return ModelStep.ExpectedReward<T, LaneSpan<T>, ConstantSpan>(in _table.Models[rewardModel], new ConstantSpan(_table.Constants), d, mean, cov);
    }
}

/// <summary>The theory does not cover a spec (yet); the message names the key.</summary>
public sealed class TheoryUnsupportedException(string message) : Exception(message);

/// <summary>Mean and covariance of the curated law C_i(p) (docs/model.md sections 2 and 5).</summary>
public static class CuratedMoments
{
    /// <summary>Mean and covariance of the curated law of N(mean, cov).</summary>
    public static (T[] Mean, T[] Cov) Of<T>(ModelSpec model, T[] mean, T[] cov) where T : struct, IScalar<T>
    {
        int d = mean.Length;
        var beta = T.From(model.Beta);
        var v = model.RewardVector;
        if (model.K == 1 || model.Beta == 0)
        {
            return ((T[])mean.Clone(), (T[])cov.Clone());
        }
        if (model.Reward == RewardKind.Quadratic && !model.IsInfiniteK)
        {
            return QuadratureCuration.Of(model, mean, cov);
        }
        if (model.IsInfiniteK)
        {
            // K = inf: the exact tilt, as the simulation draws it (ModelStep.TiltedMoments).
            var (parameters, constants) = ModelTable.RewardOf(model);
            var tiltMean = new T[d];
            var tiltCov = new T[d * d];
            ModelStep.TiltedMoments<T, LaneSpan<T>, ConstantSpan>(in parameters, new ConstantSpan(constants), d, mean, cov, tiltMean, tiltCov,
                new T[d * d], new T[d * (d + 1)], new T[d * d]);
            return (tiltMean, tiltCov);
        }
        // Linear, finite K: the choice only sees the projection a.x, a one-dimensional problem in s = beta sqrt(a' Sigma a).
        var sigmaV = new T[d];
        for (int r = 0; r < d; r++)
        {
            sigmaV[r] = T.From(0);
            for (int c = 0; c < d; c++)
            {
                sigmaV[r] += cov[r * d + c] * T.From(v[c]);
            }
        }
        var quadratic = T.From(0);
        for (int r = 0; r < d; r++)
        {
            quadratic += T.From(v[r]) * sigmaV[r];
        }
        if (quadratic.Value <= 0)
        {
            return ((T[])mean.Clone(), (T[])cov.Clone());
        }
        var sa = T.Sqrt(quadratic);
        var (mK, qK) = SelectionMoments.Compute(model.K, beta * sa);
        var g = sigmaV.Select(x => x / sa).ToArray();
        var shrink = T.From(1) - (qK - mK * mK);
        var curatedMean = mean.Select((x, r) => x + g[r] * mK).ToArray();
        var curatedCov = new T[d * d];
        for (int r = 0; r < d; r++)
        {
            for (int c = 0; c < d; c++)
            {
                curatedCov[r * d + c] = cov[r * d + c] - g[r] * g[c] * shrink;
            }
        }
        return (curatedMean, curatedCov);
    }
}
