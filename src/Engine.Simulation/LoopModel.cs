using Engine.Core.Specs;

namespace Engine.Simulation;

/// <summary>
/// A model of the spec as the CPU loop reads it: the tables of the run's <see cref="Step.ModelTable"/>
/// (computed there once, for every backend) in the arrays the loop indexes.
/// </summary>
internal sealed class LoopModel
{
    public LoopModel(ModelSpec spec, in Step.ModelParameters parameters, double[] constants)
    {
        int d = spec.RealMean.Length;
        Spec = spec;
        RealCholesky = constants.AsSpan(parameters.RealFactor, d * d).ToArray();
        CumulativeWeights = constants.AsSpan(parameters.Cumulative, parameters.Sources).ToArray();
        LastPositiveSource = parameters.LastPositiveSource;
        FixedSources = parameters.FixedSources < 0 ? null : constants.AsSpan(parameters.FixedSources, spec.N).ToArray().Select(source => (int)source).ToArray();
        PositiveSources = spec.Weights.Count(weight => weight > 0);
    }

    /// <summary>Sources with a positive weight: real, curated, self and the cross sources of the models this one learns from.</summary>
    public int PositiveSources { get; }

    public ModelSpec Spec { get; }
    public double[] RealCholesky { get; }
    public double[] CumulativeWeights { get; }
    /// <summary>The source that takes a u that rounding leaves at or above the cumulative total.</summary>
    public int LastPositiveSource { get; }
    /// <summary>The source of every slot under the fixed mixture; null for multinomial.</summary>
    public int[]? FixedSources { get; }
}

/// <summary>The fixed mixture: largest-remainder rounding of w_s * n, ties to the earlier source.</summary>
public static class MixtureRounding
{
    /// <summary>Samples per source: largest-remainder rounding of w_s n, ties to the earlier source.</summary>
    public static int[] Counts(double[] weights, int n)
    {
        var counts = new int[weights.Length];
        var remainders = new double[weights.Length];
        int assigned = 0;
        for (int s = 0; s < weights.Length; s++)
        {
            double exact = weights[s] * n;
            counts[s] = (int)Math.Floor(exact);
            remainders[s] = exact - counts[s];
            assigned += counts[s];
        }
        for (int left = n - assigned; left > 0; left--)
        {
            int best = -1;
            for (int s = 0; s < weights.Length; s++)
            {
                if (weights[s] > 0 && (best < 0 || remainders[s] > remainders[best]))
                {
                    best = s;
                }
            }
            counts[best]++;
            remainders[best] = double.NegativeInfinity;
        }
        return counts;
    }

    /// <summary>The source of each slot, sources in order.</summary>
    public static int[] SlotSources(double[] weights, int n)
    {
        var counts = Counts(weights, n);
        var sources = new int[n];
        int slot = 0;
        for (int s = 0; s < counts.Length; s++)
        {
            for (int c = 0; c < counts[s]; c++)
            {
                sources[slot++] = s;
            }
        }
        return sources;
    }
}
