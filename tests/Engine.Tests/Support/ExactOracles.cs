using Engine.Core.Specs;
using Engine.Simulation;

namespace Engine.Tests.Support;

/// <summary>
/// Exact expected stationary alignments for cases whose moment recurrences are linear, derived
/// by hand (see each method). Independent of the simulator: they share only the spec.
/// </summary>
internal static class ExactOracles
{
    /// <summary>
    /// Mean-only models (covariance = "fixed") with linear rewards. A refit's mean is the mean of n
    /// draws, each of whose expectation given the parameters is that of its source: real m_i,
    /// self mu_i, cross mu_j, curated mu_i + delta_i with delta_i constant (Sigma never changes):
    /// K = 1: 0; K = inf: beta Sigma a; finite K: g m_K(s), g = Sigma a / sqrt(a'Sigma a), s = beta sqrt(a'Sigma a).
    /// So E[mu^{t+1}] is an affine map of E[mu^t] (of the newest means under the sequential
    /// schedule), and E[J_i] = beta a_i . E[mu_i]. Returns the expected time average over
    /// rounds burn_in+1..rounds for each model.
    /// </summary>
    public static double[] LinearMeanOnly(SimulationSpec spec, Func<int, double, double>? selectionMean = null)
    {
        int d = spec.Dimension, m = spec.ModelCount;
        var delta = new double[m][];
        var weights = new double[m][];
        for (int i = 0; i < m; i++)
        {
            var model = spec.Models[i];
            if (model.Covariance != CovarianceStructure.Fixed || model.Reward != RewardKind.Linear)
            {
                throw new ArgumentException("the oracle needs fixed covariance and linear rewards");
            }
            weights[i] = spec.Mixture == MixtureMode.Fixed
                ? MixtureRounding.Counts(model.Weights, model.N).Select(c => (double)c / model.N).ToArray()
                : model.Weights;
            var sigmaA = new double[d];
            double quadratic = 0;
            for (int r = 0; r < d; r++)
            {
                for (int c = 0; c < d; c++)
                {
                    sigmaA[r] += model.InitCov[r * d + c] * model.RewardVector[c];
                }
                quadratic += model.RewardVector[r] * sigmaA[r];
            }
            double sa = Math.Sqrt(quadratic);
            delta[i] = model.K switch
            {
                1 => new double[d],
                ModelSpec.InfiniteK => sigmaA.Select(v => model.Beta * v).ToArray(),
                _ => sigmaA.Select(v => v / sa * selectionMean!(model.K, model.Beta * sa)).ToArray(),
            };
        }
        var mean = spec.Models.Select(model => (double[])model.InitMean.Clone()).ToArray();
        var sum = new double[m];
        for (int t = 1; t <= spec.Rounds; t++)
        {
            var source = spec.Schedule == Schedule.Sequential ? mean : mean.Select(v => (double[])v.Clone()).ToArray();
            var next = new double[m][];
            for (int i = 0; i < m; i++)
            {
                var w = weights[i];
                var own = source[i];
                next[i] = new double[d];
                for (int c = 0; c < d; c++)
                {
                    double value = w[WeightIndex.Real] * spec.Models[i].RealMean[c]
                        + w[WeightIndex.Curated] * (own[c] + delta[i][c])
                        + w[WeightIndex.Self] * own[c];
                    for (int j = 0; j < m; j++)
                    {
                        value += w[WeightIndex.Cross(j)] * source[j][c];
                    }
                    next[i][c] = value;
                }
                if (spec.Schedule == Schedule.Sequential)
                {
                    mean[i] = next[i];
                }
            }
            mean = next;
            if (t > spec.BurnIn)
            {
                for (int i = 0; i < m; i++)
                {
                    var model = spec.Models[i];
                    sum[i] += model.Beta * Dot(model.RewardVector, mean[i]);
                }
            }
        }
        return sum.Select(s => s / (spec.Rounds - spec.BurnIn)).ToArray();
    }

