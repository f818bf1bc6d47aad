using Engine.Core.Specs;
using Engine.Tests.Support;
using Engine.Theory;

namespace Engine.Tests.Theory;

/// <summary>
/// The fast quadrature of issue 12 against what it replaced: its exact partial derivatives
/// against central differences of its values, its y-grid (step 0.3 to 38, cut below where the
/// integrand cannot reach 1e-17) against a finer, longer, uncut grid, and its sharpness bands
/// against a much finer rule.
/// </summary>
public class QuadratureSpeedTests
{
    private static readonly double[][] Means = QuadratureCurationTests.Means;
    private static readonly double[][] Covs = QuadratureCurationTests.Covs;
    private static readonly double[] Gershgorin = [1.2, 1.5, 1.6];

    private static ModelSpec Model(int d, double sharpness, int k) =>
        SpecText.Load(SpecText.Pair).Models[0] with { Reward = RewardKind.Quadratic, RewardVector = [.. new[] { 0.5, 0.5, -0.5 }.Take(d)], Beta = sharpness / Gershgorin[d - 1], K = k };

    public static TheoryData<int, double, int> Cases => new()
    {
        { 1, 0.25, 2 }, { 1, 2.0, 16 }, { 2, 0.25, 4 }, { 2, 0.7, 2 }, { 2, 2.5, 4 }, { 3, 0.25, 16 }, { 3, 1.5, 4 },
    };

    /// <summary>Each state entry (mean, then the covariance's upper triangle moving both symmetric entries) against a central difference of the values with the rule held fixed.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void PartialsAreTheDerivativesOfTheValues(int d, double sharpness, int k)
    {
        var model = Model(d, sharpness, k);
        int nodes = d == 3 ? 24 : 48;
        var evaluation = QuadratureCuration.Evaluate(model, Means[d - 1], Covs[d - 1], partials: true, nodes);
        const double h = 1e-5;
        int e = 0;
        var entries = new List<(int, int)>();
        for (int r = 0; r < d; r++)
        {
            entries.Add((-1, r));
        }
        for (int r = 0; r < d; r++)
        {
            for (int c = r; c < d; c++)
            {
                entries.Add((r, c));
            }
        }
        foreach (var (row, column) in entries)
        {
            double[] Shifted(double[] values, double by, bool isMean)
            {
                var copy = (double[])values.Clone();
                if (isMean && row < 0)
                {
                    copy[column] += by;
                }
                else if (!isMean && row >= 0)
                {
                    copy[row * d + column] += by;
                    if (row != column)
                    {
                        copy[column * d + row] += by;
                    }
                }
                return copy;
            }
            var plus = QuadratureCuration.Evaluate(model, Shifted(Means[d - 1], h, true), Shifted(Covs[d - 1], h, false), false, nodes);
            var minus = QuadratureCuration.Evaluate(model, Shifted(Means[d - 1], -h, true), Shifted(Covs[d - 1], -h, false), false, nodes);
            for (int q = 0; q < d; q++)
            {
                Assert.Equal((plus.Mean[q] - minus.Mean[q]) / (2 * h), evaluation.PartialMean![e][q], 1e-6);
            }
            for (int q = 0; q < d * d; q++)
            {
                Assert.Equal((plus.Cov[q] - minus.Cov[q]) / (2 * h), evaluation.PartialCov![e][q], 1e-6);
            }
            e++;
        }
        Assert.Equal(entries.Count, evaluation.PartialMean!.Length);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void YGridAgreesWithAFinerLongerUncutOne(int d, double sharpness, int k)
    {
        var model = Model(d, sharpness, k);
        int nodes = d == 3 ? 24 : 48;
        var fast = QuadratureCuration.Evaluate(model, Means[d - 1], Covs[d - 1], true, nodes);
        var reference = QuadratureCuration.Evaluate(model, Means[d - 1], Covs[d - 1], true, nodes, QuadratureCuration.YGrid.Reference);
        for (int q = 0; q < d; q++)
        {
            Assert.Equal(reference.Mean[q], fast.Mean[q], 1e-13);
        }
        for (int q = 0; q < d * d; q++)
        {
            Assert.Equal(reference.Cov[q], fast.Cov[q], 1e-13);
        }
        for (int e = 0; e < reference.PartialMean!.Length; e++)
        {
            for (int q = 0; q < d; q++)
            {
                Assert.Equal(reference.PartialMean[e][q], fast.PartialMean![e][q], 1e-11);
            }
        }
    }

    /// <summary>The coarse bands (sharpness up to 0.25 and 0.5) are as exact as the rule they replace: within 1e-13 of a 100-node rule (d = 2) at their upper ends.</summary>
    [Theory]
    [InlineData(0.25, 2)]
    [InlineData(0.25, 16)]
    [InlineData(0.5, 4)]
    [InlineData(0.5, 16)]
    public void SharpnessBandsAgreeWithAFineRule(double sharpness, int k)
    {
        var model = Model(2, sharpness, k);
        var banded = QuadratureCuration.Evaluate(model, Means[1], Covs[1], false);
        var fine = QuadratureCuration.Evaluate(model, Means[1], Covs[1], false, 100);
        for (int q = 0; q < 2; q++)
        {
            Assert.Equal(fine.Mean[q], banded.Mean[q], 1e-13);
        }
        for (int q = 0; q < 4; q++)
        {
            Assert.Equal(fine.Cov[q], banded.Cov[q], 1e-13);
        }
    }
}
