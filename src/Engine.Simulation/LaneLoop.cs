using System.Runtime.CompilerServices;
using Engine.Core.Random;
using Engine.Core.Specs;
using Engine.Simulation.Lanes;

namespace Engine.Simulation;

/// <summary>
/// The loop of MODEL.md sections 2-4 for <c>TLane.Width</c> replicates at once, one per lane:
/// the one implementation of the step. With <see cref="ScalarLane"/> it is the reference
/// backend; with vector lanes the SIMD backend. Lanes that disagree (which mixture component a
/// slot draws from, which candidate curation keeps, whether a replicate has diverged) are
/// handled by computing both sides and selecting. One instance serves one thread at a time and
/// allocates nothing after construction.
/// </summary>
internal sealed class LaneLoop<TLane> where TLane : struct, ILane<TLane>
{
    private readonly SimulationSpec _spec;
    private readonly LoopModel[] _models;
    private readonly int _d;
    private readonly int _m;
    private readonly TLane[][] _realMean;     // per model, broadcast
    private readonly TLane[][] _realCholesky;
    private readonly TLane[] _mean;           // M x d
    private readonly TLane[] _cov;            // M x d x d
    private readonly TLane[] _nextMean;
    private readonly TLane[] _nextCov;
    private readonly TLane[] _cholesky;       // M x d x d
    private readonly TLane[] _tiltMean;       // d
    private readonly TLane[] _tiltCholesky;
    private readonly TLane[] _normals;
    private readonly TLane[] _candidates;
    private readonly TLane[] _weights;
    private readonly TLane[] _picks;
    private readonly TLane[] _offset;         // the selected source's mean and factor for a slot
    private readonly TLane[] _factor;
    private readonly TLane[] _sample;
    private readonly TLane[] _sampleMean;
    private readonly TLane[] _comoment;
    private readonly TLane[] _before;
    private readonly TLane[] _matrixA;
    private readonly TLane[] _matrixB;
    private readonly TLane[] _scratchLower;
    private readonly TLane[] _scratchCov;

    public LaneLoop(SimulationSpec spec)
    {
        _spec = spec;
        _d = spec.Dimension;
        _m = spec.ModelCount;
        int d = _d, dd = d * d;
        _models = spec.Models.Select(model => new LoopModel(model, d, spec.Mixture)).ToArray();
        _realMean = _models.Select(model => model.Spec.RealMean.Select(TLane.Broadcast).ToArray()).ToArray();
        _realCholesky = _models.Select(model => model.RealCholesky.Select(TLane.Broadcast).ToArray()).ToArray();
        int maxK = Math.Max(1, spec.Models.Max(model => model.K));
        _mean = new TLane[_m * d];
        _cov = new TLane[_m * dd];
        _nextMean = new TLane[_m * d];
        _nextCov = new TLane[_m * dd];
        _cholesky = new TLane[_m * dd];
        _tiltMean = new TLane[d];
        _tiltCholesky = new TLane[dd];
        _normals = new TLane[maxK * d + 1];
        _candidates = new TLane[maxK * d];
        _weights = new TLane[maxK];
        _picks = new TLane[maxK];
        _offset = new TLane[d];
        _factor = new TLane[dd];
        _sample = new TLane[d];
        _sampleMean = new TLane[d];
        _comoment = new TLane[dd];
        _before = new TLane[d];
        _matrixA = new TLane[dd];
        _matrixB = new TLane[d * (d + 1)];
        _scratchLower = new TLane[dd];
        _scratchCov = new TLane[dd];
    }

    /// <summary>Values stored per (round, model) in a trajectory: alignment, trace, mean_0..mean_{d-1}.</summary>
    public int TrajectoryWidth => 2 + _d;

