using Engine.Core.Numerics;
using Engine.Core.Random;
using Engine.Core.Specs;
using Engine.Core.Statistics;
using Engine.Simulation;
using Engine.Tests.Core;
using Engine.Tests.Support;
using Engine.Theory;

namespace Engine.Tests.Theory;

public class QuadratureCurationTests
{
    internal static readonly double[][] Means = [[0.3], [0.3, -0.2], [0.3, -0.2, 0.5]];
    internal static readonly double[][] Covs = [[1.2], [1.2, 0.3, 0.3, 0.8], [1.2, 0.3, 0.1, 0.3, 0.8, -0.2, 0.1, -0.2, 1.0]];

    private static ModelSpec Model(int d, RewardKind reward, double beta, int k)
    {
        var template = SpecText.Load(SpecText.Pair).Models[0];
        double[] vector = reward == RewardKind.Linear ? [1.0, -0.5, 0.3] : [0.5, 0.5, -0.5];
        return template with { Reward = reward, RewardVector = vector.Take(d).ToArray(), Beta = beta, K = k };
    }

    private static Real[] R(double[] values) => values.Select(v => new Real(v)).ToArray();

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 2)]
    [InlineData(3, 16)]
    public void LinearRewardMatchesTheExactOneDimensionalReduction(int d, int k)
    {
        var model = Model(d, RewardKind.Linear, 0.8, k);
        var (mean, cov) = QuadratureCuration.Of(model, R(Means[d - 1]), R(Covs[d - 1]));
        var (exactMean, exactCov) = CuratedMoments.Of(model, R(Means[d - 1]), R(Covs[d - 1]));
        for (int c = 0; c < d; c++)
        {
            Assert.Equal(exactMean[c].Value, mean[c].Value, 1e-10);
        }
        for (int c = 0; c < d * d; c++)
        {
            Assert.Equal(exactCov[c].Value, cov[c].Value, 1e-10);
        }
    }

    /// <summary>
    /// Quadratic rewards have no closed form: the default rule must agree with a much finer one to
    /// 1e-6 up to the validated sharpness (beta x Gershgorin bound: 1.2 beta, 1.5 beta, 1.6 beta here).
    /// </summary>
    [Theory]
    [InlineData(1, 0.3, 4, 128)]
    [InlineData(1, 3.3, 16, 128)]
    [InlineData(2, 0.5, 2, 100)]
    [InlineData(2, 1.95, 8, 100)]
    [InlineData(3, 0.5, 4, 40)]
    [InlineData(3, 1.24, 4, 40)]
    public void QuadraticRewardAgreesWithAFinerRule(int d, double beta, int k, int fine)
    {
        var model = Model(d, RewardKind.Quadratic, beta, k);
        var (mean, cov) = QuadratureCuration.Of(model, R(Means[d - 1]), R(Covs[d - 1]));
        var (fineMean, fineCov) = QuadratureCuration.Of(model, R(Means[d - 1]), R(Covs[d - 1]), fine);
        for (int c = 0; c < d; c++)
        {
            Assert.Equal(fineMean[c].Value, mean[c].Value, 1e-6);
        }
        for (int c = 0; c < d * d; c++)
        {
            Assert.Equal(fineCov[c].Value, cov[c].Value, 1e-6);
        }
    }

    [Fact]
    public void QuadraticRewardAgreesWithSimulatedChoices()
    {
        const int d = 2, k = 4, draws = 200_000;
        var model = Model(d, RewardKind.Quadratic, 1.9, k);
        var (mean, cov) = QuadratureCuration.Of(model, R(Means[1]), R(Covs[1]));
        var lower = Engine.Simulation.Step.DoubleStep.CholeskyLower(Covs[1], d);
        var stream = new ReplicateStream(41, 0);
        var z = new double[k * d];
        var candidates = new double[k * d];
        var rewards = new double[k];
        var moments = new Moments[d + d * d];
        for (int i = 0; i < draws; i++)
        {
            stream.SlotNormals(1, 0, i, z);
            for (int c = 0; c < k; c++)
            {
                Engine.Simulation.Step.DoubleStep.AffineLower(Means[1], lower, z.AsSpan(c * d, d), candidates.AsSpan(c * d, d), d);
                rewards[c] = Rewards.Evaluate(model, candidates.AsSpan(c * d, d));
            }
            var chosen = candidates.AsSpan(Curation.Choose(rewards, stream.SlotUniforms(1, 0, i).Choice) * d, d);
            for (int r = 0; r < d; r++)
            {
                moments[r].Add(chosen[r]);
                for (int c = 0; c < d; c++)
                {
                    moments[d + r * d + c].Add((chosen[r] - mean[r].Value) * (chosen[c] - mean[c].Value));
                }
            }
        }
        for (int r = 0; r < d; r++)
        {
            PhiloxTests.AssertWithin5Se(moments[r], mean[r].Value);
        }
        for (int e = 0; e < d * d; e++)
        {
            // E[(x - m)(x - m)^T] about the exact mean is the covariance.
            PhiloxTests.AssertWithin5Se(moments[d + e], cov[e].Value);
        }
    }

    [Fact]
    public void SingleCandidateIsTheModelItself()
    {
        var model = Model(2, RewardKind.Quadratic, 2.0, 1);
        var (mean, cov) = QuadratureCuration.Of(model, R(Means[1]), R(Covs[1]));
        Assert.Equal(Means[1], mean.Select(v => v.Value), new Simulation.ToleranceComparer(1e-12));
        Assert.Equal(Covs[1], cov.Select(v => v.Value), new Simulation.ToleranceComparer(1e-12));
    }

    [Fact]
    public void TooSharpARewardIsReportedUnsupported()
    {
        var model = Model(2, RewardKind.Quadratic, 10.0, 4);
        var error = Assert.Throws<TheoryUnsupportedException>(() => QuadratureCuration.Of(model, R(Means[1]), R(Covs[1])));
        Assert.Contains("model.theta.beta = 10", error.Message, StringComparison.Ordinal);
    }
}
