using System.Runtime.Intrinsics;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Simulation.Lanes;
using Engine.Simulation.Step;

namespace Engine.Theory;

/// <summary>
/// Curated moments for a finite K and any reward in d &lt;= 3, by quadrature. The softmax choice
/// among K candidates is the argmax of r(x_k) + g_k with g_k standard Gumbel, so with
/// Y = r(x) + G, F its CDF and H_f(y) = E[f(x) p_G(y - r(x))]:
/// E[f(x_sel)] = K int F(y)^(K-1) H_f(y) dy. The x-expectations use a tensor Gauss-Hermite
/// rule on x = mu + L z; the y-integral the trapezoid rule with step 0.3 (its integrand is a sum
/// of shifted Gumbel functions, analytic in a strip, so the error is near e^(-pi^2/step) = 5e-15),
/// up to 38 above the highest reward (beyond, every term is below e^-38 = 3e-17 of the total).
/// The results are normalised by the computed K int F^(K-1) H_1 dy (exactly 1), which cancels
/// most of the node error. The rule cannot resolve a reward much sharper than the model's spread
/// (near the reward centre the integrand varies on a scale 1/sqrt(beta lambda) in z), so the
/// sharpness beta x lambda_max(Sigma) (bounded above by Gershgorin's row sums) is limited to
/// <see cref="MaxSharpness"/>, where the measured error against much finer rules stays below
/// 1e-6 (1e-7 typically); beyond it the theory says unsupported rather than print a poor number.
/// </summary>
public static class QuadratureCuration
{
    /// <summary>The largest dimension of the quadrature.</summary>
    public const int MaxDimension = 3;
    /// <summary>The validated beta x lambda_max(Sigma) for d = 1, 2, 3.</summary>
    public static readonly double[] MaxSharpness = [4.0, 3.0, 2.0];
    private const double Step = 0.3;
    private const double End = 38;

    /// <summary>The y-grid: its step, its end above the highest reward, and whether it starts at the lowest node's reward (no cut).</summary>
    internal readonly record struct YGrid(double Step, double End, bool FullRange)
    {
        public static readonly YGrid Default = new(QuadratureCuration.Step, QuadratureCuration.End, false);
        /// <summary>A much finer and longer grid with no cut: what the default is checked against.</summary>
        public static readonly YGrid Reference = new(0.2, 46, true);
    }

    /// <summary>Nodes whose tensor weight is below this carry less than 1e-16 of any moment: they are left out of the rules.</summary>
    public const double NegligibleWeight = 1e-18;

    /// <summary>
    /// Nodes per dimension by sharpness (beta x the Gershgorin bound of Sigma), per dimension d:
    /// the fewest with which the moments agree with a 100-node rule to 1e-13 or better at the
    /// band's upper end for K = 2, 4, 16 (bench: quadrature-convergence, in bench/RESULTS.md);
    /// past the last band the rule of the validated limit, as before.
    /// </summary>
    private static readonly (double Sharpness, int Nodes)[][] Bands =
    [
        [(0.25, 32), (0.5, 48), (double.PositiveInfinity, 96)],
        [(0.25, 24), (0.5, 40), (double.PositiveInfinity, 64)],
        [(0.25, 24), (double.PositiveInfinity, 32)],
    ];

    private static readonly Dictionary<(int PerDimension, int Dimension), (double[] Nodes, double[] Weights)> RuleCache = [];

    /// <summary>The tensor Gauss-Hermite rule without its negligible nodes, built once per (nodes, dimension).</summary>
    private static (double[] Nodes, double[] Weights) Rule(int perDimension, int d)
    {
        lock (RuleCache)
        {
            if (!RuleCache.TryGetValue((perDimension, d), out var rule))
            {
                var (nodes, weights) = GaussHermite.Tensor(perDimension, d);
                var keep = Enumerable.Range(0, weights.Length).Where(p => weights[p] > NegligibleWeight).ToArray();
                rule = (keep.SelectMany(p => nodes.AsSpan(p * d, d).ToArray()).ToArray(), keep.Select(p => weights[p]).ToArray());
                RuleCache[(perDimension, d)] = rule;
            }
            return rule;
        }
    }

    /// <summary>The curated moments by quadrature, with derivatives where T carries them.</summary>
    public static (T[] Mean, T[] Cov) Of<T>(ModelSpec model, T[] mean, T[] cov) where T : struct, IScalar<T> =>
        Of(model, mean, cov, 0);

