using Engine.Core.Random;
using Engine.Core.Statistics;
using Engine.Simulation;
using Engine.Tests.Core;

namespace Engine.Tests.Simulation;

public class CurationTests
{
    [Theory]
    [InlineData(new[] { 0.0, 1.0, -1.0, 0.5 })]
    [InlineData(new[] { 700.0, 701.0, 699.5 })]   // would overflow exp without the max subtracted
    [InlineData(new[] { 0.3, 0.3 })]
    public void ChoiceFrequenciesMatchSoftmax(double[] rewards)
    {
        const int draws = 200_000;
        int k = rewards.Length;
        var counts = new int[k];
        var scratch = new double[k];
        var stream = new ReplicateStream(21, 0);
        for (int i = 0; i < draws; i++)
        {
            rewards.CopyTo(scratch, 0);
            counts[Curation.Choose(scratch, stream.SlotUniforms(1, 0, i).Choice)]++;
        }
        double max = rewards.Max();
        double total = rewards.Sum(r => Math.Exp(r - max));
        double chiSquare = 0;
        for (int c = 0; c < k; c++)
        {
            double expected = draws * Math.Exp(rewards[c] - max) / total;
            chiSquare += (counts[c] - expected) * (counts[c] - expected) / expected;
        }
        // Chi-square with k - 1 degrees of freedom, critical value at p = 1e-6 (Wilson-Hilferty).
        double df = k - 1;
        const double z = 4.753424;
        double critical = df * Math.Pow(1 - 2 / (9 * df) + z * Math.Sqrt(2 / (9 * df)), 3);
        Assert.True(chiSquare < critical, $"chi-square {chiSquare} >= {critical}");
    }

    // docs/model.md section 5 check values of the selection moments m_K(s) = E[z_sel], q_K(s) = E[z_sel^2].
    [Theory]
    [InlineData(2, 1.0, 0.3631618, double.NaN)]
    [InlineData(4, 1.0, 0.6080286, 1.2164949)]
    [InlineData(4, 8.0, 1.0156676, double.NaN)]
    public void SelectionMomentsBySimulationMatchCheckValues(int k, double s, double mean, double square)
    {
        const int draws = 400_000;
        var stream = new ReplicateStream(33, 1);
        var z = new double[k];
        var rewards = new double[k];
        Moments first = default, second = default;
        for (int i = 0; i < draws; i++)
        {
            stream.SlotNormals(1, 0, i, z);
            for (int c = 0; c < k; c++)
            {
                rewards[c] = s * z[c];
            }
            double chosen = z[Curation.Choose(rewards, stream.SlotUniforms(1, 0, i).Choice)];
            first.Add(chosen);
            second.Add(chosen * chosen);
        }
        PhiloxTests.AssertWithin5Se(first, mean);
        if (!double.IsNaN(square))
        {
            PhiloxTests.AssertWithin5Se(second, square);
        }
    }
}
