using Engine.Core.Specs;

namespace Engine.Sweeps;

/// <summary>
/// The built-in "coupling" axis (docs/model.md section 8): every cross weight becomes value x its weight
/// in the spec (which holds the weights at coupling 1), and `real` absorbs the difference.
/// </summary>
public static class Coupling
{
    /// <summary>The spec at coupling scale t: every cross weight times t, the named weight absorbing the change.</summary>
    public static SimulationSpec Apply(SimulationSpec spec, double scale, string cell)
    {
        var models = new ModelSpec[spec.ModelCount];
        for (int i = 0; i < models.Length; i++)
        {
            var weights = (double[])spec.Models[i].Weights.Clone();
            double cross = 0;
            for (int j = 0; j < spec.ModelCount; j++)
            {
                weights[WeightIndex.Cross(j)] *= scale;
                cross += weights[WeightIndex.Cross(j)];
            }
            double real = 1 - weights[WeightIndex.Curated] - weights[WeightIndex.Self] - cross;
            if (real < -SpecLoader.WeightSumTolerance)
            {
                throw new SpecException($"{cell}: model.{spec.Models[i].Name}.weights.real = {real:R}: coupling {scale:R} leaves no room for real data; the weights must be >= 0 and sum to 1");
            }
            weights[WeightIndex.Real] = Math.Max(0, real);
            models[i] = spec.Models[i] with { Weights = weights };
        }
        return spec with { Models = models };
    }
}
