namespace Engine.Tests.Support;

/// <summary>Small sweep specs for the sweep tests: the pair of SpecText with axes added.</summary>
internal static class SweepText
{
    /// <summary>The pair (K = 4 for theta, so curation draws candidates) with influence, 2 x 3 = 6 cells.</summary>
    public static string Small(int replicates = 256, int rounds = 20, string sweep = "") => $$"""
        dimension = 2
        rounds = {{rounds}}
        burn_in = 5
        replicates = {{replicates}}
        seed = 7

        {{SpecText.Theta.Replace("k = \"inf\"", "k = 4", StringComparison.Ordinal).Replace("n = 16", "n = 8", StringComparison.Ordinal)}}

        {{SpecText.Phi.Replace("n = 16", "n = 8", StringComparison.Ordinal)}}

        {{SpecText.Influence}}

        {{sweep}}

        [[sweep.axis]]
        path = "coupling"
        values = [0.5, 1.0]

        [[sweep.axis]]
        path = "model.theta.weights.curated"
        values = [0.2, 0.3, 0.4]
        absorb = "real"
        """;
}