    /// <summary>
    /// Runs the replicates firstReplicate .. firstReplicate + Width - 1 (firstReplicate a multiple
    /// of the width). Writes their trajectories ((rounds + 1) x M x width lanes, or nothing when
    /// the span is empty) and stationary J_i(p_j) (M x M lanes, averaged over rounds
    /// burn_in+1..rounds). Returns the mask of the lanes that stayed finite.
    /// </summary>
    public TLane Run(long firstReplicate, Span<TLane> trajectory, Span<TLane> stationary)
    {
        uint key1 = (uint)((ulong)firstReplicate >> 32);
        uint counter0 = (uint)firstReplicate;
        int d = _d, dd = d * d;
        for (int i = 0; i < _m; i++)
        {
            for (int c = 0; c < d; c++)
            {
                _mean[i * d + c] = TLane.Broadcast(_models[i].Spec.InitMean[c]);
            }
            for (int c = 0; c < dd; c++)
            {
                _cov[i * dd + c] = TLane.Broadcast(_models[i].Spec.InitCov[c]);
            }
        }
        stationary.Clear();
        var finite = Record(0, trajectory, stationary, TLane.AllTrue);
        bool sequential = _spec.Schedule == Schedule.Sequential;
        for (int round = 1; round <= _spec.Rounds && TLane.Any(finite); round++)
        {
            for (int j = 0; j < _m; j++)
            {
                CholeskySemiDefinite(_cov.AsSpan(j * dd, dd), _cholesky.AsSpan(j * dd, dd));
            }
            for (int i = 0; i < _m; i++)
            {
                RefitModel(key1, counter0, round, i, _nextMean.AsSpan(i * d, d), _nextCov.AsSpan(i * dd, dd));
                if (sequential)
                {
                    // Models later in this round sample from model i's newest parameters.
                    _nextMean.AsSpan(i * d, d).CopyTo(_mean.AsSpan(i * d, d));
                    _nextCov.AsSpan(i * dd, dd).CopyTo(_cov.AsSpan(i * dd, dd));
                    CholeskySemiDefinite(_cov.AsSpan(i * dd, dd), _cholesky.AsSpan(i * dd, dd));
                }
            }
            if (!sequential)
            {
                _nextMean.CopyTo(_mean, 0);
                _nextCov.CopyTo(_cov, 0);
            }
            finite = TLane.And(finite, ParametersFinite());
            finite = Record(round, trajectory, stationary, finite);
        }
        var scale = TLane.Broadcast(1.0 / (_spec.Rounds - _spec.BurnIn));
        for (int k = 0; k < stationary.Length; k++)
        {
            stationary[k] *= scale;
        }
        return finite;
    }

