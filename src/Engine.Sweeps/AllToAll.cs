using System.Globalization;
using System.Text;
using Engine.Core.Specs;

namespace Engine.Sweeps;

/// <summary>
/// The many-model graph the theory and the simulation are measured on (bench theory-scaling,
/// simulation-scaling) and tested with: M models in d = 2 on a ring of real-data means, all to all
/// (each model takes 0.3 of its data from the others, in equal shares), quadratic rewards
/// centred on their own real data, beta 0.25, curation 0.3 with K candidates.
/// </summary>
public static class AllToAll
{
    /// <summary>The graph of <paramref name="models"/> models with K = <paramref name="k"/> (an integer or inf).</summary>
    public static SimulationSpec Spec(int models, string k = "4", int replicates = 256, int rounds = 40, int burnIn = 20)
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"dimension = 2\nrounds = {rounds}\nburn_in = {burnIn}\nreplicates = {replicates}\nseed = 1\n"));
        for (int i = 0; i < models; i++)
        {
            double angle = 2 * Math.PI * i / models;
            string center = string.Create(CultureInfo.InvariantCulture, $"[{3 * Math.Cos(angle):R}, {3 * Math.Sin(angle):R}]");
            var cross = new StringBuilder();
            for (int j = 0; j < models; j++)
            {
                if (j != i)
                {
                    cross.Append(CultureInfo.InvariantCulture, $"{(cross.Length == 0 ? "" : ", ")}m{j} = {0.3 / (models - 1):R}");
                }
            }
            text.Append(CultureInfo.InvariantCulture, $"""

                [[model]]
                name = "m{i}"
                n = 64
                covariance = "full"
                real_mean = {center}
                real_cov = [[1.0, 0.0], [0.0, 1.0]]
                reward = "quadratic"
                reward_center = {center}
                beta = 0.25
                k = {(k == "inf" ? "\"inf\"" : k)}
                weights = {"{"} real = 0.4, curated = 0.3, cross = {"{"} {cross} {"}"} {"}"}

                """);
        }
        return SpecLoader.Parse(text.ToString(), $"all-to-all-{models}.toml");
    }
}
