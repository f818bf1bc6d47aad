using Engine.Core.Numerics;
using Engine.Core.Random;
using Engine.Core.Specs;

namespace Engine.Simulation;

/// <summary>
/// The reference backend: one replicate of the loop in scalar double, written to be read against
/// MODEL.md sections 2-4 line by line. Faster backends are checked against it.
/// </summary>
internal sealed class ReferenceLoop
{
    private readonly SimulationSpec _spec;
    private readonly LoopModel[] _models;
    private readonly int _d;
    private readonly int _m;

    // Per-replicate state; one ReferenceLoop serves one thread at a time.
    private readonly double[] _mean;       // M x d, the parameters models sample from
    private readonly double[] _cov;        // M x d x d
    private readonly double[] _nextMean;
    private readonly double[] _nextCov;
    private readonly double[] _cholesky;   // M x d x d, factors of _cov
    private readonly double[] _tiltMean;   // d, the K = inf curated law of the model being refit
    private readonly double[] _tiltCholesky;
    private readonly double[] _normals;
    private readonly double[] _candidates;
    private readonly double[] _candidateRewards;
    private readonly double[] _sample;
    private readonly double[] _sampleMean;
    private readonly double[] _comoment;
    private readonly double[] _matrixA;
    private readonly double[] _matrixB;
    private readonly double[] _scratchLower;

    public ReferenceLoop(SimulationSpec spec)
    {
        _spec = spec;
        _d = spec.Dimension;
        _m = spec.ModelCount;
        _models = spec.Models.Select(model => new LoopModel(model, _d, spec.Mixture)).ToArray();
        int maxK = Math.Max(1, spec.Models.Max(model => model.K));
        int dd = _d * _d;
        _mean = new double[_m * _d];
        _cov = new double[_m * dd];
        _nextMean = new double[_m * _d];
        _nextCov = new double[_m * dd];
        _cholesky = new double[_m * dd];
        _tiltMean = new double[_d];
        _tiltCholesky = new double[dd];
        _normals = new double[maxK * _d + 1];
        _candidates = new double[maxK * _d];
        _candidateRewards = new double[maxK];
        _sample = new double[_d];
        _sampleMean = new double[_d];
        _comoment = new double[dd];
        _matrixA = new double[dd];
        _matrixB = new double[_d * (_d + 1)];
        _scratchLower = new double[dd];
    }

    /// <summary>Values stored per (round, model) in a replicate's trajectory: alignment, trace, mean_0..mean_{d-1}.</summary>
    public int TrajectoryWidth => 2 + _d;

    /// <summary>
    /// Runs one replicate. Writes its trajectory ((rounds + 1) x M x width, or nothing when the
    /// span is empty) and its stationary J_i(p_j) (M x M, averaged over rounds burn_in+1..rounds).
    /// Returns false when a parameter turned non-finite (the replicate diverged).
    /// </summary>
    public bool Run(long replicate, Span<double> trajectory, Span<double> stationary)
    {
        var stream = new ReplicateStream(_spec.Seed, replicate);
        int d = _d, dd = d * d;
        for (int i = 0; i < _m; i++)
        {
            _models[i].Spec.InitMean.CopyTo(_mean, i * d);
            _models[i].Spec.InitCov.CopyTo(_cov, i * dd);
        }
        stationary.Clear();
        if (!Record(0, trajectory, stationary))
        {
            return false;
        }
        bool sequential = _spec.Schedule == Schedule.Sequential;
        for (int round = 1; round <= _spec.Rounds; round++)
        {
            for (int j = 0; j < _m; j++)
            {
                SmallMatrix.CholeskySemiDefinite(_cov.AsSpan(j * dd, dd), _cholesky.AsSpan(j * dd, dd), d);
            }
            for (int i = 0; i < _m; i++)
            {
                RefitModel(stream, round, i, _nextMean.AsSpan(i * d, d), _nextCov.AsSpan(i * dd, dd));
                if (sequential)
                {
                    // Models later in this round sample from model i's newest parameters.
                    _nextMean.AsSpan(i * d, d).CopyTo(_mean.AsSpan(i * d, d));
                    _nextCov.AsSpan(i * dd, dd).CopyTo(_cov.AsSpan(i * dd, dd));
                    SmallMatrix.CholeskySemiDefinite(_cov.AsSpan(i * dd, dd), _cholesky.AsSpan(i * dd, dd), d);
                }
            }
            if (!sequential)
            {
                _nextMean.CopyTo(_mean, 0);
                _nextCov.CopyTo(_cov, 0);
            }
            if (!AllFinite() || !Record(round, trajectory, stationary))
            {
                return false;
            }
        }
        double scale = 1.0 / (_spec.Rounds - _spec.BurnIn);
        for (int k = 0; k < stationary.Length; k++)
        {
            stationary[k] *= scale;
        }
        return true;
    }

