using Engine.Core.Numerics;
using Engine.Core.Specs;
using Engine.Simulation;
using Engine.Tests.Support;

namespace Engine.Tests.Simulation;

public class RefitTests
{
    private static readonly double[][] Samples = [[1, 2], [3, -1], [-2, 0.5], [0, 4]];

    private static (double[] Mean, double[] Cov) Fit(CovarianceStructure structure, double ridge = 0)
    {
        var spec = SpecText.Load(SpecText.Pair).Models[0] with { N = Samples.Length, Covariance = structure, Ridge = ridge };
        var mean = new double[2];
        var comoment = new double[4];
        // Two chunks of unequal size, so the pairwise merge is exercised as well as the two-pass sums.
        var flat = Samples.SelectMany(x => x).ToArray();
        Refit.AccumulateChunk(flat.AsSpan(0, 3 * 2), 3, 0, mean, comoment);
        Refit.AccumulateChunk(flat.AsSpan(3 * 2), 1, 3, mean, comoment);
        var cov = new double[4];
        Refit.Finish(spec, comoment, cov);
        return (mean, cov);
    }

    // By hand: mean (0.5, 1.375); deviations of x sum to 13 in squares, of y to 13.6875, cross -4.75; all over n = 4.
    private static readonly double[] MleCov = [3.25, -1.1875, -1.1875, 3.421875];

    [Fact]
    public void FullIsTheMaximumLikelihoodFit()
    {
        var (mean, cov) = Fit(CovarianceStructure.Full);
        Assert.Equal([0.5, 1.375], mean, new ToleranceComparer(1e-12));
        Assert.Equal(MleCov, cov, new ToleranceComparer(1e-12));
    }

    [Fact]
    public void DiagIsoFixedAndRidgeProject()
    {
        Assert.Equal([3.25, 0, 0, 3.421875], Fit(CovarianceStructure.Diag).Cov, new ToleranceComparer(1e-12));
        double level = (3.25 + 3.421875) / 2;
        Assert.Equal([level, 0, 0, level], Fit(CovarianceStructure.Iso).Cov, new ToleranceComparer(1e-12));
        Assert.Equal([1.0, 0, 0, 1.0], Fit(CovarianceStructure.Fixed).Cov, new ToleranceComparer(1e-12));
        Assert.Equal([3.25 + 0.1, -1.1875, -1.1875, 3.421875 + 0.1], Fit(CovarianceStructure.Full, 0.1).Cov, new ToleranceComparer(1e-12));
    }

    [Fact]
    public void CholeskyOfASingularCovarianceReproducesIt()
    {
        // Rank one: what a refit on n = 2 samples in d = 2 gives.
        double[] a = [4, 2, 2, 1];
        var lower = Engine.Simulation.Step.DoubleStep.CholeskyLower(a, 2);
        Assert.Equal(0, lower[3]);
        Assert.Equal(a, [lower[0] * lower[0], lower[0] * lower[2], lower[2] * lower[0], lower[2] * lower[2] + lower[3] * lower[3]], new ToleranceComparer(1e-12));
    }
}

internal sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));

    public int GetHashCode(double obj) => 0;
}
