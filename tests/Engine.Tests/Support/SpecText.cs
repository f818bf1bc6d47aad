using Engine.Core.Specs;

namespace Engine.Tests.Support;

/// <summary>Small specs written as TOML, so every test also goes through the loader.</summary>
internal static class SpecText
{
    public const string Header = """
        dimension = 2
        rounds = 30
        burn_in = 10
        replicates = 512
        seed = 3
        """;

    public const string Theta = """
        [[model]]
        name = "theta"
        n = 16
        covariance = "full"
        real_mean = [0.0, 0.0]
        real_cov = [[1.0, 0.0], [0.0, 1.0]]
        reward = "quadratic"
        reward_center = [0.0, 0.0]
        beta = 0.25
        k = "inf"
        weights = { real = 0.4, curated = 0.3, cross = { phi = 0.3 } }
        """;

    public const string Phi = """
        [[model]]
        name = "phi"
        n = 16
        covariance = "full"
        real_mean = [-3.0, 0.0]
        real_cov = [[1.0, 0.0], [0.0, 1.0]]
        reward = "quadratic"
        reward_center = [-3.0, 0.0]
        beta = 0.25
        k = "inf"
        weights = { real = 0.4, curated = 0.3, cross = { theta = 0.3 } }
        """;

    /// <summary>One model in d = 3 refitting on n = 2 samples: every refit's scatter is singular.</summary>
    public const string SingularSolo = """
        [[model]]
        name = "solo"
        n = 2
        covariance = "full"
        real_mean = [1.0, 0.0, -1.0]
        real_cov = [[1.0, 0.2, 0.0], [0.2, 1.0, 0.1], [0.0, 0.1, 2.0]]
        reward = "quadratic"
        reward_center = [0.0, 0.0, 0.0]
        beta = 0.5
        k = 1
        weights = { real = 0.5, curated = 0.2, self = 0.3 }
        """;

    public const string Influence = """
        [influence]
        model = "theta"
        absorb = "real"
        step = 0.02
        """;

    public static string Pair => string.Join("\n", Header, Theta, Phi, Influence) + "\n";

    public static SimulationSpec Load(string text) => SpecLoader.Parse(text, "test.toml");
}