    private void RefitModel(ReplicateStream stream, int round, int i, Span<double> newMean, Span<double> newCov)
    {
        var model = _models[i];
        var spec = model.Spec;
        int d = _d, dd = d * d;
        var ownMean = _mean.AsSpan(i * d, d);
        var ownCov = _cov.AsSpan(i * dd, dd);
        var ownCholesky = _cholesky.AsSpan(i * dd, dd);
        // K = 1 keeps its only candidate: the curated law is the model itself.
        bool finiteK = !spec.IsInfiniteK && spec.K > 1;
        bool noCuration = spec.K == 1;
        if (spec.Weights[WeightIndex.Curated] > 0 && spec.IsInfiniteK)
        {
            PrepareTiltedLaw(spec, ownMean, ownCov, ownCholesky);
        }
        bool multinomial = model.FixedSources is null;
        _sampleMean.AsSpan().Clear();
        _comoment.AsSpan().Clear();
        for (int slot = 0; slot < spec.N; slot++)
        {
            double uSource = 0, uChoice = 0;
            if (multinomial || finiteK)
            {
                (uSource, uChoice) = stream.SlotUniforms(round, i, slot);
            }
            int source = multinomial ? model.PickSource(uSource) : model.FixedSources![slot];
            var x = _sample.AsSpan();
            if (source == WeightIndex.Curated && finiteK)
            {
                var normals = _normals.AsSpan(0, spec.K * d);
                stream.SlotNormals(round, i, slot, normals);
                ChooseCandidate(spec, ownMean, ownCholesky, normals, uChoice, x);
            }
            else
            {
                var normals = _normals.AsSpan(0, d);
                stream.SlotNormals(round, i, slot, normals);
                switch (source)
                {
                    case WeightIndex.Real:
                        SmallMatrix.AffineLower(spec.RealMean, model.RealCholesky, normals, x, d);
                        break;
                    case WeightIndex.Curated when !noCuration:
                        SmallMatrix.AffineLower(_tiltMean, _tiltCholesky, normals, x, d);
                        break;
                    case WeightIndex.Curated:
                    case WeightIndex.Self:
                        SmallMatrix.AffineLower(ownMean, ownCholesky, normals, x, d);
                        break;
                    default:
                        int j = source - WeightIndex.FirstCross;
                        SmallMatrix.AffineLower(_mean.AsSpan(j * d, d), _cholesky.AsSpan(j * dd, dd), normals, x, d);
                        break;
                }
            }
            Refit.Accumulate(x, slot + 1, _sampleMean, _comoment);
        }
        _sampleMean.CopyTo(newMean);
        Refit.Finish(spec, _comoment, newCov);
    }

