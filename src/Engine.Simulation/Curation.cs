namespace Engine.Simulation;

/// <summary>The Plackett-Luce / Bradley-Terry choice of MODEL.md section 2.</summary>
public static class Curation
{
    /// <summary>
    /// Picks candidate k with probability exp(r_k) / sum_j exp(r_j) using one uniform in [0, 1).
    /// The largest reward is subtracted first, so no exponential overflows. Overwrites
    /// <paramref name="rewards"/> with the unnormalised weights.
    /// </summary>
    public static int Choose(Span<double> rewards, double uniform)
    {
        double best = double.NegativeInfinity;
        foreach (double reward in rewards)
        {
            best = Math.Max(best, reward);
        }
        double total = 0;
        for (int c = 0; c < rewards.Length; c++)
        {
            rewards[c] = Math.Exp(rewards[c] - best);
            total += rewards[c];
        }
        double target = uniform * total;
        double cumulative = 0;
        for (int c = 0; c < rewards.Length; c++)
        {
            cumulative += rewards[c];
            if (target < cumulative)
            {
                return c;
            }
        }
        return rewards.Length - 1;
    }
}