    /// <summary>As <see cref="Of{T}(ModelSpec, T[], T[])"/>, with <paramref name="nodesPerDimension"/> &gt; 0 forcing another rule (for convergence checks).</summary>
    public static (T[] Mean, T[] Cov) Of<T>(ModelSpec model, T[] mean, T[] cov, int nodesPerDimension) where T : struct, IScalar<T>
    {
        int d = mean.Length;
        var evaluation = Evaluate(model, mean.Select(v => v.Value).ToArray(), cov.Select(v => v.Value).ToArray(), T.CarriesDerivative, nodesPerDimension);
        return evaluation.Along(mean.Select(v => v.Derivative).ToArray(), cov.Select(v => v.Derivative).ToArray(), T.Make);
    }

    /// <summary>
    /// The curated mean and covariance at (mean, cov), and with <paramref name="partials"/> their
    /// exact derivatives along each entry of the model's state (the d mean entries, then the
    /// upper triangle of the covariance row by row, each moving both symmetric entries), in one
    /// pass over the nodes: the exponentials are shared, and the derivatives follow by the chain
    /// rule through x = mu + L z (L the Cholesky factor), the rewards, the Gumbel CDFs and
    /// F^(K-1). The node loops run in SIMD registers.
    /// </summary>
    public static CuratedEvaluation Evaluate(ModelSpec model, double[] mean, double[] cov, bool partials, int nodesPerDimension = 0) =>
        Evaluate(model, mean, cov, partials, nodesPerDimension, YGrid.Default);

    /// <summary>As <see cref="Evaluate(ModelSpec, double[], double[], bool, int)"/> on another y-grid (for checking the default's).</summary>
    internal static CuratedEvaluation Evaluate(ModelSpec model, double[] mean, double[] cov, bool partials, int nodesPerDimension, YGrid grid)
    {
        int d = mean.Length;
        if (d > MaxDimension)
        {
            throw new TheoryUnsupportedException($"model.{model.Name}.k = {model.K}: the population theory of a quadratic reward with finite k supports dimension <= {MaxDimension}, not {d}");
        }
        double largestEigenvalueBound = 0;
        for (int r = 0; r < d; r++)
        {
            double rowSum = 0;
            for (int c = 0; c < d; c++)
            {
                rowSum += Math.Abs(cov[r * d + c]);
            }
            largestEigenvalueBound = Math.Max(largestEigenvalueBound, rowSum);
        }
        bool quadratic = model.Reward == RewardKind.Quadratic;
        double sharpness = quadratic ? model.Beta * largestEigenvalueBound : 0;
        if (sharpness > MaxSharpness[d - 1] && nodesPerDimension == 0)
        {
            throw new TheoryUnsupportedException(
                $"model.{model.Name}.beta = {model.Beta}: with finite k = {model.K} and a quadratic reward in d = {d} the theory's quadrature is validated " +
                $"for beta x largest variance <= {MaxSharpness[d - 1]}, and the loop reaches {sharpness:G3}");
        }
        int perDimension = nodesPerDimension;
        if (perDimension == 0)
        {
            // The band of the rule's own sharpness (beta x the Gershgorin bound; linear rewards, which the theory reduces to one dimension elsewhere, take the finest).
            double bandSharpness = quadratic ? sharpness : double.PositiveInfinity;
            foreach (var (limit, bandNodes) in Bands[d - 1])
            {
                if (bandSharpness <= limit)
                {
                    perDimension = bandNodes;
                    break;
                }
            }
        }
        var (nodes, weights) = nodesPerDimension > 0 ? GaussHermite.Tensor(nodesPerDimension, d) : Rule(perDimension, d);
        var lower = Cholesky(cov, d, null);
        return LaneDispatch.Run<PassAction, CuratedEvaluation>(Width, new PassAction(model, d, nodes, weights, mean, lower, partials ? Directions(cov, d) : null, grid));
    }