    private void RefitModel(uint key1, uint counter0, int round, int i, Span<TLane> newMean, Span<TLane> newCov)
    {
        var model = _models[i];
        var spec = model.Spec;
        int d = _d, dd = d * d;
        uint key0 = _spec.Seed;
        var ownMean = _mean.AsSpan(i * d, d);
        var ownCholesky = _cholesky.AsSpan(i * dd, dd);
        var weights = spec.Weights;
        // K = 1 keeps its only candidate: the curated law is the model itself.
        bool finiteK = !spec.IsInfiniteK && spec.K > 1;
        bool curates = weights[WeightIndex.Curated] > 0;
        if (curates && spec.IsInfiniteK)
        {
            PrepareTiltedLaw(spec, ownMean, _cov.AsSpan(i * dd, dd), ownCholesky);
        }
        var fixedSources = model.FixedSources;
        var cumulative = model.CumulativeWeights;
        _sampleMean.AsSpan().Clear();
        _comoment.AsSpan().Clear();
        for (int slot = 0; slot < spec.N; slot++)
        {
            uint modelSlot = ((uint)i << 24) | (uint)slot;
            TLane uSource = default, uChoice = default;
            if (fixedSources is null || finiteK)
            {
                (uSource, uChoice) = TLane.Uniforms(key0, key1, counter0, (uint)round, modelSlot, 0);
            }
            // Which lanes draw a curated candidate this slot (finite K only: others are a plain source).
            TLane curated = default;
            bool anyCurated = false;
            if (finiteK && curates)
            {
                if (fixedSources is null)
                {
                    // Curated iff cumulative[real] <= u < cumulative[curated]; as the last positive source it
                    // also takes the u that rounding leaves above the total (as LoopModel.PickSource does).
                    var below = model.LastPositiveSource == WeightIndex.Curated ? TLane.AllTrue : TLane.LessThan(uSource, TLane.Broadcast(cumulative[WeightIndex.Curated]));
                    curated = TLane.AndNot(below, TLane.LessThan(uSource, TLane.Broadcast(cumulative[WeightIndex.Real])));
                    anyCurated = TLane.Any(curated);
                }
                else
                {
                    anyCurated = fixedSources[slot] == WeightIndex.Curated;
                    curated = anyCurated ? TLane.AllTrue : default;
                }
            }
            int normalCount = anyCurated ? spec.K * d : d;
            FillNormals(key0, key1, counter0, round, modelSlot, normalCount);
            var x = _sample.AsSpan();
            SelectSource(i, fixedSources is null ? uSource : default, fixedSources?[slot] ?? -1);
            AffineLower(_offset, _factor, _normals.AsSpan(0, d), x);
            if (anyCurated)
            {
                ChooseCandidate(spec, ownMean, ownCholesky, uChoice, curated, x);
            }
            Refit.Accumulate<TLane>(x, TLane.Broadcast(slot + 1), _sampleMean, _comoment, _before);
        }
        _sampleMean.CopyTo(newMean);
        Refit.Finish<TLane>(spec, _comoment, newCov);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FillNormals(uint key0, uint key1, uint counter0, int round, uint modelSlot, int count)
    {
        var normals = _normals;
        for (int b = 0; 2 * b < count; b++)
        {
            var (u1, u2) = TLane.Uniforms(key0, key1, counter0, (uint)round, modelSlot, (uint)(b + 1));
            var (z0, z1) = Lane.BoxMuller(u1, u2);
            normals[2 * b] = z0;
            normals[2 * b + 1] = z1;
        }
    }

    /// <summary>
    /// The mean and factor of each lane's source: the first source whose cumulative weight
    /// exceeds u_source (multinomial), or the slot's source (fixed). The finite-K curated source
    /// starts as the model itself (its candidate 0); <see cref="ChooseCandidate"/> replaces it.
    /// </summary>
    private void SelectSource(int modelIndex, TLane uSource, int fixedSource)
    {
        int d = _d, dd = d * d;
        var model = _models[modelIndex];
        if (fixedSource >= 0)
        {
            SourceParameters(modelIndex, fixedSource, out var mean, out var factor);
            mean.CopyTo(_offset);
            factor.CopyTo(_factor);
            return;
        }
        var weights = model.Spec.Weights;
        var cumulative = model.CumulativeWeights;
        bool first = true;
        // Descending, so the smallest source with u < cumulative is selected last and wins.
        for (int s = weights.Length - 1; s >= 0; s--)
        {
            if (!(weights[s] > 0))
            {
                continue;
            }
            SourceParameters(modelIndex, s, out var mean, out var factor);
            if (first)
            {
                mean.CopyTo(_offset);
                factor.CopyTo(_factor);
                first = false;
                continue;
            }
            var mask = TLane.LessThan(uSource, TLane.Broadcast(cumulative[s]));
            for (int c = 0; c < d; c++)
            {
                _offset[c] = TLane.Select(mask, mean[c], _offset[c]);
            }
            for (int c = 0; c < dd; c++)
            {
                _factor[c] = TLane.Select(mask, factor[c], _factor[c]);
            }
        }
    }

    private void SourceParameters(int i, int source, out ReadOnlySpan<TLane> mean, out ReadOnlySpan<TLane> factor)
    {
        int d = _d, dd = d * d;
        var model = _models[i];
        switch (source)
        {
            case WeightIndex.Real:
                mean = _realMean[i];
                factor = _realCholesky[i];
                return;
            case WeightIndex.Curated when model.Spec.IsInfiniteK:
                mean = _tiltMean;
                factor = _tiltCholesky;
                return;
            case WeightIndex.Curated:
            case WeightIndex.Self:
                mean = _mean.AsSpan(i * d, d);
                factor = _cholesky.AsSpan(i * dd, dd);
                return;
            default:
                int j = source - WeightIndex.FirstCross;
                mean = _mean.AsSpan(j * d, d);
                factor = _cholesky.AsSpan(j * dd, dd);
                return;
        }
    }

    /// <summary>
    /// Plackett-Luce choice among K candidates from the model, in the lanes of <paramref name="curated"/>:
    /// candidate k is kept with probability exp(r_k) / sum_j exp(r_j), the largest reward subtracted
    /// first (the same operations as <see cref="Curation.Choose"/>).
    /// </summary>
    private void ChooseCandidate(ModelSpec spec, ReadOnlySpan<TLane> mean, ReadOnlySpan<TLane> cholesky, TLane uChoice, TLane curated, Span<TLane> x)
    {
        int d = _d, k = spec.K;
        for (int c = 0; c < k; c++)
        {
            var candidate = _candidates.AsSpan(c * d, d);
            AffineLower(mean, cholesky, _normals.AsSpan(c * d, d), candidate);
            _weights[c] = Rewards.Evaluate<TLane>(spec, candidate);
        }
        Curation.ChoiceMasks<TLane>(_weights.AsSpan(0, k), uChoice, _picks.AsSpan(0, k));
        for (int c = 0; c < k; c++)
        {
            var pick = TLane.And(_picks[c], curated);
            for (int r = 0; r < d; r++)
            {
                x[r] = TLane.Select(pick, _candidates[c * d + r], x[r]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AffineLower(ReadOnlySpan<TLane> offset, ReadOnlySpan<TLane> lower, ReadOnlySpan<TLane> z, Span<TLane> result)
    {
        int d = _d;
        for (int i = 0; i < d; i++)
        {
            var sum = offset[i];
            for (int k = 0; k <= i; k++)
            {
                sum += lower[i * d + k] * z[k];
            }
            result[i] = sum;
        }
    }

    /// <summary>
    /// Lower Cholesky factor of a symmetric positive semi-definite matrix per lane; a pivot that is
    /// zero up to rounding (relative to the largest diagonal entry) gives a zero column, so the
    /// singular covariance of a refit on n &lt;= d samples still yields L L^T = A.
    /// </summary>
    private void CholeskySemiDefinite(ReadOnlySpan<TLane> a, Span<TLane> lower)
    {
        int d = _d;
        var scale = TLane.Broadcast(0);
        for (int i = 0; i < d; i++)
        {
            scale = TLane.Max(scale, TLane.Abs(a[i * d + i]));
        }
        var tolerance = TLane.Broadcast(1e-13) * scale;
        var zero = TLane.Broadcast(0);
        lower[..(d * d)].Clear();
        for (int j = 0; j < d; j++)
        {
            var diagonal = a[j * d + j];
            for (int k = 0; k < j; k++)
            {
                diagonal -= lower[j * d + k] * lower[j * d + k];
            }
            var positive = TLane.GreaterThan(diagonal, tolerance);
            var pivot = TLane.Sqrt(TLane.Select(positive, diagonal, TLane.Broadcast(1)));
            lower[j * d + j] = TLane.Select(positive, pivot, zero);
            for (int i = j + 1; i < d; i++)
            {
                var sum = a[i * d + j];
                for (int k = 0; k < j; k++)
                {
                    sum -= lower[i * d + k] * lower[j * d + k];
                }
                lower[i * d + j] = TLane.Select(positive, sum / pivot, zero);
            }
        }
    }

    /// <summary>
    /// The K = inf curated law (MODEL.md section 2): linear N(mu + beta Sigma a, Sigma); quadratic
    /// N((I + beta Sigma)^-1 (mu + beta Sigma c), (I + beta Sigma)^-1 Sigma), which needs no inverse of Sigma.
    /// </summary>
    private void PrepareTiltedLaw(ModelSpec spec, ReadOnlySpan<TLane> mean, ReadOnlySpan<TLane> cov, ReadOnlySpan<TLane> cholesky)
    {
        int d = _d;
        var v = spec.RewardVector;
        var beta = TLane.Broadcast(spec.Beta);
        if (spec.Reward == RewardKind.Linear)
        {
            for (int r = 0; r < d; r++)
            {
                var shift = TLane.Broadcast(0);
                for (int c = 0; c < d; c++)
                {
                    shift += cov[r * d + c] * TLane.Broadcast(v[c]);
                }
                _tiltMean[r] = mean[r] + beta * shift;
            }
            cholesky.CopyTo(_tiltCholesky);
            return;
        }
        // B = [mu + beta Sigma c | Sigma], solved against A = I + beta Sigma by Cholesky.
        int columns = d + 1;
        for (int r = 0; r < d; r++)
        {
            var shift = TLane.Broadcast(0);
            for (int c = 0; c < d; c++)
            {
                _matrixA[r * d + c] = TLane.Broadcast(r == c ? 1.0 : 0.0) + beta * cov[r * d + c];
                shift += cov[r * d + c] * TLane.Broadcast(v[c]);
                _matrixB[r * columns + 1 + c] = cov[r * d + c];
            }
            _matrixB[r * columns] = mean[r] + beta * shift;
        }
        CholeskySemiDefinite(_matrixA, _scratchLower);
        var lower = _scratchLower;
        for (int c = 0; c < columns; c++)
        {
            for (int i = 0; i < d; i++)
            {
                var sum = _matrixB[i * columns + c];
                for (int k = 0; k < i; k++)
                {
                    sum -= lower[i * d + k] * _matrixB[k * columns + c];
                }
                _matrixB[i * columns + c] = sum / lower[i * d + i];
            }
            for (int i = d - 1; i >= 0; i--)
            {
                var sum = _matrixB[i * columns + c];
                for (int k = i + 1; k < d; k++)
                {
                    sum -= lower[k * d + i] * _matrixB[k * columns + c];
                }
                _matrixB[i * columns + c] = sum / lower[i * d + i];
            }
        }
        var half = TLane.Broadcast(0.5);
        for (int r = 0; r < d; r++)
        {
            _tiltMean[r] = _matrixB[r * columns];
            for (int c = 0; c < d; c++)
            {
                _scratchCov[r * d + c] = half * (_matrixB[r * columns + 1 + c] + _matrixB[c * columns + 1 + r]);
            }
        }
        CholeskySemiDefinite(_scratchCov, _tiltCholesky);
    }

    private TLane ParametersFinite()
    {
        var finite = TLane.AllTrue;
        foreach (var value in _mean)
        {
            finite = TLane.And(finite, TLane.IsFinite(value));
        }
        foreach (var value in _cov)
        {
            finite = TLane.And(finite, TLane.IsFinite(value));
        }
        return finite;
    }

    /// <summary>Records round <paramref name="round"/>; returns <paramref name="finite"/> less the lanes whose measured rewards are not finite.</summary>
    private TLane Record(int round, Span<TLane> trajectory, Span<TLane> stationary, TLane finite)
    {
        int d = _d, dd = d * d, width = TrajectoryWidth;
        bool stationaryRound = round > _spec.BurnIn;
        for (int j = 0; j < _m; j++)
        {
            var mean = _mean.AsSpan(j * d, d);
            var cov = _cov.AsSpan(j * dd, dd);
            if (stationaryRound)
            {
                for (int i = 0; i < _m; i++)
                {
                    var reward = Rewards.Expected<TLane>(_models[i].Spec, mean, cov);
                    finite = TLane.And(finite, TLane.IsFinite(reward));
                    stationary[i * _m + j] += reward;
                }
            }
            if (!trajectory.IsEmpty)
            {
                var slot = trajectory.Slice((round * _m + j) * width, width);
                slot[0] = Rewards.Expected<TLane>(_models[j].Spec, mean, cov);
                var trace = TLane.Broadcast(0);
                for (int c = 0; c < d; c++)
                {
                    trace += cov[c * d + c];
                }
                slot[1] = trace;
                mean.CopyTo(slot[2..]);
                finite = TLane.And(finite, TLane.And(TLane.IsFinite(slot[0]), TLane.IsFinite(slot[1])));
            }
        }
        return finite;
    }
}
