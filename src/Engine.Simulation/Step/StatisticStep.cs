using System.Runtime.CompilerServices;
using Engine.Core.Random;
using Engine.Core.Specs;
using Engine.Simulation.Lanes;

namespace Engine.Simulation.Step;

/// <summary>Where <see cref="StatisticStep"/> keeps its working values in one scratch view of lane values.</summary>
public readonly struct StatisticLayout
{
    /// <summary>The layout for dimension <paramref name="d"/>, at most <paramref name="maxK"/> candidates and <paramref name="sources"/> sources.</summary>
    public StatisticLayout(int d, int maxK, int sources)
    {
        int dd = d * d;
        Counts = 0;
        SourceMean = Counts + sources;
        Bartlett = SourceMean + d;
        Product = Bartlett + dd;
        Scatter = Product + dd;
        Comoment = Scatter + dd;
        Sum = Comoment + dd;
        SumOfSquares = Sum + d;
        Sample = SumOfSquares + dd;
        Normals = Sample + d;
        Candidates = Normals + Math.Max(1, maxK) * d + 2;
        Weights = Candidates + dd;
        Size = Weights + Math.Max(1, maxK);
    }

    /// <summary>Samples per source (sources).</summary>
    public int Counts { get; }
    /// <summary>A source's sample mean (d).</summary>
    public int SourceMean { get; }
    /// <summary>Its Bartlett factor (d x d).</summary>
    public int Bartlett { get; }
    /// <summary>L times the Bartlett factor (d x d).</summary>
    public int Product { get; }
    /// <summary>A source's scatter (d x d).</summary>
    public int Scatter { get; }
    /// <summary>The pooled co-moment (d x d).</summary>
    public int Comoment { get; }
    /// <summary>Curated draws drawn one by one, as deviations from their law's mean, summed (d).</summary>
    public int Sum { get; }
    /// <summary>Their outer products, summed (d x d).</summary>
    public int SumOfSquares { get; }
    /// <summary>One draw drawn one by one (d).</summary>
    public int Sample { get; }
    /// <summary>A draw's normals (K d for a curated draw).</summary>
    public int Normals { get; }
    /// <summary>The kept candidate's normals (d); in the SIMD lanes' packed tail, then the kept deviations' products (d x d).</summary>
    public int Candidates { get; }
    /// <summary>The candidates' weights (K).</summary>
    public int Weights { get; }
    /// <summary>Lane values in all.</summary>
    public int Size { get; }
}

/// <summary>
/// Who draws a refit's curated candidates (1 &lt; K &lt; inf) past the first draws, which every lane
/// makes in lockstep: <see cref="StatisticStep.CuratedStatistics"/> draws j = 0, 1, ... for all lanes
/// while j &lt; <see cref="LockstepDraws"/>, then hands draws j &gt;= that of the lanes that still have
/// some to <see cref="DrawRest"/>, which adds their deviations from the model's mean to the sums
/// (scratch at <see cref="StatisticLayout.Sum"/> and <see cref="StatisticLayout.SumOfSquares"/>) in j
/// order per lane, as the lockstep loop would. Static, as the views are, for ILGPU.
/// </summary>
public interface ICuratedTail<TSelf, T, TV, TC> where TSelf : ICuratedTail<TSelf, T, TV, TC>, allows ref struct
    where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TC : IConstantView<TC>, allows ref struct
{
    /// <summary>Draws made in lockstep by every lane, given each lane's count.</summary>
    static abstract int LockstepDraws(TSelf tail, T count);

    /// <summary>Draws <paramref name="first"/> .. count - 1 of every lane whose count exceeds <paramref name="first"/>.</summary>
    static abstract void DrawRest(TSelf tail, int first, in ModelParameters model, TC constants, int d, int index, int round, bool scatter, T count,
        TV ownMean, TV ownCholesky, StatisticLayout layout, TV scratch);
}

/// <summary>
/// Every draw in lockstep: where a lane is one replicate (the scalar reference, a GPU thread)
/// nothing is left over.
/// </summary>
public readonly struct LockstepToTheEnd<T, TV, TC> : ICuratedTail<LockstepToTheEnd<T, TV, TC>, T, TV, TC>
    where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TC : IConstantView<TC>, allows ref struct
{
    /// <inheritdoc />
    public static int LockstepDraws(LockstepToTheEnd<T, TV, TC> tail, T count) => int.MaxValue;

    /// <inheritdoc />
    public static void DrawRest(LockstepToTheEnd<T, TV, TC> tail, int first, in ModelParameters model, TC constants, int d, int index, int round, bool scatter, T count,
        TV ownMean, TV ownCholesky, StatisticLayout layout, TV scratch)
    {
    }
}