    /// <summary>The Cholesky factor (the simulation's, <see cref="ModelStep.CholeskySemiDefinite"/>), and with <paramref name="direction"/> its derivative along that change of the covariance.</summary>
    private static double[] Cholesky(double[] cov, int d, double[]? direction)
    {
        var dual = new Dual[d * d];
        for (int k = 0; k < d * d; k++)
        {
            dual[k] = new Dual(cov[k], direction?[k] ?? 0);
        }
        var lower = new Dual[d * d];
        ModelStep.CholeskySemiDefinite<Dual, LaneSpan<Dual>>(d, dual, lower);
        return direction is null ? lower.Select(v => v.Value).ToArray() : lower.Select(v => v.Derivative).ToArray();
    }

    /// <summary>Per state entry: the change of the mean and of the Cholesky factor it makes.</summary>
    private static (double[] MeanDot, double[] LowerDot)[] Directions(double[] cov, int d)
    {
        var directions = new List<(double[], double[])>();
        for (int r = 0; r < d; r++)
        {
            var unit = new double[d];
            unit[r] = 1;
            directions.Add((unit, new double[d * d]));
        }
        for (int r = 0; r < d; r++)
        {
            for (int c = r; c < d; c++)
            {
                var change = new double[d * d];
                change[r * d + c] = 1;
                change[c * d + r] = 1;
                directions.Add((new double[d], Cholesky(cov, d, change)));
            }
        }
        return [.. directions];
    }

    /// <summary>The pass at the widest lane the processor accelerates (the engine's own vector exp, about 3x .NET's Vector256.Exp here).</summary>
    private readonly struct PassAction(ModelSpec model, int d, double[] nodes, double[] weights, double[] mean, double[] lower, (double[] MeanDot, double[] LowerDot)[]? directions,
        YGrid grid)
        : ILaneAction<CuratedEvaluation>
    {
        public CuratedEvaluation Run<TLane>() where TLane : struct, ILane<TLane> => new Pass<TLane>(model, d, nodes, weights, mean, lower, directions, grid).Run();
    }

    // From the hardware alone: LOOPSIM_SIMD and --simd choose the simulation's lanes, not the theory's.
    private static readonly string Width = Vector512.IsHardwareAccelerated ? "512" : Vector256.IsHardwareAccelerated ? "256" : "scalar";

    /// <summary>
    /// One evaluation over a rule's nodes, structure of arrays in lanes of <typeparamref name="TLane"/>
    /// (padding nodes have zero weight and e^r = 0, so they add nothing). Per y it needs
    /// the Gumbel CDF of every node; with derivatives it also keeps, per node, the y-integrals
    /// alpha_p = int F^(K-1) A_p and beta_p = int F^(K-1) A_p tail_p (A_p the node's density
    /// term), from which the derivatives of every moment follow after the loop.
    /// </summary>
    private sealed class Pass<TLane> where TLane : struct, ILane<TLane>
    {
        private readonly ModelSpec _model;
        private readonly int _d;
        private readonly int _count;
        private readonly int _values;            // lane values per node array
        private readonly TLane[] _weights;
        private readonly TLane[] _scaledExp;     // e^(r - highest)
        private readonly TLane[][] _moment;      // per moment q: g_q(x_p) = 1, x_r, x_r x_c
        private readonly double[][] _x;          // per coordinate, per node
        private readonly double _start;
        private readonly YGrid _grid;
        private readonly (double[] MeanDot, double[] LowerDot)[]? _directions;
        private readonly TLane[][] _rewardDotLanes = [];
        private readonly double[][] _rewardDot = [];  // per direction, per node
        private readonly double[][][] _xDot = [];     // per direction, coordinate, node
        private readonly (int R, int C)[] _pairs;