    /// <summary>
    /// One model trained on real data (weight a) and on itself (self, or curated with K = 1: weight
    /// b = 1 - a), quadratic reward. Given the parameters (mu, Sigma), a multinomial refit of n i.i.d.
    /// draws from Q has E[mu'] = mu_Q, E[mu' mu'^T] = mu_Q mu_Q^T + Cov_Q / n and
    /// E[Sigma'] = (n-1)/n Cov_Q with Cov_Q = a S + b Sigma + a b (m - mu)(m - mu)^T. A fixed mixture
    /// (counts a' n and b' n) has Cov(mean) = (a'S + b'Sigma)/n and
    /// E[Sigma'] = (1 - 1/n)(a'S + b'Sigma) + a'b'(m - mu)(m - mu)^T. All are linear in
    /// (E mu, E mu mu^T, E Sigma), as are the diag and iso projections and the ridge, and
    /// E[J] = -beta/2 (tr E mu mu^T - 2 c.E mu + |c|^2 + tr E Sigma).
    /// </summary>
    public static double RealAndSelfQuadratic(SimulationSpec spec)
    {
        var model = spec.Models[0];
        int d = spec.Dimension, n = model.N;
        if (spec.ModelCount != 1 || model.Reward != RewardKind.Quadratic || (model.K != 1 && model.Weights[WeightIndex.Curated] > 0))
        {
            throw new ArgumentException("the oracle needs one model, a quadratic reward and no curation (K = 1)");
        }
        double a = spec.Mixture == MixtureMode.Fixed
            ? (double)MixtureRounding.Counts(model.Weights, n)[WeightIndex.Real] / n
            : model.Weights[WeightIndex.Real];
        double b = 1 - a;
        var m = model.RealMean;
        var s = model.RealCov;
        var m1 = (double[])model.InitMean.Clone();
        var m2 = Outer(m1, m1);
        var v = (double[])model.InitCov.Clone();
        double sum = 0;
        for (int t = 1; t <= spec.Rounds; t++)
        {
            var mmT = Outer(m, m);
            var mM1 = Outer(m, m1);
            var m1m = Outer(m1, m);
            var meanOuter = new double[d * d];
            var deviation = new double[d * d];
            var mixed = new double[d * d];
            for (int k = 0; k < d * d; k++)
            {
                meanOuter[k] = a * a * mmT[k] + a * b * (mM1[k] + m1m[k]) + b * b * m2[k];
                deviation[k] = mmT[k] - mM1[k] - m1m[k] + m2[k];
                mixed[k] = a * s[k] + b * v[k];
            }
            var newM2 = new double[d * d];
            var rawV = new double[d * d];
            for (int k = 0; k < d * d; k++)
            {
                double covQ = mixed[k] + a * b * deviation[k];
                if (spec.Mixture == MixtureMode.Fixed)
                {
                    newM2[k] = meanOuter[k] + mixed[k] / n;
                    rawV[k] = (1 - 1.0 / n) * mixed[k] + a * b * deviation[k];
                }
                else
                {
                    newM2[k] = meanOuter[k] + covQ / n;
                    rawV[k] = (n - 1.0) / n * covQ;
                }
            }
            m1 = m1.Select((x, c) => a * m[c] + b * x).ToArray();
            m2 = newM2;
            v = Project(model, rawV, d);
            if (t > spec.BurnIn)
            {
                double trM2 = 0, trV = 0;
                for (int c = 0; c < d; c++)
                {
                    trM2 += m2[c * d + c];
                    trV += v[c * d + c];
                }
                var center = model.RewardVector;
                sum += -0.5 * model.Beta * (trM2 - 2 * Dot(center, m1) + Dot(center, center) + trV);
            }
        }
        return sum / (spec.Rounds - spec.BurnIn);
    }

    private static double[] Project(ModelSpec model, double[] raw, int d)
    {
        var result = new double[d * d];
        switch (model.Covariance)
        {
            case CovarianceStructure.Full:
                raw.CopyTo(result, 0);
                break;
            case CovarianceStructure.Diag:
                for (int c = 0; c < d; c++)
                {
                    result[c * d + c] = raw[c * d + c];
                }
                break;
            case CovarianceStructure.Iso:
                double level = Enumerable.Range(0, d).Sum(c => raw[c * d + c]) / d;
                for (int c = 0; c < d; c++)
                {
                    result[c * d + c] = level;
                }
                break;
            default:
                throw new ArgumentException("fixed covariance has no second-moment recurrence here");
        }
        for (int c = 0; c < d; c++)
        {
            result[c * d + c] += model.Ridge;
        }
        return result;
    }

    private static double[] Outer(double[] x, double[] y)
    {
        var result = new double[x.Length * y.Length];
        for (int r = 0; r < x.Length; r++)
        {
            for (int c = 0; c < y.Length; c++)
            {
                result[r * y.Length + c] = x[r] * y[c];
            }
        }
        return result;
    }

    private static double Dot(double[] x, double[] y) => x.Select((v, i) => v * y[i]).Sum();
}