    /// <summary>
    /// The K = inf curated law (MODEL.md section 2): linear N(mu + beta Sigma a, Sigma); quadratic
    /// N((I + beta Sigma)^-1 (mu + beta Sigma c), (I + beta Sigma)^-1 Sigma), which needs no inverse of Sigma.
    /// </summary>
    private void PrepareTiltedLaw(ModelSpec spec, ReadOnlySpan<double> mean, ReadOnlySpan<double> cov, ReadOnlySpan<double> cholesky)
    {
        int d = _d;
        var v = spec.RewardVector;
        double beta = spec.Beta;
        if (spec.Reward == RewardKind.Linear)
        {
            for (int r = 0; r < d; r++)
            {
                double shift = 0;
                for (int c = 0; c < d; c++)
                {
                    shift += cov[r * d + c] * v[c];
                }
                _tiltMean[r] = mean[r] + beta * shift;
            }
            cholesky.CopyTo(_tiltCholesky);
            return;
        }
        // B = [mu + beta Sigma c | Sigma], solved against A = I + beta Sigma.
        int columns = d + 1;
        for (int r = 0; r < d; r++)
        {
            double shift = 0;
            for (int c = 0; c < d; c++)
            {
                _matrixA[r * d + c] = (r == c ? 1.0 : 0.0) + beta * cov[r * d + c];
                shift += cov[r * d + c] * v[c];
                _matrixB[r * columns + 1 + c] = cov[r * d + c];
            }
            _matrixB[r * columns] = mean[r] + beta * shift;
        }
        SmallMatrix.SolvePositiveDefinite(_matrixA, _matrixB, d, columns, _scratchLower);
        Span<double> tiltCov = stackalloc double[d * d];
        for (int r = 0; r < d; r++)
        {
            _tiltMean[r] = _matrixB[r * columns];
            for (int c = 0; c < d; c++)
            {
                tiltCov[r * d + c] = 0.5 * (_matrixB[r * columns + 1 + c] + _matrixB[c * columns + 1 + r]);
            }
        }
        SmallMatrix.CholeskySemiDefinite(tiltCov, _tiltCholesky, d);
    }

    /// <summary>
    /// Plackett-Luce choice among K candidates from the model: candidate k is kept with
    /// probability exp(r_k) / sum_j exp(r_j), computed with the largest reward subtracted.
    /// </summary>
    private void ChooseCandidate(ModelSpec spec, ReadOnlySpan<double> mean, ReadOnlySpan<double> cholesky, ReadOnlySpan<double> normals, double uChoice, Span<double> chosen)
    {
        int d = _d, k = spec.K;
        for (int c = 0; c < k; c++)
        {
            var candidate = _candidates.AsSpan(c * d, d);
            SmallMatrix.AffineLower(mean, cholesky, normals.Slice(c * d, d), candidate, d);
            _candidateRewards[c] = Rewards.Evaluate(spec, candidate);
        }
        int pick = Curation.Choose(_candidateRewards.AsSpan(0, k), uChoice);
        _candidates.AsSpan(pick * d, d).CopyTo(chosen);
    }

    private bool AllFinite()
    {
        foreach (double value in _mean)
        {
            if (!double.IsFinite(value))
            {
                return false;
            }
        }
        foreach (double value in _cov)
        {
            if (!double.IsFinite(value))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Records round <paramref name="round"/>; false when a reward it measures is not finite (the replicate diverged).</summary>
    private bool Record(int round, Span<double> trajectory, Span<double> stationary)
    {
        bool finite = true;
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
                    double reward = Rewards.Expected(_models[i].Spec, mean, cov);
                    finite &= double.IsFinite(reward);
                    stationary[i * _m + j] += reward;
                }
            }
            if (!trajectory.IsEmpty)
            {
                var slot = trajectory.Slice((round * _m + j) * width, width);
                slot[0] = Rewards.Expected(_models[j].Spec, mean, cov);
                slot[1] = SmallMatrix.Trace(cov, d);
                mean.CopyTo(slot[2..]);
                finite &= double.IsFinite(slot[0]) && double.IsFinite(slot[1]);
            }
        }
        return finite;
    }
}