        public Pass(ModelSpec model, int d, double[] nodes, double[] weights, double[] mean, double[] lower, (double[] MeanDot, double[] LowerDot)[]? directions, YGrid grid)
        {
            _model = model;
            _d = d;
            _count = weights.Length;
            int width = TLane.Width;
            _values = (_count + width - 1) / width;
            int padded = _values * width;
            _x = new double[d][];
            for (int r = 0; r < d; r++)
            {
                _x[r] = new double[padded];
            }
            var rewards = new double[padded];
            var (parameters, constants) = ModelTable.RewardOf(model);
            var point = new Dual[d];
            double lowest = double.PositiveInfinity, highest = double.NegativeInfinity;
            for (int p = 0; p < _count; p++)
            {
                for (int r = 0; r < d; r++)
                {
                    double x = mean[r];
                    for (int c = 0; c <= r; c++)
                    {
                        x += lower[r * d + c] * nodes[p * d + c];
                    }
                    _x[r][p] = x;
                    point[r] = new Dual(x, 0);
                }
                // The reward r(x) of the simulation's curation (ModelStep.Reward).
                double reward = ModelStep.Reward<Dual, LaneSpan<Dual>, ConstantSpan>(in parameters, new ConstantSpan(constants), d, point).Value;
                rewards[p] = reward;
                if (weights[p] > NegligibleWeight)
                {
                    lowest = Math.Min(lowest, reward);
                    highest = Math.Max(highest, reward);
                }
            }
            _grid = grid;
            _start = grid.FullRange ? lowest - highest - 5 : LowerLimit(rewards, weights, _x, highest, model.K, lowest - highest - 5);
            // Rewards are shifted by the highest one so that e^r never overflows.
            var scaledExp = new double[padded];
            var paddedWeights = new double[padded];
            weights.CopyTo(paddedWeights, 0);
            for (int p = 0; p < _count; p++)
            {
                scaledExp[p] = Math.Exp(rewards[p] - highest);
            }
            _weights = ToLanes(paddedWeights);
            _scaledExp = ToLanes(scaledExp);
            _pairs = new (int R, int C)[d * (d + 1) / 2];
            for (int r = 0, m = 0; r < d; r++)
            {
                for (int c = r; c < d; c++)
                {
                    _pairs[m++] = (r, c);
                }
            }
            _moment = new TLane[Moments][];
            _moment[0] = ToLanes(Enumerable.Repeat(1.0, padded).ToArray());
            for (int r = 0; r < d; r++)
            {
                _moment[1 + r] = ToLanes(_x[r]);
            }
            for (int m = 0; m < _pairs.Length; m++)
            {
                var (r, c) = _pairs[m];
                _moment[1 + d + m] = ToLanes(_x[r].Zip(_x[c], (a, b) => a * b).ToArray());
            }
            _directions = directions;
            if (directions is null)
            {
                return;
            }
            _rewardDot = new double[directions.Length][];
            _rewardDotLanes = new TLane[directions.Length][];
            _xDot = new double[directions.Length][][];
            for (int e = 0; e < directions.Length; e++)
            {
                var (meanDot, lowerDot) = directions[e];
                _rewardDot[e] = new double[padded];
                _xDot[e] = new double[d][];
                for (int r = 0; r < d; r++)
                {
                    _xDot[e][r] = new double[padded];
                }
                for (int p = 0; p < _count; p++)
                {
                    for (int r = 0; r < d; r++)
                    {
                        double xDot = meanDot[r];
                        for (int c = 0; c <= r; c++)
                        {
                            xDot += lowerDot[r * d + c] * nodes[p * d + c];
                        }
                        _xDot[e][r][p] = xDot;
                        point[r] = new Dual(_x[r][p], xDot);
                    }
                    // dr along the node's move: the same reward, differentiated (dual numbers).
                    _rewardDot[e][p] = ModelStep.Reward<Dual, LaneSpan<Dual>, ConstantSpan>(in parameters, new ConstantSpan(constants), d, point).Derivative;
                }
                _rewardDotLanes[e] = ToLanes(_rewardDot[e]);
            }
        }

        /// <summary>
        /// Where the y-integral may start. Below y a node contributes to F and H only if its reward
        /// (relative to the highest) is below y + 3.7 (else its Gumbel CDF is below e^-40), so the
        /// integrand stays below K (W(y + 3.7))^K f_max, W the weight of the nodes under that
        /// reward. Starting where W reaches (1e-17 / (100 K f_max))^(1/K) leaves out less than 1e-17
        /// of the moments; the tests check the cut against the full range.
        /// </summary>
        internal static double LowerLimit(double[] rewards, double[] weights, double[][] x, double highest, int k, double fullStart)
        {
            int count = weights.Length;
            var order = Enumerable.Range(0, count).OrderBy(p => rewards[p]).ToArray();
            double moment = 1;
            for (int p = 0; p < count; p++)
            {
                double squared = 1;
                foreach (var coordinate in x)
                {
                    squared += coordinate[p] * coordinate[p];
                }
                moment = Math.Max(moment, squared);
            }
            double threshold = Math.Pow(1e-17 / (100.0 * k * moment), 1.0 / k);
            double cumulative = 0;
            double limit = fullStart;
            foreach (int p in order)
            {
                cumulative += weights[p];
                if (cumulative > threshold)
                {
                    break;
                }
                limit = rewards[p] - highest - 3.7;
            }
            return Math.Max(fullStart, limit - 1);
        }