/// <summary>
/// The sufficient-statistic sampler (<c>sampler = "moments"</c>), written once over the lane
/// arithmetic like <see cref="ModelStep"/>: a refit reads only the mean and scatter of its
/// training set, so each source draws its count (the multinomial's, by sequential binomials or a
/// tree of the uniforms' order statistics, shared by every source and arm), each Gaussian source its sample mean N(m, S / c) and its scatter Wishart(c - 1, S) (Bartlett), and the sources are
/// pooled with the between-source term, which makes the pooled mean and co-moment equal in law to
/// those of the c samples drawn one by one. Curated sources with 1 &lt; K &lt; inf still draw each
/// candidate. Every variate is exact (rejection by Marsaglia-Tsang, the counts by inversion or from a
/// tree of beta order statistics); lanes that disagree on how many attempts or draws they need run masked until all are
/// done, and each lane reads only its own replicate's counters, so the result of a replicate does
/// not depend on the width it ran in. Stream layout: <see cref="ReplicateStream"/>.
/// </summary>
public static class StatisticStep
{
    /// <summary>
    /// The smallest n whose refit draws statistics: below it the moments sampler refits the model on
    /// its n samples drawn one by one (the per-sample layout), which is cheaper there (measured at
    /// K = inf, 32,768 replicates on 2 cores: n = 4 1.74 s against 1.19 s per sample, n = 16 2.37 s
    /// against 2.03 s, n = 64 2.76 s against 5.02 s).
    /// </summary>
    public const int StatisticsFromN = 32;

    /// <summary>Whether the moments sampler draws this model's refit as statistics (n at least <see cref="StatisticsFromN"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool DrawsStatistics(in ModelParameters model) => model.N >= StatisticsFromN;

    /// <summary>Uniforms at most which a count's tree node places them one by one instead of splitting.</summary>
    public const int SmallTrials = 16;

    /// <summary>
    /// n at most which a model skips the count tree: its boundaries' counts are sequential binomials
    /// drawn by inversion (<see cref="CountsByInversion"/>), one uniform each. Measured cheaper than
    /// the tree up to n = 1000 (K = inf, 8,192 replicates on 2 cores: n = 128 0.42 s against 0.61 s,
    /// n = 1000 0.66 s against 0.76 s), and (1/2)^1000, the smallest first probability it sums from,
    /// is still a normal double.
    /// </summary>
    public const int InversionTrials = 1000;

    /// <summary>
    /// n at most which lanes of type <typeparamref name="T"/> count by inversion: <see cref="InversionTrials"/>
    /// in double; in float 120, where (1/2)^120 is still a normal float (above, the tree).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int InversionTrialsOf<T>() where T : struct, ILaneArithmetic<T> => Math.Min(InversionTrials, -T.MinNormalExponent - 6);

