using Engine.Core.Statistics;

namespace Engine.Tests.Support;

/// <summary>Drawn counts against the Binomial(n, p) pmf.</summary>
internal static class BinomialFrequencies
{
    /// <summary>
    /// Each count's frequency within 5 standard errors of its probability. Counts expected fewer
    /// than 10 times are pooled into their tail, where the bound holds (a single draw of a
    /// 1e-7 count would otherwise fail it).
    /// </summary>
    public static void AssertBinomial(int[] frequency, int n, double p, string what)
    {
        int draws = frequency.Sum();
        var pmf = new double[n + 1];
        for (int k = 0; k <= n; k++)
        {
            pmf[k] = Math.Exp(SpecialFunctions.LogGamma(n + 1) - SpecialFunctions.LogGamma(k + 1) - SpecialFunctions.LogGamma(n - k + 1) + k * Math.Log(p) + (n - k) * Math.Log(1 - p));
        }
        int low = 0, high = n;
        double lowProbability = pmf[0], highProbability = pmf[n];
        while (low < high && lowProbability * draws < 10)
        {
            lowProbability += pmf[++low];
        }
        while (high > low + 1 && highProbability * draws < 10)
        {
            highProbability += pmf[--high];
        }
        for (int cell = low; cell <= high; cell++)
        {
            int first = cell == low ? 0 : cell, last = cell == high ? n : cell;
            double probability = 0, observed = 0;
            for (int k = first; k <= last; k++)
            {
                probability += pmf[k];
                observed += frequency[k] / (double)draws;
            }
            double se = Math.Sqrt(probability * (1 - probability) / draws);
            Assert.True(Math.Abs(observed - probability) <= 5 * se + 1e-12, $"{what}: P({first} <= N <= {last}) {observed} against {probability} (se {se})");
        }
    }
}