        private static TLane[] ToLanes(double[] values)
        {
            var lanes = new TLane[values.Length / TLane.Width];
            for (int v = 0; v < lanes.Length; v++)
            {
                lanes[v] = TLane.FromElements(values.AsSpan(v * TLane.Width, TLane.Width));
            }
            return lanes;
        }

        private static double Sum(TLane value)
        {
            double sum = 0;
            for (int lane = 0; lane < TLane.Width; lane++)
            {
                sum += TLane.Element(value, lane);
            }
            return sum;
        }

        /// <summary>Moment index q: 0 the total, 1..d the first moments, then the upper triangle of the second moments.</summary>
        private int Moments => 1 + _d + _d * (_d + 1) / 2;

        public CuratedEvaluation Run()
        {
            int q = Moments, values = _values, k = _model.K;
            int directions = _directions?.Length ?? 0;
            var moments = new double[q];         // integrated: total, first, second
            var h = new double[q];               // at one y
            var hLanes = new TLane[q];
            var dotLanes = new TLane[directions];
            var alpha = new TLane[directions > 0 ? values : 0];
            var beta = new TLane[directions > 0 ? values : 0];
            var density = new TLane[directions > 0 ? values : 0];
            var tails = new TLane[directions > 0 ? values : 0];
            var powerTerm = new double[directions * q];
            var zero = TLane.Broadcast(0);
            // y is measured relative to the highest reward: G(y - r) = exp(-e^(r - y)).
            for (double y = _start; y <= _grid.End; y += _grid.Step)
            {
                var shift = TLane.Broadcast(Math.Exp(-y));
                var cdf = zero;
                Array.Fill(hLanes, zero);
                Array.Fill(dotLanes, zero);
                for (int v = 0; v < values; v++)
                {
                    var weight = _weights[v];
                    var tail = _scaledExp[v] * shift;
                    var gumbelCdf = TLane.Exp(zero - tail);
                    cdf += weight * gumbelCdf;
                    var a = weight * tail * gumbelCdf;
                    for (int m = 0; m < q; m++)
                    {
                        hLanes[m] += a * _moment[m][v];
                    }
                    if (directions > 0)
                    {
                        density[v] = a;
                        tails[v] = tail;
                        for (int e = 0; e < directions; e++)
                        {
                            dotLanes[e] += a * _rewardDotLanes[e][v];
                        }
                    }
                }
                double f = Sum(cdf);
                for (int m = 0; m < q; m++)
                {
                    h[m] = Sum(hLanes[m]);
                }
                double power = 1;
                for (int e = 0; e < k - 1; e++)
                {
                    power *= f;
                }
                for (int m = 0; m < q; m++)
                {
                    moments[m] += power * h[m];
                }
                if (directions == 0)
                {
                    continue;
                }
                var powerLane = TLane.Broadcast(power);
                for (int v = 0; v < values; v++)
                {
                    var a = density[v] * powerLane;
                    alpha[v] += a;
                    beta[v] += a * tails[v];
                }
                // d(F^(K-1)) = (K-1) F^(K-2) dF, with dF = -sum_p A_p dr_p.
                double powerSlope = k - 1;
                for (int e = 0; e < k - 2; e++)
                {
                    powerSlope *= f;
                }
                for (int e = 0; e < directions; e++)
                {
                    double cdfDot = -Sum(dotLanes[e]);
                    for (int m = 0; m < q; m++)
                    {
                        powerTerm[e * q + m] += powerSlope * cdfDot * h[m];
                    }
                }
            }
            return Finish(moments, Flatten(alpha), Flatten(beta), powerTerm);
        }

        private static double[] Flatten(TLane[] lanes)
        {
            var values = new double[lanes.Length * TLane.Width];
            for (int v = 0; v < lanes.Length; v++)
            {
                for (int lane = 0; lane < TLane.Width; lane++)
                {
                    values[v * TLane.Width + lane] = TLane.Element(lanes[v], lane);
                }
            }
            return values;
        }

