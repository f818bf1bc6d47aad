using Engine.Core.Statistics;

namespace Engine.Tests.Core;

public class StatisticsTests
{
    [Theory]
    [InlineData(1, 12.706204736174698)]
    [InlineData(2, 4.302652729749464)]
    [InlineData(10, 2.2281388519862744)]
    [InlineData(100, 1.9839715185235556)]
    [InlineData(1e7, 1.9599641)]
    public void StudentQuantileMatchesTables(double degrees, double expected)
    {
        Assert.Equal(expected, StudentT.Quantile(0.975, degrees), 6);
    }

    [Fact]
    public void MergedMomentsEqualOnePass()
    {
        var values = Enumerable.Range(0, 1000).Select(i => 1e6 + Math.Sin(i)).ToArray();
        Moments all = default, left = default, right = default;
        foreach (double v in values)
        {
            all.Add(v);
        }
        foreach (double v in values.AsSpan(0, 337))
        {
            left.Add(v);
        }
        foreach (double v in values.AsSpan(337))
        {
            right.Add(v);
        }
        left.Merge(right);
        // Values near 1e6: agreement to 1e-14 relative is rounding level.
        Assert.Equal(all.Mean, left.Mean, 1e-8);
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        Assert.Equal(variance, left.Variance, 9);
        Assert.Equal(variance, all.Variance, 9);
    }

    [Fact]
    public void EstimateOfTooFewValuesIsUndefinedNotZero()
    {
        Moments one = default;
        one.Add(3);
        var estimate = one.ToEstimate();
        Assert.Equal(3, estimate.Mean);
        Assert.True(double.IsNaN(estimate.StandardError));
    }
}
