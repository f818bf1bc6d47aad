using System.Runtime.InteropServices;
using Engine.Core.Specs;
using Engine.Simulation.Lanes;

namespace Engine.Simulation;

/// <summary>The reward r_i(x) and its closed-form expectation J_i(p) (MODEL.md sections 1 and 4).</summary>
public static class Rewards
{
    public static T Evaluate<T>(ModelSpec reward, ReadOnlySpan<T> x) where T : struct, ILane<T>
    {
        var v = reward.RewardVector;
        var sum = T.Broadcast(0);
        if (reward.Reward == RewardKind.Linear)
        {
            for (int c = 0; c < x.Length; c++)
            {
                sum += T.Broadcast(v[c]) * x[c];
            }
            return T.Broadcast(reward.Beta) * sum;
        }
        for (int c = 0; c < x.Length; c++)
        {
            var delta = x[c] - T.Broadcast(v[c]);
            sum += delta * delta;
        }
        return T.Broadcast(-0.5 * reward.Beta) * sum;
    }

    /// <summary>J(p) = E_{x ~ N(mean, cov)} r(x): linear beta a.mu; quadratic -beta/2 (|mu - c|^2 + tr cov).</summary>
    public static T Expected<T>(ModelSpec reward, ReadOnlySpan<T> mean, ReadOnlySpan<T> cov) where T : struct, ILane<T>
    {
        int d = mean.Length;
        var v = reward.RewardVector;
        var sum = T.Broadcast(0);
        if (reward.Reward == RewardKind.Linear)
        {
            for (int c = 0; c < d; c++)
            {
                sum += T.Broadcast(v[c]) * mean[c];
            }
            return T.Broadcast(reward.Beta) * sum;
        }
        for (int c = 0; c < d; c++)
        {
            var delta = mean[c] - T.Broadcast(v[c]);
            sum += delta * delta + cov[c * d + c];
        }
        return T.Broadcast(-0.5 * reward.Beta) * sum;
    }

    public static double Evaluate(ModelSpec reward, ReadOnlySpan<double> x) =>
        Evaluate(reward, MemoryMarshal.Cast<double, ScalarLane>(x)).Value;
}
