using System.Runtime.CompilerServices;
using Engine.Core.Random;
using Engine.Core.Specs;
using Engine.Simulation.Lanes;
using Engine.Simulation.Step;

namespace Engine.Simulation;

/// <summary>
/// The loop of docs/model.md sections 2-4 for <c>TLane.Width</c> replicates at once, one per lane:
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
    private readonly ModelParameters[] _parameters;
    private readonly double[] _constants;
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
    private readonly TLane[] _normals;       // ChunkSlots x K d
    private readonly int _normalStride;
    private readonly int _normalSlots;         // slots whose normals the buffer holds at once
    private readonly TLane[] _uSource;       // per slot of a chunk
    private readonly TLane[] _uChoice;
    private readonly TLane[] _curated;
    private readonly bool[] _anyCurated;
    private readonly TLane[] _samples;       // ChunkSlots x d
    private readonly TLane[] _sourceMean;    // per source: its mean and factor this round
    private readonly TLane[] _sourceFactor;
    private readonly int[] _pairLane;          // the curated (slot, lane) pairs of a chunk, padded to whole lane values:
    private readonly int[] _pairChoice;        // the lane, and the flat offsets of its choice uniform and its sample,
    private readonly int[] _pairSample;
    private readonly uint[] _pairCounter0;     // and its replicate and slot counter words
    private readonly uint[] _pairCounter2;     // (the moments sampler's PackedCuratedTail packs one lane value at a time into their first entries)
    private readonly double[] _laneSources;    // per lane of a slot, its source (many-source models)
    private readonly int[] _distinctSources;
    private readonly TLane[] _pairNormals;
    private readonly TLane[] _pairChosen;
    private readonly TLane[] _gatheredMean;
    private readonly TLane[] _gatheredFactor;
    private readonly TLane[] _keptNormals;
    private readonly TLane[] _weights;
    private readonly TLane[] _sampleMean;
    private readonly TLane[] _comoment;
    private readonly TLane[] _before;
    private readonly TLane[] _matrixA;
    private readonly TLane[] _matrixB;
    private readonly TLane[] _scratchLower;
    private readonly TLane[] _scratchCov;
    private readonly StatisticLayout _statisticLayout;
    private readonly TLane[] _statisticScratch;
    private PhiloxKey _key;                   // (seed, replicate >> 32), with its round keys

    public LaneLoop(SimulationSpec spec)
    {
        _spec = spec;
        _d = spec.Dimension;
        _m = spec.ModelCount;
        int d = _d, dd = d * d;
        var table = new ModelTable(spec);
        _parameters = table.Models;
        _constants = table.Constants;
        _models = spec.Models.Select((model, i) => new LoopModel(model, in _parameters[i], _constants)).ToArray();
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
        _normalStride = maxK * d + 1;
        _normalSlots = Math.Clamp(NormalBudget / _normalStride, 1, ChunkSlots);
        _normals = new TLane[_normalSlots * _normalStride];
        _uSource = new TLane[ChunkSlots];
        _uChoice = new TLane[ChunkSlots];
        _curated = new TLane[ChunkSlots];
        _anyCurated = new bool[ChunkSlots];
        _samples = new TLane[ChunkSlots * d];
        int sources = WeightIndex.Count(_m);
        _sourceMean = new TLane[sources * d];
        _sourceFactor = new TLane[sources * dd];
        int pairCapacity = (ChunkSlots + 1) * TLane.Width;
        _pairLane = new int[pairCapacity];
        _pairChoice = new int[pairCapacity];
        _pairSample = new int[pairCapacity];
        _pairCounter0 = new uint[pairCapacity];
        _pairCounter2 = new uint[pairCapacity];
        _laneSources = new double[TLane.Width];
        _distinctSources = new int[TLane.Width];
        _pairNormals = new TLane[maxK * d + 2];
        _pairChosen = new TLane[d];
        _gatheredMean = new TLane[d];
        _gatheredFactor = new TLane[dd];
        _keptNormals = new TLane[d];
        _weights = new TLane[maxK];
        _sampleMean = new TLane[d];
        _comoment = new TLane[dd];
        _before = new TLane[d];
        _matrixA = new TLane[dd];
        _matrixB = new TLane[d * (d + 1)];
        _scratchLower = new TLane[dd];
        _scratchCov = new TLane[dd];
        _statisticLayout = new StatisticLayout(d, maxK, sources);
        _statisticScratch = new TLane[_statisticLayout.Size];
        _key = new PhiloxKey(spec.Seed, 0);
    }

    /// <summary>Standard normals generated so far (lanes x draws), for the benchmarks' draws-per-second figures.</summary>
    public long NormalsGenerated { get; private set; }

    /// <summary>Values stored per (round, model) in a trajectory: alignment, trace, mean_0..mean_{d-1}.</summary>
    public int TrajectoryWidth => 2 + _d;

    /// <summary>
    /// Runs the replicates firstReplicate .. firstReplicate + Width - 1 (firstReplicate a multiple
    /// of the width). Writes their trajectories ((rounds + 1) x M x width lanes, or nothing when
    /// the span is empty) and stationary J_i(p_j) (M x M lanes, averaged over rounds
    /// burn_in+1..rounds). Returns the mask of the lanes that stayed finite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TLane Run(long firstReplicate, Span<TLane> trajectory, Span<TLane> stationary)
    {
        uint key1 = (uint)((ulong)firstReplicate >> 32);
        if (_key.Key1 != key1)
        {
            _key = new PhiloxKey(_spec.Seed, key1);
        }
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
                ModelStep.CholeskySemiDefinite<TLane, LaneSpan<TLane>>(d, _cov.AsSpan(j * dd, dd), _cholesky.AsSpan(j * dd, dd));
            }
            for (int i = 0; i < _m; i++)
            {
                RefitModel(counter0, round, i, _nextMean.AsSpan(i * d, d), _nextCov.AsSpan(i * dd, dd));
                if (sequential)
                {
                    // Models later in this round sample from model i's newest parameters.
                    _nextMean.AsSpan(i * d, d).CopyTo(_mean.AsSpan(i * d, d));
                    _nextCov.AsSpan(i * dd, dd).CopyTo(_cov.AsSpan(i * dd, dd));
                    ModelStep.CholeskySemiDefinite<TLane, LaneSpan<TLane>>(d, _cov.AsSpan(i * dd, dd), _cholesky.AsSpan(i * dd, dd));
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

    /// <summary>Lane <paramref name="lane"/>'s model parameters after the last <see cref="Run"/> (M x d means, M x d x d covariances).</summary>
    internal void CopyParameters(int lane, Span<double> means, Span<double> covariances)
    {
        for (int k = 0; k < _mean.Length; k++)
        {
            means[k] = TLane.Element(_mean[k], lane);
        }
        for (int k = 0; k < _cov.Length; k++)
        {
            covariances[k] = TLane.Element(_cov[k], lane);
        }
    }

    /// <summary>Slots processed together: the phases below run over one chunk's buffers, which stay in L1.</summary>
    public const int ChunkSlots = ModelStep.RefitChunk;

    /// <summary>Lane values of normals held at once: bounds the buffer when K x d is large (the results do not depend on it).</summary>
    private const int NormalBudget = 1 << 12;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RefitModel(uint counter0, int round, int i, Span<TLane> newMean, Span<TLane> newCov)
    {
        if (_spec.Sampler == Sampler.Moments && StatisticStep.DrawsStatistics(in _parameters[i]))
        {
            RefitByStatistics(counter0, round, i, newMean, newCov);
            return;
        }
        var model = _models[i];
        var spec = model.Spec;
        int d = _d;
        // K = 1 keeps its only candidate: the curated law is the model itself.
        bool finiteK = !spec.IsInfiniteK && spec.K > 1;
        bool curates = spec.Weights[WeightIndex.Curated] > 0;
        PrepareSources(i);
        var fixedSources = model.FixedSources;
        bool multinomial = fixedSources is null;
        bool needUniforms = multinomial || finiteK;
        // Under the multinomial mixture at widths above one, curated draws are packed (CurateCompacted).
        bool compact = multinomial && TLane.Width > 1;
        int stride = _normalStride;
        for (int first = 0; first < spec.N; first += ChunkSlots)
        {
            int count = Math.Min(ChunkSlots, spec.N - first);
            // Phase 1: the source and choice uniforms (block 0) of every slot.
            if (needUniforms)
            {
                for (int k = 0; k < count; k++)
                {
                    (_uSource[k], _uChoice[k]) = TLane.Uniforms(in _key, counter0, (uint)round, ((uint)i << 24) | (uint)(first + k), 0);
                }
            }
            // Phases 2 and 3 in groups of slots whose normals fit the buffer (the whole chunk unless K x d is large).
            for (int group = 0; group < count; group += _normalSlots)
            {
                int groupEnd = Math.Min(count, group + _normalSlots);
                // Phase 2: which lanes curate (finite K), and the normals each slot needs.
                for (int k = group; k < groupEnd; k++)
                {
                    int slot = first + k;
                    bool anyCurated = false;
                    if (finiteK && curates)
                    {
                        _curated[k] = multinomial ? ModelStep.CuratedLanes(in _parameters[i], new ConstantSpan(_constants), _uSource[k]) : fixedSources![slot] == WeightIndex.Curated ? TLane.AllTrue : default;
                        anyCurated = multinomial ? TLane.Any(_curated[k]) : fixedSources![slot] == WeightIndex.Curated;
                    }
                    _anyCurated[k] = anyCurated;
                    int normals = anyCurated && !compact ? spec.K * d : d;
                    NormalsGenerated += (long)normals * TLane.Width;
                    FillNormals(in _key, counter0, round, ((uint)i << 24) | (uint)slot, normals, _normals.AsSpan((k - group) * stride, stride));
                }
                // Phase 3: the samples.
                var ownMean = _mean.AsSpan(i * d, d);
                var ownCholesky = _cholesky.AsSpan(i * d * d, d * d);
                for (int k = group; k < groupEnd; k++)
                {
                    var x = _samples.AsSpan(k * d, d);
                    var normals = _normals.AsSpan((k - group) * stride, stride);
                    DrawFromSource(i, model, multinomial ? _uSource[k] : default, fixedSources?[first + k] ?? -1, normals[..d], x);
                    if (_anyCurated[k] && !compact)
                    {
                        ChooseCandidate(i, ownMean, ownCholesky, normals, _uChoice[k], _curated[k], x);
                    }
                }
            }
            if (compact && finiteK && curates)
            {
                NormalsGenerated += CurateCompacted(counter0, round, i, first, count);
            }
            // Phase 4: mean and co-moment, merged chunk by chunk.
            if (first == 0)
            {
                _comoment.AsSpan().Clear();
            }
            ModelStep.AccumulateChunk<TLane, LaneSpan<TLane>>(d, _samples.AsSpan(0, count * d), count, first, _sampleMean, _comoment, _before);
        }
        _sampleMean.CopyTo(newMean);
        ModelStep.FinishRefit<TLane, LaneSpan<TLane>, ConstantSpan>(in _parameters[i], new ConstantSpan(_constants), d, _comoment, newCov);
    }

    /// <summary>Model i's refit on its sources' sufficient statistics (<see cref="StatisticStep.Refit"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RefitByStatistics(uint counter0, int round, int i, Span<TLane> newMean, Span<TLane> newCov)
    {
        int d = _d, dd = d * d;
        PrepareSources(i);
        StatisticStep.Refit<TLane, LaneSpan<TLane>, ConstantSpan, LaneUniformStream<TLane>, PackedCuratedTail<TLane>>(in _parameters[i], new ConstantSpan(_constants), d, i, round,
            new LaneUniformStream<TLane>(in _key, counter0), new PackedCuratedTail<TLane>(in _key, counter0, _pairLane.AsSpan(0, TLane.Width), _pairCounter0.AsSpan(0, TLane.Width), _pairCounter2.AsSpan(0, TLane.Width), _gatheredMean, _gatheredFactor), _sourceMean, _sourceFactor, _mean.AsSpan(i * d, d), _cholesky.AsSpan(i * dd, dd),
            _statisticLayout, _statisticScratch, newMean, newCov);
    }

    /// <summary>
    /// The curated draws of a chunk under the multinomial mixture. Lanes curate independently,
    /// so in lockstep a slot would draw K candidates in every lane whenever one lane curates.
    /// Instead the curated (slot, lane) pairs of the chunk are packed into full lane values, each
    /// lane with its own replicate and slot counters and its own model parameters; candidate 0
    /// is the sample already drawn (the model's own draw), candidates 1..K-1 are drawn here, and
    /// the chosen one is written back. The draws are addressed by counter, so the results are
    /// those of choosing in place. Returns the normals generated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long CurateCompacted(uint counter0, int round, int i, int first, int count)
    {
        var spec = _models[i].Spec;
        int d = _d, dd = d * d, width = TLane.Width, k = spec.K;
        int pairs = 0;
        for (int slot = 0; slot < count; slot++)
        {
            uint modelSlot = ((uint)i << 24) | (uint)(first + slot);
            for (int bits = TLane.MaskBits(_curated[slot]); bits != 0; bits &= bits - 1)
            {
                int lane = System.Numerics.BitOperations.TrailingZeroCount(bits);
                _pairLane[pairs] = lane;
                _pairChoice[pairs] = slot * width + lane;
                _pairSample[pairs] = slot * d * width + lane;
                _pairCounter0[pairs] = counter0 + (uint)lane;
                _pairCounter2[pairs] = modelSlot;
                pairs++;
            }
        }
        if (pairs == 0)
        {
            return 0;
        }
        // Unused lanes of the last value repeat the last pair: valid inputs whose results are dropped.
        for (int pad = pairs; pad % width != 0; pad++)
        {
            _pairLane[pad] = _pairLane[pairs - 1];
            _pairChoice[pad] = _pairChoice[pairs - 1];
            _pairSample[pad] = _pairSample[pairs - 1];
            _pairCounter0[pad] = _pairCounter0[pairs - 1];
            _pairCounter2[pad] = _pairCounter2[pairs - 1];
        }
        ReadOnlySpan<TLane> mean = _mean.AsSpan(i * d, d), factor = _cholesky.AsSpan(i * dd, dd);
        int firstBlock = d / 2; // blocks 1.. hold candidate 0's normals; redraw from the one holding normal d
        long generated = 0;
        for (int group = 0; group < pairs; group += width)
        {
            var lanes = _pairLane.AsSpan(group, width);
            var samples = _pairSample.AsSpan(group, width);
            var choice = TLane.Gather(_uChoice, 0, _pairChoice.AsSpan(group, width));
            PackedCuratedTail<TLane>.GatherLaw(d, mean, factor, lanes, _gatheredMean, _gatheredFactor);
            for (int r = 0; r < d; r++)
            {
                _pairChosen[r] = TLane.Gather(_samples, r, samples);
            }
            var counters0 = _pairCounter0.AsSpan(group, width);
            var counters2 = _pairCounter2.AsSpan(group, width);
            for (int b = firstBlock; 2 * b < k * d; b++)
            {
                var (z0, z1) = TLane.NormalsPerLane(in _key, counters0, (uint)round, counters2, (uint)(b + 1));
                _pairNormals[2 * b] = z0;
                _pairNormals[2 * b + 1] = z1;
                generated += 2L * width;
            }
            var chosen = _pairChosen.AsSpan(0, d);
            ChooseCandidate(i, _gatheredMean, _gatheredFactor, _pairNormals, choice, TLane.AllTrue, chosen);
            int size = Math.Min(width, pairs - group);
            for (int j = 0; j < size; j++)
            {
                for (int r = 0; r < d; r++)
                {
                    TLane.Write(_samples, r, samples[j], TLane.Element(chosen[r], j));
                }
            }
        }
        return generated;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FillNormals(in PhiloxKey key, uint counter0, int round, uint modelSlot, int count, Span<TLane> normals)
    {
        for (int b = 0; 2 * b < count; b++)
        {
            var (z0, z1) = TLane.Normals(in key, counter0, (uint)round, modelSlot, (uint)(b + 1));
            normals[2 * b] = z0;
            normals[2 * b + 1] = z1;
        }
    }

    /// <summary>
    /// The mean and factor of every positive source of model i this round, copied once into a
    /// table (real: the data; curated: the tilted law for K = inf, else the model, whose candidate
    /// 0 it is; self; cross: the other model's newest parameters).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PrepareSources(int i)
    {
        var spec = _models[i].Spec;
        int d = _d, dd = d * d;
        if (spec.Weights[WeightIndex.Curated] > 0 && spec.IsInfiniteK)
        {
            ModelStep.TiltedLaw<TLane, LaneSpan<TLane>, ConstantSpan>(in _parameters[i], new ConstantSpan(_constants), d, _mean.AsSpan(i * d, d), _cov.AsSpan(i * dd, dd),
                _cholesky.AsSpan(i * dd, dd), _tiltMean, _tiltCholesky, _matrixA, _matrixB, _scratchLower, _scratchCov);
        }
        for (int source = 0; source < spec.Weights.Length; source++)
        {
            if (!(spec.Weights[source] > 0))
            {
                continue;
            }
            ReadOnlySpan<TLane> mean, factor;
            switch (source)
            {
                case WeightIndex.Real:
                    mean = _realMean[i];
                    factor = _realCholesky[i];
                    break;
                case WeightIndex.Curated when spec.IsInfiniteK:
                    mean = _tiltMean;
                    factor = _tiltCholesky;
                    break;
                case WeightIndex.Curated:
                case WeightIndex.Self:
                    mean = _mean.AsSpan(i * d, d);
                    factor = _cholesky.AsSpan(i * dd, dd);
                    break;
                default:
                    int j = source - WeightIndex.FirstCross;
                    mean = _mean.AsSpan(j * d, d);
                    factor = _cholesky.AsSpan(j * dd, dd);
                    break;
            }
            mean.CopyTo(_sourceMean.AsSpan(source * d, d));
            factor.CopyTo(_sourceFactor.AsSpan(source * dd, dd));
        }
    }

    /// <summary>
    /// A slot's sample mean + L z from each lane's source: the first source whose cumulative
    /// weight exceeds u_source (multinomial), or the slot's source (fixed). The sample is drawn
    /// from every positive source and the lanes select theirs: in registers this costs less than
    /// selecting the sources' means and factors first, and each lane's sample is the same
    /// operations on the same numbers either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DrawFromSource(int i, LoopModel model, TLane uSource, int fixedSource, Span<TLane> z, Span<TLane> x)
    {
        int d = _d, dd = d * d;
        Span<TLane> sourceMean = _sourceMean, sourceFactor = _sourceFactor;
        int last = fixedSource >= 0 ? fixedSource : model.LastPositiveSource;
        if (fixedSource < 0 && model.PositiveSources > ManySources)
        {
            DrawFromLaneSources(i, uSource, z, x);
            return;
        }
        ModelStep.AffineLower<TLane, LaneSpan<TLane>>(d, sourceMean.Slice(last * d, d), sourceFactor.Slice(last * dd, dd), z, x);
        if (fixedSource >= 0)
        {
            return;
        }
        var weights = model.Spec.Weights;
        var cumulative = model.CumulativeWeights;
        // Descending, so the smallest source with u < cumulative is selected last and wins.
        for (int s = last - 1; s >= 0; s--)
        {
            if (!(weights[s] > 0))
            {
                continue;
            }
            var mask = TLane.LessThan(uSource, TLane.Broadcast(cumulative[s]));
            var mean = sourceMean.Slice(s * d, d);
            var lower = sourceFactor.Slice(s * dd, dd);
            for (int row = 0; row < d; row++)
            {
                x[row] = TLane.Select(mask, ModelStep.AffineRow<TLane, LaneSpan<TLane>>(d, mean, lower, z, row), x[row]);
            }
        }
    }

    /// <summary>
    /// Past this many positive sources a slot's sample is drawn from the sources its lanes chose
    /// (at most one per lane) instead of from every source, whose means and factors no longer fit
    /// in L1 when a model learns from dozens of others: the cost of a slot then stops growing
    /// with their number. Finding each lane's source costs scalar work per lane, so the crossover
    /// grows with the width: measured at 16 lanes between 18 and 66 sources (bench/RESULTS.md,
    /// simulation-scaling).
    /// </summary>
    private static readonly int ManySources = 2 * TLane.Width + 4;

    /// <summary>
    /// The multinomial draw of a model with many sources: each lane's source by binary search on
    /// the cumulative weights, then the sample from each distinct source among the lanes,
    /// selected into the lanes that chose it. The same operations on the same numbers as
    /// drawing from every source, so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DrawFromLaneSources(int i, TLane uSource, Span<TLane> z, Span<TLane> x)
    {
        int d = _d, dd = d * d, distinct = 0;
        for (int lane = 0; lane < TLane.Width; lane++)
        {
            int source = ModelStep.SourceOf(in _parameters[i], new ConstantSpan(_constants), TLane.Broadcast(TLane.Element(uSource, lane)));
            _laneSources[lane] = source;
            int seen = 0;
            while (seen < distinct && _distinctSources[seen] != source)
            {
                seen++;
            }
            if (seen == distinct)
            {
                _distinctSources[distinct++] = source;
            }
        }
        Span<TLane> sourceMean = _sourceMean, sourceFactor = _sourceFactor;
        int first = _distinctSources[0];
        ModelStep.AffineLower<TLane, LaneSpan<TLane>>(d, sourceMean.Slice(first * d, d), sourceFactor.Slice(first * dd, dd), z, x);
        if (distinct == 1)
        {
            return;
        }
        var sources = TLane.FromElements(_laneSources);
        for (int k = 1; k < distinct; k++)
        {
            int s = _distinctSources[k];
            var mask = TLane.Equal(sources, TLane.Broadcast(s));
            var mean = sourceMean.Slice(s * d, d);
            var lower = sourceFactor.Slice(s * dd, dd);
            for (int row = 0; row < d; row++)
            {
                x[row] = TLane.Select(mask, ModelStep.AffineRow<TLane, LaneSpan<TLane>>(d, mean, lower, z, row), x[row]);
            }
        }
    }

    /// <summary>Plackett-Luce choice among the K candidates of model i (<see cref="ModelStep.ChooseCandidate"/>) in the lanes of <paramref name="curated"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ChooseCandidate(int i, Span<TLane> mean, Span<TLane> cholesky, Span<TLane> normals, TLane uChoice, TLane curated, Span<TLane> x) =>
        ModelStep.ChooseCandidate<TLane, LaneSpan<TLane>, ConstantSpan>(in _parameters[i], new ConstantSpan(_constants), _d, mean, cholesky, normals, uChoice, curated, x,
            _keptNormals, _weights);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                    var reward = ModelStep.ExpectedReward<TLane, LaneSpan<TLane>, ConstantSpan>(in _parameters[i], new ConstantSpan(_constants), d, mean, cov);
                    finite = TLane.And(finite, TLane.IsFinite(reward));
                    stationary[i * _m + j] += reward;
                }
            }
            if (!trajectory.IsEmpty)
            {
                var slot = trajectory.Slice((round * _m + j) * width, width);
                slot[0] = ModelStep.ExpectedReward<TLane, LaneSpan<TLane>, ConstantSpan>(in _parameters[j], new ConstantSpan(_constants), d, mean, cov);
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