    /// <summary>
    /// Model <paramref name="index"/>'s refit on the statistics of its n samples this round, into
    /// <paramref name="newMean"/> and <paramref name="newCov"/>. <paramref name="sourceMeans"/> and
    /// <paramref name="sourceFactors"/> hold each positive source's law (sources x d, sources x d x d;
    /// curated: the model itself for finite K, the tilted law for K = inf).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Refit<T, TV, TC, TU, TTail>(in ModelParameters model, TC constants, int d, int index, int round, TU stream, TTail tail,
        TV sourceMeans, TV sourceFactors, TV ownMean, TV ownCholesky, StatisticLayout layout, TV scratch, TV newMean, TV newCov)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TC : IConstantView<TC>, allows ref struct
        where TU : IUniformStream<TU, T>, allows ref struct where TTail : ICuratedTail<TTail, T, TV, TC>, allows ref struct
    {
        int dd = d * d;
        var counts = TV.Slice(scratch, layout.Counts);
        SourceCounts<T, TV, TC, TU>(in model, constants, index, round, stream, counts);
        bool scatter = model.Covariance != (int)CovarianceStructure.Fixed;
        var comoment = TV.Slice(scratch, layout.Comoment);
        var zero = T.Broadcast(0);
        for (int c = 0; c < d; c++)
        {
            TV.Store(newMean, c, zero);
        }
        for (int c = 0; c < dd; c++)
        {
            TV.Store(comoment, c, zero);
        }
        var sourceMean = TV.Slice(scratch, layout.SourceMean);
        var sourceScatter = TV.Slice(scratch, layout.Scatter);
        var total = zero;
        for (int s = 0; s < model.Sources; s++)
        {
            var count = TV.Load(counts, s);
            if (!(TC.Read(constants, model.Weights + s) > 0) || !T.Any(T.GreaterThan(count, zero)))
            {
                continue;
            }
            if (s == WeightIndex.Curated && model.IsFiniteChoice)
            {
                CuratedStatistics<T, TV, TC, TU, TTail>(in model, constants, d, index, round, stream, tail, scatter, count, ownMean, ownCholesky, layout, scratch, sourceMean, sourceScatter);
            }
            else
            {
                BartlettStatistics<T, TV, TU>(d, index, round, s, stream, scatter, count, TV.Slice(sourceMeans, s * d), TV.Slice(sourceFactors, s * dd), layout, scratch,
                    sourceMean, sourceScatter);
            }
            total = Merge<T, TV>(d, scatter, total, count, sourceMean, sourceScatter, newMean, comoment);
        }
        ModelStep.FinishRefit<T, TV, TC>(in model, constants, d, comoment, newCov);
    }

    /// <summary>
    /// The samples each source contributes: the fixed mixture's counts, or the multinomial's as the
    /// n per-sample source uniforms would give them: source s takes the uniforms in
    /// [C_(s-1), C_s), C the normalised cumulative weights, so it takes N(C_s) - N(C_(s-1)) and the
    /// last positive source the rest. Up to <see cref="InversionTrialsOf{T}"/> the N(C_s) are sequential
    /// binomials by inversion (<see cref="CountsByInversion"/>); above, each is <see cref="CountBelow"/>,
    /// and every boundary reads the same tree of order statistics. Either way a step of weight
    /// between real and curated data moves only their two counts, as it does per sample: the arms
    /// of an influence estimate stay coupled.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SourceCounts<T, TV, TC, TU>(in ModelParameters model, TC constants, int index, int round, TU stream, TV counts)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TC : IConstantView<TC>, allows ref struct
        where TU : IUniformStream<TU, T>, allows ref struct
    {
        if (model.SourceCounts >= 0)
        {
            for (int s = 0; s < model.Sources; s++)
            {
                TV.Store(counts, s, T.Broadcast(TC.Read(constants, model.SourceCounts + s)));
            }
            return;
        }
        var n = T.Broadcast(model.N);
        var below = T.Broadcast(0);
        double totalWeight = TC.Read(constants, model.Cumulative + model.Sources - 1);
        // By n alone, never by how many weights are positive: the arms of an influence estimate may
        // differ there (a weight shifted to 0), and must still read the same uniforms. With no
        // boundary at all the counts are fixed and nothing is drawn.
        bool inversion = model.N <= InversionTrialsOf<T>() && HasBoundary<TC>(in model, constants);
        if (inversion)
        {
            CountsByInversion<T, TV, TC, TU>(in model, constants, index, round, stream, totalWeight, counts);
        }
        for (int s = 0; s < model.Sources; s++)
        {
            if (!(TC.Read(constants, model.Weights + s) > 0) || s > model.LastPositiveSource)
            {
                TV.Store(counts, s, T.Broadcast(0));
                continue;
            }
            var upTo = s == model.LastPositiveSource ? n
                : inversion ? TV.Load(counts, s)
                : CountBelow<T, TU>(stream, round, index, model.N, TC.Read(constants, model.Cumulative + s) / totalWeight);
            TV.Store(counts, s, upTo - below);
            below = upTo;
        }
    }

    /// <summary>Whether <see cref="SourceCounts"/> counts below any boundary: a positive source before the last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool HasBoundary<TC>(in ModelParameters model, TC constants) where TC : IConstantView<TC>, allows ref struct
    {
        for (int s = 0; s < model.LastPositiveSource; s++)
        {
            if (TC.Read(constants, model.Weights + s) > 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Where n is at most <see cref="InversionTrialsOf{T}"/> the counts skip the tree: counts[s] = N(C_s)
    /// for every boundary s (0 .. sources - 2) by sequential binomials from the top, N(C_s) given
    /// N(C_(s+1)) being Binomial(N(C_(s+1)), C_s / C_(s+1)), each drawn by inversion of its own uniform
    /// (<see cref="BinomialByInversion"/>; the first one drawn, whose trials are n in every lane, by its
    /// cumulative probabilities computed once per run, <see cref="BinomialByTable"/>). Every boundary is
    /// drawn, whatever the weights (trailing zero weights give C = 1 and no search), so arms whose
    /// positive weights differ still read the same uniforms; a step between the first two sources
    /// (absorb real, the default) moves only N(C_0), as it does per sample.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountsByInversion<T, TV, TC, TU>(in ModelParameters model, TC constants, int index, int round, TU stream, double totalWeight, TV counts)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TC : IConstantView<TC>, allows ref struct
        where TU : IUniformStream<TU, T>, allows ref struct
    {
        var above = T.Broadcast(model.N);
        double boundaryAbove = 1;
        int drawnPair = -1;
        T u0 = default, u1 = default;
        for (int s = model.Sources - 2; s >= 0; s--)
        {
            double boundary = TC.Read(constants, model.Cumulative + s) / totalWeight;
            double share = Share(boundary, boundaryAbove);
            if (share > 0 && share < 1 && drawnPair != s >> 1)
            {
                drawnPair = s >> 1;
                (u0, u1) = TU.Uniforms(stream, (uint)round, (uint)index << 24, ReplicateStream.StatisticBlock(WeightIndex.Real, StatisticDraw.CountUniforms, drawnPair));
            }
            above = s == model.CountTableBoundary
                ? BinomialByTable<T, TC>(constants, model.CountTable, model.N, (s & 1) == 0 ? u0 : u1)
                : BinomialByInversion<T>(above, share, (s & 1) == 0 ? u0 : u1);
            TV.Store(counts, s, above);
            boundaryAbove = boundary;
        }
    }

    /// <summary>
    /// Binomial(trials, p) per lane, trials at most <see cref="InversionTrialsOf{T}"/>, by inversion of
    /// <paramref name="u"/>: the smallest k with F(k) &gt; u, F summed from the probabilities
    /// (1 - p)^t and their ratios (t - k) p / ((k + 1)(1 - p)). For p above 1/2 it counts the
    /// complement with 1 - u, the same quantile, so that (1 - p)^t cannot underflow. A count is
    /// nondecreasing in p at fixed u, which couples the arms of an influence estimate. p = 0 and
    /// p = 1 read no uniform.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static T BinomialByInversion<T>(T trials, double p, T u) where T : struct, ILaneArithmetic<T>
    {
        var zero = T.Broadcast(0);
        if (!(p > 0))
        {
            return zero;
        }
        if (!(p < 1))
        {
            return trials;
        }
        bool complement = p > 0.5;
        double q = complement ? 1 - p : p;
        var v = complement ? T.Broadcast(1) - u : u;
        var one = T.Broadcast(1);
        var probability = T.Exp(trials * T.Log(T.Broadcast(1 - q)));
        var cumulative = probability;
        var count = zero;
        var searching = T.AndNot(T.LessThan(count, trials), T.LessThan(v, cumulative));
        double odds = q / (1 - q);
        for (int k = 0; T.Any(searching); k++)
        {
            count = T.Select(searching, count + one, count);
            // One multiply on the chain from step to step: the factor does not depend on it.
            probability = probability * ((trials - T.Broadcast(k)) * T.Broadcast(odds / (k + 1)));
            cumulative += probability;
            searching = T.AndNot(T.And(searching, T.LessThan(count, trials)), T.LessThan(v, cumulative));
        }
        return complement ? trials - count : count;
    }

    /// <summary>A boundary's binomial probability C_s / C_(s+1) given the count above it, one expression for the step and for <see cref="FirstDrawnBoundary"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Share(double boundary, double boundaryAbove) => boundaryAbove > 0 ? boundary / boundaryAbove : 0;

    /// <summary>
    /// The boundary of a model's first drawn count in <see cref="CountsByInversion"/>, where every lane
    /// has n trials: the highest s in 0 .. sources - 2 whose share C_s / C_(s+1) lies strictly between 0
    /// and 1 (computed as the step does), with that share; -1 where there is none (then no count is drawn).
    /// </summary>
    public static (int Boundary, double Share) FirstDrawnBoundary(ReadOnlySpan<double> cumulative)
    {
        double totalWeight = cumulative[^1];
        double boundaryAbove = 1;
        for (int s = cumulative.Length - 2; s >= 0; s--)
        {
            double boundary = cumulative[s] / totalWeight;
            double share = Share(boundary, boundaryAbove);
            if (share > 0 && share < 1)
            {
                return (s, share);
            }
            boundaryAbove = boundary;
        }
        return (-1, 0);
    }

    /// <summary>
    /// <see cref="BinomialByTable"/>'s table for Binomial(<paramref name="trials"/>, <paramref name="p"/>):
    /// entry 0 is 1 where the draw counts the complement (p above 1/2) and 0 where not, entries
    /// 1 .. trials the cumulative probabilities F(0) .. F(trials - 1) of the binomial counted, whose
    /// success probability q = min(p, 1 - p), summed as <see cref="BinomialByInversion"/> sums them.
    /// </summary>
    public static double[] InversionTable(int trials, double p)
    {
        bool complement = p > 0.5;
        double q = complement ? 1 - p : p;
        double odds = q / (1 - q);
        var table = new double[trials + 1];
        table[0] = complement ? 1 : 0;
        double probability = Math.Exp(trials * Math.Log(1 - q));
        double cumulative = probability;
        for (int k = 0; k < trials; k++)
        {
            table[k + 1] = cumulative;
            probability *= (trials - k) * (odds / (k + 1));
            cumulative += probability;
        }
        return table;
    }

    /// <summary>
    /// Binomial(trials, p) by inversion of <paramref name="u"/> as <see cref="BinomialByInversion"/> draws it, with
    /// trials the same in every lane, from the table at <paramref name="offset"/> of the constants
    /// (<see cref="InversionTable"/>): the count is the number of k below trials with F(k) &lt;= v (v = u,
    /// or 1 - u for the complement). No lane's search waits on a chain of multiplies, and no
    /// logarithm or exponential is computed per draw.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static T BinomialByTable<T, TC>(TC constants, int offset, int trials, T u) where T : struct, ILaneArithmetic<T> where TC : IConstantView<TC>, allows ref struct
    {
        bool complement = TC.Read(constants, offset) != 0;
        var one = T.Broadcast(1);
        var v = complement ? one - u : u;
        var count = T.Broadcast(0);
        for (int k = 0; k < trials; k++)
        {
            // The table is nondecreasing: once v < F(k) in a lane it stays so.
            var passed = T.AndNot(T.AllTrue, T.LessThan(v, T.Broadcast(TC.Read(constants, offset + 1 + k))));
            if (!T.Any(passed))
            {
                break;
            }
            count += T.Select(passed, one, T.Broadcast(0));
        }
        return complement ? T.Broadcast(trials) - count : count;
    }

    /// <summary>
    /// How many of n uniforms on [0, 1) fall below <paramref name="boundary"/>: Binomial(n, boundary),
    /// drawn without drawing the uniforms, by descending a tree of their order statistics. A node
    /// holds the t uniforms known to lie in (lo, hi); while t &gt; <see cref="SmallTrials"/> it draws the
    /// a-th smallest, a = 1 + floor(t / 2), as lo + (hi - lo) G_a / (G_a + G_(t+1-a)) (a Beta order
    /// statistic from two gammas), counts all a if it lies below the boundary and goes to (x, hi) with
    /// t - a, else goes to (lo, x) with a - 1; a leaf places its t uniforms directly. Node k (root 1,
    /// children 2k and 2k + 1) reads its own counters, so every boundary, and every arm, that passes
    /// through a node sees the same order statistic there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T CountBelow<T, TU>(TU stream, int round, int index, int n, double boundary)
        where T : struct, ILaneArithmetic<T> where TU : IUniformStream<TU, T>, allows ref struct
    {
        var one = T.Broadcast(1);
        var zero = T.Broadcast(0);
        var two = T.Broadcast(2);
        var cut = T.Broadcast(boundary);
        var count = zero;
        var trials = T.Broadcast(n);
        var lo = zero;
        var hi = one;
        var node = one;
        var splitting = T.GreaterThan(trials, T.Broadcast(SmallTrials));
        while (T.Any(splitting))
        {
            var a = T.Floor(trials * T.Broadcast(0.5)) + one;
            var lower = Gamma<T, TU>(stream, round, index, node, WeightIndex.Real, StatisticDraw.SplitLowerAttempts, StatisticDraw.SplitLowerBoost, a, splitting);
            var upper = Gamma<T, TU>(stream, round, index, node, WeightIndex.Real, StatisticDraw.SplitUpperAttempts, StatisticDraw.SplitUpperBoost, trials + one - a, splitting);
            var x = lo + (hi - lo) * (lower / T.Select(splitting, lower + upper, one));
            var under = T.LessThan(x, cut);
            var goRight = T.And(splitting, under);
            var goLeft = T.AndNot(splitting, under);
            count = T.Select(goRight, count + a, count);
            trials = T.Select(goRight, trials - a, T.Select(goLeft, a - one, trials));
            lo = T.Select(goRight, x, lo);
            hi = T.Select(goLeft, x, hi);
            node = T.Select(splitting, two * node + T.Select(under, one, zero), node);
            splitting = T.And(splitting, T.GreaterThan(trials, T.Broadcast(SmallTrials)));
        }
        for (int pair = 0; T.Any(T.GreaterThan(trials, T.Broadcast(2 * pair))); pair++)
        {
            var (u0, u1) = TU.UniformsAt(stream, (uint)round, (uint)index << 24, node, ReplicateStream.StatisticBlock(WeightIndex.Real, StatisticDraw.LeafUniforms, pair));
            var width = hi - lo;
            count += T.Select(T.And(T.GreaterThan(trials, T.Broadcast(2 * pair)), T.LessThan(lo + width * u0, cut)), one, zero);
            count += T.Select(T.And(T.GreaterThan(trials, T.Broadcast(2 * pair + 1)), T.LessThan(lo + width * u1, cut)), one, zero);
        }
        return count;
    }

    /// <summary>Row r of L z, L lower triangular (d x d).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T LowerRow<T, TV>(int d, TV factor, TV z, int r) where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct
    {
        var sum = T.Broadcast(0);
        for (int k = 0; k <= r; k++)
        {
            sum += TV.Load(factor, r * d + k) * TV.Load(z, k);
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ClearDeviations<T, TV>(int d, TV sum, TV squares) where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct
    {
        var zero = T.Broadcast(0);
        for (int c = 0; c < d; c++)
        {
            TV.Store(sum, c, zero);
        }
        for (int c = 0; c < d * d; c++)
        {
            TV.Store(squares, c, zero);
        }
    }

    /// <summary>
    /// Adds one draw's deviation x from the base mean (0 in lanes past their count) to the sums; of the
    /// outer products only the lower triangle (c &lt;= r), which <see cref="FinishDeviations"/> mirrors:
    /// x_r x_c and x_c x_r round alike.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddDeviation<T, TV>(int d, bool scatter, TV x, TV sum, TV squares) where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct
    {
        for (int r = 0; r < d; r++)
        {
            TV.Store(sum, r, TV.Load(sum, r) + TV.Load(x, r));
        }
        if (scatter)
        {
            for (int r = 0; r < d; r++)
            {
                for (int c = 0; c <= r; c++)
                {
                    TV.Store(squares, r * d + c, TV.Load(squares, r * d + c) + TV.Load(x, r) * TV.Load(x, c));
                }
            }
        }
    }

    /// <summary>The mean base + sum / c and scatter squares - sum sum^T / c of c draws summed as deviations from <paramref name="baseMean"/> (squares: the lower triangle).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FinishDeviations<T, TV>(int d, bool scatter, T count, TV baseMean, TV sum, TV squares, TV sourceMean, TV sourceScatter)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct
    {
        var inverse = T.Broadcast(1) / T.Max(count, T.Broadcast(1));
        for (int r = 0; r < d; r++)
        {
            TV.Store(sourceMean, r, TV.Load(baseMean, r) + TV.Load(sum, r) * inverse);
        }
        if (scatter)
        {
            for (int r = 0; r < d; r++)
            {
                for (int c = 0; c < d; c++)
                {
                    TV.Store(sourceScatter, r * d + c, TV.Load(squares, c <= r ? r * d + c : c * d + r) - TV.Load(sum, r) * TV.Load(sum, c) * inverse);
                }
            }
        }
    }

    /// <summary>
    /// A source's sample mean m + L z / sqrt(c) and (unless <paramref name="scatter"/> is false) its
    /// scatter (L A)(L A)^T, A the Bartlett factor of Wishart(c - 1, I): below the diagonal N(0, 1)
    /// in the first c - 1 columns, on it sqrt(chi-square(c - 1 - i)) while positive, zero elsewhere.
    /// The zero columns make it exact for c - 1 &lt; d too, where the scatter is singular.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BartlettStatistics<T, TV, TU>(int d, int index, int round, int source, TU stream, bool scatter, T count, TV mean, TV factor,
        StatisticLayout layout, TV scratch, TV sourceMean, TV sourceScatter)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TU : IUniformStream<TU, T>, allows ref struct
    {
        var one = T.Broadcast(1);
        var zero = T.Broadcast(0);
        var normals = TV.Slice(scratch, layout.Normals);
        uint counter2 = (uint)index << 24;
        Normals<T, TV, TU>(stream, (uint)round, counter2, ReplicateStream.StatisticBlock(source, StatisticDraw.MeanNormals, 0), d, normals);
        var inverseRoot = one / T.Sqrt(T.Max(count, one));
        for (int r = 0; r < d; r++)
        {
            TV.Store(sourceMean, r, TV.Load(mean, r) + LowerRow<T, TV>(d, factor, normals, r) * inverseRoot);
        }
        if (!scatter)
        {
            return;
        }
        var dof = count - one;
        var bartlett = TV.Slice(scratch, layout.Bartlett);
        int entry = 0;
        var spare = zero;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < i; j++, entry++)
            {
                T z;
                if ((entry & 1) == 0)
                {
                    (z, spare) = TU.Normals(stream, (uint)round, counter2, ReplicateStream.StatisticBlock(source, StatisticDraw.BartlettNormals, entry >> 1));
                }
                else
                {
                    z = spare;
                }
                TV.Store(bartlett, i * d + j, T.Select(T.LessThan(T.Broadcast(j), dof), z, zero));
            }
            var chiSquare = T.Broadcast(2) * Gamma<T, TU>(stream, round, index, T.Broadcast(i), source, StatisticDraw.ChiSquareAttempts, StatisticDraw.ChiSquareBoost,
                (dof - T.Broadcast(i)) * T.Broadcast(0.5), T.AllTrue);
            TV.Store(bartlett, i * d + i, T.Sqrt(chiSquare));
            for (int j = i + 1; j < d; j++)
            {
                TV.Store(bartlett, i * d + j, zero);
            }
        }
        var product = TV.Slice(scratch, layout.Product);
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                var sum = zero;
                for (int k = j; k <= i; k++)
                {
                    sum += TV.Load(factor, i * d + k) * TV.Load(bartlett, k * d + j);
                }
                TV.Store(product, i * d + j, sum);
            }
        }
        for (int r = 0; r < d; r++)
        {
            for (int c = 0; c < d; c++)
            {
                var sum = zero;
                int shared = Math.Min(r, c);
                for (int k = 0; k <= shared; k++)
                {
                    sum += TV.Load(product, r * d + k) * TV.Load(product, c * d + k);
                }
                TV.Store(sourceScatter, r * d + c, sum);
            }
        }
    }

    /// <summary>
    /// The curated source of a finite K &gt; 1, which is not Gaussian: its c draws one by one, each the
    /// Plackett-Luce choice among K candidates of the model (draw j as slot j of the per-sample
    /// layout), and their mean and scatter from the deviations' sums about the model's mean.
    /// Lanes past their own count draw and drop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CuratedStatistics<T, TV, TC, TU, TTail>(in ModelParameters model, TC constants, int d, int index, int round, TU stream, TTail tail, bool scatter, T count,
        TV ownMean, TV ownCholesky, StatisticLayout layout, TV scratch, TV sourceMean, TV sourceScatter)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TC : IConstantView<TC>, allows ref struct
        where TU : IUniformStream<TU, T>, allows ref struct where TTail : ICuratedTail<TTail, T, TV, TC>, allows ref struct
    {
        int normalCount = model.K * d;
        var zero = T.Broadcast(0);
        var sum = TV.Slice(scratch, layout.Sum);
        var squares = TV.Slice(scratch, layout.SumOfSquares);
        var normals = TV.Slice(scratch, layout.Normals);
        var x = TV.Slice(scratch, layout.Sample);
        ClearDeviations<T, TV>(d, sum, squares);
        int lockstep = TTail.LockstepDraws(tail, count);
        int j = 0;
        for (; j < lockstep && T.Any(T.GreaterThan(count, T.Broadcast(j))); j++)
        {
            uint modelSlot = ((uint)index << 24) | (uint)j;
            var (_, uChoice) = TU.Uniforms(stream, (uint)round, modelSlot, 0);
            Normals<T, TV, TU>(stream, (uint)round, modelSlot, 1, normalCount, normals);
            ModelStep.AffineLower<T, TV>(d, ownMean, ownCholesky, normals, x);
            ModelStep.ChooseCandidate<T, TV, TC>(in model, constants, d, ownMean, ownCholesky, normals, uChoice, T.AllTrue, x,
                TV.Slice(scratch, layout.Candidates), TV.Slice(scratch, layout.Weights));
            var take = T.GreaterThan(count, T.Broadcast(j));
            for (int r = 0; r < d; r++)
            {
                TV.Store(x, r, T.Select(take, TV.Load(x, r) - TV.Load(ownMean, r), zero));
            }
            AddDeviation<T, TV>(d, scatter, x, sum, squares);
        }
        if (T.Any(T.GreaterThan(count, T.Broadcast(j))))
        {
            TTail.DrawRest(tail, j, in model, constants, d, index, round, scatter, count, ownMean, ownCholesky, layout, scratch);
        }
        FinishDeviations<T, TV>(d, scatter, count, ownMean, sum, squares, sourceMean, sourceScatter);
    }

    /// <summary>
    /// Chan's merge of a source's (count, mean, scatter) into the pooled (total, mean, co-moment): the
    /// co-moment gains the source's scatter and the between-source term c total / (total + c)
    /// (xbar - mean)(xbar - mean)^T. Returns the new total; a count of 0 changes nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Merge<T, TV>(int d, bool scatter, T total, T count, TV sourceMean, TV sourceScatter, TV mean, TV comoment)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct
    {
        var merged = total + count;
        var share = count / T.Max(merged, T.Broadcast(1));
        if (scatter)
        {
            var cross = total * share;
            for (int r = 0; r < d; r++)
            {
                var deltaR = TV.Load(sourceMean, r) - TV.Load(mean, r);
                for (int c = 0; c < d; c++)
                {
                    var deltaC = TV.Load(sourceMean, c) - TV.Load(mean, c);
                    TV.Store(comoment, r * d + c, TV.Load(comoment, r * d + c) + TV.Load(sourceScatter, r * d + c) + deltaR * deltaC * cross);
                }
            }
        }
        for (int r = 0; r < d; r++)
        {
            TV.Store(mean, r, TV.Load(mean, r) + (TV.Load(sourceMean, r) - TV.Load(mean, r)) * share);
        }
        return merged;
    }

    /// <summary>
    /// Gamma(shape) in the lanes of <paramref name="active"/> with a positive shape, 0 elsewhere, by
    /// Marsaglia and Tsang (2000): for a &gt;= 1, d = a - 1/3, v = (1 + z / sqrt(9 d))^3 is accepted when
    /// log u &lt; z^2 / 2 + d (1 - v + log v), giving d v; a &lt; 1 draws Gamma(a + 1) U^(1/a). Two squeezes
    /// accept without logarithms: theirs, u &lt; 1 - 0.0331 z^4, and a tighter one from y = 1 - u and
    /// t = 1 + z / sqrt(9 d): (y + y^2 / 2) 108 d min(1, t) &gt; z^4. It holds because log u &lt;= -(y + y^2 / 2)
    /// and, with x = t - 1, the right side is 3 d (log(1 + x) - x + x^2 / 2 - x^3 / 3) &gt;= -3 d x^4 / (4 min(1, t))
    /// = -z^4 / (108 d min(1, t)) (for x &lt; 0 the series' tail is at most x^4 / (4 (1 + x))). Both only
    /// accept what the full test accepts, so the law is unchanged; the tighter one leaves a lane to the
    /// logarithms about 0.028 / d of the time instead of about 0.08 (shape 10: in 5% of 16-lane attempts
    /// instead of 75%). Attempt t of item <paramref name="item"/> (per lane: a Bartlett row, a
    /// tree node) reads its normal z and uniform u from one block, (<paramref name="attemptKind"/>, t);
    /// the lanes repeat, masked, until every one has accepted. The boost U is block
    /// (<paramref name="boostKind"/>, 0), drawn only where some lane's shape is below 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Gamma<T, TU>(TU stream, int round, int index, T item, int source, StatisticDraw attemptKind, StatisticDraw boostKind, T shape, T active)
        where T : struct, ILaneArithmetic<T> where TU : IUniformStream<TU, T>, allows ref struct
    {
        var one = T.Broadcast(1);
        var zero = T.Broadcast(0);
        var pending = T.And(active, T.GreaterThan(shape, zero));
        var boosted = T.And(pending, T.LessThan(shape, one));
        var a = T.Select(pending, T.Select(boosted, shape + one, shape), one);
        var shifted = a - T.Broadcast(1.0 / 3.0);
        var spread = T.Broadcast(1.0 / 3.0) / T.Sqrt(shifted);
        var tightScale = T.Broadcast(108) * shifted;
        var half = T.Broadcast(0.5);
        var result = zero;
        uint counter2 = (uint)index << 24;
        for (int attempt = 0; T.Any(pending); attempt++)
        {
            int block = attempt & ReplicateStream.MaxStatisticIndex;
            var (z, uniform) = TU.NormalAndUniformAt(stream, (uint)round, counter2, item, ReplicateStream.StatisticBlock(source, attemptKind, block));
            var t = one + spread * z;
            var v = t * t * t;
            var candidate = T.And(pending, T.GreaterThan(v, zero));
            var u = one - uniform; // (0, 1]: its logarithm is finite
            var z2 = z * z;
            var z4 = z2 * z2;
            var theirs = T.LessThan(u, one - T.Broadcast(0.0331) * z4);
            var tight = TightSqueeze(uniform, t, z4, tightScale);
            var squeeze = T.Select(theirs, theirs, tight);
            var accept = T.And(candidate, squeeze);
            // The logarithms only where some lane is left to the full test (mostly the lanes that reject).
            var undecided = T.AndNot(candidate, squeeze);
            if (T.Any(undecided))
            {
                var safe = T.Select(undecided, v, one);
                var bound = half * z2 + shifted * (one - safe + T.Log(safe));
                accept = T.Select(undecided, T.LessThan(T.Log(u), bound), accept);
            }
            result = T.Select(accept, shifted * v, result);
            pending = T.AndNot(pending, accept);
        }
        if (T.Any(boosted))
        {
            var (boost, _) = TU.UniformsAt(stream, (uint)round, counter2, item, ReplicateStream.StatisticBlock(source, boostKind, 0));
            result = T.Select(boosted, result * T.Exp(T.Log(one - boost) / T.Select(boosted, shape, one)), result);
        }
        return result;
    }

    /// <summary>
    /// <see cref="Gamma"/>'s tighter squeeze: (y + y^2 / 2) 108 d min(1, t) &gt; z^4, with y = 1 - u the
    /// attempt's uniform, t = 1 + z / sqrt(9 d) and <paramref name="scale"/> = 108 d. Where it holds, the
    /// full test log u &lt; z^2 / 2 + d (1 - t^3 + log t^3) holds too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T TightSqueeze<T>(T y, T t, T z4, T scale) where T : struct, ILaneArithmetic<T>
    {
        var one = T.Broadcast(1);
        return T.GreaterThan((y + T.Broadcast(0.5) * y * y) * scale * T.Select(T.LessThan(t, one), t, one), z4);
    }

    /// <summary>Exact standard normals z[0..count) from blocks of one counter prefix (two per block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Normals<T, TV, TU>(TU stream, uint counter1, uint counter2, uint firstBlock, int count, TV normals)
        where T : struct, ILaneArithmetic<T> where TV : ILaneView<TV, T>, allows ref struct where TU : IUniformStream<TU, T>, allows ref struct
    {
        for (int b = 0; 2 * b < count; b++)
        {
            var (z0, z1) = TU.Normals(stream, counter1, counter2, firstBlock + (uint)b);
            TV.Store(normals, 2 * b, z0);
            TV.Store(normals, 2 * b + 1, z1);
        }
    }
}
