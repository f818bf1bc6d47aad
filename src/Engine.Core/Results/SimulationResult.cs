using Engine.Core.Specs;
using Engine.Core.Statistics;

namespace Engine.Core.Results;

/// <summary>Means over replicates of one model's parameters at one round.</summary>
public sealed record TrajectoryPoint(int Round, int Model, Estimate Alignment, double TraceCovMean, double[] Mean);

/// <summary>Everything a run estimates; the writers turn it into summary.json and trajectory.csv.</summary>
public sealed record SimulationResult
{
    /// <summary>The spec that ran.</summary>
    public required SimulationSpec Spec { get; init; }
    /// <summary>The backend as summary.json names it (cpu, cpu-single, reference, gpu, gpu-single).</summary>
    public required string Backend { get; init; }
    /// <summary>The device of a gpu run (e.g. "NVIDIA H200 (cuda 0)"); null for the cpu backends.</summary>
    public string? Device { get; init; }
    /// <summary>Replicates that stayed finite in every arm and entered every estimate.</summary>
    public required long Included { get; init; }
    /// <summary>Replicates excluded because a parameter or measured reward became non-finite in some arm.</summary>
    public required long Diverged { get; init; }
    /// <summary>Stationary alignment A_i per model.</summary>
    public required Estimate[] Alignment { get; init; }
    /// <summary>Stationary J_i(p_j), indexed [reward i, model j].</summary>
    public required Estimate[,] CrossReward { get; init; }
    /// <summary>dA_j/dw^cur of the influence model, per model j; null when the spec asks for none.</summary>
    public Estimate[]? Influence { get; init; }
    /// <summary>Rounds 0..T, models in order.</summary>
    public required TrajectoryPoint[] Trajectory { get; init; }
    /// <summary>The sums the estimates were made from, for merging the result with a later batch of replicates.</summary>
    public ResultMoments? Moments { get; init; }
}

/// <summary>
/// The running moments behind a result, in the layout of the runner's block statistics: per round,
/// model and value the trajectory, J_i(p_j) for every pair, the influence quotient per model.
/// </summary>
public sealed record ResultMoments(Moments[] Trajectory, Moments[] Stationary, Moments[] Influence, long Diverged);
