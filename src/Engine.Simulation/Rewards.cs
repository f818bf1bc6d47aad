using System.Runtime.InteropServices;
using Engine.Core.Specs;
using Engine.Simulation.Lanes;
using Engine.Simulation.Step;

namespace Engine.Simulation;

/// <summary>The reward r_i(x) of one model on plain doubles (docs/model.md section 1), for callers outside the loop; the loop's is <see cref="ModelStep.Reward"/>.</summary>
public static class Rewards
{
    /// <summary>r(x) of the model's reward.</summary>
    public static double Evaluate(ModelSpec reward, ReadOnlySpan<double> x)
    {
        var (parameters, constants) = ModelTable.RewardOf(reward);
        var lanes = MemoryMarshal.Cast<double, ScalarLane>(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(x), x.Length));
        return ModelStep.Reward<ScalarLane, LaneSpan<ScalarLane>, ConstantSpan>(in parameters, new ConstantSpan(constants), x.Length, lanes).Value;
    }
}
