namespace Engine.Core.Specs;

public enum CovarianceStructure { Full, Diag, Iso, Fixed }

public enum RewardKind { Linear, Quadratic }

public enum Schedule { Simultaneous, Sequential }

public enum MixtureMode { Multinomial, Fixed }

/// <summary>
/// The mixture weights of one model's training data, indexed by source:
/// 0 real, 1 curated, 2 self, 3 + j outputs of model j (zero at the model's own index).
/// This order is also the tie-break order of the fixed mixture's rounding.
/// </summary>
public static class WeightIndex
{
    public const int Real = 0;
    public const int Curated = 1;
    public const int Self = 2;
    public const int FirstCross = 3;

    public static int Cross(int model) => FirstCross + model;

    public static int Count(int models) => FirstCross + models;
}

/// <summary>One generative model of the loop (docs/model.md sections 1-3). Arrays are never mutated after validation.</summary>
public sealed record ModelSpec
{
    /// <summary>K = infinity (the exact tilted Gaussian) is stored as this value.</summary>
    public const int InfiniteK = 0;

    public required string Name { get; init; }
    public required int N { get; init; }
    public required CovarianceStructure Covariance { get; init; }
    public required double[] RealMean { get; init; }
    /// <summary>Row-major d x d.</summary>
    public required double[] RealCov { get; init; }
    public required double[] InitMean { get; init; }
    public required double[] InitCov { get; init; }
    public required RewardKind Reward { get; init; }
    /// <summary>The reward centre c (quadratic) or direction a (linear).</summary>
    public required double[] RewardVector { get; init; }
    public required double Beta { get; init; }
    /// <summary>Candidates per curated sample; <see cref="InfiniteK"/> for the population limit.</summary>
    public required int K { get; init; }
    public required double Ridge { get; init; }
    /// <summary>Mixture weights, see <see cref="WeightIndex"/>.</summary>
    public required double[] Weights { get; init; }

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
    public required int Dimension { get; init; }
    public required int Rounds { get; init; }
    public required int BurnIn { get; init; }
    public required long Replicates { get; init; }
    public required uint Seed { get; init; }
    public Schedule Schedule { get; init; } = Schedule.Simultaneous;
    public MixtureMode Mixture { get; init; } = MixtureMode.Multinomial;
    public required ModelSpec[] Models { get; init; }
    public InfluenceSpec? Influence { get; init; }

    public int ModelCount => Models.Length;

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

    /// <summary>The two arms of the influence estimate: curation of the influence model at w^cur + sign*step.</summary>
    public SimulationSpec InfluenceArm(int sign)
    {
        var influence = Influence ?? throw new InvalidOperationException("The spec asks for no influence.");
        var models = (ModelSpec[])Models.Clone();
        models[influence.Model] = models[influence.Model].WithWeightShift(WeightIndex.Curated, influence.AbsorbIndex, sign * influence.Step);
        return this with { Models = models };
    }
}
