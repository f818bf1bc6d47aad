using Engine.Core.Specs;

namespace Engine.Sweeps;

/// <summary>
/// The worked example of docs/model.md section 6 (our analogue of the paper's Figure 3): two coupled
/// models in d = 2, quadratic rewards on their own real data, K = inf, curation of theta perturbed.
/// </summary>
public static class Fig3
{
    /// <summary>
    /// The coupling scales. The last is 1.16, not 1.2: at 1.2 theta's real weight is 0, and the
    /// w^cur + step arm (step 0.02, taken from real) would need a negative weight.
    /// </summary>
    public static readonly double[] CouplingScales = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.16];

    /// <summary>The n of the sweep.</summary>
    public static readonly int[] SampleSizes = [4, 12, 64];

    /// <summary>The spec at coupling 1 (the sweep scales its cross weights); rounds and replicates set per preset.</summary>
    public static string SpecText(int rounds, int burnIn, long replicates) => $$"""
        # docs/model.md section 6 at coupling scale t = 1; cell t scales every cross weight by t (real absorbs).
        dimension = 2
        rounds = {{rounds}}
        burn_in = {{burnIn}}
        replicates = {{replicates}}
        seed = 1

        [[model]]
        name = "theta"
        n = 64
        covariance = "full"
        real_mean = [0.0, 0.0]
        real_cov = [[1.0, 0.0], [0.0, 1.0]]
        reward = "quadratic"
        reward_center = [0.0, 0.0]
        beta = 0.25
        k = "inf"
        weights = { real = 0.1, curated = 0.4, cross = { phi = 0.5 } }

        [[model]]
        name = "phi"
        n = 64
        covariance = "full"
        real_mean = [-3.0, 0.0]
        real_cov = [[1.0, 0.0], [0.0, 1.0]]
        reward = "quadratic"
        reward_center = [-3.0, 0.0]
        beta = 0.25
        k = "inf"
        weights = { real = 0.2, curated = 0.3, cross = { theta = 0.5 } }

        [influence]
        model = "theta"
        absorb = "real"
        step = 0.02

        """;

    /// <summary>Rounds, burn-in and replicates of a preset.</summary>
    public sealed record Preset(string Name, int Rounds, int BurnIn, long Replicates);

    /// <summary>The --quick preset.</summary>
    public static readonly Preset Quick = new("quick", 60, 20, 512);
    /// <summary>The full preset.</summary>
    public static readonly Preset Full = new("full", 200, 100, 4096);

    /// <summary>One cell of the sweep: coupling t and sample size n for both models.</summary>
    public static SimulationSpec Cell(SimulationSpec baseSpec, double coupling, int n)
    {
        var scaled = Coupling.Apply(baseSpec, coupling, $"cell t={coupling:R}, n={n}");
        return scaled with { Models = scaled.Models.Select(model => model with { N = n }).ToArray() };
    }
}
