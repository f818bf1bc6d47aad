using System.Runtime.InteropServices;
using Engine.Simulation.Lanes;

namespace Engine.Simulation;

/// <summary>The Plackett-Luce / Bradley-Terry choice of MODEL.md section 2.</summary>
public static class Curation
{
    /// <summary>
    /// Per lane, keeps candidate k with probability exp(r_k) / sum_j exp(r_j) using one uniform in
    /// [0, 1): the first k whose cumulative weight exceeds u x total (the last one if rounding
    /// leaves none). The largest reward is subtracted first, so no exponential overflows.
    /// Overwrites <paramref name="rewards"/> with the unnormalised weights and writes to
    /// <paramref name="picks"/> the mask of the lanes that keep each candidate.
    /// </summary>
    public static void ChoiceMasks<T>(Span<T> rewards, T uniform, Span<T> picks) where T : struct, ILane<T>
    {
        var best = T.Broadcast(double.NegativeInfinity);
        foreach (var reward in rewards)
        {
            best = T.Max(best, reward);
        }
        var total = T.Broadcast(0);
        for (int c = 0; c < rewards.Length; c++)
        {
            rewards[c] = T.Exp(rewards[c] - best);
            total += rewards[c];
        }
        var target = uniform * total;
        var cumulative = T.Broadcast(0);
        var undecided = T.AllTrue;
        int last = rewards.Length - 1;
        for (int c = 0; c <= last; c++)
        {
            cumulative += rewards[c];
            var take = c == last ? undecided : T.And(undecided, T.LessThan(target, cumulative));
            picks[c] = take;
            undecided = T.AndNot(undecided, take);
        }
    }

    /// <summary>The scalar form: the index of the kept candidate.</summary>
    public static int Choose(Span<double> rewards, double uniform)
    {
        var lanes = MemoryMarshal.Cast<double, ScalarLane>(rewards);
        Span<ScalarLane> picks = rewards.Length <= 64 ? stackalloc ScalarLane[rewards.Length] : new ScalarLane[rewards.Length];
        ChoiceMasks(lanes, new ScalarLane(uniform), picks);
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
