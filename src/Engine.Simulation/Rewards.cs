using Engine.Core.Specs;

namespace Engine.Simulation;

/// <summary>The reward r_i(x) and its closed-form expectation J_i(p) (MODEL.md sections 1 and 4).</summary>
public static class Rewards
{
    public static double Evaluate(ModelSpec reward, ReadOnlySpan<double> x)
    {
        var v = reward.RewardVector;
        double sum = 0;
        if (reward.Reward == RewardKind.Linear)
        {
            for (int c = 0; c < x.Length; c++)
            {
                sum += v[c] * x[c];
            }
            return reward.Beta * sum;
        }
        for (int c = 0; c < x.Length; c++)
        {
            double delta = x[c] - v[c];
            sum += delta * delta;
        }
        return -0.5 * reward.Beta * sum;
    }

    /// <summary>J(p) = E_{x ~ N(mean, cov)} r(x): linear beta a.mu; quadratic -beta/2 (|mu - c|^2 + tr cov).</summary>
    public static double Expected(ModelSpec reward, ReadOnlySpan<double> mean, ReadOnlySpan<double> cov)
    {
        int d = mean.Length;
        var v = reward.RewardVector;
        double sum = 0;
        if (reward.Reward == RewardKind.Linear)
        {
            for (int c = 0; c < d; c++)
            {
                sum += v[c] * mean[c];
            }
            return reward.Beta * sum;
        }
        for (int c = 0; c < d; c++)
        {
            double delta = mean[c] - v[c];
            sum += delta * delta + cov[c * d + c];
        }
        return -0.5 * reward.Beta * sum;
    }
}
