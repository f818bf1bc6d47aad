using Engine.Core.Specs;

namespace Engine.Theory;

/// <summary>
/// Curated moments for a finite K and any reward in d &lt;= 3, by quadrature. The softmax choice
/// among K candidates is the argmax of r(x_k) + g_k with g_k standard Gumbel, so with
/// Y = r(x) + G, F its CDF and H_f(y) = E[f(x) p_G(y - r(x))]:
/// E[f(x_sel)] = K int F(y)^(K-1) H_f(y) dy. The x-expectations use a tensor Gauss-Hermite
/// rule on x = mu + L z; the y-integral the trapezoid rule with step 1/4 (its integrand is a sum
/// of shifted Gumbel functions, analytic in a strip, so the error is near e^(-pi^2/step)).
/// The results are normalised by the computed K int F^(K-1) H_1 dy (exactly 1), which cancels
/// most of the node error. The rule cannot resolve a reward much sharper than the model's spread
/// (near the reward centre the integrand varies on a scale 1/sqrt(beta lambda) in z), so the
/// sharpness beta x lambda_max(Sigma) (bounded above by Gershgorin's row sums) is limited to
/// <see cref="MaxSharpness"/>, where the measured error against much finer rules stays below
/// 1e-6 (1e-7 typically); beyond it the theory says unsupported rather than print a poor number.
/// </summary>
public static class QuadratureCuration
{
    public const int MaxDimension = 3;
    /// <summary>The validated beta x lambda_max(Sigma) for d = 1, 2, 3.</summary>
    public static readonly double[] MaxSharpness = [4.0, 3.0, 2.0];
    private const double Step = 0.25;

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

    public static (T[] Mean, T[] Cov) Of<T>(ModelSpec model, T[] mean, T[] cov) where T : struct, IScalar<T> =>
        Of(model, mean, cov, 0);

    /// <summary>As <see cref="Of{T}(ModelSpec, T[], T[])"/>, with <paramref name="nodesPerDimension"/> &gt; 0 forcing another rule (for convergence checks).</summary>
    public static (T[] Mean, T[] Cov) Of<T>(ModelSpec model, T[] mean, T[] cov, int nodesPerDimension) where T : struct, IScalar<T>
    {
        int d = mean.Length;
        if (d > MaxDimension)
        {
            throw new TheoryUnsupportedException($"model.{model.Name}.k = {model.K}: the population theory of a quadratic reward with finite k supports dimension <= {MaxDimension}, not {d}");
        }
        var lower = GenericLinearAlgebra.CholeskySemiDefinite(cov, d);
        double largestEigenvalueBound = 0;
        for (int r = 0; r < d; r++)
        {
            double rowSum = 0;
            for (int c = 0; c < d; c++)
            {
                rowSum += Math.Abs(cov[r * d + c].Value);
            }
            largestEigenvalueBound = Math.Max(largestEigenvalueBound, rowSum);
        }
        double sharpness = model.Reward == RewardKind.Quadratic ? model.Beta * largestEigenvalueBound : 0;
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
            double bandSharpness = model.Reward == RewardKind.Quadratic ? model.Beta * largestEigenvalueBound : double.PositiveInfinity;
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
        int count = weights.Length;
        var points = new T[count * d];
        var expReward = new T[count];
        double lowest = double.PositiveInfinity, highest = double.NegativeInfinity;
        var center = model.RewardVector;
        for (int p = 0; p < count; p++)
        {
            var reward = T.From(0);
            for (int r = 0; r < d; r++)
            {
                var x = mean[r];
                for (int c = 0; c <= r; c++)
                {
                    x += lower[r * d + c] * T.From(nodes[p * d + c]);
                }
                points[p * d + r] = x;
                if (model.Reward == RewardKind.Linear)
                {
                    reward += T.From(center[r]) * x;
                }
                else
                {
                    var delta = x - T.From(center[r]);
                    reward -= delta * delta;
                }
            }
            reward = model.Reward == RewardKind.Linear ? T.From(model.Beta) * reward : T.From(0.5 * model.Beta) * reward;
            if (weights[p] > 1e-18)
            {
                lowest = Math.Min(lowest, reward.Value);
                highest = Math.Max(highest, reward.Value);
            }
            // Rewards are shifted by the highest one so that e^r never overflows.
            expReward[p] = reward;
        }
        for (int p = 0; p < count; p++)
        {
            expReward[p] = T.Exp(expReward[p] - T.From(highest));
        }
        int pairs = d * (d + 1) / 2;
        var total = T.From(0);
        var firstMoment = new T[d];
        var secondMoment = new T[pairs];
        var h1 = new T[d];
        var h2 = new T[pairs];
        // y is measured relative to the highest reward: G(y - r) = exp(-e^(r - y)).
        for (double y = lowest - highest - 5; y <= 44; y += Step)
        {
            var cdf = T.From(0);
            var h0 = T.From(0);
            Array.Fill(h1, T.From(0));
            Array.Fill(h2, T.From(0));
            var shift = T.From(Math.Exp(-y));
            for (int p = 0; p < count; p++)
            {
                var tail = expReward[p] * shift;
                var gumbelCdf = T.Exp(-tail);
                var weight = T.From(weights[p]);
                cdf += weight * gumbelCdf;
                var density = weight * tail * gumbelCdf;
                h0 += density;
                for (int r = 0, k = 0; r < d; r++)
                {
                    var xr = points[p * d + r];
                    h1[r] += density * xr;
                    for (int c = r; c < d; c++, k++)
                    {
                        h2[k] += density * xr * points[p * d + c];
                    }
                }
            }
            var power = T.From(1);
            for (int e = 0; e < model.K - 1; e++)
            {
                power *= cdf;
            }
            total += power * h0;
            for (int r = 0; r < d; r++)
            {
                firstMoment[r] += power * h1[r];
            }
            for (int k = 0; k < pairs; k++)
            {
                secondMoment[k] += power * h2[k];
            }
        }
        var curatedMean = firstMoment.Select(v => v / total).ToArray();
        var curatedCov = new T[d * d];
        for (int r = 0, k = 0; r < d; r++)
        {
            for (int c = r; c < d; c++, k++)
            {
                var value = secondMoment[k] / total - curatedMean[r] * curatedMean[c];
                curatedCov[r * d + c] = value;
                curatedCov[c * d + r] = value;
            }
        }
        return (curatedMean, curatedCov);
    }
}
