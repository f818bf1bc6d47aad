namespace Engine.Core.Specs;

/// <summary>The structure a refit projects its covariance onto.</summary>
public enum CovarianceStructure
{
    /// <summary>The full maximum-likelihood covariance.</summary>
    Full,
    /// <summary>Its diagonal.</summary>
    Diag,
    /// <summary>tr/d times the identity.</summary>
    Iso,
    /// <summary>The initial covariance: the mean alone is refit.</summary>
    Fixed,
}

/// <summary>The reward (human preference) of a model.</summary>
public enum RewardKind
{
    /// <summary>r(x) = beta a.x.</summary>
    Linear,
    /// <summary>r(x) = -beta/2 |x - c|^2.</summary>
    Quadratic,
}

/// <summary>The order of the models' refits within a round.</summary>
public enum Schedule
{
    /// <summary>Every model samples from the round's parameters.</summary>
    Simultaneous,
    /// <summary>Models refit in index order, each sampling from the newest parameters of those already refit.</summary>
    Sequential,
}

/// <summary>How a training set's samples are shared among the sources.</summary>
public enum MixtureMode
{
    /// <summary>Each sample picks its source with probabilities w.</summary>
    Multinomial,
    /// <summary>Exact counts by largest-remainder rounding of w_s n.</summary>
    Fixed,
}

/// <summary>How a refit's training set is drawn (docs/spec.md, <c>sampler</c>); both are exact in law.</summary>
public enum Sampler
{
    /// <summary>Sufficient statistics: each Gaussian source's count, sample mean and scatter (the default, fastest).</summary>
    Moments,
    /// <summary>Every sample one by one: the literal simulation, the definition the moments sampler is checked against.</summary>
    Samples,
}

/// <summary>
/// The mixture weights of one model's training data, indexed by source:
/// 0 real, 1 curated, 2 self, 3 + j outputs of model j (zero at the model's own index).
/// This order is also the tie-break order of the fixed mixture's rounding.
/// </summary>
public static class WeightIndex
{
    /// <summary>The real data.</summary>
    public const int Real = 0;
    /// <summary>The model's curated outputs.</summary>
    public const int Curated = 1;
    /// <summary>The model's own raw outputs.</summary>
    public const int Self = 2;
    /// <summary>The first cross source: model 0's outputs.</summary>
    public const int FirstCross = 3;

    /// <summary>The source of model <paramref name="model"/>'s outputs.</summary>
    public static int Cross(int model) => FirstCross + model;

    /// <summary>Sources of a spec with <paramref name="models"/> models.</summary>
    public static int Count(int models) => FirstCross + models;
}

/// <summary>One generative model of the loop (docs/model.md sections 1-3). Arrays are never mutated after validation.</summary>
public sealed record ModelSpec
{
    /// <summary>K = infinity (the exact tilted Gaussian) is stored as this value.</summary>
    public const int InfiniteK = 0;

    /// <summary>The model's name.</summary>
    public required string Name { get; init; }
    /// <summary>Training samples per refit.</summary>
    public required int N { get; init; }
    /// <summary>The structure the refit projects onto.</summary>
    public required CovarianceStructure Covariance { get; init; }
    /// <summary>Mean of the real data.</summary>
    public required double[] RealMean { get; init; }
    /// <summary>Row-major d x d.</summary>
    public required double[] RealCov { get; init; }
    /// <summary>The initial model's mean.</summary>
    public required double[] InitMean { get; init; }
    /// <summary>The initial model's covariance, row-major d x d.</summary>
    public required double[] InitCov { get; init; }
    /// <summary>Linear or quadratic.</summary>
    public required RewardKind Reward { get; init; }
    /// <summary>The reward centre c (quadratic) or direction a (linear).</summary>
    public required double[] RewardVector { get; init; }
    /// <summary>The reward's sharpness.</summary>
    public required double Beta { get; init; }
    /// <summary>Candidates per curated sample; <see cref="InfiniteK"/> for the population limit.</summary>
    public required int K { get; init; }
    /// <summary>ridge x I added after each refit.</summary>
    public required double Ridge { get; init; }
    /// <summary>Mixture weights, see <see cref="WeightIndex"/>.</summary>
    public required double[] Weights { get; init; }

    /// <summary>Whether curation is the exact tilt (K = inf).</summary>
    public bool IsInfiniteK => K == InfiniteK;

    /// <summary>A copy with weight <paramref name="index"/> moved by <paramref name="delta"/>, taken from <paramref name="absorb"/>.</summary>
    public ModelSpec WithWeightShift(int index, int absorb, double delta)
    {
        var weights = (double[])Weights.Clone();
        weights[index] += delta;
        weights[absorb] -= delta;
        return this with { Weights = weights };
    }
}

/// <summary>The optional [influence] table: estimate dA/dw^cur of one model by central differences.</summary>
public sealed record InfluenceSpec(int Model, int AbsorbIndex, string AbsorbName, double Step);

/// <summary>A validated spec: everything a backend needs to run the loop.</summary>
public sealed record SimulationSpec
{
    /// <summary>d.</summary>
    public required int Dimension { get; init; }
    /// <summary>T, refits per replicate.</summary>
    public required int Rounds { get; init; }
    /// <summary>B: rounds 1..B are left out of the stationary average.</summary>
    public required int BurnIn { get; init; }
    /// <summary>Independent replicates.</summary>
    public required long Replicates { get; init; }
    /// <summary>
    /// The index of the first replicate, whose random streams the run starts at: 0 for a run, j x R
    /// for batch j of a sweep cell with a precision target, so its batches never share a stream.
    /// </summary>
    public long FirstReplicate { get; init; }
    /// <summary>The random streams' seed.</summary>
    public required uint Seed { get; init; }
    /// <summary>Simultaneous or sequential refits.</summary>
    public Schedule Schedule { get; init; } = Schedule.Simultaneous;
    /// <summary>Multinomial or fixed source counts.</summary>
    public MixtureMode Mixture { get; init; } = MixtureMode.Multinomial;
    /// <summary>Sufficient statistics or samples one by one.</summary>
    public Sampler Sampler { get; init; } = Sampler.Moments;
    /// <summary>The models, in index order.</summary>
    public required ModelSpec[] Models { get; init; }
    /// <summary>The influence estimate asked for, if any.</summary>
    public InfluenceSpec? Influence { get; init; }

    /// <summary>M.</summary>
    public int ModelCount => Models.Length;

    /// <summary>The index of the model of that name, or -1.</summary>
    public int IndexOf(string name)
    {
        for (int i = 0; i < Models.Length; i++)
        {
            if (Models[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The arms every replicate runs: the spec itself, then with [influence] its w^cur + step and w^cur - step arms.</summary>
    public SimulationSpec[] Arms() => Influence is null ? [this] : [this, InfluenceArm(+1), InfluenceArm(-1)];

    /// <summary>The two arms of the influence estimate: curation of the influence model at w^cur + sign*step.</summary>
    public SimulationSpec InfluenceArm(int sign)
    {
        var influence = Influence ?? throw new InvalidOperationException("The spec asks for no influence.");
        var models = (ModelSpec[])Models.Clone();
        models[influence.Model] = models[influence.Model].WithWeightShift(WeightIndex.Curated, influence.AbsorbIndex, sign * influence.Step);
        return this with { Models = models };
    }
}
