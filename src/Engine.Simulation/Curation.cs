using System.Runtime.InteropServices;
using Engine.Simulation.Lanes;
using Engine.Simulation.Step;

namespace Engine.Simulation;

/// <summary>The Plackett-Luce / Bradley-Terry choice of docs/model.md section 2 on plain doubles; the loop's is <see cref="ModelStep.ChoiceMasks"/>.</summary>
public static class Curation
{
    /// <summary>The index of the kept candidate (overwrites <paramref name="rewards"/> with the unnormalised weights).</summary>
    public static int Choose(Span<double> rewards, double uniform)
    {
        var lanes = MemoryMarshal.Cast<double, ScalarLane>(rewards);
        Span<ScalarLane> picks = rewards.Length <= 64 ? stackalloc ScalarLane[rewards.Length] : new ScalarLane[rewards.Length];
        ModelStep.ChoiceMasks<ScalarLane, LaneSpan<ScalarLane>>(rewards.Length, lanes, new ScalarLane(uniform), picks);
        for (int c = 0; c < picks.Length; c++)
        {
            if (ScalarLane.Any(picks[c]))
            {
                return c;
            }
        }
        throw new InvalidOperationException("no candidate chosen");
    }
}