        private CuratedEvaluation Finish(double[] moments, double[] alpha, double[] beta, double[] powerTerm)
        {
            var pairs = _pairs;
            int d = _d, q = Moments;
            double total = moments[0];
            var mean = new double[d];
            var cov = new double[d * d];
            for (int r = 0; r < d; r++)
            {
                mean[r] = moments[1 + r] / total;
            }
            for (int m = 0; m < pairs.Length; m++)
            {
                var (r, c) = pairs[m];
                double value = moments[1 + d + m] / total - mean[r] * mean[c];
                cov[r * d + c] = value;
                cov[c * d + r] = value;
            }
            if (_directions is null)
            {
                return new CuratedEvaluation(mean, cov, null, null);
            }
            var meanDots = new double[_directions.Length][];
            var covDots = new double[_directions.Length][];
            var momentDot = new double[q];
            for (int e = 0; e < _directions.Length; e++)
            {
                // d(integral of F^(K-1) h_q) = F-derivative term + sum_p [(alpha - beta)_p dr_p g_q(x_p) + alpha_p dg_q(x_p)].
                for (int m = 0; m < q; m++)
                {
                    momentDot[m] = powerTerm[e * q + m];
                }
                var rewardDot = _rewardDot[e];
                var xDot = _xDot[e];
                for (int p = 0; p < _count; p++)
                {
                    double shared = (alpha[p] - beta[p]) * rewardDot[p];
                    momentDot[0] += shared;
                    for (int r = 0; r < d; r++)
                    {
                        momentDot[1 + r] += shared * _x[r][p] + alpha[p] * xDot[r][p];
                    }
                    for (int m = 0; m < pairs.Length; m++)
                    {
                        var (r, c) = pairs[m];
                        momentDot[1 + d + m] += shared * _x[r][p] * _x[c][p] + alpha[p] * (xDot[r][p] * _x[c][p] + _x[r][p] * xDot[c][p]);
                    }
                }
                double totalDot = momentDot[0];
                var meanDot = new double[d];
                for (int r = 0; r < d; r++)
                {
                    meanDot[r] = (momentDot[1 + r] - mean[r] * totalDot) / total;
                }
                var covDot = new double[d * d];
                for (int m = 0; m < pairs.Length; m++)
                {
                    var (r, c) = pairs[m];
                    double second = moments[1 + d + m] / total;
                    double value = (momentDot[1 + d + m] - second * totalDot) / total - (meanDot[r] * mean[c] + mean[r] * meanDot[c]);
                    covDot[r * d + c] = value;
                    covDot[c * d + r] = value;
                }
                meanDots[e] = meanDot;
                covDots[e] = covDot;
            }
            return new CuratedEvaluation(mean, cov, meanDots, covDots);
        }
    }
}

/// <summary>
/// Curated moments at one point, with (when asked) their partial derivatives along each entry of
/// the model's state: the d mean entries, then the covariance's upper triangle row by row.
/// </summary>
public sealed record CuratedEvaluation(double[] Mean, double[] Cov, double[][]? PartialMean, double[][]? PartialCov)
{
    /// <summary>The moments as scalars of type T whose derivative is along the change (meanDot, covDot) of the model's (mu, Sigma).</summary>
    public (T[] Mean, T[] Cov) Along<T>(double[] meanDot, double[] covDot, Func<double, double, T> make)
    {
        int d = Mean.Length;
        var direction = new double[PartialMean?.Length ?? 0];
        if (PartialMean is not null)
        {
            int e = 0;
            for (int r = 0; r < d; r++)
            {
                direction[e++] = meanDot[r];
            }
            for (int r = 0; r < d; r++)
            {
                for (int c = r; c < d; c++)
                {
                    direction[e++] = covDot[r * d + c];
                }
            }
        }
        var mean = new T[d];
        var cov = new T[d * d];
        for (int k = 0; k < d; k++)
        {
            double derivative = 0;
            for (int e = 0; e < direction.Length; e++)
            {
                derivative += PartialMean![e][k] * direction[e];
            }
            mean[k] = make(Mean[k], derivative);
        }
        for (int k = 0; k < d * d; k++)
        {
            double derivative = 0;
            for (int e = 0; e < direction.Length; e++)
            {
                derivative += PartialCov![e][k] * direction[e];
            }
            cov[k] = make(Cov[k], derivative);
        }
        return (mean, cov);
    }
}
