namespace Engine.Tests.Support;

/// <summary>A sample's mean and unbiased variance with their standard errors (the variance's from the central fourth moment).</summary>
internal static class SampleSummary
{
    public static (double Mean, double Variance, double MeanSe, double VarianceSe) Of(double[] x)
    {
        double mean = x.Average();
        double variance = 0, fourth = 0;
        foreach (double v in x)
        {
            double deviation = (v - mean) * (v - mean);
            variance += deviation;
            fourth += deviation * deviation;
        }
        variance /= x.Length - 1;
        fourth /= x.Length;
        return (mean, variance, Math.Sqrt(variance / x.Length), Math.Sqrt(Math.Max(fourth - variance * variance, 0) / x.Length));
    }
}
